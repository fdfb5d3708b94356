//! Collation: comparing strings by language rules rather than by bytes (manual: "Collation",
//! <https://www.mongodb.com/docs/manual/reference/collation/>).
//!
//! A [`Collation`] turns a string into a *sort key*, a string whose byte order is the collation
//! order and which is equal for strings the collation calls equal, as ICU's `getSortKey` does
//! for the server. Everything that compares under a collation (query equality and ranges,
//! `$in`, sort, `$group` keys, `distinct`, and collated index keys with their unique check)
//! compares sort keys with the ordinary BSON order, so one mapping serves them all.
//!
//! # What is simulated, and how closely
//!
//! MongoDB uses ICU's collation; for `en` (and the other locales accepted here) the rules are
//! CLDR's root collation. Its tables are large, so the simulator implements a documented
//! approximation of them:
//!
//! - A string is decomposed with Unicode compatibility decomposition (NFKD): a letter and its
//!   accents come apart (`é` = `e` + U+0301), as do ligatures and width variants (`ﬁ` = `fi`,
//!   `Ａ` = `A`). `ß` counts as `ss`, `æ`/`œ` as `ae`/`oe`, and the stroked letters `ø đ ł ħ ŧ`
//!   as their base letter with a stroke mark, as the root collation does.
//! - Level 1 (primary): the base letters, case folded. ASCII sorts in ICU's root order:
//!   whitespace, then punctuation and symbols in the order
//!   `_ - , ; : ! ? . ' " ( ) [ ] { } @ * / \ & # % ` ^ + < = > | ~ $`, then digits, then letters;
//!   every other character sorts after the ASCII letters, by code point (ICU orders symbols
//!   before digits and interleaves scripts by its own table: the approximation differs there).
//!   Control characters are ignored, as ICU ignores them.
//! - Level 2 (secondary): the accents (combining marks), compared from the start of the string
//!   (from the end with `backwards: true`); an unaccented letter sorts before an accented one.
//! - Case level (`caseLevel: true`) and level 3 (tertiary): lower case before upper case
//!   (`caseFirst: "upper"` reverses that); at level 3 a compatibility variant (`ﬁ`, `²`)
//!   sorts after its plain form.
//! - `numericOrdering: true` compares runs of ASCII digits by value (leading zeros ignored).
//!
//! So strength 1 ignores case and accents (`"Résumé" == "resume"`), strength 2 ignores case
//! only (`"A@x.com" == "a@x.com"`, `"é" != "e"`), strength 3 (the default) tells them all
//! apart, as the manual documents for `en`. Quaternary and identical strength (4, 5) and
//! `alternate: "shifted"` are not simulated: asking for them is an error that says so.

use std::borrow::Cow;
use std::cmp::Ordering;

use bson::{Bson, Document};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::error::{MongoError, Result};

/// The ICU version MongoDB reports in a collation spec (the one it bundles).
pub const ICU_VERSION: &str = "57.1";

/// Locales whose standard collation is CLDR's root collation, untailored: what is simulated.
pub const SUPPORTED_LOCALES: &[&str] = &[
    "en", "en_US", "en_GB", "en_AU", "en_CA", "en_IN", "en_IE", "en_NZ", "en_ZA", "de", "de_AT",
    "fr", "it", "nl", "pt", "id", "ms",
];

/// Which case sorts first at the case and tertiary levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseFirst {
    Off,
    Upper,
    Lower,
}

impl CaseFirst {
    fn name(self) -> &'static str {
        match self {
            CaseFirst::Off => "off",
            CaseFirst::Upper => "upper",
            CaseFirst::Lower => "lower",
        }
    }
}

/// A collation other than `simple` (binary comparison is the absence of one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collation {
    pub locale: String,
    /// 1 (base letters), 2 (and accents) or 3 (and case).
    pub strength: u8,
    pub case_level: bool,
    pub case_first: CaseFirst,
    pub numeric_ordering: bool,
    /// `maxVariable`: `punct` or `space`; it only matters with `alternate: "shifted"`.
    pub max_variable_space: bool,
    /// `normalization`: accepted either way; keys are always built from the decomposed form.
    pub normalization: bool,
    /// `backwards`: secondary differences compared from the end of the string.
    pub backwards: bool,
}

/// The characters at the start of the primary order, in ICU's root order: whitespace,
/// punctuation and symbols, digits, letters.
const ASCII_ORDER: &str =
    "\t\n\u{b}\u{c}\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz";

