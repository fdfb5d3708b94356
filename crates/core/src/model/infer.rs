//! What a design implies but does not say yet: the relationship a `ref` field
//! stands for, with a first guess of its cardinality that the user can change.

use super::relations::reference_field;
use super::{Cardinality, Design, FieldType, Relationship};

/// A relationship a `ref` field implies, with the field that implies it.
#[derive(Clone, Debug, PartialEq)]
pub struct Implied {
    /// The entity holding the `ref` field.
    pub entity: String,
    pub field: String,
    pub relationship: Relationship,
}

/// Every relationship implied by a top-level `ref` field (or array of them)
/// that no relationship of the design stands for yet, in the order of the
/// entities and their fields.
///
/// A `ref<User>` in `Post` is a child's reference to its parent: one `User`
/// has many `Post`s, about `Post`'s volume over `User`'s each (one-to-one
/// when the reference is unique). An array of `ref<Tag>` in `Post` is a
/// many-to-many pair kept on the `Post` side.
pub fn implied_relationships(design: &Design) -> Vec<Implied> {
    let mut out = Vec::new();
    for entity in &design.entities {
        for field in &entity.fields {
            let (target, many) = match &field.ty {
                FieldType::Ref(target) => (target, false),
                FieldType::Array(item) => match item.as_ref() {
                    FieldType::Ref(target) => (target, true),
                    _ => continue,
                },
                _ => continue,
            };
            let Some(parent) = design.entity(target) else {
                continue;
            };
            let relationship = if many {
                Relationship {
                    from: entity.name.clone(),
                    to: parent.name.clone(),
                    cardinality: Cardinality::ManyToMany,
                    expected_count: ARRAY_GUESS,
                    read_together: false,
                    field: Some(field.name.clone()),
                    embed: None,
                    on_delete: None,
                }
            } else {
                let per_parent = match entity.volume.checked_div(parent.volume) {
                    Some(n) => n.max(1),
                    None => DEFAULT_GUESS,
                };
                Relationship {
                    from: parent.name.clone(),
                    to: entity.name.clone(),
                    cardinality: if field.unique {
                        Cardinality::OneToOne
                    } else {
                        Cardinality::OneToMany
                    },
                    expected_count: if field.unique { 1 } else { per_parent },
                    read_together: false,
                    field: Some(field.name.clone()),
                    embed: None,
                    on_delete: None,
                }
            };
            let said = design.relationships.iter().any(|r| {
                r.from == relationship.from
                    && r.to == relationship.to
                    && reference_field(r) == field.name
            });
            if !said {
                out.push(Implied {
                    entity: entity.name.clone(),
                    field: field.name.clone(),
                    relationship,
                });
            }
        }
    }
    out
}

/// Children per parent when the parent's volume says nothing (it is zero).
const DEFAULT_GUESS: u64 = 10;
/// Ids an array of references holds, as a first guess.
const ARRAY_GUESS: u64 = 5;
