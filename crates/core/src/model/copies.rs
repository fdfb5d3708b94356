//! Denormalised copies: a field marked as a copy of another entity's field
//! (`copyOf`), as experts copy an author's name into each of their comments so
//! a read of the comments needs no second read of the users.
//!
//! A copy names its source (`entity`, `field`) and `via`: the copying
//! entity's field that holds the source item's id (a `ref` field to the
//! source, or the reference of a relationship from the source). That field is
//! the path from a source item to its copies, by which an update of the source
//! finds the copies to rewrite (the fan-out, rendered by both derivations), and
//! by which an insert of the copying entity and sample data find the value to
//! copy. A copy is a top-level field, its source a top-level field that is not
//! a copy itself (no chains) and not the source's id (ids never change).

use serde::{Deserialize, Serialize};

use super::relations::reference_field;
use super::{
    AccessPattern, Cardinality, Design, Entity, Field, FieldType, Finding, PatternKind,
    Relationship,
};

/// Where a copy's value comes from: `{"entity": "User", "field": "name", "via": "authorId"}`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct CopyOf {
    /// The source entity.
    pub entity: String,
    /// The source entity's field whose value is copied.
    pub field: String,
    /// The copying entity's field holding the source item's id.
    pub via: String,
}

/// One copy in a design: the copying entity, its field, and the source.
#[derive(Clone, Copy, Debug)]
pub struct Copy<'d> {
    pub entity: &'d Entity,
    pub field: &'d Field,
    pub source: &'d CopyOf,
}

impl Design {
    /// Every copy the design declares, entity by entity, field by field.
    pub fn copies(&self) -> impl Iterator<Item = Copy<'_>> {
        self.entities.iter().flat_map(|entity| {
            entity.fields.iter().filter_map(move |field| {
                field.copy_of.as_ref().map(|source| Copy {
                    entity,
                    field,
                    source,
                })
            })
        })
    }

    /// The copies an update pattern leaves stale unless it rewrites them: the
    /// copies of the fields it changes (set, increment or push alike).
    pub fn fanout_copies(&self, pattern: &AccessPattern) -> Vec<Copy<'_>> {
        if pattern.kind != PatternKind::Update {
            return Vec::new();
        }
        self.copies()
            .filter(|c| {
                c.source.entity == pattern.entity && pattern.fields.contains(&c.source.field)
            })
            .collect()
    }

    /// The relationship from the source to the copying entity whose reference
    /// is the copy's `via`, when the design declares one.
    pub fn copy_relationship(&self, copy: Copy<'_>) -> Option<&Relationship> {
        self.relationships.iter().find(|r| {
            r.from == copy.source.entity
                && r.to == copy.entity.name
                && r.cardinality != Cardinality::ManyToMany
                && reference_field(r) == copy.source.via
        })
    }

    /// About how many copies one source item has: the relationship's expected
    /// count, else the copying entity's volume spread over the source's items
    /// (at least one).
    pub fn copies_per_source(&self, copy: Copy<'_>) -> f64 {
        if let Some(n) = self
            .copy_relationship(copy)
            .map(|r| r.expected_count)
            .filter(|n| *n > 0)
        {
            return n as f64;
        }
        let sources = self
            .entity(&copy.source.entity)
            .map_or(1, |e| e.volume.max(1));
        (copy.entity.volume as f64 / sources as f64).max(1.0)
    }

    /// About how many copies the source item with the most has: the long tail
    /// sample data draws (the first of `k = copies' volume / copies per
    /// source` sources has `1/√k` of the copies), or the share of them a
    /// pattern of the copying entity gives its hottest key (`hotKeyShare`),
    /// whichever is more; never fewer than the average.
    pub fn copies_at_most(&self, copy: Copy<'_>) -> f64 {
        let per = self.copies_per_source(copy);
        let all = copy.entity.volume as f64;
        let sources = (all / per).max(1.0);
        let tail = all / sources.sqrt();
        let hot = self
            .access_patterns
            .iter()
            .filter(|p| {
                p.entity == copy.entity.name
                    && (p.kind == PatternKind::Insert
                        || p.equality.first() == Some(&copy.source.via))
            })
            .filter_map(AccessPattern::hot_share)
            .map(|share| share * all)
            .fold(0.0, f64::max);
        tail.max(hot).max(per).round()
    }

    /// Whether a copy's `via` leads from the source to the copying entity (a `ref` field of the source's type, or
    /// a relationship's reference from the source).
    fn via_reaches_source(&self, entity: &Entity, copy: &CopyOf) -> bool {
        let declared = entity.field(&copy.via).map(|f| &f.ty);
        match declared {
            Some(FieldType::Ref(target)) => *target == copy.entity,
            Some(_) => false,
            None => self.relationships.iter().any(|r| {
                r.from == copy.entity
                    && r.to == entity.name
                    && r.cardinality != Cardinality::ManyToMany
                    && reference_field(r) == copy.via
            }),
        }
    }
}

