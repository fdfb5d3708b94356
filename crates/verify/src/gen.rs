//! Seeded values for the workload. Whatever a field's generator hint says, values mix realistic
//! ones with the edges that break layouts: negative and fractional numbers of different digit
//! counts, zero, numbers past ten digits, empty and non-ASCII strings, strings holding the key
//! separator `#`, boundary dates (the epoch, just before it, leap days, year 9999), missing
//! optional fields. Each field draws from a small pool, so equal values (ties in sorts,
//! several records per partition) are common.

use std::collections::{HashMap, HashSet};

use schemaplay_core::sample::{hash, parse_iso, Rng, Val};
use schemaplay_core::{Field, FieldType, Generator};

/// Words of the texts that searches look for, with stems, case and accents to fold.
const TEXT_WORDS: &[&str] = &[
    "developer",
    "developers",
    "Rust",
    "running",
    "runs",
    "café",
    "Cafe",
    "naïve",
    "data",
    "database",
    "the",
    "Zürich",
    "日本",
    "fast",
    "index",
];
const NAMES: &[&str] = &[
    "Ana Silva",
    "Bob Müller",
    "Chloé Durand",
    "李 小龙",
    "O'Brien",
];
const CITIES: &[&str] = &["NYC", "Paris", "São Paulo", "Zürich", "Tokyo", "nyc"];
const STATUSES: &[&str] = &["active", "pending", "inactive", "shipped", "open"];
const WORDS: &[&str] = &["developer", "nodejs", "rust", "design", "travel"];
/// Strings that break naive layouts.
const EDGE_STRINGS: &[&str] = &[
    "",
    "日本語",
    "🎉 party",
    "a#b",
    "UPPER lower",
    " padded ",
    "zzz",
];
const EDGE_INTS: &[i64] = &[
    0,
    -1,
    1,
    -5,
    5,
    9,
    10,
    -10,
    99,
    100,
    1000,
    -1000,
    123_456,
    -2_147_483_648,
];
const EDGE_LONGS: &[i64] = &[12_345_678_901, -12_345_678_901, 9_007_199_254_740_993];
const EDGE_DOUBLES: &[f64] = &[0.0, -0.5, 0.1, 2.71, -99.99, 1234.5678, 100.0, -2.0, 0.001];
const EDGE_DECIMALS: &[&str] = &[
    "0.00",
    "-5.50",
    "99.99",
    "1000.00",
    "352.95",
    "-0.01",
    "0.5",
    "12345.678",
];
const EDGE_DATES: &[&str] = &[
    "1970-01-01T00:00:00.000Z",
    "1969-12-31T23:59:59.999Z",
    "2000-02-29T12:00:00.000Z",
    "9999-12-31T23:59:59.999Z",
    "1900-01-01T00:00:00.000Z",
    "2024-01-01T00:00:00.000Z",
];

/// The ids a reference to an entity may point at.
pub trait Refs {
    /// How many records of the entity exist, and its id type.
    fn count(&self, entity: &str) -> (usize, FieldType);
    /// The id of record `i` of the entity.
    fn id(&self, entity: &str, i: usize) -> Option<Val>;
}

/// The value source of one workload.
pub struct Gen {
    pub rng: Rng,
    /// The pool of each (entity, field path): drawn from most of the time.
    pools: HashMap<(usize, String), Vec<Val>>,
    /// The next fresh id or unique value per entity.
    counters: HashMap<usize, u64>,
    /// Values a field must be able to take (the design's condition constants).
    constants: HashMap<(usize, String), Vec<Val>>,
    /// Fields that are never empty (a key value as it is: DynamoDB refuses an empty one).
    non_empty: HashSet<(usize, String)>,
}

impl Gen {
    pub fn new(seed: u64) -> Gen {
        Gen {
            rng: Rng::new(seed ^ 0x7665_7269_6679),
            pools: HashMap::new(),
            counters: HashMap::new(),
            constants: HashMap::new(),
            non_empty: HashSet::new(),
        }
    }

    /// Makes `field` of `entity` never empty: its edges leave out the empty string and bytes.
    pub fn require_non_empty(&mut self, entity: usize, field: &str) {
        self.non_empty.insert((entity, field.to_string()));
    }

    /// Makes `value` one of the values `field` of `entity` draws from.
    pub fn add_constant(&mut self, entity: usize, field: &str, value: Val) {
        self.constants
            .entry((entity, field.to_string()))
            .or_default()
            .push(value);
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.rng.chance(percent)
    }

    pub fn below(&mut self, n: usize) -> usize {
        self.rng.below(n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            return None;
        }
        let i = self.below(items.len());
        items.get(i)
    }

