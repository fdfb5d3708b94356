//! Text search: the `$text` query over a collection's text index, with MongoDB's tokenizer
//! rules (case folding, English stop words, suffix stemming) and its scoring formula.

use std::collections::{BTreeMap, HashMap};

use bson::{Bson, Document};
use rust_stemmers::{Algorithm, Stemmer};

use crate::error::{MongoError, Result};
use crate::path;

/// The fields and weights of a text index.
#[derive(Debug, Clone, PartialEq)]
pub struct TextIndexSpec {
    pub name: String,
    /// `(path components, weight)`; the wildcard `$**` indexes every string field.
    pub fields: Vec<(Vec<String>, f64)>,
    pub wildcard: Option<f64>,
    pub default_language: String,
    pub language: Language,
}

/// A parsed `$text` query.
#[derive(Debug, Clone)]
pub struct TextQuery {
    pub terms: Vec<String>,
    pub negated: Vec<String>,
    pub phrases: Vec<String>,
    pub negated_phrases: Vec<String>,
    pub case_sensitive: bool,
    pub diacritic_sensitive: bool,
    /// The terms and negated terms under the search's case and diacritic sensitivity, which a
    /// document must match (`terms` are the index's folded forms, for the index lookup).
    pub match_terms: Vec<String>,
    pub match_negated: Vec<String>,
    pub language: Language,
    pub spec: TextIndexSpec,
    pub search: String,
}

const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// Splits text into words: runs of letters and digits.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// How a language turns words into terms: MongoDB's text indexes use the Snowball stemmers
/// (and, for English, its stop words); `none` keeps words as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    None,
    Snowball(Algorithm),
}

/// The language named by `default_language` or `$language` (names and ISO codes).
pub fn language(name: &str) -> Option<Language> {
    let alg = match name {
        "none" => return Some(Language::None),
        "english" | "en" => Algorithm::English,
        "danish" | "da" => Algorithm::Danish,
        "dutch" | "nl" => Algorithm::Dutch,
        "finnish" | "fi" => Algorithm::Finnish,
        "french" | "fr" => Algorithm::French,
        "german" | "de" => Algorithm::German,
        "hungarian" | "hu" => Algorithm::Hungarian,
        "italian" | "it" => Algorithm::Italian,
        "norwegian" | "nb" => Algorithm::Norwegian,
        "portuguese" | "pt" => Algorithm::Portuguese,
        "romanian" | "ro" => Algorithm::Romanian,
        "russian" | "ru" => Algorithm::Russian,
        "spanish" | "es" => Algorithm::Spanish,
        "swedish" | "sv" => Algorithm::Swedish,
        "turkish" | "tr" => Algorithm::Turkish,
        _ => return None,
    };
    Some(Language::Snowball(alg))
}

/// The letter a precomposed Latin letter with a diacritic is built on (`é` → `e`); other
/// characters are returned as they are.
fn base_letter(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ă' | 'Ą' => 'A',
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => 'c',
        'Ç' | 'Ć' | 'Ĉ' | 'Ċ' | 'Č' => 'C',
        'ď' => 'd',
        'Ď' => 'D',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => 'e',
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ĕ' | 'Ė' | 'Ę' | 'Ě' => 'E',
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => 'g',
        'Ĝ' | 'Ğ' | 'Ġ' | 'Ģ' => 'G',
        'ĥ' => 'h',
        'Ĥ' => 'H',
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' => 'i',
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ĩ' | 'Ī' | 'Ĭ' | 'Į' | 'İ' => 'I',
        'ĵ' => 'j',
        'Ĵ' => 'J',
        'ķ' => 'k',
        'Ķ' => 'K',
        'ĺ' | 'ļ' | 'ľ' => 'l',
        'Ĺ' | 'Ļ' | 'Ľ' => 'L',
        'ñ' | 'ń' | 'ņ' | 'ň' => 'n',
        'Ñ' | 'Ń' | 'Ņ' | 'Ň' => 'N',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => 'o',
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ŏ' | 'Ő' => 'O',
        'ŕ' | 'ŗ' | 'ř' => 'r',
        'Ŕ' | 'Ŗ' | 'Ř' => 'R',
        'ś' | 'ŝ' | 'ş' | 'š' => 's',
        'Ś' | 'Ŝ' | 'Ş' | 'Š' => 'S',
        'ţ' | 'ť' => 't',
        'Ţ' | 'Ť' => 'T',
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => 'u',
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ũ' | 'Ū' | 'Ŭ' | 'Ů' | 'Ű' | 'Ų' => 'U',
        'ŵ' => 'w',
        'Ŵ' => 'W',
        'ý' | 'ÿ' | 'ŷ' => 'y',
        'Ý' | 'Ÿ' | 'Ŷ' => 'Y',
        'ź' | 'ż' | 'ž' => 'z',
        'Ź' | 'Ż' | 'Ž' => 'Z',
        'ё' => 'е',
        'Ё' => 'Е',
        'й' => 'и',
        'Й' => 'И',
        other => other,
    }
}

