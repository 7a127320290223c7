//! The six UN languages: their codes, how a statement's language is read or detected.
//!
//! A statement's language comes from its metadata (`language` in the manifest, the front
//! matter or the file name), else from `[analysis] language`: a code, or `"detect"`, which
//! asks whatlang (trigrams and script, restricted to the six languages) and falls back to
//! the default language when it is unsure.

use std::fmt;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

/// A language topictrends has an analysis chain for. The order (by code) is the order of every
/// per-language table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Language {
    Ar,
    #[default]
    En,
    Es,
    Fr,
    Ru,
    Zh,
}

impl Language {
    /// Every language, by code.
    pub const ALL: [Language; 6] = [
        Language::Ar,
        Language::En,
        Language::Es,
        Language::Fr,
        Language::Ru,
        Language::Zh,
    ];

    /// ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Language::Ar => "ar",
            Language::En => "en",
            Language::Es => "es",
            Language::Fr => "fr",
            Language::Ru => "ru",
            Language::Zh => "zh",
        }
    }

    /// English name.
    pub fn name(self) -> &'static str {
        match self {
            Language::Ar => "Arabic",
            Language::En => "English",
            Language::Es => "Spanish",
            Language::Fr => "French",
            Language::Ru => "Russian",
            Language::Zh => "Chinese",
        }
    }

    /// Position in [`Language::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Reads a code as people write it: `fr`, `FR`, `fr-CA`, `zh_Hans`, `ara`, `french`, or
    /// the language's own name (`Français`, `русский`, `中文`, `العربية`).
    pub fn parse(text: &str) -> Option<Language> {
        let t = text.trim().to_lowercase();
        // Marks dropped, so a shadda or an accent typed or left out does not matter.
        let bare: String = t
            .nfd()
            .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
            .collect();
        if let Some(l) = endonym(&bare) {
            return Some(l);
        }
        let base = t.split(['-', '_']).next().unwrap_or("");
        Language::ALL.into_iter().find(|l| {
            base == l.code()
                || base == l.name().to_ascii_lowercase()
                || base == three_letter(*l)
                || (*l == Language::Zh && matches!(base, "zho" | "chi" | "cmn"))
                || (*l == Language::Fr && base == "fre")
        })
    }
}

/// The language a lowercase name in the language itself names (marks removed), as a manifest or front matter
/// typed by its speakers may write it (accents optional where people drop them).
fn endonym(name: &str) -> Option<Language> {
    Some(match name {
        "العربية" | "عربي" | "عربى" | "اللغة العربية" => Language::Ar,
        "espanol" | "castellano" => Language::Es,
        "francais" => Language::Fr,
        // й is и with a breve: without marks, русский is русскии.
        "русскии" | "русскии язык" => Language::Ru,
        "中文" | "汉语" | "漢語" | "简体中文" | "普通话" => Language::Zh,
        _ => return None,
    })
}

fn three_letter(l: Language) -> &'static str {
    match l {
        Language::Ar => "ara",
        Language::En => "eng",
        Language::Es => "spa",
        Language::Fr => "fra",
        Language::Ru => "rus",
        Language::Zh => "zho",
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// How statements without a language in their metadata get one (`[analysis] language`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LanguagePolicy {
    /// The language of the dictionary's `patterns`, and of statements that have no other.
    pub default: Language,
    /// Detect the language of statements whose metadata gives none.
    pub detect: bool,
}

impl Default for LanguagePolicy {
    fn default() -> Self {
        LanguagePolicy {
            default: Language::En,
            detect: false,
        }
    }
}

/// One value per language other than the default, each built once, on first use (or set ahead).
pub struct PerLanguage<T> {
    default: Language,
    build: Option<Box<dyn Fn(Language) -> T + Send + Sync>>,
    values: Box<[OnceLock<T>; 6]>,
}

impl<T> Default for PerLanguage<T> {
    /// No other language: every statement is in the default language's hands.
    fn default() -> Self {
        PerLanguage {
            default: Language::En,
            build: None,
            values: Default::default(),
        }
    }
}

impl<T> fmt::Debug for PerLanguage<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let built: Vec<&str> = Language::ALL
            .into_iter()
            .filter(|l| self.values[l.index()].get().is_some())
            .map(Language::code)
            .collect();
        f.debug_struct("PerLanguage")
            .field("default", &self.default)
            .field("built", &built)
            .finish()
    }
}

