package ingest

import (
	"fmt"
	"handbook/content"
	"slices"
	"strings"
	"testing"
)

// langSamples holds, per language, a passage of a few sentences and short
// texts (headings, one-line pages) written in it.
var langSamples = map[string]struct {
	long  string
	short []string
}{
	content.LanguageEnglish: {
		long:  "The customs administration shall carry out risk-based controls on goods entering the territory. Officers examine the declarations, inspect the containers selected by the targeting system and record the results of every examination. Where an irregularity is found, the case is referred to the investigation service, which may seize the goods and open proceedings.",
		short: []string{"Controlled delivery of drugs", "Seizure of counterfeit goods at the border", "Risk management"},
	},
	content.LanguageFrench: {
		long:  "L'administration des douanes effectue des contrôles fondés sur l'analyse des risques sur les marchandises qui entrent sur le territoire. Les agents examinent les déclarations, inspectent les conteneurs sélectionnés par le système de ciblage et consignent le résultat de chaque contrôle. Lorsqu'une irrégularité est constatée, le dossier est transmis au service d'enquête.",
		short: []string{"Livraison surveillée de stupéfiants", "Saisie de marchandises contrefaites", "Gestion des risques"},
	},
	content.LanguageSpanish: {
		long:  "La administración de aduanas realiza controles basados en el análisis de riesgos sobre las mercancías que entran en el territorio. Los funcionarios examinan las declaraciones, inspeccionan los contenedores seleccionados por el sistema de selección y registran el resultado de cada control. Cuando se detecta una irregularidad, el expediente se remite al servicio de investigación, que puede incautar las mercancías.",
		short: []string{"Entrega vigilada de estupefacientes", "Incautación de mercancías falsificadas en la frontera", "Gestión de riesgos"},
	},
	content.LanguageGerman: {
		long:  "Die Zollverwaltung führt risikobasierte Kontrollen der Waren durch, die in das Gebiet eingeführt werden. Die Beamten prüfen die Anmeldungen, untersuchen die vom Zielsystem ausgewählten Container und halten das Ergebnis jeder Prüfung fest. Wird eine Unregelmäßigkeit festgestellt, so wird der Fall an den Ermittlungsdienst weitergeleitet, der die Waren beschlagnahmen kann.",
		short: []string{"Kontrollierte Lieferung von Betäubungsmitteln", "Beschlagnahme gefälschter Waren an der Grenze", "Risikomanagement"},
	},
	content.LanguageArabic: {
		long:  "تقوم إدارة الجمارك بإجراء عمليات رقابة قائمة على تحليل المخاطر على البضائع التي تدخل الإقليم. ويفحص الموظفون التصريحات ويفتشون الحاويات التي يختارها نظام الاستهداف ويسجلون نتيجة كل فحص. وعند اكتشاف أي مخالفة تحال القضية إلى دائرة التحقيق التي يجوز لها حجز البضائع.",
		short: []string{"التسليم المراقب للمخدرات", "ضبط السلع المقلدة على الحدود", "إدارة المخاطر"},
	},
	content.LanguagePortuguese: {
		long:  "A administração aduaneira efetua controlos baseados na análise de risco sobre as mercadorias que entram no território. Os funcionários examinam as declarações, inspecionam os contentores selecionados pelo sistema de seleção e registam o resultado de cada controlo. Quando é detetada uma irregularidade, o processo é enviado ao serviço de investigação, que pode apreender as mercadorias.",
		short: []string{"Apreensão de mercadorias contrafeitas na fronteira", "Gestão de riscos aduaneiros", "Entrega controlada de drogas nas fronteiras"},
	},
	content.LanguageItalian: {
		long:  "L'amministrazione doganale effettua controlli basati sull'analisi dei rischi sulle merci che entrano nel territorio. I funzionari esaminano le dichiarazioni, ispezionano i container selezionati dal sistema di selezione e registrano il risultato di ogni controllo. Quando viene rilevata un'irregolarità, il caso è trasmesso al servizio investigativo, che può sequestrare le merci.",
		short: []string{"Consegna controllata di stupefacenti", "Sequestro di merci contraffatte alla frontiera", "Gestione dei rischi"},
	},
	content.LanguageDutch: {
		long:  "De douane voert op risicoanalyse gebaseerde controles uit op goederen die het grondgebied binnenkomen. De ambtenaren onderzoeken de aangiften, inspecteren de containers die door het selectiesysteem zijn gekozen en leggen het resultaat van elke controle vast. Wanneer een onregelmatigheid wordt vastgesteld, wordt de zaak doorgestuurd naar de opsporingsdienst, die de goederen in beslag kan nemen.",
		short: []string{"Gecontroleerde aflevering van verdovende middelen", "Inbeslagname van nagemaakte goederen aan de grens", "Risicobeheer"},
	},
	content.LanguageRussian: {
		long:  "Таможенная служба проводит контроль товаров, ввозимых на территорию, на основе анализа рисков. Сотрудники проверяют декларации, досматривают контейнеры, отобранные системой выбора объектов контроля, и фиксируют результат каждой проверки. При выявлении нарушения дело передаётся в следственную службу, которая может изъять товары.",
		short: []string{"Контролируемая поставка наркотиков", "Изъятие контрафактных товаров на границе", "Управление рисками"},
	},
}

