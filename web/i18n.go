package web

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"handbook/search"
)

// uiCookie remembers the interface language a user chose.
const uiCookie = "ui"

// uiLanguage picks the interface language: ?ui= (remembered in a cookie),
// else the cookie, else the browser's Accept-Language, else English.
func (s *Server) uiLanguage(c echo.Context) string {
	if l := c.QueryParam("ui"); isUILanguage(l) {
		c.SetCookie(&http.Cookie{Name: uiCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: c.Scheme() == "https"})
		return l
	}
	if ck, err := c.Cookie(uiCookie); err == nil && isUILanguage(ck.Value) {
		return ck.Value
	}
	for _, part := range strings.Split(c.Request().Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if isUILanguage(base) {
			return base
		}
	}
	return "en"
}

func isUILanguage(l string) bool { return l == "en" || l == "fr" }

// T translates a label key into the page's language; a missing French label
// falls back to English, a missing key shows itself so it is noticed.
func (p page) T(key string, args ...any) string { return translate(p.Lang, key, args...) }

// translate is T for a language.
func translate(lang, key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	text := m[0]
	if lang == "fr" && m[1] != "" {
		text = m[1]
	}
	if len(args) > 0 {
		return fmt.Sprintf(text, args...)
	}
	return text
}

// valueFacets are the kinds of stored values V names from the catalogue
// (key kind.value); values without a key are shown as they are.
var valueFacets = map[string]bool{"level": true, "action": true, "via": true, "user": true}

// V translates a value for display: a facet value (a document type, a
// topic, a language code), a handling level, or an audit log's action, via
// or placeholder user; unknown values are shown as they are.
func (p page) V(facet, value string) string {
	if facet == "lang" {
		return p.T("lang." + value)
	}
	if valueFacets[facet] {
		if _, ok := messages[facet+"."+value]; ok {
			return p.T(facet + "." + value)
		}
		return value
	}
	if m, ok := valueNames[value]; ok && p.Lang == "fr" {
		value = m
	}
	if facet == "type" {
		return capitalize(value) // "Framework of standards", a label
	}
	return value
}

// capitalize upper-cases the first letter of s.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// uiMessage is the catalogue key and arguments of an error's message, so a
// page says it in its own language while the JSON API keeps the English
// text. It travels as the Internal error of an *echo.HTTPError.
type uiMessage struct {
	key  string
	args []any
}

func (m *uiMessage) Error() string { return translate("en", m.key, m.args...) }

// httpError is echo.NewHTTPError with a message from the catalogue: the
// English text as the message, the key for pages in other languages.
func httpError(status int, key string, args ...any) *echo.HTTPError {
	return echo.NewHTTPError(status, translate("en", key, args...)).SetInternal(&uiMessage{key: key, args: args})
}

// noteVerb is a format verb of a note.
var noteVerb = regexp.MustCompile(`%[sd]`)

// notePatterns match the parser's notes (the English of the note.* keys,
// their verbs as groups), to say them in another language.
var notePatterns = func() map[string]*regexp.Regexp {
	out := map[string]*regexp.Regexp{}
	for key, m := range messages {
		if !strings.HasPrefix(key, "note.") {
			continue
		}
		var b strings.Builder
		b.WriteString("^")
		last := 0
		for _, loc := range noteVerb.FindAllStringIndex(m[0], -1) {
			b.WriteString(regexp.QuoteMeta(m[0][last:loc[0]]))
			if m[0][loc[0]+1] == 'd' {
				b.WriteString(`(-?\d+)`)
			} else {
				b.WriteString(`(.+?)`)
			}
			last = loc[1]
		}
		b.WriteString(regexp.QuoteMeta(m[0][last:]) + "$")
		out[key] = regexp.MustCompile(b.String())
	}
	return out
}()

// translateNote says one of the parser's notes in lang; a note the
// catalogue does not know stays as written.
func translateNote(lang, note string) string {
	if lang == "en" {
		return note
	}
	for key, re := range notePatterns {
		m := re.FindStringSubmatch(note)
		if m == nil {
			continue
		}
		verbs := noteVerb.FindAllString(messages[key][0], -1)
		args := make([]any, len(m)-1)
		for i, g := range m[1:] {
			args[i] = g
			if verbs[i] == "%d" {
				n, _ := strconv.Atoi(g)
				args[i] = n
			}
		}
		return translate(lang, key, args...)
	}
	return note
}

// queryErrorText says what is wrong with a query in lang, from its code
// when the catalogue has it, else its English message.
func queryErrorText(lang string, qe *search.QueryError) string {
	key := "qerr." + qe.Code
	if _, ok := messages[key]; qe.Code == "" || !ok {
		return qe.Error()
	}
	msg := translate(lang, key, qe.Args...)
	if qe.Pos >= 0 {
		msg = translate(lang, "qerr.at", msg, qe.Pos+1)
	}
	return msg
}