impl<T> PerLanguage<T> {
    /// Values for every language but `default`, made by `build` when first asked for.
    pub fn new(default: Language, build: Box<dyn Fn(Language) -> T + Send + Sync>) -> Self {
        PerLanguage {
            default,
            build: Some(build),
            values: Default::default(),
        }
    }

    /// Sets a language's value ahead of use (ignored when it is there already).
    pub fn set(&self, language: Language, value: T) {
        let _ = self.values[language.index()].set(value);
    }

    pub fn default_language(&self) -> Language {
        self.default
    }

    /// The value of `language`, or `None` for the default language (or when nothing builds).
    pub fn get(&self, language: Language) -> Option<&T> {
        let build = self.build.as_ref()?;
        if language == self.default {
            return None;
        }
        Some(self.values[language.index()].get_or_init(|| build(language)))
    }
}

/// Where a statement's language came from (`documents.csv`, `language_source`).
pub mod source {
    /// Detected with confidence.
    pub const DETECTED: &str = "detected";
    /// Detection was unsure (or found no letters): the default language.
    pub const FALLBACK: &str = "fallback";
    /// No metadata and no detection: the configured language.
    pub const DEFAULT: &str = "default";
}

/// Characters of a statement the detector reads: enough for trigram statistics to settle,
/// few enough that a book-length statement costs no more than a page.
const DETECT_CHARS: usize = 4000;

/// whatlang's own bar for a reliable answer: `Info::is_reliable` (confidence above 0.9).
/// A text whatlang reliably places in a language outside the six (German, Japanese, Greek...)
/// is none of them; otherwise the six are asked alone, and only an answer in a script the
/// language is written in counts (so a Hebrew or Korean text is never "English").
pub fn detect(text: &str) -> Option<Language> {
    use whatlang::{Detector, Lang, Script};
    let end = text
        .char_indices()
        .nth(DETECT_CHARS)
        .map_or(text.len(), |(i, _)| i);
    let sample = &text[..end];
    let of = |lang: Lang| match lang {
        Lang::Ara => Some(Language::Ar),
        Lang::Cmn => Some(Language::Zh),
        Lang::Eng => Some(Language::En),
        Lang::Fra => Some(Language::Fr),
        Lang::Rus => Some(Language::Ru),
        Lang::Spa => Some(Language::Es),
        _ => None,
    };
    if let Some(info) = whatlang::detect(sample)
        && info.is_reliable()
    {
        return of(info.lang());
    }
    let detector = Detector::with_allowlist(vec![
        Lang::Ara,
        Lang::Cmn,
        Lang::Eng,
        Lang::Fra,
        Lang::Rus,
        Lang::Spa,
    ]);
    let info = detector.detect(sample)?;
    let written_in = match info.lang() {
        Lang::Ara => info.script() == Script::Arabic,
        Lang::Cmn => info.script() == Script::Mandarin,
        Lang::Rus => info.script() == Script::Cyrillic,
        _ => info.script() == Script::Latin,
    };
    if !info.is_reliable() || !written_in {
        return None;
    }
    of(info.lang())
}