func TestDetectLanguageEveryLanguage(t *testing.T) {
	for _, lang := range content.Languages {
		s, ok := langSamples[lang]
		if !ok {
			t.Errorf("no sample of %s", lang)
			continue
		}
		t.Run(lang, func(t *testing.T) {
			texts := append([]string{s.long, strings.Repeat(s.long+"\n\n", 60)}, s.short...)
			for _, text := range texts {
				if got := DetectLanguage(text); got != lang {
					t.Errorf("DetectLanguage(%.60q) = %s, want %s", text, got, lang)
				}
			}
		})
	}
}

func TestDetectLanguageNoEvidence(t *testing.T) {
	for _, text := range []string{"", "   ", "1234 5678", "3.2.1 — 42", "日本語のテキスト"} {
		if got := DetectLanguage(text); !slices.Contains(content.Languages, got) {
			t.Errorf("DetectLanguage(%q) = %q, not a supported language", text, got)
		}
	}
	for _, text := range []string{"", "1234 5678"} {
		if got := DetectLanguage(text); got != content.LanguageEnglish {
			t.Errorf("DetectLanguage(%q) = %q, want en", text, got)
		}
	}
	// A long text cut in the middle of a rune.
	text := strings.Repeat("é", detectBytes)
	if got := DetectLanguage(text); !slices.Contains(content.Languages, got) {
		t.Errorf("DetectLanguage(é…) = %q", got)
	}
}

func TestStopWordsTellLanguagesApart(t *testing.T) {
	seen := map[string]string{}
	for _, lang := range content.Languages {
		if len(stopWords[lang]) < 15 {
			t.Errorf("%s has %d stop words", lang, len(stopWords[lang]))
		}
		for _, w := range stopWords[lang] {
			if other, dup := seen[w]; dup {
				t.Errorf("%q is a stop word of %s and %s", w, other, lang)
			}
			seen[w] = lang
		}
	}
}

func TestLanguageNames(t *testing.T) {
	for _, lang := range content.Languages {
		name := content.LanguageNames[lang]
		if name == "" || content.LanguageCode(name) != lang {
			t.Errorf("language %s is named %q", lang, name)
		}
	}
}

func TestDeclaredLanguage(t *testing.T) {
	tests := map[string]string{
		"en": "en", "EN": "en", "en-GB": "en", "en_US": "en", "English": "en", "eng": "en",
		"fr": "fr", "fr-FR": "fr", "fr_CA": "fr", "French": "fr", "français": "fr", "Francais": "fr", "fre": "fr", "fra": "fr",
		"es": "es", "es-ES": "es", "es_ES": "es", "es-419": "es", "Spanish": "es", "español": "es", "Español": "es", "castellano": "es", "spa": "es",
		"de": "de", "de-DE": "de", "de_AT": "de", "German": "de", "Deutsch": "de", "deu": "de", "ger": "de",
		"ar": "ar", "ar-SA": "ar", "Arabic": "ar", "العربية": "ar", "ara": "ar",
		"pt": "pt", "pt-BR": "pt", "pt_PT": "pt", "Portuguese": "pt", "português": "pt", "por": "pt",
		"it": "it", "it-IT": "it", "Italian": "it", "italiano": "it", "ita": "it",
		"nl": "nl", "nl-BE": "nl", "Dutch": "nl", "Nederlands": "nl", "nld": "nl", "dut": "nl",
		"ru": "ru", "ru-RU": "ru", "Russian": "ru", "русский": "ru", "rus": "ru",
		" de-DE ": "de", "en, fr": "en", "fr;en": "fr",
		"": "", "x-default": "", "zh-Hans": "", "et": "", "Estonian": "", "enm": "", "e": "", "-": "", "ja": "",
	}
	for tag, want := range tests {
		if got := content.LanguageCode(tag); got != want {
			t.Errorf("content.LanguageCode(%q) = %q, want %q", tag, got, want)
		}
	}
}

func TestValidateLanguage(t *testing.T) {
	for lang, want := range map[string]string{"es": "es", "DE": "de", "pt-BR": "pt", "Deutsch": "de", "ru": "ru"} {
		d := content.Document{Title: "T", Language: lang}
		if err := d.Validate("x.md"); err != nil || d.Language != want {
			t.Errorf("Validate(lang %q) = %v, lang %q; want %q", lang, err, d.Language, want)
		}
	}
	d := content.Document{Title: "T", Language: "klingon"}
	if err := d.Validate("x.md"); err == nil || !strings.Contains(err.Error(), "de, ar") {
		t.Errorf("Validate(klingon) = %v", err)
	}
}

func BenchmarkDetectLanguage(b *testing.B) {
	for _, n := range []int{1, 20, 200} {
		text := strings.Repeat(langSamples[content.LanguageGerman].long+"\n", n)
		b.Run(fmt.Sprintf("paragraphs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			DetectLanguage("warm")
			for b.Loop() {
				if DetectLanguage(text) != content.LanguageGerman {
					b.Fatal("not German")
				}
			}
		})
	}
}

// FuzzLanguage checks that any declared language maps to a supported one or
// to nothing, and that any text is detected as a supported language.
func FuzzLanguage(f *testing.F) {
	for _, s := range []string{"de-DE", "es_ES", "pt-BR", "Deutsch", "español", "français", "", "\xff", "العربية"} {
		f.Add(s)
	}
	for _, s := range langSamples {
		f.Add(s.long)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if l := content.LanguageCode(s); l != "" && !slices.Contains(content.Languages, l) {
			t.Errorf("content.LanguageCode(%q) = %q", s, l)
		}
		if l := DetectLanguage(s); !slices.Contains(content.Languages, l) {
			t.Errorf("DetectLanguage(%q) = %q", s, l)
		}
	})
}
