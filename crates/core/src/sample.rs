//! Deterministic sample data: realistic names, emails, cities, dates and ids
//! from a seed, with the same record for the same (entity, index, seed) every
//! time, so references between entities point at records that exist.
//!
//! Records are built as [`Val`]s, which keep the BSON/DynamoDB type, then
//! written as MongoDB Extended JSON (relaxed) or DynamoDB AttributeValue JSON.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::{json, Map, Value};

use crate::model::*;

/// A small, fast, seedable generator (SplitMix64). Pure, so it runs the same
/// natively and in WebAssembly.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// A generator for one record, independent of the order records are made in.
    pub fn for_record(seed: u64, entity: &str, index: u64) -> Self {
        Rng(seed ^ hash(entity) ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when n is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }

    pub fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        let i = self.below(items.len() as u64) as usize;
        items.get(i).copied().unwrap_or("")
    }

    /// True with the given chance in percent.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// FNV-1a, to mix names into seeds.
pub fn hash(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A one-key object, built without going through serde (`json!` with a
/// computed value serializes it again, which is the cost of sample generation).
fn tagged(tag: &str, value: Value) -> Value {
    let mut map = Map::with_capacity(1);
    map.insert(tag.to_string(), value);
    Value::Object(map)
}

/// The fields of a record as a DynamoDB item: an object of AttributeValues.
pub fn attribute_map(fields: &[(String, Val)]) -> Value {
    let mut map = Map::with_capacity(fields.len());
    for (k, v) in fields {
        map.insert(k.clone(), v.to_attribute());
    }
    Value::Object(map)
}

/// A typed sample value.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Str(String),
    Int(i64),
    Long(i64),
    Double(f64),
    /// A decimal written as text with two decimals, as money is.
    Decimal(String),
    Bool(bool),
    /// Milliseconds since the Unix epoch.
    Date(i64),
    /// 24 hex digits.
    ObjectId(String),
    /// 32 hex digits.
    Uuid(String),
    Binary(Vec<u8>),
    Array(Vec<Val>),
    Object(Vec<(String, Val)>),
}

impl Val {
    /// MongoDB Extended JSON v2, relaxed form.
    pub fn to_ejson(&self) -> Value {
        match self {
            Val::Str(s) => Value::String(s.clone()),
            Val::Int(n) | Val::Long(n) => json!(n),
            Val::Double(d) => json!(d),
            Val::Decimal(s) => tagged("$numberDecimal", Value::String(s.clone())),
            Val::Bool(b) => Value::Bool(*b),
            Val::Date(ms) => tagged("$date", Value::String(iso_date(*ms))),
            Val::ObjectId(hex) => tagged("$oid", Value::String(hex.clone())),
            Val::Uuid(hex) => {
                json!({ "$binary": { "base64": base64(&hex_bytes(hex)), "subType": "04" } })
            }
            Val::Binary(bytes) => {
                json!({ "$binary": { "base64": base64(bytes), "subType": "00" } })
            }
            Val::Array(items) => Value::Array(items.iter().map(Val::to_ejson).collect()),
            Val::Object(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_ejson()))
                    .collect::<Map<_, _>>(),
            ),
        }
    }

    /// DynamoDB AttributeValue JSON (`{"S": "..."}`, `{"N": "42"}`).
    pub fn to_attribute(&self) -> Value {
        match self {
            Val::Str(s) => tagged("S", Value::String(s.clone())),
            Val::ObjectId(hex) => tagged("S", Value::String(hex.clone())),
            Val::Uuid(hex) => tagged("S", Value::String(uuid_text(hex))),
            Val::Date(ms) => tagged("S", Value::String(iso_date(*ms))),
            Val::Int(n) | Val::Long(n) => tagged("N", Value::String(n.to_string())),
            Val::Double(d) => tagged("N", Value::String(format_number(*d))),
            Val::Decimal(s) => tagged("N", Value::String(s.clone())),
            Val::Bool(b) => tagged("BOOL", Value::Bool(*b)),
            Val::Binary(bytes) => tagged("B", Value::String(base64(bytes))),
            Val::Array(items) => tagged(
                "L",
                Value::Array(items.iter().map(Val::to_attribute).collect()),
            ),
            Val::Object(fields) => tagged("M", attribute_map(fields)),
        }
    }

    /// Plain JSON as the DynamoDB Document Client (lib-dynamodb) takes it.
    pub fn to_plain(&self) -> Value {
        match self {
            Val::Str(s) => Value::String(s.clone()),
            Val::ObjectId(hex) => Value::String(hex.clone()),
            Val::Uuid(hex) => Value::String(uuid_text(hex)),
            Val::Date(ms) => Value::String(iso_date(*ms)),
            Val::Int(n) | Val::Long(n) => json!(n),
            Val::Double(d) => json!(d),
            Val::Decimal(s) => s.parse::<f64>().map(|d| json!(d)).unwrap_or(json!(s)),
            Val::Bool(b) => Value::Bool(*b),
            Val::Binary(bytes) => Value::String(base64(bytes)),
            Val::Array(items) => Value::Array(items.iter().map(Val::to_plain).collect()),
            Val::Object(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_plain()))
                    .collect::<Map<_, _>>(),
            ),
        }
    }

    /// The value as it appears inside a DynamoDB key string: ISO dates,
    /// zero-padded numbers (so they sort as text), ids as text.
    pub fn key_text(&self) -> String {
        match self {
            Val::Str(s) => s.clone(),
            Val::ObjectId(hex) => hex.clone(),
            Val::Uuid(hex) => uuid_text(hex),
            Val::Date(ms) => iso_date(*ms),
            Val::Int(n) | Val::Long(n) => pad_number(*n),
            Val::Double(d) => format_number(*d),
            Val::Decimal(s) => s.clone(),
            Val::Bool(b) => b.to_string(),
            Val::Binary(bytes) => base64(bytes),
            Val::Array(_) | Val::Object(_) => String::new(),
        }
    }

    /// The value at a dotted path inside an object.
    pub fn get(&self, path: &str) -> Option<&Val> {
        let mut current = self;
        for part in path.split('.') {
            match current {
                Val::Object(fields) => {
                    current = fields.iter().find(|(k, _)| k == part).map(|(_, v)| v)?;
                }
                _ => return None,
            }
        }
        Some(current)
    }

    /// Sets a field of an object, replacing its value or adding it last.
    pub fn set(&mut self, key: &str, value: Val) {
        if let Val::Object(fields) = self {
            match fields.iter_mut().find(|(k, _)| k == key) {
                Some((_, v)) => *v = value,
                None => fields.push((key.to_string(), value)),
            }
        }
    }

    /// An approximate BSON size in bytes (the value alone, without its name).
    pub fn bson_size(&self) -> usize {
        match self {
            Val::Str(s) => 5 + s.len(),
            Val::Int(_) => 4,
            Val::Long(_) | Val::Double(_) | Val::Date(_) => 8,
            Val::Decimal(_) | Val::Uuid(_) => 16,
            Val::Bool(_) => 1,
            Val::ObjectId(_) => 12,
            Val::Binary(b) => 5 + b.len(),
            Val::Array(items) => {
                5 + items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| 2 + i.to_string().len() + v.bson_size())
                    .sum::<usize>()
            }
            Val::Object(fields) => {
                5 + fields
                    .iter()
                    .map(|(k, v)| 2 + k.len() + v.bson_size())
                    .sum::<usize>()
            }
        }
    }

    /// DynamoDB's size of the value (attribute names counted by the caller).
    pub fn dynamo_size(&self) -> usize {
        match self {
            Val::Str(s) => s.len(),
            Val::ObjectId(_) => 24,
            Val::Uuid(_) => 36,
            Val::Date(_) => 24,
            Val::Int(n) | Val::Long(n) => 1 + n.unsigned_abs().to_string().len().div_ceil(2),
            Val::Double(d) => 1 + format_number(*d).len().div_ceil(2),
            Val::Decimal(s) => 1 + s.len().div_ceil(2),
            Val::Bool(_) => 1,
            Val::Binary(b) => b.len(),
            Val::Array(items) => 3 + items.iter().map(|v| 1 + v.dynamo_size()).sum::<usize>(),
            Val::Object(fields) => {
                3 + fields
                    .iter()
                    .map(|(k, v)| 1 + k.len() + v.dynamo_size())
                    .sum::<usize>()
            }
        }
    }
}