/// Removes diacritics, as version 3 text indexes do: combining marks are dropped and
/// precomposed letters replaced by their base letter.
pub fn strip_diacritics(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(u32::from(*c), 0x300..=0x36F))
        .map(base_letter)
        .collect()
}

/// Which distinctions a text search keeps (the index itself keeps neither).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sensitivity {
    pub case: bool,
    pub diacritics: bool,
}

/// The index terms of a text: folded, without diacritics, stop words dropped, stemmed.
pub fn terms(text: &str, case_sensitive: bool, lang: Language) -> Vec<String> {
    terms_with(
        text,
        Sensitivity {
            case: case_sensitive,
            diacritics: false,
        },
        lang,
    )
}

/// The terms of a text under a search's sensitivity.
pub fn terms_with(text: &str, sensitivity: Sensitivity, lang: Language) -> Vec<String> {
    let stemmer = match lang {
        Language::Snowball(alg) => Some(Stemmer::create(alg)),
        Language::None => None,
    };
    let english = lang == Language::Snowball(Algorithm::English);
    // Combining marks would split words: drop them first unless diacritics count.
    let text = if sensitivity.diacritics {
        text.to_string()
    } else {
        strip_diacritics(text)
    };
    words(&text)
        .filter_map(|w| {
            let lower = w.to_lowercase();
            if english && STOP_WORDS.contains(&lower.as_str()) {
                return None;
            }
            let word = if sensitivity.case {
                w.to_string()
            } else {
                lower
            };
            Some(match &stemmer {
                Some(st) => st.stem(&word).into_owned(),
                None => word,
            })
        })
        .collect()
}

impl TextIndexSpec {
    /// The strings the index reads from a document, with their field weights.
    pub fn strings<'a>(&self, doc: &'a Document) -> Vec<(&'a str, f64)> {
        let mut out = Vec::new();
        for (parts, weight) in &self.fields {
            path::any_leaf(doc, parts, &mut |leaf, _| {
                collect_strings(leaf, *weight, &mut out, false);
                false
            });
        }
        if let Some(weight) = self.wildcard {
            for (_, v) in doc {
                collect_strings(Some(v), weight, &mut out, true);
            }
        }
        out
    }

    /// Every term of a document with its score contribution, for the inverted index.
    pub fn term_scores(&self, doc: &Document) -> HashMap<String, f64> {
        let mut scores: HashMap<String, f64> = HashMap::new();
        for (text, weight) in self.strings(doc) {
            score_string(
                text,
                weight,
                Sensitivity::default(),
                self.language,
                &mut scores,
            );
        }
        scores
    }
}

fn collect_strings<'a>(
    leaf: Option<&'a Bson>,
    weight: f64,
    out: &mut Vec<(&'a str, f64)>,
    deep: bool,
) {
    match leaf {
        Some(Bson::String(s)) => out.push((s.as_str(), weight)),
        Some(Bson::Array(items)) => {
            for item in items {
                if let Bson::String(s) = item {
                    out.push((s.as_str(), weight));
                } else if deep {
                    collect_strings(Some(item), weight, out, deep);
                }
            }
        }
        Some(Bson::Document(d)) if deep => {
            for (_, v) in d {
                collect_strings(Some(v), weight, out, deep);
            }
        }
        _ => {}
    }
}

/// MongoDB's per-field score: each repeat of a term counts half as much as the one before, scaled
/// by how much of the field the term makes up, times the field weight.
fn score_string(
    text: &str,
    weight: f64,
    sensitivity: Sensitivity,
    lang: Language,
    scores: &mut HashMap<String, f64>,
) {
    let tokens = terms_with(text, sensitivity, lang);
    if tokens.is_empty() {
        return;
    }
    let mut stats: BTreeMap<&str, (f64, f64, f64)> = BTreeMap::new(); // (exp, count, freq)
    for t in &tokens {
        let e = stats.entry(t.as_str()).or_insert((0.0, 0.0, 0.0));
        e.0 = if e.0 == 0.0 { 1.0 } else { e.0 * 2.0 };
        e.1 += 1.0;
        e.2 += 1.0 / e.0;
    }
    let n = tokens.len() as f64;
    for (term, (_, count, freq)) in stats {
        let coeff = 0.5 * count / n + 0.5;
        *scores.entry(term.to_string()).or_insert(0.0) += weight * freq * coeff;
    }
}