/// Separates the levels of a key; every weight is above it.
const LEVEL_SEPARATOR: char = '\u{1}';
/// The primary weight of ASCII character number `i` of [`ASCII_ORDER`].
const ASCII_BASE: u32 = 0x10;
/// The secondary weight of a character without an accent.
const COMMON: char = '\u{5}';
/// A digit run under numeric ordering is a marker in the digits' place (the weight of `0`),
/// then the run's length above this base, then its digits.
const LENGTH_BASE: u32 = 0x100;

/// One collation element: a base character with its accents, case and variant flag.
struct Element {
    primary: Vec<u32>,
    marks: Vec<char>,
    upper: bool,
    variant: bool,
}

fn wrong_type(field: &str, expected: &str, found: &Bson) -> MongoError {
    MongoError::type_mismatch(format!(
        "\"{field}\" had the wrong type. Expected {expected}, found {}",
        crate::value::type_name(found)
    ))
}

impl Collation {
    /// Reads a collation document; `Ok(None)` is the simple (binary) collation.
    pub fn parse(spec: &Document) -> Result<Option<Collation>> {
        let shown = crate::value::shell_doc(spec);
        let locale = match spec.get("locale") {
            None => {
                return Err(MongoError::new(
                    4,
                    "NoSuchKey",
                    "Missing expected field \"locale\"",
                ))
            }
            Some(Bson::String(s)) => s.clone(),
            Some(other) => return Err(wrong_type("locale", "string", other)),
        };
        if locale == "simple" {
            if spec.len() > 1 {
                return Err(MongoError::failed_to_parse(format!(
                    "If locale=simple, no other fields should be present in: {shown}"
                )));
            }
            return Ok(None);
        }
        if locale.is_empty() {
            return Err(MongoError::bad_value(format!(
                "Field 'locale' cannot be the empty string in: {shown}"
            )));
        }
        if !SUPPORTED_LOCALES.contains(&locale.as_str()) {
            return Err(MongoError::bad_value(format!(
                "Field 'locale' is invalid in: {shown}. The simulator implements the root \
                 collation rules, which these locales use: {}",
                SUPPORTED_LOCALES.join(", ")
            )));
        }
        let boolean = |field: &str| -> Result<Option<bool>> {
            match spec.get(field) {
                None => Ok(None),
                Some(Bson::Boolean(b)) => Ok(Some(*b)),
                Some(other) => Err(wrong_type(field, "bool", other)),
            }
        };
        let string = |field: &str| -> Result<Option<&str>> {
            match spec.get(field) {
                None => Ok(None),
                Some(Bson::String(s)) => Ok(Some(s.as_str())),
                Some(other) => Err(wrong_type(field, "string", other)),
            }
        };
        let mut c = Collation {
            locale,
            strength: 3,
            case_level: false,
            case_first: CaseFirst::Off,
            numeric_ordering: false,
            max_variable_space: false,
            normalization: false,
            backwards: false,
        };
        let mut known = 1;
        if let Some(b) = boolean("caseLevel")? {
            c.case_level = b;
            known += 1;
        }
        if let Some(s) = string("caseFirst")? {
            c.case_first = match s {
                "upper" => CaseFirst::Upper,
                "lower" => CaseFirst::Lower,
                "off" => CaseFirst::Off,
                other => {
                    return Err(MongoError::failed_to_parse(format!(
                        "Field 'caseFirst' must be 'upper', 'lower', or 'off'. Got: {other}"
                    )))
                }
            };
            known += 1;
        }
        if let Some(v) = spec.get("strength") {
            let n = match crate::value::as_num(v) {
                Some(crate::value::Num::Int(i)) => i,
                Some(crate::value::Num::Float(f)) if f.fract() == 0.0 && f.abs() < 9e15 => {
                    f as i64
                }
                Some(_) => {
                    return Err(MongoError::bad_value(format!(
                        "Expected field \"strength\" to have a value exactly representable as a 64-bit integer, but found strength: {}",
                        crate::value::shell(v)
                    )))
                }
                None => {
                    return Err(MongoError::type_mismatch(format!(
                        "Expected field \"strength\" to have numeric type, but found {}",
                        crate::value::type_name(v)
                    )))
                }
            };
            c.strength = match n {
                1..=3 => n as u8,
                4 | 5 => {
                    return Err(MongoError::bad_value(format!(
                        "collation strength {n} ({}) is not simulated: the playground compares \
                         strings at strength 1, 2 or 3",
                        if n == 4 { "quaternary" } else { "identical" }
                    )))
                }
                other => {
                    return Err(MongoError::failed_to_parse(format!(
                        "Field 'strength' must be an integer 1 through 5. Got: {other}"
                    )))
                }
            };
            known += 1;
        }
        if let Some(b) = boolean("numericOrdering")? {
            c.numeric_ordering = b;
            known += 1;
        }
        if let Some(s) = string("alternate")? {
            match s {
                "non-ignorable" => {}
                "shifted" => {
                    return Err(MongoError::bad_value(
                        "collation alternate 'shifted' is not simulated: the playground \
                         compares spaces and punctuation as base characters ('non-ignorable')",
                    ))
                }
                other => {
                    return Err(MongoError::failed_to_parse(format!(
                        "Field 'alternate' must be 'non-ignorable' or 'shifted'. Got: {other}"
                    )))
                }
            }
            known += 1;
        }
        if let Some(s) = string("maxVariable")? {
            c.max_variable_space = match s {
                "punct" => false,
                "space" => true,
                other => {
                    return Err(MongoError::failed_to_parse(format!(
                        "Field 'maxVariable' must be 'punct' or 'space'. Got: {other}"
                    )))
                }
            };
            known += 1;
        }
        if let Some(b) = boolean("normalization")? {
            c.normalization = b;
            known += 1;
        }
        if let Some(b) = boolean("backwards")? {
            c.backwards = b;
            known += 1;
        }
        if let Some(v) = string("version")? {
            if v != ICU_VERSION {
                return Err(MongoError::new(
                    161,
                    "IncompatibleCollationVersion",
                    format!(
                        "Requested collation version {v} but the only available collator version was {ICU_VERSION}. Requested collation spec: {shown}"
                    ),
                ));
            }
            known += 1;
        }
        if known < spec.len() {
            return Err(MongoError::failed_to_parse(format!(
                "Collation spec contains unknown field. Collation spec: {shown}"
            )));
        }
        if c.backwards && c.strength == 1 {
            return Err(MongoError::bad_value(format!(
                "'backwards' is invalid with 'strength' of 1 in: {}",
                crate::value::shell_doc(&c.spec())
            )));
        }
        if c.case_first != CaseFirst::Off && !c.case_level && c.strength < 3 {
            return Err(MongoError::bad_value(format!(
                "'caseFirst' is invalid unless 'caseLevel' is on or 'strength' is greater than 2 in: {}",
                crate::value::shell_doc(&c.spec())
            )));
        }
        Ok(Some(c))
    }

