//! Deterministic sample data: realistic names, emails, cities, dates and ids
//! from a seed, with the same record for the same (entity, index, seed) every
//! time, so references between entities point at records that exist.
//!
//! Records are built as [`Val`]s, which keep the BSON/DynamoDB type, then
//! written as MongoDB Extended JSON (relaxed) or DynamoDB AttributeValue JSON.
//!
//! `rng` the seedable generator; `val` the typed values and their encodings;
//! `key` how a value is written inside a DynamoDB key so text order is value order;
//! `generate` realistic scalars; `date` ISO dates. The model's lowest layer:
//! both derivations use it, and it knows neither.

use serde_json::Value;

use crate::model::version::{is_version_field, FIRST_VERSION};
use crate::model::*;

mod date;
mod generate;
mod key;
mod rng;
mod val;

pub use date::{iso_date, parse_iso};
pub use generate::guess_generator;
use generate::{scalar, Person, DATE_SPAN_MS, EPOCH_2023};
pub use key::{add_decimal, integer_key, number_key, NUMBER_KEY_DIGITS};
pub use rng::{hash, Rng};
pub use val::{
    add_values, attribute_map, document_size, format_number, hex_bytes, item_size, uuid_text, Args,
    Val, SAMPLE_WORDS,
};

/// Mixed into the seed of a child's parent pick, so it is independent of the
/// child's own values.
const PARENT_SALT: u64 = 0x7061_7265_6e74;

/// The index of a sample record no generation makes (generations make records 0 to N-1, N
/// far below it; its ObjectId's counter is one no smaller index has): what an insert writes
/// when it runs on generated data, where record 0 already exists.
pub const NEW_RECORD: u64 = 0xff_ffff;

/// The record index each top-level reference of a record points at, by field name.
type Picks = Vec<(String, u64)>;

/// What the generator needs to know about the whole design: how many sample
/// records each entity has, so references land on records that exist.
#[derive(Clone, Debug)]
pub struct SampleContext<'a> {
    pub design: &'a Design,
    pub seed: u64,
    /// The most records made per entity.
    pub max_per_entity: u64,
}

impl<'a> SampleContext<'a> {
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

    /// The parent of child record `index` of a relationship (one-to-one, -few or
    /// -many), as the design's numbers shape it: the children of the sample
    /// go to about `children / expectedCount` parents, so a parent has about
    /// the expected count of children, spread as production data is, with a
    /// long tail ([`SampleContext::parent_index`]). Record 0's parent is record 0.
    pub fn parent(&self, rel: &Relationship, index: u64) -> Val {
        self.id(&rel.from, self.parent_index(rel, index))
    }

    /// The index of [`SampleContext::parent`]'s record among the parent's: one
    /// of the first `k = children / expectedCount` parents (all of them when the
    /// design names no count), drawn with a power law over them (the `j`th of
    /// `k` has a share of about `(√(j+1) − √j) / √k`: the first has `1/√k` of
    /// the children, so hot keys appear, while the average is the expected
    /// count). Deterministic for the seed, the child and its index.
    pub fn parent_index(&self, rel: &Relationship, index: u64) -> u64 {
        if index == 0 {
            return 0;
        }
        let parents = self.count(&rel.from).max(1);
        let children = self.count(&rel.to).max(1);
        let k = match rel.expected_count {
            0 => parents,
            c => children.div_ceil(c).clamp(1, parents),
        };
        let mut rng = Rng::for_record(self.seed ^ PARENT_SALT, &rel.to, index);
        // A uniform fraction in [0, 1), squared: the power law.
        let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let drawn = ((u * u * k as f64) as u64).min(k - 1);
        // A pattern that says how hot its hottest parent is: record 0, the
        // one the layouts render, gets that share of the children.
        match self.hot_parent_share(rel) {
            Some(share) => {
                let v = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
                if v < share {
                    0
                } else {
                    drawn
                }
            }
            None => drawn,
        }
    }