impl TextQuery {
    pub fn parse(spec: &Document, index: TextIndexSpec) -> Result<Self> {
        let mut search = None;
        let mut case_sensitive = false;
        let mut diacritic_sensitive = false;
        let mut language: Option<Language> = None;
        for (k, v) in spec {
            match (k.as_str(), v) {
                ("$search", Bson::String(s)) => search = Some(s.clone()),
                ("$search", _) => {
                    return Err(MongoError::type_mismatch("$search requires a string value"))
                }
                ("$language", Bson::String(lang)) => {
                    language = Some(self::language(lang).ok_or_else(|| {
                        MongoError::bad_value(format!(
                            "unsupported language: \"{lang}\" for $language"
                        ))
                    })?);
                }
                ("$caseSensitive", Bson::Boolean(b)) => case_sensitive = *b,
                ("$diacriticSensitive", Bson::Boolean(b)) => diacritic_sensitive = *b,
                (other, _) => {
                    return Err(MongoError::bad_value(format!(
                        "extra fields in $text: {other}"
                    )))
                }
            }
        }
        let search = search
            .ok_or_else(|| MongoError::failed_to_parse("Missing expected field \"$search\""))?;
        let mut query = TextQuery {
            terms: Vec::new(),
            negated: Vec::new(),
            phrases: Vec::new(),
            negated_phrases: Vec::new(),
            case_sensitive,
            diacritic_sensitive,
            match_terms: Vec::new(),
            match_negated: Vec::new(),
            language: language.unwrap_or(index.language),
            spec: index,
            search: search.clone(),
        };
        // Quoted phrases first, then words; a leading '-' negates either.
        let sensitivity = Sensitivity {
            case: case_sensitive,
            diacritics: diacritic_sensitive,
        };
        let lang = query.language;
        let mut rest = String::new();
        let mut remaining = search.as_str();
        while let Some(q) = remaining.find('"') {
            let before = remaining.get(..q).unwrap_or("");
            let negated = before.ends_with('-');
            rest.push_str(before.strip_suffix('-').unwrap_or(before));
            rest.push(' ');
            let after = remaining.get(q + 1..).unwrap_or("");
            let (phrase, next) = match after.find('"') {
                Some(e) => (
                    after.get(..e).unwrap_or(""),
                    after.get(e + 1..).unwrap_or(""),
                ),
                None => (after, ""),
            };
            if negated {
                query.negated_phrases.push(phrase.to_string());
            } else {
                query.terms.extend(terms(phrase, false, lang));
                query
                    .match_terms
                    .extend(terms_with(phrase, sensitivity, lang));
                query.phrases.push(phrase.to_string());
            }
            remaining = next;
        }
        rest.push_str(remaining);
        for word in rest.split_whitespace() {
            if let Some(neg) = word.strip_prefix('-') {
                query.negated.extend(terms(neg, false, lang));
                query
                    .match_negated
                    .extend(terms_with(neg, sensitivity, lang));
            } else {
                query.terms.extend(terms(word, false, lang));
                query
                    .match_terms
                    .extend(terms_with(word, sensitivity, lang));
            }
        }
        query.terms.sort();
        query.terms.dedup();
        query.match_terms.sort();
        query.match_terms.dedup();
        Ok(query)
    }

    /// The document's score, or `None` when it does not match.
    pub fn score(&self, doc: &Document) -> Option<f64> {
        let strings = self.spec.strings(doc);
        let sensitivity = Sensitivity {
            case: self.case_sensitive,
            diacritics: self.diacritic_sensitive,
        };
        let mut scores: HashMap<String, f64> = HashMap::new();
        for (text, weight) in &strings {
            score_string(text, *weight, sensitivity, self.spec.language, &mut scores);
        }
        if self.match_negated.iter().any(|t| scores.contains_key(t)) {
            return None;
        }
        let normal = |text: &str| {
            let text = if self.diacritic_sensitive {
                text.to_string()
            } else {
                strip_diacritics(text)
            };
            if self.case_sensitive {
                text
            } else {
                text.to_lowercase()
            }
        };
        let contains = |phrase: &str| {
            let phrase = normal(phrase);
            strings
                .iter()
                .any(|(text, _)| normal(text).contains(&phrase))
        };
        if !self.phrases.iter().all(|p| contains(p)) {
            return None;
        }
        if self.negated_phrases.iter().any(|p| contains(p)) {
            return None;
        }
        let mut total = 0.0;
        let mut any = false;
        for t in &self.match_terms {
            if let Some(s) = scores.get(t) {
                total += s;
                any = true;
            }
        }
        if any {
            Some(total)
        } else {
            None
        }
    }
}