    /// Reads an optional `collation` option: absent, the simple collation, or another.
    pub fn parse_option(value: Option<&Bson>) -> Result<Option<Option<Collation>>> {
        match value {
            None | Some(Bson::Null) => Ok(None),
            Some(Bson::Document(d)) => Ok(Some(Collation::parse(d)?)),
            Some(other) => Err(MongoError::type_mismatch(format!(
                "collation must be an object, not {}",
                crate::value::type_name(other)
            ))),
        }
    }

    /// The full spec, with every default filled in, as `listIndexes`, explain and errors show it.
    pub fn spec(&self) -> Document {
        bson::doc! {
            "locale": self.locale.clone(),
            "caseLevel": self.case_level,
            "caseFirst": self.case_first.name(),
            "strength": i32::from(self.strength),
            "numericOrdering": self.numeric_ordering,
            "alternate": "non-ignorable",
            "maxVariable": if self.max_variable_space { "space" } else { "punct" },
            "normalization": self.normalization,
            "backwards": self.backwards,
            "version": ICU_VERSION,
        }
    }

    /// The sort key of a string: byte order is collation order, and equal keys are strings the
    /// collation calls equal.
    pub fn key(&self, s: &str) -> String {
        let elements = self.elements(s);
        let mut key = String::with_capacity(s.len() * 2 + 4);
        for e in &elements {
            key.extend(e.primary.iter().filter_map(|w| char::from_u32(*w)));
        }
        if self.strength >= 2 {
            key.push(LEVEL_SEPARATOR);
            let mut secondary: Vec<char> = Vec::with_capacity(elements.len());
            for e in &elements {
                secondary.push(COMMON);
                secondary.extend(e.marks.iter().copied());
            }
            if self.backwards {
                secondary.reverse();
            }
            key.extend(secondary);
        }
        let case = |e: &Element| -> char {
            let upper_first = self.case_first == CaseFirst::Upper;
            if e.upper != upper_first {
                '\u{6}'
            } else {
                '\u{5}'
            }
        };
        if self.case_level {
            key.push(LEVEL_SEPARATOR);
            key.extend(elements.iter().map(case));
        }
        if self.strength >= 3 {
            key.push(LEVEL_SEPARATOR);
            for e in &elements {
                let c = case(e);
                key.push(if e.variant {
                    char::from_u32(c as u32 + 2).unwrap_or(c)
                } else {
                    c
                });
            }
        }
        key
    }