// messages holds every label: key → {English, French}.
var messages = map[string][2]string{
	"site.tagline":        {"Handbook — guidance search for customs and police officers. Sample documents are illustrative, not official texts.", "Handbook — recherche dans les manuels et les textes de référence des douaniers et des policiers. Les documents d'exemple sont fictifs, non officiels."},
	"skip":                {"Skip to content", "Aller au contenu"},
	"search.label":        {"Search the guidance", "Rechercher dans les manuels et les normes"},
	"search.placeholder":  {"Search handbooks, standards, conventions…", "Rechercher manuels, normes, conventions…"},
	"search.button":       {"Search", "Rechercher"},
	"nav.site":            {"Site", "Site"},
	"nav.packs":           {"Course packs", "Dossiers de formation"},
	"nav.audit":           {"Audit log", "Journal d'audit"},
	"nav.signin":          {"Sign in", "Se connecter"},
	"nav.signout":         {"Sign out", "Se déconnecter"},
	"nav.signedin":        {"Signed in as %s", "Connecté\u202f: %s"},
	"nav.language":        {"Language", "Langue"},
	"syntax.link":         {"Query syntax", "Syntaxe des requêtes"},
	"home.title":          {"Find the guidance, cite the section", "Trouver le texte, citer la section"},
	"home.intro":          {"%d documents: handbooks, frameworks of standards, conventions, legal acts and training material, in English and French. Every hit is a section, with its number and page.", "%d documents\u202f: manuels, cadres de normes, conventions, actes juridiques et supports de formation, en anglais et en français. Chaque résultat est une section, avec son numéro et sa page."},
	"home.topics":         {"Topics", "Thèmes"},
	"home.documents":      {"Documents", "Documents"},
	"home.other":          {"other", "autre"},
	"syntax.words":        {"sections with all the words (stemmed: \"operations\" finds \"operation\")", "sections contenant tous les mots (avec racinisation\u202f: «\u202fcontrôles\u202f» trouve «\u202fcontrôle\u202f»)"},
	"syntax.phrase":       {"the exact phrase", "l'expression exacte"},
	"syntax.not":          {"exclude a word, phrase or group", "exclure un mot, une expression ou un groupe"},
	"syntax.or":           {"either word (OR binds before the other words); ( … ) groups", "l'un ou l'autre (OR / OU s'applique avant les autres mots)\u202f; ( … ) regroupe"},
	"syntax.filters":      {"filter by metadata", "filtrer par métadonnées"},
	"syntax.fields":       {"match in the document title, the heading path, or a section number", "chercher dans le titre, le chemin des titres ou un numéro de section"},
	"syntax.fuzzy":        {"allow typing errors (1 or 2)", "tolérer des fautes de frappe (1 ou 2)"},
	"syntax.prefix":       {"words starting with…", "mots commençant par…"},
	"filters":             {"Filters", "Filtres"},
	"filters.show":        {"Show filters", "Afficher les filtres"},
	"filters.more":        {"Show %d more", "Afficher %d de plus"},
	"filters.selected":    {"Selected filters", "Filtres choisis"},
	"filters.remove":      {"Remove filter %s", "Retirer le filtre %s"},
	"filters.clear":       {"Clear all filters", "Retirer tous les filtres"},
	"filters.years":       {"Years", "Années"},
	"filters.from":        {"From", "De"},
	"filters.to":          {"To", "À"},
	"filters.apply":       {"Apply", "Appliquer"},
	"facet.topic":         {"Topic", "Thème"},
	"facet.org":           {"Organization", "Organisation"},
	"facet.type":          {"Document type", "Type de document"},
	"facet.lang":          {"Language", "Langue"},
	"facet.year":          {"Year", "Année"},
	"facet.filetype":      {"File type", "Type de fichier"},
	"home.also":           {"also as", "aussi en"},
	"format.html":         {"HTML", "HTML"},
	"format.markdown":     {"Markdown", "Markdown"},
	"format.docx":         {"Word", "Word"},
	"format.pdf":          {"PDF", "PDF"},
	"format.epub":         {"EPUB", "EPUB"},
	"format.text":         {"text", "texte"},
	"lang.en":             {"English", "anglais"},
	"lang.fr":             {"Français", "français"},
	"lang.es":             {"Spanish", "espagnol"},
	"lang.de":             {"German", "allemand"},
	"lang.ar":             {"Arabic", "arabe"},
	"lang.pt":             {"Portuguese", "portugais"},
	"lang.it":             {"Italian", "italien"},
	"lang.nl":             {"Dutch", "néerlandais"},
	"lang.ru":             {"Russian", "russe"},
	"results.count":       {"%d–%d of %d sections", "%d–%d sur %d sections"},
	"results.one":         {"1 section", "1 section"},
	"results.all":         {"%d sections", "%d sections"},
	"skip.results":        {"Skip to the results", "Aller aux résultats"},
	"search.keep":         {"Keep the filters and view of these results", "Garder les filtres et l'affichage de ces résultats"},
	"suggest.title":       {"Document", "Document"},
	"suggest.heading":     {"Section", "Section"},
	"suggest.glossary":    {"Glossary", "Glossaire"},
	"advice.intro":        {"Nothing matched. You could:", "Aucun résultat. Vous pouvez :"},
	"advice.spelling":     {"check the spelling: search with typing errors allowed", "vérifier l'orthographe : chercher en tolérant des fautes de frappe"},
	"advice.fewer":        {"use fewer words:", "utiliser moins de mots :"},
	"advice.languages":    {"search documents in every language", "chercher dans les documents de toutes les langues"},
	"advice.filters":      {"remove the filters", "retirer les filtres"},
	"results.none":        {"No sections found", "Aucune section trouvée"},
	"results.for":         {"for", "pour"},
	"results.ms":          {"%.1f ms", "%.1f ms"},
	"results.relaxed":     {"No section has all the words; showing sections with any of them.", "Aucune section ne contient tous les mots\u202f; voici celles qui en contiennent au moins un."},
	"results.tryfuzzy":    {"Nothing matched exactly.", "Aucun résultat exact."},
	"results.fuzzy":       {"Allow typing errors", "Tolérer les fautes de frappe"},
	"results.corrected":   {"Nothing matched as typed; showing results for", "Aucun résultat tel quel\u202f; résultats pour"},
	"results.didyoumean":  {"Did you mean", "Vouliez-vous dire"},
	"results.didyoumean?": {"?", " ?"},
	"results.typos":       {"Nothing matched as typed; showing results with typing errors allowed.", "Aucun résultat tel quel ; résultats en tolérant des fautes de frappe."},
	"results.instead":     {"Search instead for “%s”", "Rechercher plutôt « %s »"},
	"results.expanded":    {"Also searched for", "Recherché aussi"},
	"results.noexpand":    {"Search only the words typed", "Ne chercher que les mots saisis"},
	"results.expand":      {"Also search for glossary forms", "Chercher aussi les formes du glossaire"},
	"results.citation":    {"Sections numbered", "Sections numérotées"},
	"results.viaglossary": {"found through the glossary", "trouvé par le glossaire"},
	"results.pastend":     {"This page is past the last result.", "Cette page est au-delà du dernier résultat."},
	"results.first":       {"Back to the first page", "Revenir à la première page"},
	"results.badquery":    {"The query could not be read:", "La requête n'a pas pu être lue\u202f:"},
	"results.more":        {"%d more sections in this document", "%d autres sections dans ce document"},
	"results.view":        {"View", "Affichage"},
	"results.detailed":    {"Detailed", "Détaillé"},
	"results.compact":     {"Compact", "Compact"},
	"results.export":      {"Export results", "Exporter les résultats"},
	"pager":               {"Pages", "Pages"},
	"pager.prev":          {"← Previous", "← Précédente"},
	"pager.next":          {"Next →", "Suivante →"},
	"addpack":             {"Add to course pack", "Ajouter au dossier de formation"},
	"addpack.short":       {"+ pack", "+ dossier"},
	"doc.contents":        {"Contents", "Sommaire"},
	"doc.editions":        {"Other editions:", "Autres éditions\u202f:"},

	// The comparison of two editions (web/compare.go).
	"compare.title":             {"Compare %s with %s", "Comparer %s avec %s"},
	"compare.h1":                {"What changed between two editions", "Ce qui a changé d'une édition à l'autre"},
	"compare.old":               {"Earlier edition:", "Édition antérieure\u202f:"},
	"compare.new":               {"Later edition:", "Édition postérieure\u202f:"},
	"compare.nchanged":          {"%d sections changed", "%d sections modifiées"},
	"compare.nchanged.one":      {"%d section changed", "%d section modifiée"},
	"compare.nmoved":            {"%d moved", "%d déplacées"},
	"compare.nmoved.one":        {"%d moved", "%d déplacée"},
	"compare.nadded":            {"%d added", "%d ajoutées"},
	"compare.nadded.one":        {"%d added", "%d ajoutée"},
	"compare.nremoved":          {"%d removed", "%d supprimées"},
	"compare.nremoved.one":      {"%d removed", "%d supprimée"},
	"compare.nunchanged":        {"%d unchanged", "%d inchangées"},
	"compare.nunchanged.one":    {"%d unchanged", "%d inchangée"},
	"compare.kind.changed":      {"Changed", "Modifiée"},
	"compare.kind.moved":        {"Moved", "Déplacée"},
	"compare.kind.added":        {"Added", "Ajoutée"},
	"compare.kind.removed":      {"Removed", "Supprimée"},
	"compare.kind.unchanged":    {"Unchanged", "Inchangée"},
	"compare.was":               {"formerly", "anciennement"},
	"compare.reordered":         {"now in another place", "désormais à une autre place"},
	"compare.headingchanged":    {"heading reworded", "titre reformulé"},
	"compare.similarity":        {"%d%% of the words in common", "%d\u202f%% des mots en commun"},
	"compare.legend":            {"Words struck through were removed; underlined words were added.", "Les mots barrés ont été supprimés\u202f; les mots soulignés ont été ajoutés."},
	"compare.sections":          {"Sections", "Sections"},
	"compare.unchangedlist":     {"Unchanged sections", "Sections inchangées"},
	"compare.none":              {"The two documents have the same sections and text.", "Les deux documents ont les mêmes sections et le même texte."},
	"compare.same":              {"a document cannot be compared with itself", "un document ne peut être comparé à lui-même"},
	"compare.toolarge.sections": {"these documents are too large to compare: %d sections, at most %d", "ces documents sont trop longs pour être comparés\u202f: %d sections, au plus %d"},
	"compare.toolarge.bytes":    {"these documents are too large to compare: %d bytes of text, at most %d", "ces documents sont trop longs pour être comparés\u202f: %d octets de texte, au plus %d"},
	"compare.toolarge.pairs":    {"these documents are too large to compare: %d pairs of sections, at most %d", "ces documents sont trop longs pour être comparés\u202f: %d paires de sections, au plus %d"},
	"compare.with":              {"Compare with", "Comparer avec"},
	"compare.inedition":         {"What changed in the current edition", "Ce qui a changé dans l'édition en vigueur"},
	"compare.sincecited":        {"What changed since it was cited", "Ce qui a changé depuis la citation"},

	"doc.cite":               {"Cite as:", "Citer\u202f:"},
	"doc.copy":               {"Copy citation", "Copier la citation"},
	"doc.copied":             {"Citation copied", "Citation copiée"},
	"doc.prev":               {"← Previous section", "← Section précédente"},
	"doc.next":               {"Next section →", "Section suivante →"},
	"doc.original":           {"Original file", "Fichier original"},
	"doc.top":                {"Contents ↑", "Sommaire ↑"},
	"error.home":             {"Back to the start page", "Retour à l'accueil"},
	"error.request":          {"Request id:", "Identifiant de la requête\u202f:"},
	"packs.title":            {"Course packs", "Dossiers de formation"},
	"packs.none":             {"No course packs yet. Create one below, or use “Add to course pack” on any search hit or document section.", "Aucun dossier pour l'instant. Créez-en un ci-dessous, ou utilisez «\u202fAjouter au dossier de formation\u202f» sur un résultat ou une section."},
	"packs.sections":         {"%d sections", "%d sections"},
	"packs.changed":          {"changed %s", "modifié le %s"},
	"packs.new":              {"New course pack", "Nouveau dossier de formation"},
	"packs.create":           {"Create", "Créer"},
	"pack.titlefield":        {"Title", "Titre"},
	"pack.description":       {"Description", "Description"},
	"pack.audience":          {"Audience", "Public"},
	"pack.audience.hint":     {"frontline officers, investigators…", "agents de terrain, enquêteurs…"},
	"pack.objectives":        {"Learning objectives (one per line)", "Objectifs pédagogiques (un par ligne)"},
	"pack.objectiveshead":    {"Learning objectives:", "Objectifs pédagogiques\u202f:"},
	"pack.audiencehead":      {"Audience:", "Public\u202f:"},
	"pack.export":            {"Export:", "Exporter\u202f:"},
	"pack.duplicate":         {"Duplicate", "Dupliquer"},
	"pack.delete":            {"Delete…", "Supprimer…"},
	"pack.nchanged":          {"%d changed since cited", "%d modifiées depuis la citation"},
	"pack.nremoved":          {"%d removed", "%d supprimées"},
	"pack.nunavailable":      {"%d unavailable", "%d indisponibles"},
	"pack.unavailable":       {"Unavailable section", "Section indisponible"},
	"pack.unavailabletxt":    {"This section is no longer available to you.", "Cette section ne vous est plus accessible."},
	"pack.changedtxt":        {"The current edition of this section differs from the text cited here (kept below).", "L'édition en vigueur de cette section diffère du texte cité ici (conservé ci-dessous)."},
	"pack.removedtxt":        {"This section is no longer in the current edition; the text cited here is kept.", "Cette section ne figure plus dans l'édition en vigueur\u202f; le texte cité est conservé."},
	"pack.note":              {"Trainer's note", "Note du formateur"},
	"pack.group":             {"Heading in the pack", "Intertitre dans le dossier"},
	"pack.groupopt":          {"Heading in the pack (optional)", "Intertitre dans le dossier (facultatif)"},
	"pack.noteopt":           {"Trainer's note (optional)", "Note du formateur (facultative)"},
	"pack.save":              {"Save note", "Enregistrer la note"},
	"pack.up":                {"↑ Up", "↑ Monter"},
	"pack.down":              {"↓ Down", "↓ Descendre"},
	"pack.moveup":            {"Move up", "Monter"},
	"pack.movedown":          {"Move down", "Descendre"},
	"pack.accept":            {"Use the current text", "Utiliser le texte en vigueur"},
	"pack.remove":            {"Remove", "Retirer"},
	"pack.empty":             {"This pack is empty. Use “Add to course pack” on a search hit or a document section.", "Ce dossier est vide. Utilisez «\u202fAjouter au dossier de formation\u202f» sur un résultat ou une section."},
	"pack.edit":              {"Edit the pack", "Modifier le dossier"},
	"pack.marking":           {"Exports of this pack are marked “%s”: the highest handling level of its sections.", "Les exports de ce dossier portent la mention «\u202f%s\u202f»\u202f: le niveau de diffusion le plus élevé de ses sections."},
	"pack.raised":            {"The section you added is marked “%s”, above every other section of this pack: the pack's exports are now marked so.", "La section ajoutée porte la mention «\u202f%s\u202f», au-dessus de toutes les autres sections du dossier\u202f: les exports du dossier portent désormais cette mention."},
	"pack.copytitle":         {"%s (copy)", "%s (copie)"},
	"pack.savepack":          {"Save", "Enregistrer"},
	"add.title":              {"Add to a course pack", "Ajouter à un dossier de formation"},
	"add.pack":               {"Pack", "Dossier"},
	"add.newpack":            {"New pack:", "Nouveau dossier\u202f:"},
	"add.newtitle":           {"Title of the new pack", "Titre du nouveau dossier"},
	"add.button":             {"Add", "Ajouter"},
	"del.title":              {"Delete “%s”?", "Supprimer «\u202f%s\u202f»\u202f?"},
	"del.text":               {"The pack and its %d sections with their notes will be deleted. This cannot be undone.", "Le dossier et ses %d sections avec leurs notes seront supprimés. C'est définitif."},
	"del.button":             {"Delete the pack", "Supprimer le dossier"},
	"del.keep":               {"Keep it", "Le garder"},
	"signin.title":           {"Sign in", "Se connecter"},
	"signin.token":           {"Access token", "Jeton d'accès"},
	"signin.button":          {"Sign in", "Se connecter"},
	"signin.help":            {"Your administrator gives you an access token. Public documents can be searched without signing in.", "Votre administrateur vous remet un jeton d'accès. Les documents publics sont consultables sans connexion."},
	"signin.bad":             {"That token is not valid.", "Ce jeton n'est pas valide."},
	"audit.title":            {"Audit log", "Journal d'audit"},
	"audit.intro":            {"Reads and exports of documents above public, newest first.", "Lectures et exports de documents non publics, les plus récents d'abord."},
	"audit.csv":              {"Download as CSV", "Télécharger en CSV"},
	"audit.time":             {"Time (UTC)", "Heure (UTC)"},
	"audit.user":             {"User", "Utilisateur"},
	"audit.action":           {"Action", "Action"},
	"audit.document":         {"Document", "Document"},
	"audit.section":          {"Section", "Section"},
	"audit.level":            {"Level", "Niveau"},
	"audit.request":          {"Request", "Requête"},
	"audit.none":             {"Nothing recorded yet.", "Rien d'enregistré pour l'instant."},
	"audit.older":            {"Older entries", "Entrées plus anciennes"},
	"status.superseded":      {"superseded", "remplacé"},
	"status.draft":           {"draft", "projet"},
	"status.current":         {"current", "en vigueur"},
	"nav.analytics":          {"Search analytics", "Statistiques de recherche"},
	"nav.saved":              {"Saved searches", "Recherches enregistrées"},
	"analytics.title":        {"What officers search for", "Ce que cherchent les agents"},
	"analytics.intro":        {"Searches of the results page, counted by week and interface language. A query is shown only once it was counted at least %d times; no user is recorded.", "Recherches de la page de résultats, comptées par semaine et par langue de l'interface. Une requête n'apparaît qu'à partir de %d recherches\u202f; aucun utilisateur n'est enregistré."},
	"analytics.csv":          {"Download as CSV", "Télécharger en CSV"},
	"analytics.weeks":        {"Weeks", "Semaines"},
	"analytics.week":         {"Week", "Semaine"},
	"analytics.langs":        {"Languages", "Langues"},
	"analytics.lang":         {"Language", "Langue"},
	"analytics.allweeks":     {"every week", "toutes les semaines"},
	"analytics.alllangs":     {"every language", "toutes les langues"},
	"analytics.byweek":       {"Searches by week", "Recherches par semaine"},
	"analytics.chart":        {"Chart", "Graphique"},
	"analytics.searches":     {"Searches", "Recherches"},
	"analytics.zero":         {"Nothing found", "Aucun résultat"},
	"analytics.unopened":     {"No result opened", "Aucun résultat ouvert"},
	"analytics.nothing":      {"No search counted yet.", "Aucune recherche comptée pour l'instant."},
	"analytics.top":          {"Top queries", "Requêtes les plus fréquentes"},
	"analytics.zerolist":     {"Queries that found nothing", "Requêtes sans résultat"},
	"analytics.unopenedlist": {"Queries whose results nobody opened", "Requêtes dont personne n'a ouvert les résultats"},
	"analytics.query":        {"Query", "Requête"},
	"analytics.none":         {"No query counted %d times or more.", "Aucune requête comptée %d fois ou plus."},
	"err.analytics.week":     {"week must be an ISO week such as 2026-W49", "la semaine s'écrit comme 2026-W49"},
	"err.analytics.lang":     {"lang must be en or fr", "la langue est en ou fr"},
	"err.analytics.format":   {"format must be json or csv", "le format est json ou csv"},
	"saved.title":            {"Saved searches", "Recherches enregistrées"},
	"saved.intro":            {"After each re-index, the sections that newly match a saved search are counted here, and listed in its feed.", "Après chaque réindexation, les sections qui répondent nouvellement à une recherche enregistrée sont comptées ici et listées dans son flux."},
	"saved.new":              {"%d new", "%d nouvelles"},
	"saved.new1":             {"1 new", "1 nouvelle"},
	"saved.nonew":            {"nothing new", "rien de nouveau"},
	"saved.checked":          {"Last checked %s (UTC)", "Dernière vérification\u202f: %s (UTC)"},
	"saved.recent":           {"New sections", "Nouvelles sections"},
	"saved.markseen":         {"Mark as seen", "Marquer comme vu"},
	"saved.feed":             {"Get a feed address", "Obtenir une adresse de flux"},
	"saved.feednew":          {"New feed address", "Nouvelle adresse de flux"},
	"saved.feedmade":         {"Copy this feed address now: it is shown only once, and any earlier address no longer works.", "Copiez cette adresse de flux maintenant\u202f: elle n'est affichée qu'une fois, et toute adresse précédente ne fonctionne plus."},
	"saved.feedurl":          {"Atom feed", "Flux Atom"},
	"saved.revoke":           {"Stop the feed", "Arrêter le flux"},
	"saved.delete":           {"Delete", "Supprimer"},
	"saved.none":             {"No saved search yet: save one from a results page.", "Aucune recherche enregistrée\u202f: enregistrez-en une depuis une page de résultats."},
	"saved.name":             {"Save this search as", "Enregistrer cette recherche sous"},
	"saved.save":             {"Save", "Enregistrer"},
	"err.saved.signin":       {"sign in to save searches", "connectez-vous pour enregistrer des recherches"},
	"err.saved.invalid":      {"this search cannot be saved: %s", "impossible d'enregistrer cette recherche\u202f: %s"},
	"err.saved.params":       {"params must be the URL parameters of a search", "params doit contenir les paramètres d'URL d'une recherche"},
	"err.saved.empty":        {"a saved search needs a query or a filter", "une recherche enregistrée demande une requête ou un filtre"},
	"feed.title":             {"Handbook: new for %s", "Handbook\u202f: nouveau pour %s"},
	"feed.summary":           {"%s, in %s", "%s, dans %s"},
	"nav.documents":          {"Documents", "Documents"},
	// The library: uploads, new editions, withdrawals (documents.html, job.html).
	"docs.title":           {"Add a document", "Ajouter un document"},
	"docs.replacetitle":    {"Replace with a new edition", "Remplacer par une nouvelle édition"},
	"docs.intro":           {"Upload a PDF, Word (DOCX), HTML, Markdown or text file: it is checked, stored in the content folder and indexed.", "Déposez un fichier PDF, Word (DOCX), HTML, Markdown ou texte\u202f: il est vérifié, rangé dans le dossier des contenus et indexé."},
	"docs.replacing":       {"The new edition replaces", "La nouvelle édition remplace"},
	"docs.replacehelp":     {"The current edition is kept, marked superseded, with a link to the new one.", "L'édition actuelle est conservée, marquée comme remplacée, avec un lien vers la nouvelle."},
	"docs.refused":         {"The file was refused:", "Le fichier a été refusé\u202f:"},
	"docs.file":            {"File", "Fichier"},
	"docs.filehelp":        {"Up to %s. The type is checked from the content, not from the name.", "Jusqu'à %s. Le type est vérifié d'après le contenu, non d'après le nom."},
	"docs.meta":            {"Description", "Description"},
	"docs.metahelp":        {"Leave a field empty to take it from the file (a PDF's or Word document's title, an HTML title, Markdown front matter). Lists are separated by commas.", "Laissez un champ vide pour le reprendre du fichier (titre d'un PDF ou d'un document Word, titre HTML, en-tête Markdown). Séparez les listes par des virgules."},
	"docs.f.title":         {"Title", "Titre"},
	"docs.f.org":           {"Organizations", "Organisations"},
	"docs.f.type":          {"Document type", "Type de document"},
	"docs.f.topics":        {"Topics", "Thèmes"},
	"docs.f.lang":          {"Language", "Langue"},
	"docs.f.year":          {"Year", "Année"},
	"docs.f.edition":       {"Edition", "Édition"},
	"docs.f.status":        {"Status", "Statut"},
	"docs.f.level":         {"Handling level", "Niveau de diffusion"},
	"docs.f.summary":       {"Summary", "Résumé"},
	"docs.unset":           {"(from the file)", "(d'après le fichier)"},
	"docs.detect":          {"(detect)", "(détecter)"},
	"docs.upload":          {"Upload and index", "Déposer et indexer"},
	"docs.replacebutton":   {"Upload the new edition", "Déposer la nouvelle édition"},
	"docs.list":            {"Documents in the library", "Documents de la bibliothèque"},
	"docs.document":        {"Document", "Document"},
	"docs.actions":         {"Actions", "Actions"},
	"docs.replace":         {"New edition", "Nouvelle édition"},
	"docs.withdraw":        {"Withdraw", "Retirer"},
	"docs.more":            {"And %d more, not listed.", "Et %d autres, non listés."},
	"docs.none":            {"No documents yet.", "Aucun document pour l'instant."},
	"job.title":            {"Indexing", "Indexation"},
	"job.kind.upload":      {"Upload", "Dépôt"},
	"job.kind.replace":     {"New edition", "Nouvelle édition"},
	"job.kind.withdraw":    {"Withdrawal", "Retrait"},
	"job.state.queued":     {"Waiting for its turn.", "En attente de son tour."},
	"job.state.indexing":   {"Reading and indexing…", "Lecture et indexation…"},
	"job.reload":           {"This page reloads itself.", "Cette page se recharge d'elle-même."},
	"job.done.upload":      {"Indexed: the document is searchable now.", "Indexé\u202f: le document est désormais consultable."},
	"job.done.replace":     {"Indexed: the new edition is current, the old one superseded.", "Indexé\u202f: la nouvelle édition est en vigueur, l'ancienne est remplacée."},
	"job.done.withdraw":    {"Withdrawn: the document is no longer searched; course packs keep what they cite of it.", "Retiré\u202f: le document n'est plus proposé à la recherche\u202f; les dossiers de formation conservent ce qu'ils en citent."},
	"job.took":             {"(%s s)", "(%s\u202fs)"},
	"job.nothing":          {"Nothing was changed.", "Rien n'a été modifié."},
	"job.doc":              {"Document id", "Identifiant du document"},
	"job.replaces":         {"Replaces", "Remplace"},
	"job.format":           {"Format", "Format"},
	"job.sections":         {"Sections", "Sections"},
	"job.pages":            {"Pages", "Pages"},
	"job.nopages":          {"none (no page numbers)", "aucune (pas de numéros de page)"},
	"job.warnings":         {"To check", "À vérifier"},
	"job.back":             {"Back to the documents", "Retour aux documents"},
	"warn.title_from_name": {"The file has no title: it was named after the file (%s). Replace it with a new edition to give one.", "Le fichier n'a pas de titre\u202f: il porte le nom du fichier (%s). Remplacez-le par une nouvelle édition pour lui en donner un."},
	"warn.language_read":   {"No language was given: it was read as %s.", "Aucune langue n'était indiquée\u202f: elle a été lue comme %s."},
	"warn.no_pages":        {"The PDF's sections carry no page numbers.", "Les sections du PDF ne portent pas de numéros de page."},
	"refused.too_large":    {"the file is larger than the limit of %s", "le fichier dépasse la limite de %s"},
	"refused.empty":        {"the file is empty", "le fichier est vide"},
	"refused.wrong_type":   {"the file is %s: upload a PDF, a Word document (DOCX), an HTML page, Markdown or plain text", "le fichier est %s\u202f: déposez un PDF, un document Word (DOCX), une page HTML, du Markdown ou du texte brut"},
	"refused.mislabelled":  {"the file is %s, not %s as its name says", "le fichier est %s, et non %s comme l'indique son nom"},
	"refused.not_utf8":     {"the text is not UTF-8: save it as UTF-8 and upload it again", "le texte n'est pas en UTF-8\u202f: enregistrez-le en UTF-8 et déposez-le à nouveau"},
	"refused.metadata":     {"the description is not valid", "la description n'est pas valide"},
	"refused.unreadable":   {"the file cannot be read", "le fichier ne peut pas être lu"},
	"refused.not_current":  {"document %s is not the current edition: replace its successor instead", "le document %s n'est pas l'édition en vigueur\u202f: remplacez plutôt celle qui lui succède"},
	"refused.index_failed": {"the index could not be rebuilt; nothing was changed", "l'index n'a pas pu être reconstruit\u202f; rien n'a été modifié"},
	"refused.busy":         {"too many changes are waiting to be indexed; try again in a minute", "trop de modifications attendent d'être indexées\u202f; réessayez dans une minute"},
	"refused.other":        {"the change was refused", "la modification a été refusée"},
	"refused.detail":       {" (%s)", " (%s)"},
	"kind.pdf":             {"a PDF", "un PDF"},
	"kind.docx":            {"a Word document (DOCX)", "un document Word (DOCX)"},
	"kind.epub":            {"an EPUB book", "un livre EPUB"},
	"kind.html":            {"an HTML page", "une page HTML"},
	"kind.markdown":        {"Markdown text", "du texte Markdown"},
	"kind.text":            {"plain text", "du texte brut"},
	"kind.zip":             {"a zip archive (not a Word document)", "une archive zip (pas un document Word)"},
	"kind.damaged-zip":     {"a damaged zip archive", "une archive zip endommagée"},
	"err.nojob":            {"no such job", "cette tâche n'existe pas"},
	"pack.withdrawntxt":    {"This document was withdrawn from the library; the text cited here is kept.", "Ce document a été retiré de la bibliothèque\u202f; le texte cité est conservé."},
	"action.upload":        {"upload", "dépôt"},
	"action.replace":       {"replace", "remplacement"},
	"action.withdraw":      {"withdraw", "retrait"},

	// The document page's search, related sections and way back, and
	// superseded editions.
	"doc.search":          {"Search this document", "Chercher dans ce document"},
	"doc.back":            {"← Back to the results", "← Retour aux résultats"},
	"doc.related":         {"Related sections", "Sections apparentées"},
	"doc.norelated":       {"No related sections were found.", "Aucune section apparentée n'a été trouvée."},
	"scope.only":          {"Searching only in", "Recherche limitée à"},
	"scope.widen":         {"Search all documents", "Chercher dans tous les documents"},
	"superseded.by":       {"superseded by", "remplacé par"},
	"superseded.banner":   {"This edition is superseded", "Cette édition est remplacée"},
	"superseded.bannerby": {"This edition is superseded by", "Cette édition est remplacée par"},
	"superseded.cite":     {"Cite the current edition unless you need this one.", "Citez l'édition en vigueur, sauf si c'est bien celle-ci qu'il vous faut."},

	// Punctuation the templates put after labels, handling levels, and
	// the values of the audit log.
	"punct.colon":                     {":", "\u202f:"},
	"punct.semicolon":                 {";", "\u202f;"},
	"facet.chip":                      {"%s: %s", "%s\u202f: %s"},
	"level.public":                    {"public", "public"},
	"level.members-only":              {"members-only", "réservé aux membres"},
	"level.law-enforcement-sensitive": {"law-enforcement-sensitive", "sensible – services répressifs"},
	"level.restricted":                {"restricted", "diffusion restreinte"},
	"action.read":                     {"read", "lecture"},
	"action.export":                   {"export", "export"},
	"action.auth_failure":             {"auth_failure", "échec d'authentification"},
	"via.token":                       {"token", "jeton"},
	"via.session":                     {"session", "session"},
	"via.proxy":                       {"proxy", "proxy"},
	"via.anonymous":                   {"anonymous", "anonyme"},
	"via.sign_in":                     {"sign_in", "formulaire de connexion"},
	"user.unknown":                    {"unknown", "inconnu"},
	"user.anonymous":                  {"anonymous", "anonyme"},
	"title.delete":                    {"Delete %s", "Supprimer %s"},

	// Error pages: a title per status (English: the standard status text)
	// and what the page says.
	"error.title.400": {"Bad Request", "Requête incorrecte"},
	"error.title.401": {"Unauthorized", "Non authentifié"},
	"error.title.403": {"Forbidden", "Accès refusé"},
	"error.title.404": {"Not Found", "Page introuvable"},
	"error.title.405": {"Method Not Allowed", "Méthode non autorisée"},
	"error.title.409": {"Conflict", "Conflit"},
	"error.title.413": {"Request Entity Too Large", "Requête trop volumineuse"},
	"error.title.415": {"Unsupported Media Type", "Type de contenu non pris en charge"},
	"error.title.429": {"Too Many Requests", "Trop de requêtes"},
	"error.title.500": {"Internal Server Error", "Erreur interne du serveur"},
	"error.title.503": {"Service Unavailable", "Service indisponible"},
	// error.msg.NNN say in French what Echo's own errors (an unknown
	// route, a missing CSRF token, the rate limit…) say in English.
	"error.msg.400":            {"Bad Request", "La requête n'a pas pu être traitée."},
	"error.msg.401":            {"Unauthorized", "Il faut s'authentifier."},
	"error.msg.403":            {"Forbidden", "Cette action n'est pas autorisée."},
	"error.msg.404":            {"Not Found", "Cette page n'existe pas."},
	"error.msg.405":            {"Method Not Allowed", "Cette méthode n'est pas autorisée ici."},
	"error.msg.409":            {"Conflict", "La demande est en conflit avec l'état actuel."},
	"error.msg.413":            {"Request Entity Too Large", "La requête est trop volumineuse."},
	"error.msg.415":            {"Unsupported Media Type", "Ce type de contenu n'est pas pris en charge."},
	"error.msg.429":            {"Too Many Requests", "Trop de requêtes\u202f; patientez un moment, puis réessayez."},
	"error.msg.503":            {"Service Unavailable", "Le service est momentanément indisponible."},
	"err.server":               {"something went wrong on our side; quote the request id if you report it", "une erreur s'est produite de notre côté\u202f; citez l'identifiant de la requête si vous la signalez"},
	"err.notfound":             {"no such document", "ce document n'existe pas"},
	"err.timeout":              {"the search took too long; try a more specific query", "la recherche a pris trop de temps\u202f; essayez une requête plus précise"},
	"err.notready":             {"the search is starting and has no index open yet; try again in a few seconds", "la recherche démarre et n'a pas encore d'index ouvert\u202f; réessayez dans quelques secondes"},
	"err.nopack":               {"no such course pack or item", "ce dossier de formation ou cet élément n'existe pas"},
	"err.conflict":             {"the pack was changed elsewhere; reload it and try again", "le dossier a été modifié ailleurs\u202f; rechargez-le et réessayez"},
	"err.invalid":              {"the pack or item is not valid", "le dossier ou l'élément n'est pas valide\u202f: un titre est obligatoire (200 caractères au plus), les textes sont limités en longueur et un dossier en nombre d'éléments"},
	"err.nosection":            {"no such section", "cette section n'existe pas"},
	"err.action":               {"unknown action", "action inconnue"},
	"err.noaccept":             {"the section is no longer available; there is no current text to accept", "la section n'est plus disponible\u202f; il n'y a pas de texte en vigueur à accepter"},
	"err.failures":             {"too many invalid credentials from this address; wait a moment and try again", "trop d'identifiants non valides depuis cette adresse\u202f; patientez un moment, puis réessayez"},
	"err.crossorigin":          {"a request from another site cannot change anything here", "une requête venue d'un autre site ne peut rien modifier ici"},
	"err.token":                {"the token is not valid", "le jeton n'est pas valide"},
	"err.role":                 {"this needs the %s role", "il faut le rôle «\u202f%s\u202f»"},
	"err.role.signin":          {"this needs the %s role; sign in first", "il faut le rôle «\u202f%s\u202f»\u202f; connectez-vous d'abord"},
	"err.ratelimit":            {"too many requests; wait a moment and try again", "trop de requêtes\u202f; patientez un moment, puis réessayez"},
	"err.original.changed":     {"the original file of this document changed since it was indexed; it is served again once the content is re-indexed", "le fichier original de ce document a changé depuis son indexation\u202f; il sera de nouveau servi une fois le contenu réindexé"},
	"err.original.notrecorded": {"the original file of this document was not recorded when it was indexed; it is served once the content is re-indexed", "le fichier original de ce document n'a pas été enregistré lors de l'indexation\u202f; il sera servi une fois le contenu réindexé"},

	// Query errors by search.QueryError.Code; the English side is the
	// error's Msg, made from the same Args.
	"qerr.at":                        {"%s (at character %d)", "%s (au caractère %d)"},
	"qerr.query.too_long":            {"the query is %d characters long; the limit is %d", "la requête compte %d caractères\u202f; la limite est de %d"},
	"qerr.query.not_utf8":            {"the query is not valid UTF-8 text", "la requête n'est pas un texte UTF-8 valide"},
	"qerr.query.too_many_terms":      {"the query has %d terms; the limit is %d", "la requête compte %d termes\u202f; la limite est de %d"},
	"qerr.query.too_many_expansions": {"the query's fuzzy or prefix words match too many terms; make them longer or more specific", "les mots approchés ou tronqués de la requête correspondent à trop de termes\u202f; allongez-les ou précisez-les"},
	"qerr.rank.size":                 {"a ranking holds 1 to %d sections", "un classement compte de 1 à %d sections"},
	"qerr.page.min":                  {"page must be 1 or more", "le numéro de page doit être 1 ou plus"},
	"qerr.size.range":                {"size must be between 1 and %d", "le nombre de résultats par page doit être compris entre 1 et %d"},
	"qerr.page.too_deep":             {"page %d is too deep: only the first %d results can be paged through; refine the query or add filters", "la page %d est trop loin\u202f: seuls les %d premiers résultats peuvent être parcourus\u202f; précisez la requête ou ajoutez des filtres"},
	"qerr.filter.unknown":            {"unknown filter %q; filters are %s", "filtre inconnu «\u202f%s\u202f»\u202f; les filtres sont\u202f: %s"},
	"qerr.filter.too_many":           {"too many %s values (the limit is %d)", "trop de valeurs pour le filtre %s (la limite est de %d)"},
	"qerr.year.invalid":              {"year %q is not a year", "«\u202f%s\u202f» n'est pas une année"},
	"qerr.params.too_long":           {"the request's parameters are longer than %d bytes", "les paramètres de la requête dépassent %d octets"},
	"qerr.param.page":                {"page must be a whole number, 1 or more", "le numéro de page doit être un nombre entier, 1 ou plus"},
	"qerr.param.size":                {"size must be a whole number between 1 and %d", "le nombre de résultats par page doit être un nombre entier entre 1 et %d"},
	"qerr.param.fuzzy":               {"fuzzy must be 1 or 0", "le paramètre fuzzy vaut 1 ou 0"},
	"qerr.param.doc":                 {"doc is a document id of at most 200 characters", "le paramètre doc est un identifiant de document de 200 caractères au plus"},
	"qerr.param.expand":              {"expand must be 1 or 0", "le paramètre expand vaut 1 ou 0"},
	"qerr.param.correct":             {"correct must be 1 or 0", "le paramètre correct vaut 1 ou 0"},
	"qerr.param.year_from":           {"year_from must be a year", "l'année de début doit être une année"},
	"qerr.param.year_to":             {"year_to must be a year", "l'année de fin doit être une année"},
	"qerr.param.n":                   {"n must be a whole number up to %d", "le paramètre n est un nombre entier de %d au plus"},
	"qerr.suggest.too_long":          {"q is limited to %d characters for suggestions", "les suggestions portent sur %d caractères au plus"},
	"qerr.export.search":             {"format must be csv or json", "le format est csv ou json"},
	"qerr.export.pack":               {"format must be md, html, docx or pdf", "le format est md, html, docx ou pdf"},

	// What the query parser read otherwise than written (search.Result's
	// Notes, English sentences): the English side is the parser's format,
	// which translateNote matches.
	"note.close":       {"a closing parenthesis had no opening one; it was left out", "une parenthèse fermante n'avait pas d'ouvrante\u202f; elle a été ignorée"},
	"note.quote":       {"a quotation mark was not closed; the words after it were searched as words", "un guillemet n'était pas fermé\u202f; les mots qui le suivent ont été cherchés comme des mots"},
	"note.novalue":     {"%s: had no value (for example %s); %s was searched as a word", "le filtre %s n'avait pas de valeur (par exemple %s)\u202f; %s a été cherché comme un mot"},
	"note.nofield":     {"%s is not a field (fields are %s); %s was searched as words", "%s n'est pas un champ (les champs sont %s)\u202f; %s a été cherché comme des mots"},
	"note.or":          {"OR needs a term on each side; it was left out", "OR demande un terme de chaque côté\u202f; il a été ignoré"},
	"note.not":         {"a minus sign or NOT must be followed by what to exclude; it was left out", "un signe moins ou NOT doit être suivi de ce qu'il faut exclure\u202f; il a été ignoré"},
	"note.depth":       {"parentheses nested more than %d deep were read as one group", "les parenthèses imbriquées sur plus de %d niveaux ont été lues comme un seul groupe"},
	"note.open":        {"a parenthesis was not closed; it was closed at the end", "une parenthèse n'était pas fermée\u202f; elle a été fermée à la fin"},
	"note.fuzzy":       {"fuzzy matching allows 1 or 2 typing errors; %s~2 was searched", "la recherche approchée tolère 1 ou 2 fautes de frappe\u202f; %s~2 a été cherché"},
	"note.prefixfuzzy": {"a word cannot be both a prefix (*) and fuzzy (~); it was searched as a prefix", "un mot ne peut pas être à la fois tronqué (*) et approché (~)\u202f; il a été cherché comme préfixe"},
	"note.prefix":      {"a prefix needs at least two letters before the *; %s was searched as a word", "un préfixe demande au moins deux lettres avant le *\u202f; %s a été cherché comme un mot"},
	"note.years":       {"year:%s starts after it ends; year:%d..%d was searched", "year:%s commence après sa fin\u202f; year:%d..%d a été cherché"},
	"note.year":        {"year:%s is not a year or a range such as year:2015..2020; it was searched as words", "year:%s n'est ni une année ni une période telle que year:2015..2020\u202f; il a été cherché comme des mots"},

	// The add-to-pack form of each search hit, and what it confirms.
	"addpack.to":       {"Course pack", "Dossier de formation"},
	"addpack.newpack":  {"New pack", "Nouveau dossier"},
	"addpack.tonew":    {"Add to a new course pack", "Ajouter à un nouveau dossier de formation"},
	"addpack.more":     {"With a note or heading…", "Avec une note ou un intertitre…"},
	"addpack.added":    {"Added to “%s”.", "Ajouté au dossier «\u202f%s\u202f»."},
	"addpack.open":     {"Open the pack", "Ouvrir le dossier"},
	"addpack.failed":   {"The section could not be added (%s).", "La section n'a pas pu être ajoutée (%s)."},
	"addpack.raisedjs": {"This section is above every other section of the pack: the pack's exports are now marked with its level.", "Cette section est d'un niveau de diffusion supérieur à toutes les autres du dossier\u202f: les exports du dossier portent désormais sa mention."},

	// A form sent from a page older than the pack (a 409 conflict).
	"pack.conflict":        {"This pack was changed elsewhere (in another tab or window) after this page was loaded, so your change was not saved. What you typed is kept in the form below; what is saved now is shown here. Merge the two, then save again.", "Ce dossier a été modifié ailleurs (dans un autre onglet ou une autre fenêtre) après le chargement de cette page\u202f: votre modification n'a pas été enregistrée. Votre saisie est conservée dans le formulaire ci-dessous\u202f; ce qui est enregistré maintenant est affiché ici. Fusionnez les deux, puis enregistrez de nouveau."},
	"pack.savednote":       {"Note saved now", "Note enregistrée maintenant"},
	"pack.savedgroup":      {"Heading saved now", "Intertitre enregistré maintenant"},
	"pack.none":            {"(empty)", "(vide)"},
	"pack.objectiveslabel": {"Learning objectives", "Objectifs pédagogiques"},
}

// valueNames are the French names of document types and topics.
var valueNames = map[string]string{
	"convention": "convention", "resolution": "résolution", "recommendation": "recommandation",
	"framework of standards": "cadre de normes", "guidelines": "lignes directrices", "handbook": "manuel",
	"compendium": "recueil", "study": "étude", "case study": "étude de cas", "indicator list": "liste d'indicateurs",
	"operation report": "rapport d'opération", "news item": "actualité", "training module": "module de formation",
	"legal act":              "acte juridique",
	"cooperation mechanisms": "mécanismes de coopération", "information exchange": "échange d'informations",
	"risk management": "gestion des risques", "supply chain security": "sécurité de la chaîne logistique",
	"e-commerce": "commerce électronique", "security and counter-terrorism": "sécurité et lutte antiterroriste",
	"financial crime": "criminalité financière", "drugs and precursors": "drogues et précurseurs",
	"intellectual property": "propriété intellectuelle", "environmental crime": "criminalité environnementale",
	"cultural heritage": "patrimoine culturel", "excise and tobacco": "accises et tabac", "revenue fraud": "fraude fiscale",
	"integrity": "intégrité", "investigations and evidence": "enquêtes et preuves",
	"training and capacity building": "formation et renforcement des capacités",
}