    /// A fresh id of an entity, by the id's type.
    pub fn fresh_id(&mut self, entity: usize, name: &str, ty: &FieldType) -> Val {
        let n = self.next(entity);
        match ty {
            FieldType::Int => Val::Int(n as i64),
            FieldType::Long => Val::Long(n as i64),
            FieldType::Uuid => {
                let (a, b) = (self.rng.next_u64(), self.rng.next_u64());
                Val::Uuid(format!("{a:016x}{b:016x}"))
            }
            FieldType::String => Val::Str(format!(
                "{}-{n}",
                schemaplay_core::names::key_prefix(name).to_lowercase()
            )),
            _ => Val::ObjectId(format!(
                "{:08x}{:016x}",
                0x6500_0000 + n,
                hash(name) ^ n.wrapping_mul(0x9E37_79B9)
            )),
        }
    }

    fn next(&mut self, entity: usize) -> u64 {
        let c = self.counters.entry(entity).or_insert(0);
        *c += 1;
        *c
    }

    /// A value for a unique field: distinct from every other this generator made.
    pub fn unique(&mut self, entity: usize, field: &Field) -> Val {
        let n = self.next(entity);
        match &field.ty {
            FieldType::String => {
                let g = field
                    .generator
                    .or_else(|| schemaplay_core::sample::guess_generator(&field.name, &field.ty));
                Val::Str(match g {
                    Some(Generator::Email) => match self.below(4) {
                        0 => format!("Ana.Silva{n}@Example.com"),
                        1 => format!("josé{n}@exemple.fr"),
                        _ => format!("user{n}@example.com"),
                    },
                    Some(Generator::Username) => format!("user{n}"),
                    _ if n == 1 && !self.is_non_empty(entity, &field.name) && self.chance(30) => {
                        String::new()
                    }
                    _ => format!("{}-{n}", self.pick(WORDS).copied().unwrap_or("v")),
                })
            }
            ty => self.fresh_id(entity, &field.name, ty),
        }
    }

    /// A value of a field, `None` to leave an optional field out. `refs` gives the ids a
    /// reference to an entity can point at, and the type of a fresh (dangling) one.
    pub fn value(
        &mut self,
        entity: usize,
        path: &str,
        field: &Field,
        searched: bool,
        refs: &dyn Refs,
    ) -> Option<Val> {
        if !field.required && field.default.is_none() && self.chance(15) {
            return None;
        }
        Some(self.value_of(entity, path, field, &field.ty, searched, refs, 0))
    }

    #[allow(clippy::too_many_arguments)]
    fn value_of(
        &mut self,
        entity: usize,
        path: &str,
        field: &Field,
        ty: &FieldType,
        searched: bool,
        refs: &dyn Refs,
        depth: usize,
    ) -> Val {
        match ty {
            FieldType::Ref(target) => {
                let (n, id_type) = refs.count(target);
                let existing = if n > 0 && !self.chance(15) {
                    let i = self.below(n);
                    refs.id(target, i)
                } else {
                    None
                };
                // Else a reference to a record that does not exist.
                existing.unwrap_or_else(|| self.fresh_id(usize::MAX, target, &id_type))
            }
            FieldType::Array(item) => {
                let n = if depth > 2 { 0 } else { self.below(4) };
                Val::Array(
                    (0..n)
                        .map(|_| {
                            self.value_of(entity, path, field, item, searched, refs, depth + 1)
                        })
                        .collect(),
                )
            }
            FieldType::Object(fields) => {
                let mut out = Vec::new();
                for f in fields {
                    if depth < 4 && (f.required || !self.chance(15)) {
                        let inner = format!("{path}.{}", f.name);
                        let v = self.value_of(entity, &inner, f, &f.ty, searched, refs, depth + 1);
                        out.push((f.name.clone(), v));
                    }
                }
                Val::Object(out)
            }
            _ if searched => Val::Str(self.sentence()),
            _ => {
                let key = (entity, path.to_string());
                if !self.pools.contains_key(&key) {
                    // Four realistic values and two edge ones: ties, and orders that break.
                    let mut pool: Vec<Val> =
                        (0..6).map(|i| self.scalar(field, ty, i >= 4)).collect();
                    pool.extend(self.constants.get(&key).cloned().unwrap_or_default());
                    self.pools.insert(key.clone(), pool);
                }
                let fresh = self.chance(20);
                let size = self.pools.get(&key).map_or(0, Vec::len);
                let value = if fresh || size == 0 {
                    let edge = self.chance(40);
                    self.scalar(field, ty, edge)
                } else {
                    let i = self.below(size);
                    self.pools
                        .get(&key)
                        .and_then(|pool| pool.get(i).cloned())
                        .unwrap_or(Val::Int(0))
                };
                if self.non_empty.contains(&key) && is_empty(&value) {
                    // The edge the field can take instead: a non-ASCII text, one byte.
                    return match value {
                        Val::Binary(_) => Val::Binary(vec![0]),
                        _ => Val::Str("日本語".into()),
                    };
                }
                value
            }
        }
    }