    /// The collation elements of a string.
    fn elements(&self, s: &str) -> Vec<Element> {
        let mut out: Vec<Element> = Vec::with_capacity(s.len());
        for original in s.chars() {
            // Compatibility decomposition of one character: whether it changed tells a variant.
            let canonical: Vec<char> = std::iter::once(original).nfd().collect();
            let decomposed: Vec<char> = std::iter::once(original).nfkd().collect();
            let variant = canonical != decomposed;
            for c in decomposed {
                if is_combining_mark(c) {
                    match out.last_mut() {
                        Some(e) => e.marks.push(c),
                        // A leading mark stands alone, sorting by itself after the letters.
                        None => out.push(Element {
                            primary: vec![c as u32],
                            marks: Vec::new(),
                            upper: false,
                            variant,
                        }),
                    }
                    continue;
                }
                if c.is_control() && !c.is_whitespace() {
                    continue;
                }
                let upper = c.is_uppercase();
                // `ß` is `ss` but for a tertiary difference, as a compatibility variant is.
                let variant = variant || matches!(c, 'ß' | 'ẞ' | 'ſ' | 'ς');
                for (base, mark) in fold(c) {
                    let mut e = Element {
                        primary: Vec::with_capacity(1),
                        marks: Vec::new(),
                        upper,
                        variant,
                    };
                    e.primary.push(primary_weight(base));
                    if let Some(m) = mark {
                        e.marks.push(m);
                    }
                    out.push(e);
                }
            }
        }
        if self.numeric_ordering {
            number_runs(&mut out);
        }
        out
    }

    /// A value with every string (inside documents and arrays too) replaced by its sort key;
    /// borrowed when the value holds no string.
    pub fn map<'a>(&self, value: &'a Bson) -> Cow<'a, Bson> {
        if !has_strings(value, 0) {
            return Cow::Borrowed(value);
        }
        Cow::Owned(self.map_owned(value, 0))
    }

    fn map_owned(&self, value: &Bson, depth: usize) -> Bson {
        if depth > crate::value::MAX_DOCUMENT_DEPTH * 2 {
            return value.clone();
        }
        match value {
            Bson::String(s) => Bson::String(self.key(s)),
            Bson::Symbol(s) => Bson::Symbol(self.key(s)),
            Bson::Document(d) => Bson::Document(
                d.iter()
                    .map(|(k, v)| (k.clone(), self.map_owned(v, depth + 1)))
                    .collect(),
            ),
            Bson::Array(items) => {
                Bson::Array(items.iter().map(|v| self.map_owned(v, depth + 1)).collect())
            }
            other => other.clone(),
        }
    }
}

/// Whether a value holds a string anywhere (where a collation would change how it compares).
pub fn has_strings(value: &Bson, depth: usize) -> bool {
    if depth > crate::value::MAX_DOCUMENT_DEPTH * 2 {
        return false;
    }
    match value {
        Bson::String(_) | Bson::Symbol(_) => true,
        Bson::Document(d) => d.values().any(|v| has_strings(v, depth + 1)),
        Bson::Array(items) => items.iter().any(|v| has_strings(v, depth + 1)),
        _ => false,
    }
}

/// A value as a collation compares it (unchanged without one).
pub fn collated<'a>(collation: Option<&Collation>, value: &'a Bson) -> Cow<'a, Bson> {
    match collation {
        Some(c) => c.map(value),
        None => Cow::Borrowed(value),
    }
}

/// BSON order under a collation.
pub fn compare(collation: Option<&Collation>, a: &Bson, b: &Bson) -> Ordering {
    crate::value::compare(&collated(collation, a), &collated(collation, b))
}