/// The arguments a derived request is rendered with: the values a pattern
/// reads by or writes, where the derived layout uses sample record 0. See
/// `mongo::MongoContext::query_for` and `dynamo::DynamoContext::request_for`.
#[derive(Clone, Copy, Debug)]
pub struct Args<'a> {
    /// An object of the entity's fields by name (`email`, `profile` holding
    /// `city`): the record a write writes, or any record holding the values a
    /// read binds. A field the pattern binds that the entity does not declare
    /// goes in by the name the pattern uses: the parent's id of a child listed
    /// by its parent (`userId`), the other side's id of a many-to-many read
    /// (`courseId`).
    pub record: &'a Val,
    /// For an entity stored inside its parent (an embedded MongoDB document,
    /// a DynamoDB item attribute): the parent's record, whose id or key
    /// reaches the stored data.
    pub parent: Option<&'a Val>,
    /// The words of a text search; [`SAMPLE_WORDS`] when absent.
    pub words: Option<&'a str>,
}

impl<'a> Args<'a> {
    /// Arguments from one record, with no parent and the sample search words.
    pub fn new(record: &'a Val) -> Self {
        Args {
            record,
            parent: None,
            words: None,
        }
    }
}

/// What a text search looks for in the derived layouts' requests.
pub const SAMPLE_WORDS: &str = "developer nodejs";