/// A statement's language and where it came from, given its metadata value (if any, with the
/// metadata source's name) and its text. A value that is not one of the six languages is
/// returned as `Err` with the message for a warning; the statement then gets the language
/// the policy would have given it.
pub fn resolve(
    policy: LanguagePolicy,
    metadata: Option<(&str, &'static str)>,
    text: &str,
) -> (Language, &'static str, Option<String>) {
    let mut warning = None;
    // An empty cell of the manifest's `language` column gives no language.
    if let Some((value, from)) = metadata.filter(|(v, _)| !v.trim().is_empty()) {
        match Language::parse(value) {
            Some(l) => return (l, from, None),
            None => {
                warning = Some(format!(
                    "language {value:?} ({from}) is not one of ar, en, es, fr, ru, zh: ignored"
                ))
            }
        }
    }
    let (l, from) = if policy.detect {
        match detect(text) {
            Some(l) => (l, source::DETECTED),
            None => (policy.default, source::FALLBACK),
        }
    } else {
        (policy.default, source::DEFAULT)
    };
    (l, from, warning)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_parse_as_people_write_them() {
        assert_eq!(Language::parse("fr"), Some(Language::Fr));
        assert_eq!(Language::parse(" FR-ca "), Some(Language::Fr));
        assert_eq!(Language::parse("zh_Hans"), Some(Language::Zh));
        assert_eq!(Language::parse("Arabic"), Some(Language::Ar));
        assert_eq!(Language::parse("rus"), Some(Language::Ru));
        assert_eq!(Language::parse("de"), None);
        assert_eq!(Language::parse(""), None);
        // Each language by its own name.
        assert_eq!(Language::parse("Français"), Some(Language::Fr));
        assert_eq!(Language::parse("FRANÇAIS"), Some(Language::Fr));
        assert_eq!(Language::parse("Español"), Some(Language::Es));
        assert_eq!(Language::parse("русский"), Some(Language::Ru));
        assert_eq!(Language::parse("Русский"), Some(Language::Ru));
        assert_eq!(Language::parse("中文"), Some(Language::Zh));
        assert_eq!(Language::parse("العربية"), Some(Language::Ar));
        assert_eq!(Language::parse("العربيّة"), Some(Language::Ar));
        assert_eq!(Language::parse("francais"), Some(Language::Fr));
        assert_eq!(Language::parse("Deutsch"), None);
        for l in Language::ALL {
            assert_eq!(Language::parse(l.code()), Some(l));
            assert_eq!(Language::ALL[l.index()], l);
        }
    }

    #[test]
    fn detection_names_each_language_of_a_sentence() {
        let cases = [
            (
                "The international community must address the threat posed by cyber mercenaries.",
                Language::En,
            ),
            (
                "La communauté internationale doit faire face à la menace des cybermercenaires.",
                Language::Fr,
            ),
            (
                "La comunidad internacional debe hacer frente a la amenaza de los cibermercenarios.",
                Language::Es,
            ),
            (
                "Международное сообщество должно противостоять угрозе кибернаемников.",
                Language::Ru,
            ),
            ("国际社会必须应对网络雇佣军构成的威胁。", Language::Zh),
            (
                "يجب على المجتمع الدولي التصدي للتهديد الذي يشكله المرتزقة السيبرانيون.",
                Language::Ar,
            ),
        ];
        for (text, want) in cases {
            assert_eq!(detect(text), Some(want), "{text}");
        }
    }

    #[test]
    fn a_language_outside_the_six_is_none_of_them() {
        for text in [
            "議長、ありがとうございます。日本は重要インフラの保護を支持します。",
            "의장님, 감사합니다. 대한민국은 핵심 기반시설의 보호를 지지합니다.",
            "Κύριε Πρόεδρε, η Ελλάδα υποστηρίζει την προστασία των κρίσιμων υποδομών.",
            "אדוני היושב ראש, ישראל תומכת בהגנה על תשתיות קריטיות ובבניית יכולות.",
            "Die internationale Gemeinschaft muss der Bedrohung durch Cybersöldner begegnen.",
        ] {
            assert_eq!(detect(text), None, "{text}");
        }
    }

    #[test]
    fn unsure_detection_falls_back_to_the_default() {
        let policy = LanguagePolicy {
            default: Language::Fr,
            detect: true,
        };
        // No letters at all: nothing to detect.
        assert_eq!(
            resolve(policy, None, "2023 — 2024"),
            (Language::Fr, source::FALLBACK, None)
        );
        // Metadata wins over detection; a bad value is reported and detection decides.
        assert_eq!(
            resolve(policy, Some(("es", "manifest")), "The text is English."),
            (Language::Es, "manifest", None)
        );
        let (l, from, warning) = resolve(
            policy,
            Some(("klingon", "front_matter")),
            "The international community must address the threat posed by cyber mercenaries.",
        );
        assert_eq!((l, from), (Language::En, source::DETECTED));
        assert!(warning.unwrap().contains("\"klingon\" (front_matter)"));
        assert_eq!(
            resolve(policy, Some((" ", "manifest")), "2024"),
            (Language::Fr, source::FALLBACK, None)
        );
        let fixed = LanguagePolicy {
            default: Language::En,
            detect: false,
        };
        assert_eq!(
            resolve(fixed, None, "国际社会"),
            (Language::En, source::DEFAULT, None)
        );
    }
}