    /// The share of a relationship's children the hottest parent has, when a
    /// pattern of the children says how skewed its traffic is: an insert of
    /// the children, or a read or write of them by their parent's id.
    fn hot_parent_share(&self, rel: &Relationship) -> Option<f64> {
        let link = crate::model::relations::reference_field(rel);
        self.design
            .access_patterns
            .iter()
            .filter(|p| {
                p.entity == rel.to
                    && (p.kind == PatternKind::Insert || p.equality.first() == Some(&link))
            })
            .filter_map(AccessPattern::hot_share)
            .reduce(f64::max)
    }

    /// The relationship whose parent a field of an entity holds the id of: the
    /// field the relationship names, or the entity's reference to the parent.
    pub fn parent_link(&self, entity: &Entity, field: &Field) -> Option<&'a Relationship> {
        let FieldType::Ref(target) = &field.ty else {
            return None;
        };
        self.design.relationships.iter().find(|r| {
            r.to == entity.name
                && r.from == *target
                && r.from != r.to
                && r.cardinality != Cardinality::ManyToMany
                && r.field
                    .as_ref()
                    .is_none_or(|f| *f == field.name || entity.field(f).is_none())
        })
    }

    /// The field whose value tells apart the records of an entity identified by several
    /// fields together (`key_identity`: `ORDER#<orderId>` / `LINE#<lineNo>`): the first of
    /// them that is not the reference to a parent, which the design's numbers pick and
    /// records share. Each record gets its own value of it ([`distinct_value`]), so no two
    /// records are the same key.
    fn distinct_field<'e>(&self, entity: &'e Entity) -> Option<&'e str> {
        crate::model::relations::key_identity(self.design, entity)
            .iter()
            .filter_map(|part| entity.field(&part.field))
            .find(|f| self.parent_link(entity, f).is_none())
            .map(|f| f.name.as_str())
    }

    /// Record `index` of an entity: every field, with the id first. A copy
    /// ([`crate::model::copies`]) holds its source's value: the field of the
    /// record its `via` references (absent where that is absent).
    pub fn record(&self, entity: &Entity, index: u64) -> Vec<(String, Val)> {
        let (mut out, picks) = self.own_record(entity, index);
        self.fill_copies(entity, index, &picks, &mut out);
        out
    }

    /// A record as generated, before its copies are filled, with the record
    /// index each top-level reference points at.
    fn own_record(&self, entity: &Entity, index: u64) -> (Vec<(String, Val)>, Picks) {
        let mut picks = Vec::new();
        let mut rng = Rng::for_record(self.seed, &entity.name, index);
        let id_name = entity.id_name();
        let mut out = Vec::with_capacity(entity.fields.len() + 1);
        if entity.id_field().is_none() {
            out.push((id_name.clone(), self.id(&entity.name, index)));
        }
        let person = Person::new(&mut rng, index);
        let distinct = self.distinct_field(entity);
        for field in &entity.fields {
            if field.name == id_name {
                out.push((field.name.clone(), self.id(&entity.name, index)));
                continue;
            }
            if distinct == Some(field.name.as_str()) {
                let value = distinct_value(field, &mut rng, &person, index);
                out.push((field.name.clone(), value));
                continue;
            }
            // A version field holds what an insert writes, in every record.
            if is_version_field(self.design, &entity.name, &field.name) {
                let first = match field.ty {
                    FieldType::Long => Val::Long(FIRST_VERSION),
                    _ => Val::Int(FIRST_VERSION),
                };
                out.push((field.name.clone(), first));
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
            let value = match (value, self.parent_link(entity, field), &field.ty) {
                (Some(v), _, _) => {
                    // Record 0's references point at record 0 of the others.
                    picks.push((field.name.clone(), 0));
                    v
                }
                // A reference to the parent: the design's numbers decide which one.
                (None, Some(rel), _) => {
                    let pick = self.parent_index(rel, index);
                    picks.push((field.name.clone(), pick));
                    self.id(&rel.from, pick)
                }
                (None, None, FieldType::Ref(target)) => {
                    let pick = self.ref_pick(target, &mut rng, index);
                    picks.push((field.name.clone(), pick));
                    self.id(target, pick)
                }
                (None, None, _) => {
                    self.value(&field.name, field, &field.ty, &mut rng, &person, index, 0)
                }
            };
            out.push((field.name.clone(), value));
        }
        (out, picks)
    }

    /// Which record of `target` a reference of record `index` points at:
    /// record 0 from record 0 (the showcase records connect), else any.
    fn ref_pick(&self, target: &str, rng: &mut Rng, index: u64) -> u64 {
        if index == 0 {
            return 0;
        }
        rng.below(self.count(target).max(1))
    }

    /// Sets each copy of a record to its source's value: the source record is
    /// the one the copy's `via` points at (a declared reference, `picks`, or a
    /// relationship's implicit one, which the design's numbers decide).
    fn fill_copies(
        &self,
        entity: &Entity,
        index: u64,
        picks: &[(String, u64)],
        out: &mut Vec<(String, Val)>,
    ) {
        for copy in self
            .design
            .copies()
            .filter(|c| c.entity.name == entity.name)
        {
            let pick = match picks.iter().find(|(f, _)| *f == copy.source.via) {
                Some((_, pick)) => Some(*pick),
                None if entity.field(&copy.source.via).is_none() => self
                    .design
                    .copy_relationship(copy)
                    .map(|rel| self.parent_index(rel, index)),
                // The reference is an optional field this record leaves out.
                None => None,
            };
            let value = pick
                .and_then(|pick| {
                    let source = self.design.entity(&copy.source.entity)?;
                    // The source field is no copy itself: its record needs no copies filled.
                    let (record, _) = self.own_record(source, pick);
                    record.into_iter().find(|(f, _)| *f == copy.source.field)
                })
                .map(|(_, v)| v);
            let slot = out.iter().position(|(f, _)| *f == copy.field.name);
            match (slot, value) {
                (Some(i), Some(v)) => {
                    if let Some(entry) = out.get_mut(i) {
                        entry.1 = v;
                    }
                }
                (Some(i), None) => {
                    out.remove(i);
                }
                (None, Some(v)) => out.push((copy.field.name.clone(), v)),
                (None, None) => {}
            }
        }
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
                self.id(target, self.ref_pick(target, rng, index))
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
            // A string with an enum takes one of its values (an array's elements too).
            FieldType::String if !field.enum_values.is_empty() => {
                let values = &field.enum_values;
                let pick = rng.below(values.len() as u64) as usize;
                match values.get(pick).and_then(Value::as_str) {
                    Some(s) => Val::Str(s.to_string()),
                    None => scalar(ty, generator, field.unique, rng, person, index),
                }
            }
            _ => scalar(ty, generator, field.unique, rng, person, index),
        }
    }
}

/// Record `index`'s own value of a field that tells records apart (see
/// `SampleContext::distinct_field`): numbers count from 1 (a line number), dates a second
/// apart, text and the rest as a unique field's.
fn distinct_value(field: &Field, rng: &mut Rng, person: &Person, index: u64) -> Val {
    let n = index.saturating_add(1);
    match field.ty {
        FieldType::Int => Val::Int(n as i64),
        FieldType::Long => Val::Long(n as i64),
        FieldType::Double => Val::Double(n as f64),
        FieldType::Decimal => Val::Decimal(n.to_string()),
        FieldType::Date => Val::Date(EPOCH_2023 + (index % (DATE_SPAN_MS / 1000)) as i64 * 1000),
        _ => {
            let generator = field
                .generator
                .or_else(|| guess_generator(&field.name, &field.ty));
            scalar(&field.ty, generator, true, rng, person, index)
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

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