/// The base letters one (non-mark) character stands for at the primary level, each with the
/// mark the root collation gives it at the secondary level: lower case, `ß` as `ss`, `æ` as
/// `ae`, stroked letters as their base letter with a stroke.
fn fold(c: char) -> Vec<(char, Option<char>)> {
    // The stroke marks the root collation gives these letters (long, short, solidus overlay).
    let stroked = |base: char, mark: char| vec![(base, Some(mark))];
    match c {
        'ß' | 'ẞ' => vec![('s', None), ('s', None)],
        'æ' | 'Æ' => vec![('a', Some('\u{0363}')), ('e', None)],
        'œ' | 'Œ' => vec![('o', Some('\u{0366}')), ('e', None)],
        'ø' | 'Ø' => stroked('o', '\u{0338}'),
        'đ' | 'Đ' => stroked('d', '\u{0335}'),
        'ł' | 'Ł' => stroked('l', '\u{0337}'),
        'ħ' | 'Ħ' => stroked('h', '\u{0335}'),
        'ŧ' | 'Ŧ' => stroked('t', '\u{0335}'),
        'ς' => vec![('σ', None)],
        'ſ' => vec![('s', None)],
        _ => {
            let mut out = Vec::with_capacity(1);
            for l in c.to_lowercase() {
                if is_combining_mark(l) {
                    // `İ` lowers to `i` and a combining dot: the dot is an accent.
                    if let Some((_, mark @ None)) = out.last_mut() {
                        *mark = Some(l);
                        continue;
                    }
                }
                out.push((l, None));
            }
            out
        }
    }
}

/// The primary weight of a folded base character.
fn primary_weight(c: char) -> u32 {
    match ASCII_ORDER.find(c) {
        Some(i) if c.is_ascii() => ASCII_BASE + i as u32,
        // Past the ASCII table (which ends below 0x80), by code point.
        _ => c as u32,
    }
}

