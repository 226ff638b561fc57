package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
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
func (p page) T(key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	text := m[0]
	if p.Lang == "fr" && m[1] != "" {
		text = m[1]
	}
	if len(args) > 0 {
		return fmt.Sprintf(text, args...)
	}
	return text
}

// V translates a facet value (a document type, a topic, a language code) for
// display; unknown values are shown as they are.
func (p page) V(facet, value string) string {
	if facet == "lang" {
		return p.T("lang." + value)
	}
	if m, ok := valueNames[value]; ok && p.Lang == "fr" {
		return m
	}
	return value
}

// messages holds every label: key → {English, French}.
var messages = map[string][2]string{
	"site.tagline":        {"Handbook — guidance search for customs and police officers. Sample documents are illustrative, not official texts.", "Handbook — recherche dans les guides des douaniers et policiers. Les documents d'exemple sont fictifs, non officiels."},
	"skip":                {"Skip to content", "Aller au contenu"},
	"search.label":        {"Search the guidance", "Rechercher dans les guides"},
	"search.placeholder":  {"Search handbooks, standards, conventions…", "Rechercher guides, normes, conventions…"},
	"search.button":       {"Search", "Rechercher"},
	"nav.site":            {"Site", "Site"},
	"nav.packs":           {"Course packs", "Dossiers de formation"},
	"nav.audit":           {"Audit log", "Journal d'audit"},
	"nav.signin":          {"Sign in", "Se connecter"},
	"nav.signout":         {"Sign out", "Se déconnecter"},
	"nav.signedin":        {"Signed in as %s", "Connecté : %s"},
	"nav.language":        {"Language", "Langue"},
	"syntax.link":         {"Query syntax", "Syntaxe des requêtes"},
	"home.title":          {"Find the guidance, cite the section", "Trouver le guide, citer la section"},
	"home.intro":          {"%d documents: handbooks, frameworks of standards, conventions, legal acts and training material, in English and French. Every hit is a section, with its number and page.", "%d documents : guides, cadres de normes, conventions, actes juridiques et supports de formation, en anglais et en français. Chaque résultat est une section, avec son numéro et sa page."},
	"home.topics":         {"Topics", "Thèmes"},
	"home.documents":      {"Documents", "Documents"},
	"home.other":          {"other", "autre"},
	"syntax.words":        {"sections with all the words (stemmed: \"operations\" finds \"operation\")", "sections contenant tous les mots (avec racinisation : « contrôles » trouve « contrôle »)"},
	"syntax.phrase":       {"the exact phrase", "l'expression exacte"},
	"syntax.not":          {"exclude a word, phrase or group", "exclure un mot, une expression ou un groupe"},
	"syntax.or":           {"either word (OR binds before the other words); ( … ) groups", "l'un ou l'autre (OR / OU s'applique avant les autres mots) ; ( … ) regroupe"},
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
	"results.none":        {"No sections found", "Aucune section trouvée"},
	"results.for":         {"for", "pour"},
	"results.ms":          {"%.1f ms", "%.1f ms"},
	"results.relaxed":     {"No section has all the words; showing sections with any of them.", "Aucune section ne contient tous les mots ; voici celles qui en contiennent au moins un."},
	"results.tryfuzzy":    {"Nothing matched exactly.", "Aucun résultat exact."},
	"results.fuzzy":       {"Allow typing errors", "Tolérer les fautes de frappe"},
	"results.corrected":   {"Nothing matched as typed; showing results for", "Aucun résultat tel quel ; résultats pour"},
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
	"results.badquery":    {"The query could not be read:", "La requête n'a pas pu être lue :"},
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
	"doc.editions":        {"Other editions:", "Autres éditions :"},
	"doc.cite":            {"Cite as:", "Citer :"},
	"doc.copy":            {"Copy citation", "Copier la citation"},
	"doc.copied":          {"Citation copied", "Citation copiée"},
	"doc.prev":            {"← Previous section", "← Section précédente"},
	"doc.next":            {"Next section →", "Section suivante →"},
	"doc.original":        {"Original file", "Fichier original"},
	"doc.top":             {"Contents ↑", "Sommaire ↑"},
	"error.home":          {"Back to the start page", "Retour à l'accueil"},
	"error.request":       {"Request id:", "Identifiant de la requête :"},
	"packs.title":         {"Course packs", "Dossiers de formation"},
	"packs.none":          {"No course packs yet. Create one below, or use “Add to course pack” on any search hit or document section.", "Aucun dossier pour l'instant. Créez-en un ci-dessous, ou utilisez « Ajouter au dossier de formation » sur un résultat ou une section."},
	"packs.sections":      {"%d sections", "%d sections"},
	"packs.changed":       {"changed %s", "modifié le %s"},
	"packs.new":           {"New course pack", "Nouveau dossier de formation"},
	"packs.create":        {"Create", "Créer"},
	"pack.titlefield":     {"Title", "Titre"},
	"pack.description":    {"Description", "Description"},
	"pack.audience":       {"Audience", "Public"},
	"pack.audience.hint":  {"frontline officers, investigators…", "agents de terrain, enquêteurs…"},
	"pack.objectives":     {"Learning objectives (one per line)", "Objectifs pédagogiques (un par ligne)"},
	"pack.objectiveshead": {"Learning objectives:", "Objectifs pédagogiques :"},
	"pack.audiencehead":   {"Audience:", "Public :"},
	"pack.export":         {"Export:", "Exporter :"},
	"pack.duplicate":      {"Duplicate", "Dupliquer"},
	"pack.delete":         {"Delete…", "Supprimer…"},
	"pack.nchanged":       {"%d changed since cited", "%d modifiées depuis la citation"},
	"pack.nremoved":       {"%d removed", "%d supprimées"},
	"pack.nunavailable":   {"%d unavailable", "%d indisponibles"},
	"pack.unavailable":    {"Unavailable section", "Section indisponible"},
	"pack.unavailabletxt": {"This section is no longer available to you.", "Cette section ne vous est plus accessible."},
	"pack.changedtxt":     {"The current edition of this section differs from the text cited here (kept below).", "L'édition en vigueur de cette section diffère du texte cité ici (conservé ci-dessous)."},
	"pack.removedtxt":     {"This section is no longer in the current edition; the text cited here is kept.", "Cette section ne figure plus dans l'édition en vigueur ; le texte cité est conservé."},
	"pack.note":           {"Trainer's note", "Note du formateur"},
	"pack.group":          {"Heading in the pack", "Intertitre dans le dossier"},
	"pack.groupopt":       {"Heading in the pack (optional)", "Intertitre dans le dossier (facultatif)"},
	"pack.noteopt":        {"Trainer's note (optional)", "Note du formateur (facultative)"},
	"pack.save":           {"Save note", "Enregistrer la note"},
	"pack.up":             {"↑ Up", "↑ Monter"},
	"pack.down":           {"↓ Down", "↓ Descendre"},
	"pack.moveup":         {"Move up", "Monter"},
	"pack.movedown":       {"Move down", "Descendre"},
	"pack.accept":         {"Use the current text", "Utiliser le texte en vigueur"},
	"pack.remove":         {"Remove", "Retirer"},
	"pack.empty":          {"This pack is empty. Use “Add to course pack” on a search hit or a document section.", "Ce dossier est vide. Utilisez « Ajouter au dossier de formation » sur un résultat ou une section."},
	"pack.edit":           {"Edit the pack", "Modifier le dossier"},
	"pack.marking":        {"Exports of this pack are marked “%s”: the highest handling level of its sections.", "Les exports de ce dossier portent la mention « %s » : le niveau de diffusion le plus élevé de ses sections."},
	"pack.raised":         {"The section you added is marked “%s”, above every other section of this pack: the pack's exports are now marked so.", "La section ajoutée porte la mention « %s », au-dessus de toutes les autres sections du dossier : les exports du dossier portent désormais cette mention."},
	"pack.savepack":       {"Save", "Enregistrer"},
	"add.title":           {"Add to a course pack", "Ajouter à un dossier de formation"},
	"add.pack":            {"Pack", "Dossier"},
	"add.newpack":         {"New pack:", "Nouveau dossier :"},
	"add.newtitle":        {"Title of the new pack", "Titre du nouveau dossier"},
	"add.button":          {"Add", "Ajouter"},
	"del.title":           {"Delete “%s”?", "Supprimer « %s » ?"},
	"del.text":            {"The pack and its %d sections with their notes will be deleted. This cannot be undone.", "Le dossier et ses %d sections avec leurs notes seront supprimés. C'est définitif."},
	"del.button":          {"Delete the pack", "Supprimer le dossier"},
	"del.keep":            {"Keep it", "Le garder"},
	"signin.title":        {"Sign in", "Se connecter"},
	"signin.token":        {"Access token", "Jeton d'accès"},
	"signin.button":       {"Sign in", "Se connecter"},
	"signin.help":         {"Your administrator gives you an access token. Public documents can be searched without signing in.", "Votre administrateur vous remet un jeton d'accès. Les documents publics sont consultables sans connexion."},
	"signin.bad":          {"That token is not valid.", "Ce jeton n'est pas valide."},
	"audit.title":         {"Audit log", "Journal d'audit"},
	"audit.intro":         {"Reads and exports of documents above public, newest first.", "Lectures et exports de documents non publics, les plus récents d'abord."},
	"audit.csv":           {"Download as CSV", "Télécharger en CSV"},
	"audit.time":          {"Time (UTC)", "Heure (UTC)"},
	"audit.user":          {"User", "Utilisateur"},
	"audit.action":        {"Action", "Action"},
	"audit.document":      {"Document", "Document"},
	"audit.section":       {"Section", "Section"},
	"audit.level":         {"Level", "Niveau"},
	"audit.request":       {"Request", "Requête"},
	"audit.none":          {"Nothing recorded yet.", "Rien d'enregistré pour l'instant."},
	"audit.older":         {"Older entries", "Entrées plus anciennes"},
	"status.superseded":   {"superseded", "remplacé"},
	"status.draft":        {"draft", "projet"},
	"status.current":      {"current", "en vigueur"},
}

// valueNames are the French names of document types and topics.
var valueNames = map[string]string{
	"convention": "convention", "resolution": "résolution", "recommendation": "recommandation",
	"framework of standards": "cadre de normes", "guidelines": "lignes directrices", "handbook": "guide",
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
