//! Versions: optimistic locking of an update pattern (`"version": "version"`).
//!
//! The client reads an item with its version, and writes it back only while
//! the item still holds that version: the update adds one to the version, and
//! a write that finds another version (someone else wrote first) or no item
//! changes nothing, and the application reads again. DynamoDB says it with
//! `SET #v = #v + :one` and `ConditionExpression: #v = :expected`; MongoDB
//! with `{ _id, v: expected }` as the filter, `$inc: { v: 1 }`, and a
//! `matchedCount` of 0 meaning the conflict.
//!
//! A version is not a guard: a guard (the pattern's `condition`, `balance >=
//! 0`) is a rule about the item's values, which holds or not whoever wrote
//! last.
//!
//! Every record of an entity starts at [`FIRST_VERSION`]: an insert writes it,
//! and sample data holds it, so the first update of any record expects it.

use super::{AccessPattern, Design, Entity, FieldType, Finding, PatternKind};

/// The version an insert writes.
pub const FIRST_VERSION: i64 = 1;

/// The version fields of an entity: the fields its update patterns keep as
/// their version, each once, in pattern order.
pub fn version_fields<'d>(design: &'d Design, entity: &str) -> Vec<&'d str> {
    let mut out: Vec<&str> = Vec::new();
    let named = design
        .access_patterns
        .iter()
        .filter(|p| p.entity == entity && p.kind == PatternKind::Update)
        .filter_map(|p| p.version.as_deref());
    for field in named {
        if !out.contains(&field) {
            out.push(field);
        }
    }
    out
}

/// Whether `field` of `entity` is a version some update pattern keeps.
pub fn is_version_field(design: &Design, entity: &str, field: &str) -> bool {
    version_fields(design, entity).contains(&field)
}

/// The pattern's version field, when it is an update that keeps one.
pub fn pattern_version(pattern: &AccessPattern) -> Option<&str> {
    pattern
        .version
        .as_deref()
        .filter(|_| pattern.kind == PatternKind::Update)
}

/// The fields of an entity that can hold its version: its top-level whole-number fields,
/// the id aside (what an editor offers).
pub fn candidates(entity: &Entity) -> Vec<&str> {
    let id = entity.id_name();
    entity
        .fields
        .iter()
        .filter(|f| matches!(f.ty, FieldType::Int | FieldType::Long) && f.name != id)
        .map(|f| f.name.as_str())
        .collect()
}

/// The checks of a pattern's `version`: an update's own top-level whole-number
/// field, which the update does not also write itself. Each finding names
/// `<path>.version`.
pub(super) fn check(entity: &Entity, pattern: &AccessPattern, path: &str, out: &mut Vec<Finding>) {
    let Some(name) = &pattern.version else {
        return;
    };
    let at = format!("{path}.version");
    if pattern.kind != PatternKind::Update {
        out.push(Finding::error(
            "invalid-value",
            at,
            "only an update keeps a version (optimistic locking); remove \"version\" or make the pattern an update",
        ));
        return;
    }
    let Some(field) = entity.field(name) else {
        out.push(Finding::error(
            "unknown-field",
            at,
            format!(
                "\"{name}\" is not a top-level field of {}; declare a whole-number field to keep the version in",
                entity.name
            ),
        ));
        return;
    };
    if *name == entity.id_name() {
        out.push(Finding::error(
            "invalid-value",
            at,
            format!(
                "\"{name}\" is the id of {}, which never changes",
                entity.name
            ),
        ));
    } else if !matches!(field.ty, FieldType::Int | FieldType::Long) {
        out.push(Finding::error(
            "invalid-value",
            at,
            format!(
                "\"{name}\" is a {}, and a version is a whole number (int or long)",
                field.ty
            ),
        ));
    } else if pattern.fields.iter().any(|f| f == name) {
        out.push(Finding::error(
            "invalid-value",
            at,
            format!("\"{name}\" is among the fields the update writes; the version is written by the update itself (one added), so leave it out of \"fields\""),
        ));
    } else if pattern.condition.as_ref().is_some_and(|c| c.field == *name) {
        out.push(Finding::error(
            "invalid-value",
            at,
            format!(
                "the guard already names \"{name}\"; a version is checked by the update itself"
            ),
        ));
    }
}