/// Under numeric ordering, each run of ASCII digits becomes one element weighing its value: a
/// marker in the digits' place, the number of significant digits, then the digits.
fn number_runs(elements: &mut Vec<Element>) {
    let zero = primary_weight('0');
    let nine = primary_weight('9');
    let is_digit = |e: &Element| {
        e.primary.len() == 1 && e.primary.first().is_some_and(|w| (zero..=nine).contains(w))
    };
    let mut out: Vec<Element> = Vec::with_capacity(elements.len());
    let mut run: Vec<Element> = Vec::new();
    let flush = |run: &mut Vec<Element>, out: &mut Vec<Element>| {
        if run.is_empty() {
            return;
        }
        let digits: Vec<u32> = run
            .iter()
            .filter_map(|e| e.primary.first().copied())
            .collect();
        let start = digits
            .iter()
            .position(|d| *d != zero)
            .unwrap_or(digits.len().saturating_sub(1));
        let significant = digits.get(start..).unwrap_or(&[]);
        let mut primary = vec![zero, LENGTH_BASE + significant.len() as u32];
        primary.extend_from_slice(significant);
        let marks = run.iter().flat_map(|e| e.marks.iter().copied()).collect();
        let variant = run.iter().any(|e| e.variant);
        out.push(Element {
            primary,
            marks,
            upper: false,
            variant,
        });
        run.clear();
    };
    for e in elements.drain(..) {
        if is_digit(&e) {
            run.push(e);
        } else {
            flush(&mut run, &mut out);
            out.push(e);
        }
    }
    flush(&mut run, &mut out);
    *elements = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coll(spec: Document) -> Collation {
        match Collation::parse(&spec) {
            Ok(Some(c)) => c,
            other => panic!("not a collation: {other:?}"),
        }
    }

    /// The strings in collation order, equal ones joined by `=`.
    fn order(c: &Collation, words: &[&str]) -> String {
        let mut keyed: Vec<(String, &str)> = words.iter().map(|w| (c.key(w), *w)).collect();
        keyed.sort();
        let mut out = String::new();
        for (i, (k, w)) in keyed.iter().enumerate() {
            if i > 0 {
                let same = keyed.get(i - 1).is_some_and(|(p, _)| p == k);
                out.push_str(if same { " = " } else { " < " });
            }
            out.push_str(w);
        }
        out
    }

    #[test]
    fn strength_two_ignores_case_but_not_accents() {
        let c = coll(bson::doc! {"locale": "en", "strength": 2});
        assert_eq!(
            order(&c, &["b", "A", "a", "é", "e", "E"]),
            "A = a < b < E = e < é"
        );
        assert_eq!(c.key("A@x.com"), c.key("a@X.COM"));
    }

    #[test]
    fn strength_one_ignores_case_and_accents() {
        let c = coll(bson::doc! {"locale": "en", "strength": 1});
        assert_eq!(
            order(&c, &["Résumé", "resume", "RESUME", "rest"]),
            "rest < RESUME = Résumé = resume"
        );
        assert_eq!(c.key("Straße"), c.key("strasse"));
        assert_eq!(c.key("ﬁne"), c.key("fine"));
    }

    #[test]
    fn strength_three_puts_lower_case_first() {
        let c = coll(bson::doc! {"locale": "en"});
        assert_eq!(order(&c, &["B", "b", "A", "a"]), "a < A < b < B");
        let upper = coll(bson::doc! {"locale": "en", "caseFirst": "upper"});
        assert_eq!(order(&upper, &["B", "b", "A", "a"]), "A < a < B < b");
    }

    #[test]
    fn accents_compare_from_the_start_unless_backwards() {
        let c = coll(bson::doc! {"locale": "en", "strength": 2});
        assert_eq!(
            order(&c, &["côté", "côte", "coté", "cote"]),
            "cote < coté < côte < côté"
        );
        let fr = coll(bson::doc! {"locale": "fr", "strength": 2, "backwards": true});
        assert_eq!(
            order(&fr, &["côté", "côte", "coté", "cote"]),
            "cote < côte < coté < côté"
        );
    }

    #[test]
    fn punctuation_digits_letters_and_numeric_ordering() {
        let c = coll(bson::doc! {"locale": "en"});
        assert_eq!(
            order(&c, &["a", "1", "_", "-", " ", "10", "2"]),
            "  < _ < - < 1 < 10 < 2 < a"
        );
        let n = coll(bson::doc! {"locale": "en", "numericOrdering": true});
        assert_eq!(
            order(&n, &["a10", "a2", "a002", "b", "10", "9"]),
            "9 < 10 < a002 = a2 < a10 < b"
        );
    }

    #[test]
    fn case_level_with_strength_one_tells_case_but_not_accents() {
        let c = coll(bson::doc! {"locale": "en", "strength": 1, "caseLevel": true});
        assert_eq!(order(&c, &["A", "a", "á"]), "a = á < A");
    }

    #[test]
    fn specs_are_checked_as_the_server_checks_them() {
        let err = |spec: Document| Collation::parse(&spec).map(|_| ()).unwrap_err().message;
        assert_eq!(Collation::parse(&bson::doc! {"locale": "simple"}), Ok(None));
        assert_eq!(
            err(bson::doc! {"locale": "simple", "strength": 2}),
            "If locale=simple, no other fields should be present in: { locale: \"simple\", strength: 2 }"
        );
        assert_eq!(
            err(bson::doc! {"strength": 2}),
            "Missing expected field \"locale\""
        );
        assert_eq!(
            err(bson::doc! {"locale": "en", "strength": 7}),
            "Field 'strength' must be an integer 1 through 5. Got: 7"
        );
        assert_eq!(
            err(bson::doc! {"locale": "en", "colour": 1}),
            "Collation spec contains unknown field. Collation spec: { locale: \"en\", colour: 1 }"
        );
        assert!(
            err(bson::doc! {"locale": "en", "strength": 2, "caseFirst": "upper"})
                .starts_with("'caseFirst' is invalid unless 'caseLevel' is on")
        );
        assert!(err(bson::doc! {"locale": "en", "alternate": "shifted"}).contains("not simulated"));
        assert!(err(bson::doc! {"locale": "xx"})
            .starts_with("Field 'locale' is invalid in: { locale: \"xx\" }"));
    }

    #[test]
    fn mapping_reaches_inside_documents_and_arrays() {
        let c = coll(bson::doc! {"locale": "en", "strength": 2});
        let a = Bson::Document(bson::doc! {"n": 1, "tags": ["X", "y"]});
        let b = Bson::Document(bson::doc! {"n": 1, "tags": ["x", "Y"]});
        assert_eq!(compare(Some(&c), &a, &b), Ordering::Equal);
        assert_ne!(compare(None, &a, &b), Ordering::Equal);
        assert!(matches!(c.map(&Bson::Int32(3)), Cow::Borrowed(_)));
    }
}
