//! Secondary indexes: the local index that re-sorts a partition, the declared
//! index keyed by a field, the overloaded global indexes (`GSI1PK`/`GSI1SK`)
//! shared between entities, and the inverted index of many-to-many links.

use super::keys::{link_keys, link_name, Home};
use super::plan::Path;
use super::{Deriver, IndexKeys};
use crate::model::*;
use crate::names::{self, key_prefix};

/// A secondary index as planning builds it: which entities' items it holds,
/// with which key templates, and which patterns it serves.
#[derive(Clone, Debug)]
pub(super) struct IndexDraft {
    pub(super) name: String,
    pub(super) local: bool,
    pub(super) declared: bool,
    pub(super) pk_attr: String,
    pub(super) sk_attr: Option<String>,
    /// (entity, pk template, sk template)
    pub(super) mappings: Vec<(String, String, Option<String>)>,
    pub(super) serves: Vec<String>,
    pub(super) reasons: Vec<String>,
    pub(super) sparse: bool,
    /// What the index copies from the items, decided once planning is done
    /// (`projection::project_indexes`), and why.
    pub(super) projection: Projection,
    pub(super) projection_reason: String,
}

/// What a local index costs, said wherever the choice between a local and a
/// global index is explained.
const LOCAL_INDEX_COSTS: &str = "a local index can only be created with the table, limits each item collection (all items of one partition key value) to 10 GB, and shares the partition's throughput with the table";

