//! A step's arguments as the argument records core's seam renders requests from
//! (`MongoContext::query_for`, `DynamoContext::request_for`): one object holding the values a
//! pattern binds or writes, by field name.

use schemaplay_core::model::version::pattern_version;
use schemaplay_core::sample::Val;
use schemaplay_core::AccessPattern;

use crate::reference::set_path;
use crate::schema::Schema;
use crate::workload::Args;

/// The record a read, update or delete is rendered from: the equality values (`_id` as the
/// entity's id; a many-to-many read's other id under the name the pattern binds), the range's
/// lower bound under the range field, and what an update writes per field (the new value, the
/// amount an increment adds, the element a push appends).
pub fn arguments(schema: &Schema, entity: usize, pattern: &AccessPattern, args: &Args) -> Val {
    let id = schema.info(entity).map_or("", |i| i.id.as_str());
    let mut record = Val::Object(Vec::new());
    for (path, v) in &args.equal {
        let path = if path == "_id" { id } else { path.as_str() };
        set_path(&mut record, path, v.clone());
    }
    if let (Some(range), Some(from)) = (&pattern.range, &args.from) {
        set_path(&mut record, range, from.clone());
    }
    for (field, v) in &args.change {
        set_path(&mut record, field, v.clone());
    }
    if let (Some(field), Some(v)) = (pattern_version(pattern), &args.version) {
        set_path(&mut record, field, v.clone());
    }
    record
}

/// A record as it is stored inside its parent: its declared fields (and its id, when the design
/// declares one or a pattern finds it by it), without the parent link and the id that exist
/// only for the verifier.
pub fn as_child(schema: &Schema, entity: usize, record: &Val) -> Val {
    let Some(info) = schema.info(entity) else {
        return record.clone();
    };
    let Val::Object(fields) = record else {
        return record.clone();
    };
    Val::Object(
        fields
            .iter()
            .filter(|(k, _)| {
                let hidden_id = *k == info.id && !info.embedded_keeps_id;
                let hidden_link = info
                    .owner
                    .as_ref()
                    .is_some_and(|o| !o.declared && o.link == *k);
                !hidden_id && !hidden_link
            })
            .cloned()
            .collect(),
    )
}

/// The children of one relationship among those that come with a record, as stored inside it:
/// an object for one-to-one (none when there is no child), else an array.
pub fn embedded_children(schema: &Schema, relationship: usize, args: &Args) -> Option<Val> {
    let rel = schema.design.relationships.get(relationship)?;
    let child = schema.index(&rel.to)?;
    let kids: Vec<Val> = args
        .children
        .iter()
        .filter(|(r, _)| *r == relationship)
        .flat_map(|(_, kids)| kids)
        .map(|k| as_child(schema, child, k))
        .collect();
    if rel.cardinality == schemaplay_core::Cardinality::OneToOne {
        kids.into_iter().next()
    } else {
        Some(Val::Array(kids))
    }
}

/// Adds or replaces a top-level field of a record.
pub fn put(record: &mut Val, field: &str, value: Val) {
    if let Val::Object(fields) = record {
        match fields.iter_mut().find(|(k, _)| k == field) {
            Some(slot) => slot.1 = value,
            None => fields.push((field.to_string(), value)),
        }
    }
}

/// Removes a top-level field of a record.
pub fn remove(record: &mut Val, field: &str) {
    if let Val::Object(fields) = record {
        fields.retain(|(k, _)| k != field);
    }
}
