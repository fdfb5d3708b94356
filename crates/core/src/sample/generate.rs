//! Realistic scalar values: what a field's name says it holds, and names,
//! emails, cities, words, sentences, prices and dates drawn from small tables.

use super::rng::Rng;
use super::val::Val;
use crate::model::*;

const FIRST: &[&str] = &[
    "Alice", "Bob", "Carol", "David", "Emma", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Keiko",
    "Liam", "Maya", "Noah", "Olga", "Pedro", "Quinn", "Rosa", "Sami", "Tara", "Uma", "Victor",
    "Wen", "Ximena", "Yusuf", "Zoe", "Amara", "Bruno", "Chloe", "Diego", "Elif", "Felix",
];
const LAST: &[&str] = &[
    "Smith",
    "Garcia",
    "Nguyen",
    "Müller",
    "Rossi",
    "Kowalski",
    "Tanaka",
    "Okafor",
    "Silva",
    "Johansson",
    "Dubois",
    "Patel",
    "Kim",
    "Cohen",
    "Novak",
    "Haddad",
    "Larsen",
    "Moreau",
    "Santos",
    "Fischer",
    "Ivanova",
    "Costa",
    "Murphy",
    "Yilmaz",
];
const CITIES: &[(&str, &str)] = &[
    ("NYC", "US"),
    ("San Francisco", "US"),
    ("Chicago", "US"),
    ("Austin", "US"),
    ("Seattle", "US"),
    ("Toronto", "CA"),
    ("Mexico City", "MX"),
    ("São Paulo", "BR"),
    ("Buenos Aires", "AR"),
    ("London", "GB"),
    ("Dublin", "IE"),
    ("Paris", "FR"),
    ("Berlin", "DE"),
    ("Madrid", "ES"),
    ("Lisbon", "PT"),
    ("Rome", "IT"),
    ("Amsterdam", "NL"),
    ("Stockholm", "SE"),
    ("Warsaw", "PL"),
    ("Istanbul", "TR"),
    ("Cairo", "EG"),
    ("Lagos", "NG"),
    ("Nairobi", "KE"),
    ("Dubai", "AE"),
    ("Mumbai", "IN"),
    ("Bangalore", "IN"),
    ("Singapore", "SG"),
    ("Tokyo", "JP"),
    ("Seoul", "KR"),
    ("Sydney", "AU"),
];
const WORDS: &[&str] = &[
    "developer",
    "nodejs",
    "rust",
    "design",
    "travel",
    "music",
    "coffee",
    "cloud",
    "data",
    "mobile",
    "photo",
    "garden",
    "books",
    "running",
    "cooking",
    "games",
    "science",
    "art",
    "startup",
    "open-source",
    "security",
    "python",
    "database",
    "ai",
];
const SENTENCE_WORDS: &[&str] = &[
    "the", "a", "great", "new", "simple", "fast", "data", "model", "works", "really", "well",
    "with", "every", "query", "index", "table", "today", "thanks", "for", "sharing", "this",
    "idea", "release", "team", "nice", "update", "makes", "sense", "love", "it",
];
const TITLES: &[&str] = &[
    "Getting started with",
    "Why I switched to",
    "Ten tips for",
    "A week of",
    "Lessons from",
    "Notes on",
    "The case for",
    "Scaling",
];
const COMPANIES: &[&str] = &[
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Stark",
    "Wayne",
    "Tyrell",
    "Cyberdyne",
    "Soylent",
    "Wonka",
    "Vandelay",
];
const DOMAINS: &[&str] = &["example.com", "mail.test", "inbox.dev", "corp.example"];
const STATUSES: &[&str] = &["active", "pending", "active", "active", "inactive"];

/// 2023-01-01T00:00:00Z in milliseconds.
pub(super) const EPOCH_2023: i64 = 1_672_531_200_000;
/// Three years, the span sample dates fall in.
pub(super) const DATE_SPAN_MS: u64 = 3 * 365 * 86_400_000;

/// A consistent person per record, so name and email agree.
pub(super) struct Person {
    first: &'static str,
    last: &'static str,
    city: usize,
}

impl Person {
    pub(super) fn new(rng: &mut Rng, _index: u64) -> Self {
        let first = FIRST
            .get(rng.below(FIRST.len() as u64) as usize)
            .copied()
            .unwrap_or("Ada");
        let last = LAST
            .get(rng.below(LAST.len() as u64) as usize)
            .copied()
            .unwrap_or("Lovelace");
        let city = rng.below(CITIES.len() as u64) as usize;
        Person { first, last, city }
    }
}

/// What a field's name says about its values, when it names no generator.
pub fn guess_generator(name: &str, ty: &FieldType) -> Option<Generator> {
    let lower = name.to_ascii_lowercase();
    let has = |s: &str| lower.contains(s);
    let is_text = matches!(ty, FieldType::String)
        || matches!(ty, FieldType::Array(item) if **item == FieldType::String);
    let g = if matches!(ty, FieldType::Date) {
        Generator::Timestamp
    } else if is_text && has("email") {
        Generator::Email
    } else if is_text && (lower == "firstname" || lower == "first_name") {
        Generator::FirstName
    } else if is_text && (lower == "lastname" || lower == "last_name") {
        Generator::LastName
    } else if is_text && (has("username") || has("handle")) {
        Generator::Username
    } else if is_text && (lower == "name" || has("fullname") || lower == "author") {
        Generator::Name
    } else if is_text && has("city") {
        Generator::City
    } else if is_text && has("country") {
        Generator::Country
    } else if is_text && has("phone") {
        Generator::Phone
    } else if is_text && (has("url") || has("website")) {
        Generator::Url
    } else if is_text && has("tag") {
        Generator::Tag
    } else if is_text && (has("title") || has("subject")) {
        Generator::Title
    } else if is_text && (has("status") || has("state")) {
        Generator::Status
    } else if is_text && has("sku") {
        Generator::Sku
    } else if is_text && (has("company") || has("organization") || has("tenant")) {
        Generator::Company
    } else if is_text && (has("content") || has("body") || has("description")) {
        Generator::Paragraph
    } else if is_text && (has("text") || has("bio") || has("message") || has("comment")) {
        Generator::Sentence
    } else if ty.is_numeric() && has("age") {
        Generator::Age
    } else if ty.is_numeric()
        && (has("price") || has("amount") || has("total") || has("balance") || has("cost"))
    {
        Generator::Price
    } else if ty.is_numeric() && (has("quantity") || has("qty") || has("count")) {
        Generator::Quantity
    } else if ty.is_numeric() && (has("temp") || has("value") || has("reading")) {
        Generator::Temperature
    } else if is_text {
        Generator::Word
    } else {
        return None;
    };
    Some(g)
}