    /// A text made of the searched words.
    pub fn sentence(&mut self) -> String {
        let n = 1 + self.below(4);
        (0..n)
            .map(|_| self.pick(TEXT_WORDS).copied().unwrap_or("x"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// One or two search words, mostly ones the texts hold.
    pub fn search(&mut self) -> String {
        let mut words = vec![self.pick(TEXT_WORDS).copied().unwrap_or("x").to_string()];
        if self.chance(30) {
            words.push(if self.chance(50) {
                "absent".into()
            } else {
                "RUN".into()
            });
        }
        words.join(" ")
    }

    /// A fresh scalar: realistic by the generator hint, or an edge value.
    fn scalar(&mut self, field: &Field, ty: &FieldType, edge: bool) -> Val {
        let g = field
            .generator
            .or_else(|| schemaplay_core::sample::guess_generator(&field.name, ty));
        match ty {
            // A field with an enum takes only its values (an edge value would break the
            // validator, not the layout).
            FieldType::String if !field.enum_values.is_empty() => {
                let values: Vec<&str> = field
                    .enum_values
                    .iter()
                    .filter_map(serde_json::Value::as_str)
                    .collect();
                Val::Str(self.pick(&values).copied().unwrap_or("").into())
            }
            FieldType::String if edge => {
                Val::Str(self.pick(EDGE_STRINGS).copied().unwrap_or("").into())
            }
            FieldType::String => Val::Str(
                match g {
                    Some(Generator::City | Generator::Country) => self.pick(CITIES),
                    Some(Generator::Status) => self.pick(STATUSES),
                    Some(Generator::Name | Generator::FirstName | Generator::LastName) => {
                        self.pick(NAMES)
                    }
                    _ => self.pick(WORDS),
                }
                .copied()
                .unwrap_or("")
                .into(),
            ),
            FieldType::Int if edge => Val::Int(self.pick(EDGE_INTS).copied().unwrap_or(0)),
            FieldType::Int => Val::Int(self.rng.below(200) as i64),
            FieldType::Long if edge => {
                let pool = [EDGE_INTS, EDGE_LONGS].concat();
                Val::Long(self.pick(&pool).copied().unwrap_or(0))
            }
            FieldType::Long => Val::Long(self.rng.below(100_000) as i64),
            FieldType::Double if edge => {
                Val::Double(self.pick(EDGE_DOUBLES).copied().unwrap_or(0.0))
            }
            FieldType::Double => Val::Double((self.rng.below(8000) as f64) / 100.0 - 20.0),
            FieldType::Decimal if edge => {
                Val::Decimal(self.pick(EDGE_DECIMALS).copied().unwrap_or("0").into())
            }
            FieldType::Decimal => {
                Val::Decimal(format!("{:.2}", self.rng.below(50_000) as f64 / 100.0))
            }
            FieldType::Bool => Val::Bool(self.chance(50)),
            FieldType::Date if edge => {
                let text = self
                    .pick(EDGE_DATES)
                    .copied()
                    .unwrap_or("2024-01-01T00:00:00.000Z");
                Val::Date(parse_iso(text).unwrap_or(0))
            }
            // Whole minutes of 2023-2025, so equal dates happen.
            FieldType::Date => {
                Val::Date(1_672_531_200_000 + self.rng.below(3 * 365 * 24 * 60) as i64 * 60_000)
            }
            FieldType::ObjectId => Val::ObjectId(format!("{:024x}", self.rng.next_u64())),
            FieldType::Uuid => {
                let (a, b) = (self.rng.next_u64(), self.rng.next_u64());
                Val::Uuid(format!("{a:016x}{b:016x}"))
            }
            FieldType::Binary => {
                let n = self.below(5);
                Val::Binary((0..n).map(|_| self.rng.below(256) as u8).collect())
            }
            FieldType::Ref(_) | FieldType::Array(_) | FieldType::Object(_) => {
                Val::Str(String::new())
            }
        }
    }
}

fn is_empty(value: &Val) -> bool {
    match value {
        Val::Str(s) => s.is_empty(),
        Val::Binary(b) => b.is_empty(),
        _ => false,
    }
}

impl Gen {
    fn is_non_empty(&self, entity: usize, field: &str) -> bool {
        self.non_empty.contains(&(entity, field.to_string()))
    }
}

/// The same text with its letter case changed, for lookups that ignore case.
pub fn recase(value: &Val, upper: bool) -> Val {
    match value {
        Val::Str(s) if upper => Val::Str(s.to_uppercase()),
        Val::Str(s) => Val::Str(
            s.chars()
                .enumerate()
                .map(|(i, c)| {
                    if i % 2 == 0 {
                        c.to_uppercase().next().unwrap_or(c)
                    } else {
                        c
                    }
                })
                .collect(),
        ),
        other => other.clone(),
    }
}