impl Deriver<'_> {
    pub(super) fn local_index(
        &mut self,
        entity: &Entity,
        home: &Home,
        sort: &str,
        pattern: &AccessPattern,
    ) -> Path {
        let sk = format!("{}#<{sort}>", key_prefix(&entity.name));
        let existing = self.indexes.iter_mut().find(|i| {
            i.local
                && i.mappings
                    .iter()
                    .any(|(e, _, s)| *e == entity.name && s.as_deref() == Some(sk.as_str()))
        });

        let name = match existing {
            Some(i) => {
                i.serves.push(pattern.name.clone());
                i.name.clone()
            }
            None => {
                let reason = format!(
                    "\"{}\" reads the same partition as the table ({}) sorted by {sort}, strongly consistent, which only a local index gives: it re-sorts the item collection; {LOCAL_INDEX_COSTS}",
                    pattern.name, home.pk
                );
                let mapping = (entity.name.clone(), home.pk.clone(), Some(sk.clone()));
                // Items without the sort attribute stay out of a local index too.
                self.add_to_index(true, mapping, &pattern.name, reason, true)
            }
        };
        Path::Index {
            name,
            pk: home.pk.clone(),
            sk: Some(sk),
            raw: false,
        }
    }

    pub(super) fn global_index(
        &mut self,
        entity: &Entity,
        pattern: &AccessPattern,
        sort: Option<&str>,
    ) -> Path {
        if let Some(path) = self.declared_index(entity, pattern, sort) {
            return path;
        }
        let eq = &pattern.equality;
        let pk = eq
            .iter()
            .map(|f| self.key_part(entity, f, pattern.case_insensitive))
            .collect::<Vec<_>>()
            .join("#");
        let prefix = key_prefix(&entity.name);
        let sk = match sort {
            Some(s) => format!("{prefix}#<{s}>"),
            None => prefix.clone(),
        };
        // Reuse an index this entity already maps with the same keys.
        if let Some(i) = self.indexes.iter_mut().find(|i| {
            !i.local
                && !i.declared
                && i.mappings.iter().any(|(e, p, s)| {
                    *e == entity.name
                        && *p == pk
                        && (sort.is_none() || s.as_deref() == Some(sk.as_str()))
                })
        }) {
            i.serves.push(pattern.name.clone());
            i.reasons.push(format!("also serves \"{}\"", pattern.name));
            let sk = i
                .mappings
                .iter()
                .find(|(e, p, _)| *e == entity.name && *p == pk)
                .and_then(|(_, _, s)| s.clone());
            return Path::Index {
                name: i.name.clone(),
                pk,
                sk,
                raw: false,
            };
        }
        let optional: Vec<&str> = eq
            .iter()
            .filter(|f| entity.field_path(f).is_some_and(|x| !x.required))
            .map(String::as_str)
            .collect();
        let reason = self.global_index_reason(entity, pattern, sort, &optional);
        let mapping = (entity.name.clone(), pk.clone(), Some(sk.clone()));
        let name = self.add_to_index(false, mapping, &pattern.name, reason, !optional.is_empty());
        Path::Index {
            name,
            pk,
            sk: Some(sk),
            raw: false,
        }
    }

    /// A global index for a pattern that re-sorts its own partition but reads
    /// eventually consistent: a local index would serve it, and the reason says
    /// why it is not one.
    pub(super) fn global_index_not_local(
        &mut self,
        entity: &Entity,
        pattern: &AccessPattern,
        sort: &str,
    ) -> Path {
        let path = self.global_index(entity, pattern, Some(sort));
        if let Path::Index { name, .. } = &path {
            if let Some(i) = self.indexes.iter_mut().find(|i| i.name == *name) {
                i.reasons.push(format!(
                    "a global rather than a local index for \"{}\": it reads eventually consistent (say consistency: strong for a local one), and {LOCAL_INDEX_COSTS}",
                    pattern.name
                ));
            }
        }
        path
    }

    /// A declared index whose partition key is the one bound field itself (the EmailIndex).
    fn declared_index(
        &mut self,
        entity: &Entity,
        pattern: &AccessPattern,
        sort: Option<&str>,
    ) -> Option<Path> {
        let [field] = pattern.equality.as_slice() else {
            return None;
        };
        // The index holds the value as it is: a case-insensitive look-up of text
        // needs a key holding it lowercased.
        let text = entity
            .field_path(field)
            .is_some_and(|f| f.ty == FieldType::String);
        if pattern.case_insensitive && text {
            return None;
        }
        // Every item holding the attribute is in the index: when another entity
        // has a field of that name too, a Query would return its items as well.
        let shared = self
            .design
            .entities
            .iter()
            .any(|e| e.name != entity.name && e.field_path(field).is_some());
        if shared {
            return None;
        }
        let i = self.indexes.iter_mut().find(|i| {
            i.declared
                && !i.local
                && i.pk_attr == *field
                && match (&i.sk_attr, sort) {
                    (None, None) => true,
                    (Some(s), Some(want)) => s == want,
                    (Some(_), None) => true,
                    (None, Some(_)) => false,
                }
        })?;
        if !i.mappings.iter().any(|(e, _, _)| *e == entity.name) {
            i.mappings.push((
                entity.name.clone(),
                format!("<{field}>"),
                i.sk_attr.as_ref().map(|s| format!("<{s}>")),
            ));
        }
        let required = entity.field_path(field).is_some_and(|f| f.required);
        i.sparse |= !required;
        i.serves.push(pattern.name.clone());
        let text = entity
            .field_path(field)
            .is_some_and(|f| matches!(f.ty, FieldType::String | FieldType::Binary));
        i.reasons.push(format!(
            "\"{}\" looks {} up by {field}, the index's partition key{}",
            pattern.name,
            names::plural(&names::words(&entity.name)),
            if text {
                format!(": DynamoDB refuses an empty value as a key, so {field} is never empty (the application rejects an empty {field} before it writes or looks one up)")
            } else {
                String::new()
            }
        ));
        Some(Path::Index {
            name: i.name.clone(),
            pk: format!("<{field}>"),
            sk: i.sk_attr.as_ref().map(|s| format!("<{s}>")),
            raw: true,
        })
    }

    /// Why a new overloaded index serves the pattern.
    fn global_index_reason(
        &self,
        entity: &Entity,
        pattern: &AccessPattern,
        sort: Option<&str>,
        optional: &[&str],
    ) -> String {
        let eq = &pattern.equality;
        let mut r = format!(
            "\"{}\" finds {} by {}",
            pattern.name,
            names::plural(&names::words(&entity.name)),
            eq.join(" and ")
        );
        if let Some(s) = sort {
            r.push_str(&format!(", sorted by {s}"));
        }
        let parent_home = self.home_of(&entity.name).and_then(|h| h.parent.as_deref());
        let by_own_id = eq.len() == 1 && eq.first().is_some_and(|f| *f == entity.id_name());
        if let (Some(parent), true) = (parent_home, by_own_id) {
            r.push_str(&format!(
                ": the items live in their {}'s partition, so reaching one by its own id takes an index keyed the other way round",
                names::words(parent)
            ));
        }
        if !optional.is_empty() {
            r.push_str(&format!(
                "; sparse: only items with {} are in it",
                optional.join(", ")
            ));
        }
        r
    }

    /// Puts a mapping into the first derived index of its kind (local or
    /// global) that holds none of the entity's items yet, overloading it, or
    /// into a new one (`GSI<n>` with `GSI<n>PK` / `GSI<n>SK`, `LSI<n>` with
    /// `LSI<n>SK`); the index then serves `pattern`. Returns the index's name.
    fn add_to_index(
        &mut self,
        local: bool,
        mapping: (String, String, Option<String>),
        pattern: &str,
        reason: String,
        sparse: bool,
    ) -> String {
        let slot = self.indexes.iter_mut().find(|i| {
            i.local == local && !i.declared && !i.mappings.iter().any(|(e, _, _)| *e == mapping.0)
        });
        if let Some(i) = slot {
            i.mappings.push(mapping);
            i.serves.push(pattern.to_string());
            i.reasons.push(reason);
            i.sparse |= sparse;
            return i.name.clone();
        }
        let n = self
            .indexes
            .iter()
            .filter(|i| i.local == local && !i.declared)
            .count()
            + 1;
        let (name, pk_attr, sk_attr) = if local {
            (
                format!("LSI{n}"),
                self.design.dynamo.partition_key.clone(),
                format!("LSI{n}SK"),
            )
        } else {
            (format!("GSI{n}"), format!("GSI{n}PK"), format!("GSI{n}SK"))
        };
        self.indexes.push(IndexDraft {
            name: name.clone(),
            local,
            declared: false,
            pk_attr,
            sk_attr: Some(sk_attr),
            mappings: vec![mapping],
            serves: vec![pattern.to_string()],
            reasons: vec![reason],
            sparse,
            projection: Projection::All,
            projection_reason: String::new(),
        });
        name
    }

    /// The overloaded index that reads a many-to-many relationship's link items
    /// from the `to` side: its keys are the link's keys swapped.
    pub(super) fn inverted_link_index(
        &mut self,
        relationship: usize,
        pattern: &AccessPattern,
    ) -> String {
        let Some(rel) = self.design.relationships.get(relationship) else {
            return String::new();
        };
        let link = link_name(rel);
        let (pk, sk) = link_keys(rel);
        if let Some(i) = self
            .indexes
            .iter_mut()
            .find(|i| i.mappings.iter().any(|(e, _, _)| *e == link))
        {
            i.serves.push(pattern.name.clone());
            i.reasons.push(format!("also serves \"{}\"", pattern.name));
            return i.name.clone();
        }
        let reason = format!(
            "\"{}\" reads the {link} link items from the {} side: the index swaps their keys ({sk} / {pk}), the inverted index of the adjacency list",
            pattern.name,
            names::words(&rel.to)
        );
        self.add_to_index(false, (link, sk, Some(pk)), &pattern.name, reason, false)
    }

    pub(super) fn index_keys(&self, entity: &str) -> Vec<IndexKeys> {
        self.indexes
            .iter()
            .flat_map(|i| {
                i.mappings
                    .iter()
                    .filter(move |(e, _, _)| e == entity)
                    .map(move |(_, pk, sk)| IndexKeys {
                        index: i.name.clone(),
                        pk: pk.clone(),
                        sk: sk.clone(),
                        projected_bytes: self.projected_bytes_of(entity, i),
                    })
            })
            .collect()
    }
}
