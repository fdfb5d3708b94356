//! The access path of each pattern: the table's key, a Query on a partition
//! or an index, a many-to-many read through link items, a put, a write inside
//! the parent's item, or a flagged Scan. Planning registers the indexes the
//! patterns need.

use std::collections::BTreeSet;

use super::keys::{constant_prefix, template_fields, Home};
use super::Deriver;
use crate::model::relations::many_to_many_read;
use crate::model::*;

/// How an access pattern reaches its items.
#[derive(Clone, Debug)]
pub(super) enum Path {
    /// The table's own key, fully bound.
    Key,
    /// A Query on the table's partition, with an optional sort key prefix.
    TablePartition {
        sk_prefix: Option<String>,
    },
    /// A Query on an index (its name, pk template, sk template).
    Index {
        name: String,
        pk: String,
        sk: Option<String>,
        raw: bool,
    },
    Scan {
        why: String,
    },
    Put,
    /// A write to children stored inside the parent's item.
    Embedded {
        attribute: String,
    },
    /// A count or an aggregate read from counter items (`counter.rs`): one
    /// GetItem of a group (`get`), or one Query of every group.
    Counter {
        get: bool,
    },
    /// A many-to-many read through link items: forward from the `from` side's
    /// partition, or backward through the inverted index.
    Link {
        relationship: usize,
        forward: bool,
        index: Option<String>,
    },
}

#[derive(Clone, Debug)]
pub(super) struct Plan {
    pub(super) path: Path,
}

/// How a record is stored: inside its parent's item, or put as an item of its own.
pub(super) fn write_path(home: &Home) -> Path {
    match &home.embedded {
        Some(attribute) => Path::Embedded {
            attribute: attribute.clone(),
        },
        None => Path::Put,
    }
}

impl Deriver<'_> {
    pub(super) fn plan(&mut self, pattern: &AccessPattern) -> Option<Plan> {
        let entity = self.design.entity(&pattern.entity)?;
        let home = self.home_of(&entity.name)?.clone();
        let pk_fields = template_fields(&home.pk);
        let sk_fields = template_fields(&home.sk);
        let id = entity.id_name();
        let bound: BTreeSet<&str> = pattern.equality.iter().map(String::as_str).collect();
        // A case-insensitive look-up binds a text field only through a key that
        // holds the lowercased value (`<email|lower>`).
        let exact_text = |f: &String| {
            pattern.case_insensitive
                && entity
                    .field_path(f)
                    .is_some_and(|x| x.ty == FieldType::String)
                && !home.pk.contains(&format!("<{f}|lower>"))
                && !home.sk.contains(&format!("<{f}|lower>"))
        };
        let binds = |fields: &[String]| {
            fields.iter().all(|f| {
                (bound.contains(f.as_str()) || bound.contains("_id") && *f == id) && !exact_text(f)
            })
        };
        let sort_field = pattern
            .sort
            .as_ref()
            .map(|s| s.field.clone())
            .or(pattern.range.clone());
        if let Some((relationship, forward)) = many_to_many_read(self.design, pattern) {
            let index = if forward {
                None
            } else {
                Some(self.inverted_link_index(relationship, pattern))
            };
            return Some(Plan {
                path: Path::Link {
                    relationship,
                    forward,
                    index,
                },
            });
        }
        let counter = self.plan_counter(pattern, &home);
        let note = match counter {
            Ok(path) => return Some(Plan { path }),
            Err(note) => note,
        };
        let path = match pattern.kind {
            PatternKind::Aggregate => Path::Scan {
                why: super::aggregate::scan_reason(pattern, &note),
            },
            _ if home.embedded.is_some() || pattern.kind == PatternKind::Insert => {
                write_path(&home)
            }
            PatternKind::TextSearch => Path::Scan {
                why: "DynamoDB has no text search: this Scan reads the whole table and filters; stream the items to a search service (OpenSearch) instead".to_string(),
            },
            _ if pattern.equality.is_empty() => Path::Scan {
                why: format!(
                    "no field is bound by equality, so nothing can serve as a partition key: the Scan reads every item of the table{}",
                    if sort_field.is_some() { "; for a sorted list of all items, an index with a fixed partition key (write-sharded if busy) would do" } else { "" }
                ),
            },
            PatternKind::GetOne | PatternKind::Update | PatternKind::Delete
                if binds(&pk_fields) && binds(&sk_fields) && bound.len() <= pk_fields.len() + sk_fields.len() =>
            {
                if pattern.kind == PatternKind::GetOne && self.owns_collection(&entity.name) {
                    Path::TablePartition { sk_prefix: None }
                } else {
                    Path::Key
                }
            }
            _ if binds(&pk_fields)
                && bound.iter().all(|f| pk_fields.iter().any(|p| p == f) || sk_fields.iter().any(|p| p == f))
                && sort_field.as_ref().is_none_or(|s| sk_fields.first() == Some(s) || sk_fields.is_empty()) =>
            {
                if pattern.kind == PatternKind::GetOne && self.owns_collection(&entity.name) {
                    Path::TablePartition { sk_prefix: None }
                } else {
                    Path::TablePartition {
                        sk_prefix: Some(constant_prefix(&home.sk).to_string()).filter(|p| !p.is_empty()),
                    }
                }
            }
            _ if binds(&pk_fields) && pk_fields.len() == bound.len() && sort_field.is_some() && self.local_sort(pattern, &home).is_some() => {
                let sort = sort_field.clone().unwrap_or_default();
                let picked = self.design.dynamo.sort_indexes.contains_key(&pattern.name);
                match self.local_sort(pattern, &home) {
                    Some(true) => self.local_index(entity, &home, &sort, pattern),
                    _ if picked => self.global_index(entity, pattern, Some(&sort)),
                    _ => self.global_index_not_local(entity, pattern, &sort),
                }
            }
            _ => self.global_index(entity, pattern, sort_field.as_deref()),
        };
        Some(Plan { path })
    }
}

impl Deriver<'_> {
    /// For a pattern that binds its entity's partition and sorts on another
    /// field, whether a local index serves it (`Some(true)`) or a global one
    /// (`Some(false)`); `None` when a local index is not a candidate. The
    /// user's pick (`dynamo.sortIndexes`) stands; else, when the entity lives
    /// in its parent's item collection, a local index only when the pattern
    /// asks for strong reads, which a global index cannot give: the expert
    /// default is a global one.
    fn local_sort(&self, pattern: &AccessPattern, home: &Home) -> Option<bool> {
        match self.design.dynamo.sort_indexes.get(&pattern.name) {
            Some(IndexScope::Local) => Some(true),
            Some(IndexScope::Global) => Some(false),
            None => home
                .parent
                .is_some()
                .then_some(pattern.consistency == Consistency::Strong),
        }
    }
}