/// The size of a whole item in DynamoDB: every attribute name plus its value.
pub fn item_size(fields: &[(String, Val)]) -> usize {
    fields.iter().map(|(k, v)| k.len() + v.dynamo_size()).sum()
}

/// The BSON size of a whole document.
pub fn document_size(fields: &[(String, Val)]) -> usize {
    5 + fields
        .iter()
        .map(|(k, v)| 2 + k.len() + v.bson_size())
        .sum::<usize>()
}

/// Zero-padded to 10 digits, so numbers sort as text (negative numbers keep their sign).
pub fn pad_number(n: i64) -> String {
    if n < 0 {
        format!("-{:010}", n.unsigned_abs())
    } else {
        format!("{n:010}")
    }
}

fn format_number(d: f64) -> String {
    if d.fract() == 0.0 && d.abs() < 1e15 {
        format!("{d:.0}")
    } else {
        format!("{d}")
    }
}

/// `2024-01-01T00:00:00.000Z` for milliseconds since the epoch.
pub fn iso_date(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn hex_bytes(hex: &str) -> Vec<u8> {
    (0..hex.len() / 2)
        .filter_map(|i| u8::from_str_radix(hex.get(i * 2..i * 2 + 2)?, 16).ok())
        .collect()
}

fn uuid_text(hex: &str) -> String {
    if hex.len() != 32 {
        return hex.to_string();
    }
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Standard base64 with padding, as Extended JSON `$binary` and DynamoDB `B` values are written.
fn base64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

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
const EPOCH_2023: i64 = 1_672_531_200_000;
/// Three years, the span sample dates fall in.
const DATE_SPAN_MS: u64 = 3 * 365 * 86_400_000;

/// What the generator needs to know about the whole design: how many sample
/// records each entity has, so references land on records that exist.
#[derive(Clone, Debug)]
pub struct SampleContext<'a> {
    pub design: &'a Design,
    pub seed: u64,
    /// The most records made per entity.
    pub max_per_entity: u64,
}

impl SampleContext<'_> {
    /// The number of sample records of an entity: its volume, capped.
    pub fn count(&self, entity: &str) -> u64 {
        let volume = self.design.entity(entity).map(|e| e.volume).unwrap_or(0);
        if volume == 0 {
            self.max_per_entity.min(10)
        } else {
            volume.min(self.max_per_entity)
        }
    }

    /// The id of record `index` of an entity; a pure function of its arguments.
    pub fn id(&self, entity: &str, index: u64) -> Val {
        let id_field = self.design.entity(entity).and_then(Entity::id_field);
        if index == 0 {
            // The first record shows the values the user wrote as examples.
            if let Some(v) = id_field.and_then(|f| from_example(&f.ty, f.example.as_ref()?)) {
                return v;
            }
        }
        let ty = id_field.map(|f| f.ty.clone());
        let mut rng = Rng::for_record(self.seed, entity, index);
        match ty {
            Some(FieldType::Int) => Val::Int(index as i64 + 1),
            Some(FieldType::Long) => Val::Long(index as i64 + 1),
            Some(FieldType::Uuid) => {
                let (a, b) = (rng.next_u64(), rng.next_u64());
                let hex = format!("{a:016x}{b:016x}");
                // Version 4, variant 1.
                let mut chars: Vec<char> = hex.chars().collect();
                if let Some(c) = chars.get_mut(12) {
                    *c = '4';
                }
                if let Some(c) = chars.get_mut(16) {
                    *c = ['8', '9', 'a', 'b'][(b % 4) as usize];
                }
                Val::Uuid(chars.into_iter().collect())
            }
            Some(FieldType::String) => Val::Str(format!(
                "{}-{}",
                crate::names::key_prefix(entity)
                    .to_lowercase()
                    .replace('_', "-"),
                index + 1
            )),
            _ => {
                // An ObjectId: a creation time in seconds, five bytes from the
                // entity and seed, and a three-byte counter.
                let secs =
                    (EPOCH_2023 / 1000) as u64 + index.wrapping_mul(37) % (DATE_SPAN_MS / 1000);
                let middle = (hash(entity) ^ self.seed) & 0xff_ffff_ffff;
                Val::ObjectId(format!(
                    "{:08x}{middle:010x}{:06x}",
                    secs & 0xffff_ffff,
                    index & 0xff_ffff
                ))
            }
        }
    }

    /// Record `index` of an entity: every field, with the id first.
    pub fn record(&self, entity: &Entity, index: u64) -> Vec<(String, Val)> {
        let mut rng = Rng::for_record(self.seed, &entity.name, index);
        let id_name = entity.id_name();
        let mut out = Vec::with_capacity(entity.fields.len() + 1);
        if entity.id_field().is_none() {
            out.push((id_name.clone(), self.id(&entity.name, index)));
        }
        let person = Person::new(&mut rng, index);
        for field in &entity.fields {
            if field.name == id_name {
                out.push((field.name.clone(), self.id(&entity.name, index)));
                continue;
            }
            // The first record shows every field; later ones leave some optional fields out.
            if index > 0 && !field.required && field.default.is_none() && rng.chance(10) {
                continue;
            }
            let value = if index == 0 {
                field
                    .example
                    .as_ref()
                    .and_then(|e| from_example(&field.ty, e))
            } else {
                None
            };
            let value = match value {
                Some(v) => v,
                None => self.value(&field.name, field, &field.ty, &mut rng, &person, index, 0),
            };
            out.push((field.name.clone(), value));
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn value(
        &self,
        name: &str,
        field: &Field,
        ty: &FieldType,
        rng: &mut Rng,
        person: &Person,
        index: u64,
        depth: usize,
    ) -> Val {
        let generator = field.generator.or_else(|| guess_generator(name, ty));
        match ty {
            FieldType::Ref(target) => {
                // Record 0 of every entity points at record 0 of the others, so the
                // showcase records (and the requests built from them) always connect.
                if index == 0 {
                    return self.id(target, 0);
                }
                let count = self.count(target).max(1);
                self.id(target, rng.below(count))
            }
            FieldType::Array(item) => {
                if depth >= MAX_TYPE_DEPTH {
                    return Val::Array(Vec::new());
                }
                // Nested arrays hold one element each, so deep types stay small.
                let n = if depth >= 2 { 1 } else { 1 + rng.below(3) };
                let mut items: Vec<Val> = Vec::new();
                for k in 0..n {
                    let v = self.value(
                        name,
                        field,
                        item,
                        rng,
                        person,
                        index.wrapping_mul(3).wrapping_add(k),
                        depth + 1,
                    );
                    if !items.contains(&v) {
                        items.push(v);
                    }
                }
                Val::Array(items)
            }
            FieldType::Object(fields) => {
                if depth >= MAX_TYPE_DEPTH {
                    return Val::Object(Vec::new());
                }
                let mut out = Vec::with_capacity(fields.len());
                for f in fields {
                    if index == 0 || f.required || !rng.chance(10) {
                        let example = match (index, &f.example) {
                            (0, Some(e)) => from_example(&f.ty, e),
                            _ => None,
                        };
                        let v = match example {
                            Some(v) => v,
                            None => self.value(&f.name, f, &f.ty, rng, person, index, depth + 1),
                        };
                        out.push((f.name.clone(), v));
                    }
                }
                Val::Object(out)
            }
            _ => scalar(ty, generator, field.unique, rng, person, index),
        }
    }
}

/// A consistent person per record, so name and email agree.
struct Person {
    first: &'static str,
    last: &'static str,
    city: usize,
}

impl Person {
    fn new(rng: &mut Rng, _index: u64) -> Self {
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

fn scalar(
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

/// A field's example value, typed as the field.
pub fn from_example(ty: &FieldType, example: &Value) -> Option<Val> {
    Some(match (ty, example) {
        (FieldType::String, Value::String(s)) => Val::Str(s.clone()),
        (FieldType::Int, Value::Number(n)) => Val::Int(n.as_i64()?),
        (FieldType::Long, Value::Number(n)) => Val::Long(n.as_i64()?),
        (FieldType::Double, Value::Number(n)) => Val::Double(n.as_f64()?),
        (FieldType::Decimal, Value::Number(n)) => Val::Decimal(n.to_string()),
        (FieldType::Decimal, Value::String(s)) => Val::Decimal(s.clone()),
        (FieldType::Bool, Value::Bool(b)) => Val::Bool(*b),
        (FieldType::Date, Value::String(s)) => Val::Date(parse_iso(s)?),
        (FieldType::ObjectId, Value::String(s))
            if s.len() == 24 && s.chars().all(|c| c.is_ascii_hexdigit()) =>
        {
            Val::ObjectId(s.to_ascii_lowercase())
        }
        (FieldType::Uuid, Value::String(s)) => {
            let hex: String = s.chars().filter(|c| *c != '-').collect();
            if hex.len() != 32 {
                return None;
            }
            Val::Uuid(hex)
        }
        (FieldType::Array(item), Value::Array(items)) => Val::Array(
            items
                .iter()
                .map(|v| from_example(item, v))
                .collect::<Option<Vec<_>>>()?,
        ),
        _ => return None,
    })
}

/// Parses `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS[.mmm]Z` into epoch milliseconds.
pub fn parse_iso(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    let num = |a: usize, b: usize| -> Option<i64> { text.get(a..b)?.parse().ok() };
    let (y, m, d) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    if bytes.get(4) != Some(&b'-')
        || bytes.get(7) != Some(&b'-')
        || !(1..=12).contains(&m)
        || !(1..=31).contains(&d)
    {
        return None;
    }
    let (hh, mm, ss, ms) = if text.len() > 10 {
        let ms = if bytes.get(19) == Some(&b'.') {
            num(20, 23).unwrap_or(0)
        } else {
            0
        };
        (num(11, 13)?, num(14, 16)?, num(17, 19)?, ms)
    } else {
        (0, 0, 0, 0)
    };
    // Days from civil (Howard Hinnant).
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 86_400 + hh * 3600 + mm * 60 + ss) * 1000) + ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    #[test]
    fn dates_round_trip() {
        for text in [
            "2024-01-01T00:00:00.000Z",
            "1999-12-31T23:59:59.999Z",
            "2024-02-29T12:30:00.000Z",
        ] {
            assert_eq!(parse_iso(text).map(iso_date).as_deref(), Some(text));
        }
        assert_eq!(parse_iso("2024-13-01"), None);
        assert_eq!(parse_iso("nope"), None);
    }

    #[test]
    fn encodings() {
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"M"), "TQ==");
        assert_eq!(pad_number(42), "0000000042");
        assert_eq!(pad_number(-7), "-0000000007");
    }

    #[test]
    fn records_are_deterministic_and_realistic() {
        let design = crate::examples::get("user-app")
            .map(|e| e.design)
            .unwrap_or_default();
        let ctx = SampleContext {
            design: &design,
            seed: 7,
            max_per_entity: 1000,
        };
        let user = design.entity("User").cloned().unwrap_or_default();
        let a = ctx.record(&user, 3);
        assert_eq!(a, ctx.record(&user, 3));
        let doc = Val::Object(a);
        expect![[r#"{"userId":{"$oid":"63b0cd6ff001b893d5000003"},"email":"zoe.patel3@inbox.dev","name":"Zoe Patel","profile":{"age":51,"city":"Buenos Aires","bio":"Works great works great idea well a update."},"tags":["nodejs","open-source"],"balance":495,"createdAt":{"$date":"2025-08-15T03:24:28.000Z"}}"#]]
            .assert_eq(&doc.to_ejson().to_string());
        let first = Val::Object(ctx.record(&user, 0));
        expect![[r#"{"M":{"userId":{"S":"507f1f77bcf86cd799439011"},"email":{"S":"john@example.com"},"name":{"S":"John Doe"},"profile":{"M":{"age":{"N":"30"},"city":{"S":"NYC"},"bio":{"S":"Every works thanks today new sense."}}},"tags":{"L":[{"S":"developer"},{"S":"nodejs"}]},"balance":{"N":"100"},"createdAt":{"S":"2024-01-01T00:00:00.000Z"}}}"#]]
            .assert_eq(&first.to_attribute().to_string());
    }
}
