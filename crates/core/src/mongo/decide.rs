//! Embed or reference: one decision per relationship, with the reason a
//! learner reads, and how a referenced relationship is stored.
//!
//! The rules follow MongoDB's schema design guidance: embed one-to-one and
//! one-to-few data that is read together with its parent; reference
//! one-to-many and many-to-many data, and anything that grows without bound
//! or is read on its own; never let a document approach the 16 MB limit.

use super::shape::entity_bytes;
use super::{collection_of, EmbedDecision, FEW_LIMIT, MAX_DOCUMENT_BYTES};
use crate::model::relations::{embedded_field, many_to_many_read, reference_field};
use crate::model::*;
use crate::names;
use crate::sample::SampleContext;

/// The relationships whose children are referenced but read together with
/// the parent: (child collection, the child's reference field, the name to join as).
pub(crate) fn lookups(
    design: &Design,
    decisions: &[EmbedDecision],
    parent: &str,
) -> Vec<(String, String, String)> {
    decisions
        .iter()
        .filter(|d| !d.embed && d.from == parent && d.to != parent)
        .filter_map(|d| {
            let rel = design.relationships.get(d.relationship)?;
            if !rel.read_together || rel.cardinality == Cardinality::ManyToMany {
                return None;
            }
            let (holder, field, _, _) = reference(rel);
            if holder != rel.to {
                return None;
            }
            Some((
                collection_of(design, &rel.to),
                field,
                names::plural(&lower_first(&rel.to)),
            ))
        })
        .collect()
}

/// How a referenced relationship is stored: the entity holding the reference,
/// the field, the entity referenced, and whether the field is an array of ids.
/// Many-to-many keeps the id array on the side with few (`courseIds` in a
/// student), or on the other side when there are many.
pub fn reference(rel: &Relationship) -> (String, String, String, bool) {
    match rel.cardinality {
        Cardinality::ManyToMany if rel.expected_count <= FEW_LIMIT => (
            rel.from.clone(),
            rel.field
                .clone()
                .unwrap_or_else(|| format!("{}Ids", lower_first(&rel.to))),
            rel.to.clone(),
            true,
        ),
        Cardinality::ManyToMany => (
            rel.to.clone(),
            format!("{}Ids", lower_first(&rel.from)),
            rel.from.clone(),
            true,
        ),
        _ => (
            rel.to.clone(),
            reference_field(rel),
            rel.from.clone(),
            false,
        ),
    }
}

/// How a pattern that lists one side of a many-to-many relationship by the
/// other side's id reads in MongoDB.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum ManyRead {
    /// The read entity holds the id array: a multikey index on it serves the query.
    Multikey(String),
    /// The other side holds the id array: read it, then `$in` on `_id`.
    ViaOther {
        collection: String,
        field: String,
        other: String,
    },
}

pub(crate) fn many_read(design: &Design, pattern: &AccessPattern) -> Option<ManyRead> {
    let (i, forward) = many_to_many_read(design, pattern)?;
    let rel = design.relationships.get(i)?;
    let (holder, field, _, _) = reference(rel);
    let other = if forward { &rel.from } else { &rel.to };
    if holder == pattern.entity {
        Some(ManyRead::Multikey(field))
    } else {
        Some(ManyRead::ViaOther {
            collection: collection_of(design, other),
            field,
            other: other.clone(),
        })
    }
}

/// Whether the child entity is read on its own, not through its parent:
/// some pattern on it binds a field other than the parent's reference.
fn read_on_its_own(design: &Design, rel: &Relationship) -> bool {
    let fk = reference_field(rel);
    design.access_patterns.iter().any(|p| {
        p.entity == rel.to
            && !matches!(p.kind, PatternKind::Insert)
            && !p.equality.is_empty()
            && !p.equality.iter().all(|f| *f == fk)
    })
}

/// How a decision's reason names the two sides: `user`, `posts`, ` (about 20 per user)`.
struct Words {
    parent: String,
    children: String,
    about: String,
}

impl Words {
    fn of(rel: &Relationship) -> Self {
        let parent = names::words(&rel.from);
        let about = if rel.expected_count > 0 {
            format!(" (about {} per {parent})", rel.expected_count)
        } else {
            String::new()
        };
        Words {
            children: names::plural(&names::words(&rel.to)),
            parent,
            about,
        }
    }
}

/// The embed-or-reference decision of every relationship.
pub(super) fn decide(design: &Design, ctx: &SampleContext<'_>) -> Vec<EmbedDecision> {
    let mut embedded_children: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for (i, rel) in design.relationships.iter().enumerate() {
        let (Some(_), Some(child)) = (design.entity(&rel.from), design.entity(&rel.to)) else {
            continue;
        };
        let words = Words::of(rel);
        let already_embedded = embedded_children.contains(&rel.to.as_str());
        let (embed, reason) = match settled(rel, &out, already_embedded, &words) {
            Some(decision) => decision,
            None => by_size_and_cardinality(design, ctx, rel, child, &words),
        };
        if embed {
            embedded_children.push(&rel.to);
        }
        let path = if embed {
            format!(
                "{}.{}",
                collection_of(design, &rel.from),
                embedded_field(design, rel)
            )
        } else {
            let (holder, field, _, _) = reference(rel);
            format!("{}.{field}", collection_of(design, &holder))
        };
        out.push(EmbedDecision {
            relationship: i,
            from: rel.from.clone(),
            to: rel.to.clone(),
            embed,
            path,
            reason,
        });
    }
    out
}