/// The checks of every `copyOf`: the source entity and field exist, the types
/// agree, `via` leads from the source to the copy, no chains, top level only.
pub(super) fn check(design: &Design, out: &mut Vec<Finding>) {
    for (i, entity) in design.entities.iter().enumerate() {
        for (j, field) in entity.fields.iter().enumerate() {
            let path = format!("entities[{i}].fields[{j}].copyOf");
            if let Some(copy) = &field.copy_of {
                check_copy(design, entity, field, copy, &path, out);
            }
            nested_copies(
                &field.ty,
                &format!("entities[{i}].fields[{j}].type"),
                0,
                out,
            );
        }
    }
}

fn check_copy(
    design: &Design,
    entity: &Entity,
    field: &Field,
    copy: &CopyOf,
    path: &str,
    out: &mut Vec<Finding>,
) {
    let Some(source) = design.entity(&copy.entity) else {
        out.push(Finding::error(
            "unknown-entity",
            format!("{path}.entity"),
            format!("no entity is named \"{}\"", copy.entity),
        ));
        return;
    };
    let copy_error =
        |at: &str, message: String| Finding::error("invalid-copy", format!("{path}{at}"), message);
    match source.field(&copy.field) {
        None => out.push(Finding::error(
            "unknown-field",
            format!("{path}.field"),
            format!("{} has no field \"{}\"", source.name, copy.field),
        )),
        Some(_) if copy.field == source.id_name() => out.push(copy_error(
            ".field",
            format!(
                "\"{}\" is {}'s id, which never changes: copy it through \"{}\" itself",
                copy.field, source.name, copy.via
            ),
        )),
        Some(s) if s.copy_of.is_some() => out.push(copy_error(
            ".field",
            format!(
                "{}.{} is a copy itself: copy its source instead",
                source.name, copy.field
            ),
        )),
        Some(s) if s.ty != field.ty => out.push(copy_error(
            "",
            format!(
                "\"{}\" has type {} and {}.{} type {}: a copy has its source's type",
                field.name, field.ty, source.name, copy.field, s.ty
            ),
        )),
        Some(_) => {}
    }
    if copy.entity == entity.name && copy.field == field.name {
        out.push(copy_error(
            "",
            format!("\"{}\" cannot be a copy of itself", field.name),
        ));
    }
    if copy.via == field.name {
        out.push(copy_error(
            ".via",
            format!(
                "\"{}\" cannot say which {} it copies: it is the copy",
                field.name, source.name
            ),
        ));
    } else if !design.via_reaches_source(entity, copy) {
        out.push(copy_error(
            ".via",
            format!(
                "\"{}\" does not lead from a {} to a {}: name a field of {} that references {} (type ref {}) or the reference of a relationship from {}",
                copy.via, source.name, entity.name, entity.name, source.name, source.name, source.name
            ),
        ));
    }
}

/// A `copyOf` inside an embedded object is not supported: a copy is a
/// top-level field of its entity (an entity stored inside another is an
/// entity of its own, with its own copies).
fn nested_copies(ty: &FieldType, path: &str, depth: usize, out: &mut Vec<Finding>) {
    if depth > super::MAX_TYPE_DEPTH {
        return;
    }
    match ty {
        FieldType::Array(item) => nested_copies(item, &format!("{path}.array"), depth + 1, out),
        FieldType::Object(fields) => {
            for (k, f) in fields.iter().enumerate() {
                let at = format!("{path}.object[{k}]");
                if f.copy_of.is_some() {
                    out.push(Finding::error(
                        "invalid-copy",
                        format!("{at}.copyOf"),
                        format!(
                            "\"{}\" is inside an object: only a top-level field can be a copy",
                            f.name
                        ),
                    ));
                }
                nested_copies(&f.ty, &format!("{at}.type"), depth + 1, out);
            }
        }
        _ => {}
    }
}

/// Renames the entity `old` to `new` in every copy's source.
pub(super) fn rename_entity(design: &mut Design, old: &str, new: &str) {
    for e in &mut design.entities {
        for f in &mut e.fields {
            if let Some(c) = f.copy_of.as_mut().filter(|c| c.entity == old) {
                c.entity = new.to_string();
            }
        }
    }
}

/// Renames the top-level field `old` of `entity` to `new` where a copy names
/// it: as its source's field, or as its own entity's `via`.
pub(super) fn rename_field(design: &mut Design, entity: &str, old: &str, new: &str) {
    for e in &mut design.entities {
        let own = e.name == entity;
        for f in &mut e.fields {
            let Some(c) = f.copy_of.as_mut() else {
                continue;
            };
            if c.entity == entity && c.field == old {
                c.field = new.to_string();
            }
            if own && c.via == old {
                c.via = new.to_string();
            }
        }
    }
}