pub(super) fn scalar(
    ty: &FieldType,
    generator: Option<Generator>,
    unique: bool,
    rng: &mut Rng,
    person: &Person,
    index: u64,
) -> Val {
    let (city, country) = CITIES.get(person.city).copied().unwrap_or(("NYC", "US"));
    let text = |g: Generator, rng: &mut Rng| -> String {
        match g {
            Generator::Name => format!("{} {}", person.first, person.last),
            Generator::FirstName => person.first.to_string(),
            Generator::LastName => person.last.to_string(),
            Generator::Email => format!(
                "{}.{}{}@{}",
                ascii_lower(person.first),
                ascii_lower(person.last),
                index,
                rng.pick(DOMAINS)
            ),
            Generator::Username => format!("{}{}", ascii_lower(person.first), index),
            Generator::City => city.to_string(),
            Generator::Country => country.to_string(),
            Generator::Phone => format!("+1-555-{:03}-{:04}", rng.below(1000), rng.below(10_000)),
            Generator::Url => format!("https://{}.example.com", ascii_lower(person.first)),
            Generator::Word | Generator::Tag => rng.pick(WORDS).to_string(),
            Generator::Title => format!("{} {}", rng.pick(TITLES), rng.pick(WORDS)),
            Generator::Sentence => sentence(rng, 6 + rng.clone().below(6) as usize),
            Generator::Paragraph => {
                let n = 3 + rng.below(3);
                (0..n)
                    .map(|_| sentence(rng, 8 + rng.clone().below(8) as usize))
                    .collect::<Vec<_>>()
                    .join(" ")
            }
            Generator::Status => rng.pick(STATUSES).to_string(),
            Generator::Sku => format!("SKU-{:05}", rng.below(100_000)),
            Generator::Company => format!(
                "{} {}",
                rng.pick(COMPANIES),
                rng.pick(&["Inc", "Ltd", "GmbH", "Labs"])
            ),
            Generator::Uuid | Generator::ObjectId | Generator::Sequence => format!("{index}"),
            _ => rng.pick(WORDS).to_string(),
        }
    };
    let number = |g: Option<Generator>, rng: &mut Rng| -> f64 {
        match g {
            Some(Generator::Age) => 18.0 + rng.below(60) as f64,
            Some(Generator::Price) => (rng.below(50_000) as f64) / 100.0,
            Some(Generator::Quantity) => 1.0 + rng.below(9) as f64,
            Some(Generator::Temperature) => (rng.below(4000) as f64) / 100.0 - 5.0,
            Some(Generator::Sequence) => index as f64 + 1.0,
            _ => rng.below(1000) as f64,
        }
    };
    match ty {
        FieldType::String => {
            let g = generator.unwrap_or(Generator::Word);
            let mut s = text(g, rng);
            if unique && !matches!(g, Generator::Email | Generator::Username) {
                s = format!("{s}-{index}");
            }
            Val::Str(s)
        }
        FieldType::Int => Val::Int(number(generator, rng).round() as i64),
        FieldType::Long => Val::Long(number(generator, rng).round() as i64),
        FieldType::Double => Val::Double(number(generator, rng)),
        FieldType::Decimal => Val::Decimal(format!("{:.2}", number(generator, rng))),
        FieldType::Bool => Val::Bool(rng.chance(50)),
        FieldType::Date => Val::Date(EPOCH_2023 + rng.below(DATE_SPAN_MS / 1000) as i64 * 1000),
        FieldType::ObjectId => Val::ObjectId(format!(
            "{:08x}{:016x}",
            (EPOCH_2023 / 1000) as u64 + rng.below(DATE_SPAN_MS / 1000),
            rng.next_u64()
        )),
        FieldType::Uuid => {
            let (a, b) = (rng.next_u64(), rng.next_u64());
            Val::Uuid(format!("{a:016x}{b:016x}"))
        }
        FieldType::Binary => Val::Binary((0..8).map(|_| rng.below(256) as u8).collect()),
        FieldType::Array(_) | FieldType::Object(_) | FieldType::Ref(_) => Val::Str(String::new()),
    }
}

fn ascii_lower(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'ü' => 'u',
            'ã' | 'á' => 'a',
            c => c.to_ascii_lowercase(),
        })
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut out = String::new();
    for i in 0..words {
        let w = rng.pick(SENTENCE_WORDS);
        if i == 0 {
            let mut c = w.chars();
            if let Some(first) = c.next() {
                out.extend(first.to_uppercase());
                out.push_str(c.as_str());
            }
        } else {
            out.push(' ');
            out.push_str(w);
        }
    }
    out.push('.');
    out
}