/// A decision the layout's shape or the user settles before size and
/// cardinality are weighed: a relationship of an entity with itself, embedding
/// that would go round in a circle, children embedded elsewhere already, the
/// user's own choice.
fn settled(
    rel: &Relationship,
    decided: &[EmbedDecision],
    already_embedded: bool,
    words: &Words,
) -> Option<(bool, String)> {
    let Words {
        parent, children, ..
    } = words;
    Some(if rel.from == rel.to {
        (
            false,
            format!(
                "{children} reference other {children}: a document cannot contain its own kind without limit"
            ),
        )
    } else if embeds_into(decided, &rel.from, &rel.to) {
        (
            false,
            format!(
                "{children} are referenced: the {parent} is already stored inside a {}, and embedding each in the other has no end",
                names::words(&rel.to)
            ),
        )
    } else if already_embedded && rel.embed != Some(false) {
        (
            false,
            format!(
                "{children} are already embedded elsewhere; here they are referenced, so each has one home"
            ),
        )
    } else if rel.cardinality == Cardinality::ManyToMany && rel.embed == Some(true) {
        (
            false,
            format!(
                "{children} are referenced although you chose to embed them: many-to-many, each {} belongs to many {}, and a copy inside each would have no single home to insert, update or delete",
                names::words(&rel.to),
                names::plural(parent)
            ),
        )
    } else {
        let choice = rel.embed?;
        let verb = if choice { "embed" } else { "reference" };
        (
            choice,
            format!("you chose to {verb} {children} in {parent} documents"),
        )
    })
}

/// The decision by MongoDB's guidance: never near the 16 MB limit; embed
/// one-to-one and one-to-few data read with its parent; reference the rest.
fn by_size_and_cardinality(
    design: &Design,
    ctx: &SampleContext<'_>,
    rel: &Relationship,
    child: &Entity,
    words: &Words,
) -> (bool, String) {
    let Words {
        parent,
        children,
        about,
    } = words;
    let count = rel.expected_count;
    let child_bytes = entity_bytes(ctx, child);
    if child_bytes.saturating_mul(count.max(1)).saturating_mul(4) > MAX_DOCUMENT_BYTES {
        return (
            false,
            format!(
                "{children} are referenced: {count} of about {child_bytes} bytes each would bring a {parent} document near MongoDB's 16 MB limit"
            ),
        );
    }
    let own = read_on_its_own(design, rel);
    match rel.cardinality {
        Cardinality::ManyToMany => (
            false,
            if count <= FEW_LIMIT {
                format!(
                    "many-to-many{about}: {children} are shared, so they keep their own collection and each {parent} holds an array of their ids"
                )
            } else {
                format!(
                    "many-to-many{about}: {children} are shared and too many to list in the {parent}, so each {} holds the ids of its {}",
                    names::words(&rel.to),
                    names::plural(parent)
                )
            },
        ),
        Cardinality::OneToOne if rel.read_together || !own => (
            true,
            format!(
                "the {} is embedded in the {parent}: one-to-one{}, so one read returns both",
                names::words(&rel.to),
                if rel.read_together { " and read together" } else { "" }
            ),
        ),
        Cardinality::OneToOne => (
            false,
            format!(
                "the {} is referenced: one-to-one but read on its own, so the {parent} stays small",
                names::words(&rel.to)
            ),
        ),
        Cardinality::OneToFew if count > FEW_LIMIT => (
            false,
            format!(
                "{children} are referenced: {count} per {parent} is more than a few, and an embedded array that long slows every read and update"
            ),
        ),
        Cardinality::OneToFew if rel.read_together || !own => (
            true,
            format!(
                "{children} are embedded in {}: one-to-few{about}, {}",
                names::plural(parent),
                if rel.read_together {
                    format!("always read with the {parent}")
                } else {
                    format!("never read without the {parent}")
                }
            ),
        ),
        Cardinality::OneToFew => (
            false,
            format!(
                "{children} are referenced: one-to-few, but read on their own and not with the {parent}"
            ),
        ),
        Cardinality::OneToMany => (
            false,
            format!(
                "{children} reference their {parent}: one-to-many{about} and growing, so an embedded array would be unbounded{}",
                if rel.read_together {
                    format!("; a second query on the indexed reference fetches them with the {parent} (or embed only the latest few, the subset pattern)")
                } else {
                    format!("; {children} are read on their own")
                }
            ),
        ),
    }
}

/// Whether `entity` already sits, directly or further down, inside `ancestor`'s documents.
fn embeds_into(decisions: &[EmbedDecision], entity: &str, ancestor: &str) -> bool {
    let mut current = entity.to_string();
    for _ in 0..=decisions.len() {
        match decisions.iter().find(|d| d.embed && d.to == current) {
            Some(d) if d.from == ancestor => return true,
            Some(d) => current = d.from.clone(),
            None => return false,
        }
    }
    false
}
