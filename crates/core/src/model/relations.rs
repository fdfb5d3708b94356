//! What both derivations read the same way from a design's relationships: the
//! field a relationship stores its children or its reference in, the implicit
//! id fields of a many-to-many pair, and which patterns read one side of a
//! many-to-many relationship by the other side's id; and whose ids the
//! writer makes.

use super::{AccessPattern, Cardinality, Design, Entity, FieldType, PatternKind, Relationship};
use crate::names::{lower_first, plural};

/// The field in the parent (embedded) or child (reference) a relationship uses:
/// the declared `field`, else `comments` / `profile` in the parent, `authorId`
/// in the child, `courseIds` for many-to-many.
pub fn relationship_field(rel: &Relationship, embed: bool) -> String {
    if let Some(field) = &rel.field {
        return field.clone();
    }
    let child = lower_first(&rel.to);
    match (embed, rel.cardinality) {
        (true, Cardinality::OneToOne) => child,
        (true, _) => plural(&child),
        (false, Cardinality::ManyToMany) => format!("{child}Ids"),
        (false, _) => format!("{}Id", lower_first(&rel.from)),
    }
}

/// The implicit id fields of the two sides of a many-to-many pair, by which
/// each side is listed: `studentId`, `courseId`.
pub fn pair_id_fields(rel: &Relationship) -> (String, String) {
    (
        format!("{}Id", lower_first(&rel.from)),
        format!("{}Id", lower_first(&rel.to)),
    )
}

/// Whether a pattern reads one side of a many-to-many relationship by the
/// other side's id: `(relationship, forward)`, forward when it lists the `to`
/// side's entities of one `from`.
pub fn many_to_many_read(design: &Design, pattern: &AccessPattern) -> Option<(usize, bool)> {
    if !matches!(pattern.kind, PatternKind::List | PatternKind::Count) {
        return None;
    }
    let [field] = pattern.equality.as_slice() else {
        return None;
    };
    design.relationships.iter().enumerate().find_map(|(i, r)| {
        if r.cardinality != Cardinality::ManyToMany || r.from == r.to {
            return None;
        }
        let entity = design.entity(&pattern.entity)?;
        if entity.field_path(field).is_some() {
            return None; // A real field wins.
        }
        let (a, b) = pair_id_fields(r);
        if pattern.entity == r.to && *field == a {
            Some((i, true))
        } else if pattern.entity == r.from && *field == b {
            Some((i, false))
        } else {
            None
        }
    })
}

/// Whether an entity's ids are made new by the writer for every insert, so an
/// insert never carries a taken one: ObjectIds and UUIDs (as drivers and SDKs
/// make them), text ids the design says are made as UUIDs or ObjectIds
/// (their generator), and the ids of an entity that declares none (each
/// layout makes its own). Other ids (a slug, a SKU, a sequence number) are
/// the client's choice and may be taken.
pub fn writer_made_id(entity: &Entity) -> bool {
    let Some(id) = entity.id_field() else {
        return true;
    };
    matches!(id.ty, FieldType::ObjectId | FieldType::Uuid)
        || matches!(
            id.generator,
            Some(super::Generator::Uuid | super::Generator::ObjectId)
        )
}
