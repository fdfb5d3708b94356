//! The DynamoDB single-table layout, derived from the access patterns the way
//! the single-table method does it:
//!
//! 1. Every entity gets a key template. An entity read through its parent
//!    (read together, or listed by the parent's id) lives in the parent's item
//!    collection (`POST#<postId>` / `COMMENT#<createdAt>#<commentId>`), sorted
//!    by the field its list pattern sorts on; every other entity gets its own
//!    partition (`USER#<userId>` / `PROFILE`).
//! 2. Each access pattern is then served by the table's key if it binds it,
//!    by a local index if it binds the partition key but sorts differently,
//!    by a declared index (the `EmailIndex` on `email`), or by an overloaded
//!    global index (`GSI1PK`/`GSI1SK`) shared between entities; a pattern that
//!    binds nothing is a flagged Scan.
//! 3. Sort keys hold ISO 8601 dates and zero-padded numbers so text order is
//!    time and number order.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::{json, Map, Value};

mod capacity;

pub use crate::js::js_literal;
pub use crate::model::relations::many_to_many_read;
use crate::model::relations::{pair_id_fields, relationship_field};
use crate::model::validate::placeholders;
use crate::model::*;
use crate::names::{self, key_prefix, upper_first};
use crate::sample::{item_size, SampleContext, Val};
pub use capacity::{request_units, Units, READ_UNIT_BYTES, TARGET_UTILIZATION, WRITE_UNIT_BYTES};

/// DynamoDB's maximum item size.
pub const MAX_ITEM_BYTES: u64 = 400 * 1024;
/// The item-collection size limit of a table with a local secondary index.
pub const LSI_COLLECTION_LIMIT_BYTES: u64 = 10 * 1024 * 1024 * 1024;
pub const MAX_GSIS: usize = 20;
pub const MAX_LSIS: usize = 5;
/// The attribute naming each item's entity, so Scans and exports can tell them apart.
pub const TYPE_ATTRIBUTE: &str = "entityType";

/// The derived single-table layout.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DynamoLayout {
    pub table_name: String,
    pub partition_key: String,
    pub sort_key: String,
    pub entities: Vec<EntityKeys>,
    pub indexes: Vec<DynamoIndex>,
    /// One request per access pattern, in the design's order.
    pub requests: Vec<DynamoRequest>,
    /// Sample items grouped by partition key, as the aggregate view shows them.
    pub item_collections: Vec<ItemCollection>,
    /// The CreateTable input for this layout.
    pub create_table: Value,
    /// How key values are written so they sort (dates, numbers).
    pub key_formats: Vec<String>,
}

/// The keys of one entity's items.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EntityKeys {
    pub entity: String,
    pub pk: String,
    pub sk: String,
    /// The entity whose item collection (or item) holds these items, if not their own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collection_of: Option<String>,
    /// The attribute of the parent's item these are stored in, when embedded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute: Option<String>,
    /// The secondary index keys these items carry.
    pub index_keys: Vec<IndexKeys>,
    pub average_item_bytes: u64,
    pub reason: String,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct IndexKeys {
    pub index: String,
    pub pk: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sk: Option<String>,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DynamoIndex {
    pub name: String,
    /// `global` or `local`.
    pub kind: String,
    pub partition_key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort_key: Option<String>,
    /// Only items that carry the index key appear in it.
    pub sparse: bool,
    /// Whether the user declared it (otherwise derived).
    pub declared: bool,
    pub serves: Vec<String>,
    pub reason: String,
}

/// The one request an access pattern becomes.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DynamoRequest {
    pub pattern: String,
    pub entity: String,
    /// `GetItem`, `Query`, `Scan`, `PutItem`, `UpdateItem`, `DeleteItem`, `TransactWriteItems`.
    pub operation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<String>,
    /// The request in the DynamoDB JSON API shape (AttributeValue JSON).
    pub input: Value,
    /// The same request with the AWS SDK v3 document client (lib-dynamodb).
    pub sdk: String,
    /// Why this request is a problem, when it is one (a Scan, a read before a write).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flag: Option<String>,
    /// Items one request reads (for writes: items it writes).
    pub items: u64,
    /// Bytes one request reads or writes, summed over its items.
    pub bytes: u64,
    /// Global indexes each written item is copied into.
    pub index_writes: u32,
    /// The partition key template the request targets, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partition: Option<String>,
    /// About how many distinct values that partition key has.
    pub partition_values: u64,
}

/// Items sharing one partition key value.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ItemCollection {
    pub pk: String,
    pub items: Vec<Value>,
}

/// Where an entity's items live.
#[derive(Clone, Debug)]
struct Home {
    pk: String,
    sk: String,
    parent: Option<String>,
    /// The list or map attribute of the parent's item holding this entity, when embedded.
    embedded: Option<String>,
    reason: String,
}

#[derive(Clone, Debug)]
struct IndexDraft {
    name: String,
    local: bool,
    declared: bool,
    pk_attr: String,
    sk_attr: Option<String>,
    /// (entity, pk template, sk template)
    mappings: Vec<(String, String, Option<String>)>,
    serves: Vec<String>,
    reasons: Vec<String>,
    sparse: bool,
}

struct Deriver<'a> {
    design: &'a Design,
    ctx: SampleContext<'a>,
    homes: Vec<(String, Home)>,
    indexes: Vec<IndexDraft>,
    /// Average item sizes by entity, valid once the indexes are planned.
    sizes: std::cell::RefCell<Vec<(String, u64)>>,
}

/// Derives the single-table layout.
pub fn layout(design: &Design) -> DynamoLayout {
    let (mut d, plans) = prepare(design, 1, 1000);
    let requests = design
        .access_patterns
        .iter()
        .zip(&plans)
        .filter_map(|(p, plan)| d.request(p, plan.as_ref()?))
        .collect();
    let entities: Vec<EntityKeys> = design
        .entities
        .iter()
        .filter_map(|e| {
            let home = d.home_of(&e.name)?;
            Some(EntityKeys {
                entity: e.name.clone(),
                pk: home.pk.clone(),
                sk: home.sk.clone(),
                collection_of: home.parent.clone(),
                attribute: home.embedded.clone(),
                index_keys: d.index_keys(&e.name),
                average_item_bytes: d.average_item_bytes(e),
                reason: home.reason.clone(),
            })
        })
        .collect();
    let mut entities = entities;
    for rel in design
        .relationships
        .iter()
        .filter(|r| r.cardinality == Cardinality::ManyToMany && r.from != r.to)
    {
        if design.entity(&rel.from).is_none() || design.entity(&rel.to).is_none() {
            continue;
        }
        let link = link_name(rel);
        let (pk, sk) = link_keys(rel);
        let inverted = d.index_keys(&link);
        let reason = format!(
            "many-to-many: each pair is a link item in the {}'s partition (the adjacency list), so one Query lists a {}'s {}{}",
            names::words(&rel.from),
            names::words(&rel.from),
            names::plural(&names::words(&rel.to)),
            match inverted.first() {
                Some(k) => format!("; {} swaps the keys to list a {}'s {}", k.index, names::words(&rel.to), names::plural(&names::words(&rel.from))),
                None => String::new(),
            }
        );
        let bytes = item_size(&d.link_item(rel, 0)) as u64;
        entities.push(EntityKeys {
            entity: link,
            pk,
            sk,
            collection_of: Some(rel.from.clone()),
            attribute: None,
            index_keys: inverted,
            average_item_bytes: bytes,
            reason,
        });
    }
    let indexes = d
        .indexes
        .iter()
        .filter(|i| i.declared || !i.mappings.is_empty())
        .map(|i| DynamoIndex {
            name: i.name.clone(),
            kind: if i.local { "local" } else { "global" }.to_string(),
            partition_key: i.pk_attr.clone(),
            sort_key: i.sk_attr.clone(),
            sparse: i.sparse,
            declared: i.declared,
            serves: i.serves.clone(),
            reason: if i.reasons.is_empty() {
                "declared in the design; no access pattern uses it yet".to_string()
            } else {
                i.reasons.join("; ")
            },
        })
        .collect();
    let create_table = d.create_table();
    let mut layout = DynamoLayout {
        table_name: design.dynamo.table_name.clone(),
        partition_key: design.dynamo.partition_key.clone(),
        sort_key: design.dynamo.sort_key.clone(),
        entities,
        indexes,
        requests,
        item_collections: d.item_collections(2),
        create_table,
        key_formats: d.key_formats(),
    };
    if design.dynamo.billing_mode == BillingMode::Provisioned {
        capacity::provision(design, &mut layout);
    }
    layout
}

/// How an access pattern reaches its items.
#[derive(Clone, Debug)]
enum Path {
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
    /// A many-to-many read through link items: forward from the `from` side's
    /// partition, or backward through the inverted index.
    Link {
        relationship: usize,
        forward: bool,
        index: Option<String>,
    },
}

#[derive(Clone, Debug)]
struct Plan {
    path: Path,
}

fn template_fields(template: &str) -> Vec<String> {
    placeholders(template)
        .unwrap_or_default()
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// The constant text before the first placeholder: `COMMENT#` of `COMMENT#<createdAt>`.
fn constant_prefix(template: &str) -> &str {
    template.split('<').next().unwrap_or("")
}

impl<'a> Deriver<'a> {
    fn home_of(&self, entity: &str) -> Option<&Home> {
        self.homes.iter().find(|(n, _)| n == entity).map(|(_, h)| h)
    }

    /// The attribute of a child holding its parent's id.
    fn parent_key(&self, rel: &Relationship, child: &Entity) -> String {
        if let Some(f) = &rel.field {
            if child.field(f).is_some() {
                return f.clone();
            }
        }
        if let Some(f) = child
            .fields
            .iter()
            .find(|f| f.ty == FieldType::Ref(rel.from.clone()))
        {
            return f.name.clone();
        }
        format!("{}Id", lower_first(&rel.from))
    }

    /// Whether some entity lives in this one's item collection (read together).
    fn owns_collection(&self, entity: &str) -> bool {
        self.design.relationships.iter().any(|r| {
            r.from == entity
                && r.to != entity
                && r.read_together
                && r.cardinality != Cardinality::ManyToMany
                && !embedded_in_item(self.design, r)
        })
    }

    fn own_sk(entity: &Entity) -> String {
        let account = entity.fields.iter().any(|f| {
            f.unique
                && (f.name.to_ascii_lowercase().contains("email")
                    || f.name.eq_ignore_ascii_case("username"))
        });
        if account { "PROFILE" } else { "METADATA" }.to_string()
    }

    fn home(&self, entity: &Entity) -> Home {
        let prefix = key_prefix(&entity.name);
        let id = entity.id_name();
        if let Some(t) = self.design.dynamo.key_templates.get(&entity.name) {
            return Home {
                pk: t.pk.clone(),
                sk: t.sk.clone(),
                parent: None,
                embedded: None,
                reason: "your key template".to_string(),
            };
        }
        let words = names::plural(&names::words(&entity.name));
        if let Some(rel) = self
            .design
            .relationships
            .iter()
            .find(|r| r.to == entity.name && embedded_in_item(self.design, r))
        {
            let parent = self.design.entity(&rel.from).map(|p| self.home(p));
            if let Some(parent) = parent {
                let attr = relationship_field(rel, true);
                return Home {
                    pk: parent.pk,
                    sk: parent.sk,
                    parent: Some(rel.from.clone()),
                    embedded: Some(attr.clone()),
                    reason: format!(
                        "{words} are stored inside each {} item, in its {attr} attribute: {}{}, read with the {} and never on their own, so one item holds both",
                        names::words(&rel.from),
                        rel.cardinality.phrase(),
                        if rel.expected_count > 0 { format!(" (about {})", rel.expected_count) } else { String::new() },
                        names::words(&rel.from)
                    ),
                };
            }
        }
        for rel in &self.design.relationships {
            if rel.to != entity.name
                || rel.from == entity.name
                || rel.cardinality == Cardinality::ManyToMany
            {
                continue;
            }
            if self.design.entity(&rel.from).is_none()
                || self.owns_collection(&entity.name) && !rel.read_together
            {
                continue;
            }
            let fk = self.parent_key(rel, entity);
            let listed = self.design.access_patterns.iter().find(|p| {
                p.entity == entity.name
                    && matches!(p.kind, PatternKind::List | PatternKind::Count)
                    && p.equality.contains(&fk)
                    && p.equality.len() == 1
            });
            if !rel.read_together && listed.is_none() {
                continue;
            }
            // Read by its own id more than through its parent (or strongly): keep its own
            // partition, where GetItem is exact and can be strongly consistent.
            let listing_rate: f64 = self
                .design
                .access_patterns
                .iter()
                .filter(|p| {
                    p.entity == entity.name && !p.kind.is_write() && p.equality.contains(&fk)
                })
                .map(|p| p.requests_per_second)
                .sum();
            let own_gets: Vec<&AccessPattern> = self
                .design
                .access_patterns
                .iter()
                .filter(|p| {
                    p.entity == entity.name
                        && p.kind == PatternKind::GetOne
                        && p.equality == [id.clone()]
                })
                .collect();
            let own_rate: f64 = own_gets.iter().map(|p| p.requests_per_second).sum();
            let strong = own_gets
                .iter()
                .any(|p| p.consistency == Consistency::Strong);
            if !rel.read_together && !own_gets.is_empty() && (own_rate >= listing_rate || strong) {
                continue;
            }
            let sort_field = listed
                .and_then(|p| p.sort.as_ref().map(|s| s.field.clone()).or(p.range.clone()))
                .or_else(|| {
                    // Children read together come back in insertion-time order when they have a date.
                    entity
                        .fields
                        .iter()
                        .find(|f| {
                            f.ty == FieldType::Date && f.name.to_ascii_lowercase().contains("creat")
                        })
                        .map(|f| f.name.clone())
                })
                .filter(|f| *f != id);
            let sk = match &sort_field {
                Some(s) => format!("{prefix}#<{s}>#<{id}>"),
                None => format!("{prefix}#<{id}>"),
            };
            let parent_words = names::words(&rel.from);
            let why = if rel.read_together {
                format!("read together with their {parent_words}")
            } else {
                format!(
                    "listed by {parent_words} (\"{}\")",
                    listed.map(|p| p.name.as_str()).unwrap_or("")
                )
            };
            let order = match &sort_field {
                Some(s) => format!(", sorted by {s}"),
                None => String::new(),
            };
            return Home {
                pk: format!("{}#<{fk}>", key_prefix(&rel.from)),
                sk,
                parent: Some(rel.from.clone()),
                embedded: None,
                reason: format!(
                    "{words} live in their {parent_words}'s item collection: {why}, so one Query on the {parent_words}'s partition returns them{order}"
                ),
            };
        }
        let sk = Self::own_sk(entity);
        let reason = if self.owns_collection(&entity.name) {
            format!(
                "each {} has its own partition, and its own item sorts beside the items read with it",
                names::words(&entity.name)
            )
        } else {
            format!(
                "each {} has its own partition, reached by its id",
                names::words(&entity.name)
            )
        };
        Home {
            pk: format!("{prefix}#<{id}>"),
            sk,
            parent: None,
            embedded: None,
            reason,
        }
    }

    /// The key template part for an equality field: `USER#<authorId>` for a
    /// reference, `CITY#<profile.city>` for a plain field.
    fn key_part(&self, entity: &Entity, field: &str, case_insensitive: bool) -> String {
        let part = self.key_part_exact(entity, field);
        let text = entity
            .field_path(field)
            .is_some_and(|f| f.ty == FieldType::String);
        if case_insensitive && text {
            part.replace(&format!("<{field}>"), &format!("<{field}|lower>"))
        } else {
            part
        }
    }

    fn key_part_exact(&self, entity: &Entity, field: &str) -> String {
        if field == entity.id_name() {
            return format!("{}#<{field}>", key_prefix(&entity.name));
        }
        if let Some(FieldType::Ref(target)) = entity.field_path(field).map(|f| &f.ty) {
            return format!("{}#<{field}>", key_prefix(target));
        }
        let last = field.rsplit('.').next().unwrap_or(field);
        format!("{}#<{field}>", key_prefix(&upper_first(last)))
    }

    fn plan(&mut self, pattern: &AccessPattern) -> Option<Plan> {
        let entity = self.design.entity(&pattern.entity)?;
        let home = self.home_of(&entity.name)?.clone();
        let pk_fields = template_fields(&home.pk);
        let sk_fields = template_fields(&home.sk);
        let id = entity.id_name();
        let bound: BTreeSet<&str> = pattern.equality.iter().map(String::as_str).collect();
        let binds = |fields: &[String]| {
            fields
                .iter()
                .all(|f| bound.contains(f.as_str()) || bound.contains("_id") && *f == id)
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
        let path = match pattern.kind {
            _ if home.embedded.is_some() => Path::Embedded {
                attribute: home.embedded.clone().unwrap_or_default(),
            },
            PatternKind::Insert => Path::Put,
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
            _ if binds(&pk_fields) && pk_fields.len() == bound.len() && sort_field.is_some() && home.parent.is_some() => {
                let sort = sort_field.clone().unwrap_or_default();
                self.local_index(entity, &home, &sort, pattern)
            }
            _ => self.global_index(entity, pattern, sort_field.as_deref()),
        };
        Some(Plan { path })
    }

    fn local_index(
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
        let limit_note = "a table with a local index limits each item collection to 10 GB, and local indexes exist only if created with the table";
        let name = match existing {
            Some(i) => {
                i.serves.push(pattern.name.clone());
                i.name.clone()
            }
            None => {
                let slot = self.indexes.iter_mut().find(|i| {
                    i.local && !i.declared && !i.mappings.iter().any(|(e, _, _)| *e == entity.name)
                });
                let reason = format!(
                    "\"{}\" reads the same partition as the table ({}) sorted by {sort}: a local index re-sorts the item collection; {limit_note}",
                    pattern.name, home.pk
                );
                match slot {
                    Some(i) => {
                        i.mappings
                            .push((entity.name.clone(), home.pk.clone(), Some(sk.clone())));
                        i.serves.push(pattern.name.clone());
                        i.reasons.push(reason);
                        i.name.clone()
                    }
                    None => {
                        let n = self
                            .indexes
                            .iter()
                            .filter(|i| i.local && !i.declared)
                            .count()
                            + 1;
                        let name = format!("LSI{n}");
                        self.indexes.push(IndexDraft {
                            name: name.clone(),
                            local: true,
                            declared: false,
                            pk_attr: self.design.dynamo.partition_key.clone(),
                            sk_attr: Some(format!("LSI{n}SK")),
                            mappings: vec![(
                                entity.name.clone(),
                                home.pk.clone(),
                                Some(sk.clone()),
                            )],
                            serves: vec![pattern.name.clone()],
                            reasons: vec![reason],
                            sparse: true,
                        });
                        name
                    }
                }
            }
        };
        Path::Index {
            name,
            pk: home.pk.clone(),
            sk: Some(sk),
            raw: false,
        }
    }

    fn global_index(
        &mut self,
        entity: &Entity,
        pattern: &AccessPattern,
        sort: Option<&str>,
    ) -> Path {
        let eq = &pattern.equality;
        // A declared index whose partition key is the bound field itself (the EmailIndex).
        if let [field] = eq.as_slice() {
            let declared = self.indexes.iter_mut().find(|i| {
                i.declared
                    && !i.local
                    && i.pk_attr == *field
                    && match (&i.sk_attr, sort) {
                        (None, None) => true,
                        (Some(s), Some(want)) => s == want,
                        (Some(_), None) => true,
                        (None, Some(_)) => false,
                    }
            });
            if let Some(i) = declared {
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
                i.reasons.push(format!(
                    "\"{}\" looks {} up by {field}, the index's partition key",
                    pattern.name,
                    names::plural(&names::words(&entity.name))
                ));
                return Path::Index {
                    name: i.name.clone(),
                    pk: format!("<{field}>"),
                    sk: i.sk_attr.as_ref().map(|s| format!("<{s}>")),
                    raw: true,
                };
            }
        }
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
        let optional: Vec<&String> = eq
            .iter()
            .filter(|f| entity.field_path(f).is_some_and(|x| !x.required))
            .collect();
        let table_sk = self
            .home_of(&entity.name)
            .map(|h| h.sk.clone())
            .unwrap_or_default();
        let parent_home = self.home_of(&entity.name).and_then(|h| h.parent.clone());
        let by_own_id = eq.len() == 1 && eq.first().is_some_and(|f| *f == entity.id_name());
        let inverted = parent_home.is_some() && by_own_id;
        let _ = &table_sk;
        let reason = {
            let mut r = format!(
                "\"{}\" finds {} by {}",
                pattern.name,
                names::plural(&names::words(&entity.name)),
                eq.join(" and ")
            );
            if let Some(s) = sort {
                r.push_str(&format!(", sorted by {s}"));
            }
            if inverted {
                r.push_str(&format!(
                    ": the items live in their {}'s partition, so reaching one by its own id takes an index keyed the other way round",
                    names::words(parent_home.as_deref().unwrap_or(""))
                ));
            }
            if !optional.is_empty() {
                let names: Vec<&str> = optional.iter().map(|s| s.as_str()).collect();
                r.push_str(&format!(
                    "; sparse: only items with {} are in it",
                    names.join(", ")
                ));
            }
            r
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
        // Overload the first derived index this entity does not use yet.
        let slot = self.indexes.iter_mut().find(|i| {
            !i.local && !i.declared && !i.mappings.iter().any(|(e, _, _)| *e == entity.name)
        });
        let name = match slot {
            Some(i) => {
                i.mappings
                    .push((entity.name.clone(), pk.clone(), Some(sk.clone())));
                i.serves.push(pattern.name.clone());
                i.reasons.push(reason);
                i.sparse |= !optional.is_empty();
                i.name.clone()
            }
            None => self.new_gsi(
                (entity.name.clone(), pk.clone(), Some(sk.clone())),
                &pattern.name,
                reason,
                !optional.is_empty(),
            ),
        };
        Path::Index {
            name,
            pk,
            sk: Some(sk),
            raw: false,
        }
    }

    /// Adds the next overloaded global index (`GSI<n>` with `GSI<n>PK` / `GSI<n>SK`) holding one
    /// mapping, serving `pattern`; returns its name.
    fn new_gsi(
        &mut self,
        mapping: (String, String, Option<String>),
        pattern: &str,
        reason: String,
        sparse: bool,
    ) -> String {
        let n = self
            .indexes
            .iter()
            .filter(|i| !i.local && !i.declared)
            .count()
            + 1;
        let name = format!("GSI{n}");
        self.indexes.push(IndexDraft {
            name: name.clone(),
            local: false,
            declared: false,
            pk_attr: format!("GSI{n}PK"),
            sk_attr: Some(format!("GSI{n}SK")),
            mappings: vec![mapping],
            serves: vec![pattern.to_string()],
            reasons: vec![reason],
            sparse,
        });
        name
    }

    /// The overloaded index that reads a many-to-many relationship's link items
    /// from the `to` side: its keys are the link's keys swapped.
    fn inverted_link_index(&mut self, relationship: usize, pattern: &AccessPattern) -> String {
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
        let slot = self
            .indexes
            .iter_mut()
            .find(|i| !i.local && !i.declared && !i.mappings.iter().any(|(e, _, _)| *e == link));
        match slot {
            Some(i) => {
                i.mappings.push((link, sk, Some(pk)));
                i.serves.push(pattern.name.clone());
                i.reasons.push(reason);
                i.name.clone()
            }
            None => self.new_gsi((link, sk, Some(pk)), &pattern.name, reason, false),
        }
    }

    /// Link item `index` of a many-to-many relationship, keys first.
    fn link_item(&self, rel: &Relationship, index: u64) -> Vec<(String, Val)> {
        let (pk, sk) = link_keys(rel);
        let (from_id, to_id) = pair_id_fields(rel);
        let mut rng = crate::sample::Rng::for_record(self.ctx.seed, &link_name(rel), index);
        let a = self
            .ctx
            .id(&rel.from, index % self.ctx.count(&rel.from).max(1));
        let b = if index == 0 {
            self.ctx.id(&rel.to, 0)
        } else {
            self.ctx
                .id(&rel.to, rng.below(self.ctx.count(&rel.to).max(1)))
        };
        let record = Val::Object(vec![
            (from_id.clone(), a.clone()),
            (to_id.clone(), b.clone()),
        ]);
        let link = link_name(rel);
        let mut item = vec![
            (
                self.design.dynamo.partition_key.clone(),
                Val::Str(render(&pk, &record)),
            ),
            (
                self.design.dynamo.sort_key.clone(),
                Val::Str(render(&sk, &record)),
            ),
        ];
        for i in &self.indexes {
            for (e, ipk, isk) in &i.mappings {
                if *e == link {
                    item.push((i.pk_attr.clone(), Val::Str(render(ipk, &record))));
                    if let (Some(attr), Some(isk)) = (&i.sk_attr, isk) {
                        item.push((attr.clone(), Val::Str(render(isk, &record))));
                    }
                }
            }
        }
        item.push((TYPE_ATTRIBUTE.to_string(), Val::Str(link)));
        item.push((from_id, a));
        item.push((to_id, b));
        item
    }

    fn index_keys(&self, entity: &str) -> Vec<IndexKeys> {
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
                    })
            })
            .collect()
    }

    /// The record of an entity's sample item, with the parent's id filled in
    /// when the item lives in its parent's collection.
    fn record(&self, entity: &Entity, index: u64) -> Vec<(String, Val)> {
        let mut record = self.ctx.record(entity, index);
        if let Some(home) = self.home_of(&entity.name) {
            for field in template_fields(&home.pk) {
                if Val::Object(record.clone()).get(&field).is_none() {
                    if let Some(parent) = &home.parent {
                        let count = self.ctx.count(parent).max(1);
                        let j = if index == 0 {
                            0
                        } else {
                            crate::sample::Rng::for_record(self.ctx.seed, &entity.name, index)
                                .below(count)
                        };
                        record.push((field, self.ctx.id(parent, j)));
                    }
                }
            }
        }
        record
    }

    /// A full item: keys first, then the type, then the attributes.
    fn item(&self, entity: &Entity, index: u64) -> Vec<(String, Val)> {
        let as_val = Val::Object(self.record(entity, index));
        let mut item = Vec::new();
        if let Some(home) = self.home_of(&entity.name) {
            item.push((
                self.design.dynamo.partition_key.clone(),
                Val::Str(render(&home.pk, &as_val)),
            ));
            item.push((
                self.design.dynamo.sort_key.clone(),
                Val::Str(render(&home.sk, &as_val)),
            ));
        }
        for i in &self.indexes {
            for (e, pk, sk) in &i.mappings {
                if *e != entity.name || i.declared {
                    continue;
                }
                if !template_fields(pk).iter().all(|f| as_val.get(f).is_some()) {
                    continue; // Sparse: the item lacks the index key.
                }
                if !i.local {
                    item.push((i.pk_attr.clone(), Val::Str(render(pk, &as_val))));
                }
                if let (Some(attr), Some(sk)) = (&i.sk_attr, sk) {
                    item.push((attr.clone(), Val::Str(render(sk, &as_val))));
                }
            }
        }
        item.push((TYPE_ATTRIBUTE.to_string(), Val::Str(entity.name.clone())));
        if let Val::Object(record) = as_val {
            item.extend(record);
        }
        // Children stored inside this item.
        let mut rng = crate::sample::Rng::for_record(self.ctx.seed ^ 0xd1a0, &entity.name, index);
        for rel in &self.design.relationships {
            if rel.from != entity.name || !embedded_in_item(self.design, rel) {
                continue;
            }
            let Some(child) = self.design.entity(&rel.to) else {
                continue;
            };
            let attr = relationship_field(rel, true);
            let value = if rel.cardinality == Cardinality::OneToOne {
                Val::Object(self.embedded_record(child, index))
            } else {
                let n = rng
                    .below(rel.expected_count.clamp(1, EMBED_LIMIT).saturating_mul(2) + 1)
                    .min(EMBED_LIMIT * 2);
                Val::Array(
                    (0..n)
                        .map(|k| {
                            Val::Object(
                                self.embedded_record(child, index.wrapping_mul(40).wrapping_add(k)),
                            )
                        })
                        .collect(),
                )
            };
            item.push((attr, value));
        }
        item
    }

    /// A child record as stored inside its parent's item: its own fields only.
    fn embedded_record(&self, child: &Entity, index: u64) -> Vec<(String, Val)> {
        let mut record = self.ctx.record(child, index);
        if child.id_field().is_none() {
            let id = child.id_name();
            record.retain(|(k, _)| *k != id);
        }
        record
    }

    fn average_item_bytes(&self, entity: &Entity) -> u64 {
        if let Some((_, bytes)) = self.sizes.borrow().iter().find(|(n, _)| *n == entity.name) {
            return *bytes;
        }
        let n = self.ctx.count(&entity.name).clamp(1, 20);
        let bytes = (0..n)
            .map(|i| item_size(&self.item(entity, i)) as u64)
            .fold(0u64, u64::saturating_add)
            / n;
        self.sizes.borrow_mut().push((entity.name.clone(), bytes));
        bytes
    }

    /// About how many distinct values a field has among an entity's items.
    pub fn distinct(&self, entity: &Entity, field: &str) -> u64 {
        distinct_values(self.design, entity, field)
    }

    fn request(&mut self, pattern: &AccessPattern, plan: &Plan) -> Option<DynamoRequest> {
        let entity = self.design.entity(&pattern.entity)?;
        let home = self.home_of(&entity.name)?.clone();
        let table = self.design.dynamo.table_name.clone();
        let pk_name = self.design.dynamo.partition_key.clone();
        let sk_name = self.design.dynamo.sort_key.clone();
        let item = self.item(entity, 0);
        let item_val = Val::Object(item.clone());
        let record = Val::Object(self.record(entity, 0));
        let item_bytes = self.average_item_bytes(entity);
        let mut names = Names::default();
        let mut values: Vec<(String, Val)> = Vec::new();
        let mut input = Map::new();
        input.insert("TableName".into(), json!(table));
        let index_writes = self
            .index_keys(&entity.name)
            .iter()
            .filter(|k| self.indexes.iter().any(|i| i.name == k.index && !i.local))
            .count() as u32;
        let page = u64::from(pattern.page_size.unwrap_or(25));
        let per_value = |values: u64| entity.volume.checked_div(values.max(1)).unwrap_or(0).max(1);
        let mut flag = None;
        let mut index_name = None;
        let mut partition = None;
        let partition_values;
        let (operation, items, bytes): (&str, u64, u64);
        let key = |item: &[(String, Val)]| -> Value {
            let mut m = Map::new();
            for (k, v) in item.iter().take(2) {
                m.insert(k.clone(), v.to_attribute());
            }
            Value::Object(m)
        };
        match &plan.path {
            Path::Put => {
                let mut put = Map::new();
                put.insert("TableName".into(), json!(table));
                put.insert(
                    "Item".into(),
                    item_val
                        .to_attribute()
                        .get("M")
                        .cloned()
                        .unwrap_or_default(),
                );
                put.insert(
                    "ConditionExpression".into(),
                    json!(format!("attribute_not_exists({pk_name})")),
                );
                let uniques: Vec<&Field> = entity
                    .fields
                    .iter()
                    .filter(|f| f.unique && f.name != entity.id_name())
                    .collect();
                partition = Some(home.pk.clone());
                partition_values = self.partition_values(entity, &home.pk);
                if uniques.is_empty() {
                    operation = "PutItem";
                    input = put;
                    items = 1;
                    bytes = item_bytes;
                } else {
                    operation = "TransactWriteItems";
                    let mut actions = vec![json!({ "Put": Value::Object(put) })];
                    for f in &uniques {
                        let marker = marker_key(self.design, entity, f, &record);
                        actions.push(json!({ "Put": {
                            "TableName": table,
                            "Item": { pk_name.clone(): { "S": marker }, sk_name.clone(): { "S": marker } },
                            "ConditionExpression": format!("attribute_not_exists({pk_name})"),
                        }}));
                    }
                    input = Map::new();
                    input.insert("TransactItems".into(), Value::Array(actions));
                    items = 1 + uniques.len() as u64;
                    bytes = item_bytes + 100 * uniques.len() as u64;
                    flag = Some(format!(
                        "{} must be unique, and DynamoDB enforces uniqueness only on the key: the insert also puts a marker item per unique value in one transaction (twice the write cost)",
                        uniques.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", ")
                    ));
                }
            }
            Path::Embedded { attribute } => {
                operation = "UpdateItem";
                let parent = home.parent.as_ref().and_then(|p| self.design.entity(p));
                let parent_item = parent.map(|p| self.item(p, 0)).unwrap_or_default();
                input.insert("Key".into(), key(&parent_item));
                let n = names.name(attribute);
                let array = self
                    .design
                    .relationships
                    .iter()
                    .find(|r| {
                        r.to == entity.name && r.from == home.parent.clone().unwrap_or_default()
                    })
                    .is_some_and(|r| r.cardinality != Cardinality::OneToOne);
                let child = Val::Object(self.embedded_record(entity, 0));
                if pattern.kind == PatternKind::Delete {
                    input.insert("UpdateExpression".into(), json!(format!("REMOVE {n}[0]")));
                    flag = Some(format!("removing one element of the {attribute} list takes its position: read the item first, then remove it with a condition that it is still there"));
                } else if array {
                    input.insert(
                        "UpdateExpression".into(),
                        json!(format!(
                            "SET {n} = list_append(if_not_exists({n}, :empty), :new)"
                        )),
                    );
                    values.push((":empty".into(), Val::Array(Vec::new())));
                    values.push((":new".into(), Val::Array(vec![child])));
                } else {
                    input.insert("UpdateExpression".into(), json!(format!("SET {n} = :new")));
                    values.push((":new".into(), child));
                }
                partition = Some(home.pk.clone());
                partition_values = parent.map(|p| p.volume.max(1)).unwrap_or(1);
                items = 1;
                bytes = parent
                    .map(|p| self.average_item_bytes(p))
                    .unwrap_or(item_bytes);
            }
            Path::Link {
                relationship,
                forward,
                index,
            } => {
                operation = "Query";
                let rel = self.design.relationships.get(*relationship).cloned();
                let rel = rel.unwrap_or_else(|| Relationship {
                    from: String::new(),
                    to: String::new(),
                    cardinality: Cardinality::ManyToMany,
                    expected_count: 0,
                    read_together: false,
                    field: None,
                    embed: None,
                });
                let link = self.link_item(&rel, 0);
                let link_val = Val::Object(link.clone());
                let (pk, sk) = link_keys(&rel);
                let (pk_t, sk_t, pk_attr, sk_attr) = match index {
                    None => (pk, sk, pk_name.clone(), sk_name.clone()),
                    Some(name) => {
                        let i = self.indexes.iter().find(|i| i.name == *name);
                        index_name = Some(name.clone());
                        input.insert("IndexName".into(), json!(name));
                        (
                            sk,
                            pk,
                            i.map(|i| i.pk_attr.clone()).unwrap_or_default(),
                            i.and_then(|i| i.sk_attr.clone()).unwrap_or_default(),
                        )
                    }
                };
                values.push((":pk".into(), Val::Str(render(&pk_t, &link_val))));
                values.push((":sk".into(), Val::Str(constant_prefix(&sk_t).to_string())));
                input.insert(
                    "KeyConditionExpression".into(),
                    json!(format!(
                        "{} = :pk AND begins_with({}, :sk)",
                        names.name(&pk_attr),
                        names.name(&sk_attr)
                    )),
                );
                self.read_options(pattern, &mut input);
                let other = if *forward { &rel.from } else { &rel.to };
                partition = Some(pk_t.clone());
                partition_values = self
                    .design
                    .entity(other)
                    .map(|e| e.volume.max(1))
                    .unwrap_or(1);
                let n = rel.expected_count.max(1).min(page);
                items = n;
                bytes = n.saturating_mul(item_size(&link) as u64);
                flag = Some(format!(
                    "the Query returns link items holding the {} ids; fetch the {} with one BatchGetItem, or copy the attributes the page shows into the link items",
                    names::words(&entity.name),
                    names::plural(&names::words(&entity.name))
                ));
            }
            Path::Key => {
                input.insert("Key".into(), key(&item));
                partition = Some(home.pk.clone());
                partition_values = self.partition_values(entity, &home.pk);
                let mut markers = 0u64;
                match pattern.kind {
                    PatternKind::Update => {
                        operation = "UpdateItem";
                        self.update_expression(
                            pattern,
                            entity,
                            &record,
                            &mut names,
                            &mut values,
                            &mut input,
                        );
                    }
                    PatternKind::Delete => {
                        let uniques: Vec<&Field> = entity
                            .fields
                            .iter()
                            .filter(|f| f.unique && f.name != entity.id_name())
                            .collect();
                        if uniques.is_empty() {
                            operation = "DeleteItem";
                        } else {
                            // The unique-value markers go with the item, in one transaction.
                            operation = "TransactWriteItems";
                            let mut actions = vec![json!({ "Delete": {
                                "TableName": table,
                                "Key": key(&item),
                            }})];
                            for f in &uniques {
                                let marker = marker_key(self.design, entity, f, &record);
                                actions.push(json!({ "Delete": {
                                    "TableName": table,
                                    "Key": { pk_name.clone(): { "S": marker }, sk_name.clone(): { "S": marker } },
                                }}));
                            }
                            markers = uniques.len() as u64;
                            input = Map::new();
                            input.insert("TransactItems".into(), Value::Array(actions));
                            flag = Some(format!(
                                "the {} marker item(s) are deleted with the item, in one transaction; the values come from the item, so read it first",
                                uniques.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", ")
                            ));
                        }
                    }
                    _ => {
                        operation = "GetItem";
                        if pattern.consistency == Consistency::Strong {
                            input.insert("ConsistentRead".into(), json!(true));
                        }
                    }
                }
                items = 1 + markers;
                bytes = item_bytes;
            }
            Path::TablePartition { sk_prefix } => {
                operation = "Query";
                let pk_value = render(&home.pk, &item_val);
                values.push((":pk".into(), Val::Str(pk_value)));
                let mut cond = format!("{} = :pk", names.name(&pk_name));
                if let Some(prefix) = sk_prefix {
                    let skn = names.name(&sk_name);
                    if let Some(range) = &pattern.range {
                        let (from, to) = range_bounds(&record, range);
                        values.push((":from".into(), Val::Str(format!("{prefix}{from}"))));
                        values.push((":to".into(), Val::Str(format!("{prefix}{to}"))));
                        cond.push_str(&format!(" AND {skn} BETWEEN :from AND :to"));
                    } else {
                        values.push((":sk".into(), Val::Str(prefix.clone())));
                        cond.push_str(&format!(" AND begins_with({skn}, :sk)"));
                    }
                }
                input.insert("KeyConditionExpression".into(), json!(cond));
                partition = Some(home.pk.clone());
                partition_values = self.partition_values(entity, &home.pk);
                let (n, b) = self.query_reads(
                    pattern,
                    entity,
                    item_bytes,
                    page,
                    per_value(partition_values),
                );
                items = n;
                bytes = b;
                self.read_options(pattern, &mut input);
                if pattern.kind != PatternKind::GetOne
                    && matches!(pattern.kind, PatternKind::Update | PatternKind::Delete)
                {
                    flag = Some("DynamoDB writes one item by its full key: this Query finds the keys first, then each item is written (a read before the write)".to_string());
                }
            }
            Path::Index { name, pk, sk, raw } => {
                operation = "Query";
                index_name = Some(name.clone());
                input.insert("IndexName".into(), json!(name));
                let idx = self.indexes.iter().find(|i| i.name == *name).cloned();
                let pk_attr = idx.as_ref().map(|i| i.pk_attr.clone()).unwrap_or_default();
                let pk_value = if *raw {
                    record
                        .get(pk.trim_matches(|c| c == '<' || c == '>'))
                        .cloned()
                        .unwrap_or(Val::Str(String::new()))
                } else {
                    Val::Str(render(pk, &record))
                };
                let placeholder = if *raw {
                    format!(":{}", names::camel(&pk_attr))
                } else {
                    ":pk".to_string()
                };
                let mut cond = format!("{} = {placeholder}", names.name(&pk_attr));
                values.push((placeholder, pk_value));
                if let (Some(sk_t), Some(sk_attr)) =
                    (sk, idx.as_ref().and_then(|i| i.sk_attr.clone()))
                {
                    if !raw {
                        let prefix = constant_prefix(sk_t).to_string();
                        let skn = names.name(&sk_attr);
                        if let Some(range) = &pattern.range {
                            let (from, to) = range_bounds(&record, range);
                            values.push((":from".into(), Val::Str(format!("{prefix}{from}"))));
                            values.push((":to".into(), Val::Str(format!("{prefix}{to}"))));
                            cond.push_str(&format!(" AND {skn} BETWEEN :from AND :to"));
                        } else if !prefix.is_empty()
                            && idx
                                .as_ref()
                                .is_some_and(|i| i.mappings.len() > 1 || i.local)
                        {
                            values.push((":sk".into(), Val::Str(prefix)));
                            cond.push_str(&format!(" AND begins_with({skn}, :sk)"));
                        }
                    }
                }
                input.insert("KeyConditionExpression".into(), json!(cond));
                partition = Some(pk.clone());
                partition_values = if *raw {
                    self.distinct(entity, pk.trim_matches(|c| c == '<' || c == '>'))
                } else {
                    self.partition_values(entity, pk)
                };
                let (n, b) = self.query_reads(
                    pattern,
                    entity,
                    item_bytes,
                    page,
                    per_value(partition_values),
                );
                items = n;
                bytes = b;
                self.read_options(pattern, &mut input);
                if pattern.consistency == Consistency::Strong
                    && !idx.as_ref().is_some_and(|i| i.local)
                {
                    flag = Some("global indexes are eventually consistent only: this read cannot be strongly consistent".to_string());
                    input.remove("ConsistentRead");
                }
                if matches!(pattern.kind, PatternKind::Update | PatternKind::Delete) {
                    flag = Some(format!(
                        "DynamoDB writes by the table's key only: this Query on {name} finds the key, then an {} writes the item (a read before the write)",
                        if pattern.kind == PatternKind::Update { "UpdateItem" } else { "DeleteItem" }
                    ));
                }
            }
            Path::Scan { why } => {
                operation = "Scan";
                values.push((":type".into(), Val::Str(entity.name.clone())));
                let mut filter = format!("{} = :type", names.name(TYPE_ATTRIBUTE));
                if pattern.kind == PatternKind::TextSearch {
                    let parts: Vec<String> = pattern
                        .fields
                        .iter()
                        .map(|f| format!("contains({}, :q)", names.path(f)))
                        .collect();
                    values.push((":q".into(), Val::Str("developer".into())));
                    filter.push_str(&format!(" AND ({})", parts.join(" OR ")));
                }
                input.insert("FilterExpression".into(), json!(filter));
                if pattern.kind == PatternKind::Count {
                    input.insert("Select".into(), json!("COUNT"));
                }
                flag = Some(why.clone());
                let stored: Vec<&Entity> = self
                    .design
                    .entities
                    .iter()
                    .filter(|e| self.home_of(&e.name).is_some_and(|h| h.embedded.is_none()))
                    .collect();
                let table_items: u64 = stored.iter().map(|e| e.volume).fold(0, u64::saturating_add);
                let table_bytes: u64 = stored
                    .iter()
                    .map(|e| e.volume.saturating_mul(self.average_item_bytes(e)))
                    .fold(0, u64::saturating_add);

                items = table_items;
                bytes = table_bytes;
                partition_values = 1;
            }
        }
        if pattern.kind == PatternKind::Count && operation == "Query" {
            input.insert("Select".into(), json!("COUNT"));
        }
        if !names.map.is_empty() {
            input.insert(
                "ExpressionAttributeNames".into(),
                Value::Object(
                    names
                        .map
                        .iter()
                        .map(|(k, v)| (k.clone(), json!(v)))
                        .collect(),
                ),
            );
        }
        if !values.is_empty() {
            input.insert(
                "ExpressionAttributeValues".into(),
                Value::Object(
                    values
                        .iter()
                        .map(|(k, v)| (k.clone(), v.to_attribute()))
                        .collect(),
                ),
            );
        }
        // A transactional write becomes a one-action transaction (twice the write units).
        let (operation, input) = if pattern.transactional
            && matches!(operation, "PutItem" | "UpdateItem" | "DeleteItem")
        {
            let action = match operation {
                "PutItem" => "Put",
                "UpdateItem" => "Update",
                _ => "Delete",
            };
            let mut wrapped = Map::new();
            wrapped.insert(
                "TransactItems".into(),
                json!([{ action: Value::Object(order_input(input)) }]),
            );
            ("TransactWriteItems", wrapped)
        } else {
            (operation, input)
        };
        // Keep a stable, readable key order in the request.
        let input = order_input(input);
        let sdk = sdk_code(pattern, &table, operation, &input);
        let index_writes = if pattern.kind.is_write() {
            index_writes
        } else {
            0
        };
        Some(DynamoRequest {
            pattern: pattern.name.clone(),
            entity: entity.name.clone(),
            operation: operation.to_string(),
            index: index_name,
            input: json!({ "operation": operation, "input": input }),
            sdk,
            flag,
            items,
            bytes,
            index_writes,
            partition,
            partition_values,
        })
    }

    fn read_options(&self, pattern: &AccessPattern, input: &mut Map<String, Value>) {
        if pattern
            .sort
            .as_ref()
            .is_some_and(|s| s.order == SortOrder::Desc)
        {
            input.insert("ScanIndexForward".into(), json!(false));
        }
        if let Some(n) = pattern.page_size {
            if pattern.kind != PatternKind::Count {
                input.insert("Limit".into(), json!(n));
            }
        }
        if pattern.kind == PatternKind::GetOne && !self.owns_collection(&pattern.entity) {
            input.insert("Limit".into(), json!(1));
        }
        if pattern.consistency == Consistency::Strong {
            input.insert("ConsistentRead".into(), json!(true));
        }
    }

    /// Items and bytes a Query reads.
    fn query_reads(
        &self,
        pattern: &AccessPattern,
        entity: &Entity,
        item_bytes: u64,
        page: u64,
        per_partition: u64,
    ) -> (u64, u64) {
        match pattern.kind {
            PatternKind::GetOne if self.owns_collection(&entity.name) => {
                // The item and the items read with it.
                let mut items: u64 = 1;
                let mut bytes = item_bytes;
                for r in &self.design.relationships {
                    if r.from == entity.name && r.read_together {
                        if let Some(child) = self.design.entity(&r.to) {
                            let n = r.expected_count.max(1);
                            items = items.saturating_add(n);
                            bytes = bytes
                                .saturating_add(n.saturating_mul(self.average_item_bytes(child)));
                        }
                    }
                }
                (items, bytes)
            }
            PatternKind::GetOne => (1, item_bytes),
            PatternKind::Count => (per_partition, per_partition.saturating_mul(item_bytes)),
            _ => {
                let n = page.min(per_partition).max(1);
                (n, n.saturating_mul(item_bytes))
            }
        }
    }

    fn partition_values(&self, entity: &Entity, template: &str) -> u64 {
        let fields = template_fields(template);
        if fields.is_empty() {
            return 1;
        }
        fields
            .iter()
            .map(|f| {
                if let Some(home) = self.home_of(&entity.name) {
                    if let Some(parent) = home.parent.as_ref().and_then(|p| self.design.entity(p)) {
                        if template_fields(&home.pk).contains(f) && entity.field_path(f).is_none() {
                            return parent.volume.max(1);
                        }
                    }
                }
                self.distinct(entity, f)
            })
            .fold(1u64, |a, b| a.saturating_mul(b))
            .min(entity.volume.max(1))
    }

    fn update_expression(
        &self,
        pattern: &AccessPattern,
        entity: &Entity,
        record: &Val,
        names: &mut Names,
        values: &mut Vec<(String, Val)>,
        input: &mut Map<String, Value>,
    ) {
        let mut sets = Vec::new();
        for field in &pattern.fields {
            let n = names.path(field);
            let placeholder = format!(
                ":{}",
                names::camel(field.rsplit('.').next().unwrap_or(field))
            );
            match pattern.update.unwrap_or_default() {
                UpdateAction::Increment => {
                    // One `:amount`, or one per field when several are incremented.
                    let amount = if pattern.fields.len() == 1 {
                        ":amount".to_string()
                    } else {
                        format!("{placeholder}Amount")
                    };
                    sets.push(format!("{n} = {n} + {amount}"));
                    values.push((amount, Val::Int(pattern.increment_sample(field))));
                }
                UpdateAction::Push => {
                    sets.push(format!("{n} = list_append({n}, {placeholder})"));
                    let v = match record.get(field) {
                        Some(Val::Array(items)) => {
                            Val::Array(items.iter().take(1).cloned().collect())
                        }
                        Some(v) => Val::Array(vec![v.clone()]),
                        None => Val::Array(Vec::new()),
                    };
                    values.push((placeholder, v));
                }
                UpdateAction::Set => {
                    sets.push(format!("{n} = {placeholder}"));
                    let v = record
                        .get(field)
                        .cloned()
                        .unwrap_or(Val::Str(String::new()));
                    values.push((placeholder, v));
                }
            }
        }
        input.insert(
            "UpdateExpression".into(),
            json!(format!("SET {}", sets.join(", "))),
        );
        if let Some(c) = &pattern.condition {
            let n = names.path(&c.field);
            let (op, placeholder) = match c.op {
                ConditionOp::Eq => ("=", ":expected"),
                ConditionOp::Ne => ("<>", ":expected"),
                ConditionOp::Lt => ("<", ":max"),
                ConditionOp::Le => ("<=", ":max"),
                ConditionOp::Gt => (">", ":min"),
                ConditionOp::Ge => (">=", ":min"),
                ConditionOp::Exists => ("", ""),
                ConditionOp::NotExists => ("", ""),
            };
            let expr = match c.op {
                ConditionOp::Exists => format!("attribute_exists({n})"),
                ConditionOp::NotExists => format!("attribute_not_exists({n})"),
                _ => {
                    let ty = entity
                        .field_path(&c.field)
                        .map(|f| f.ty.clone())
                        .unwrap_or(FieldType::String);
                    let v = c
                        .value
                        .as_ref()
                        .and_then(|v| crate::sample::from_example(&ty, v))
                        .unwrap_or(Val::Str(String::new()));
                    values.push((placeholder.to_string(), v));
                    format!("{n} {op} {placeholder}")
                }
            };
            input.insert("ConditionExpression".into(), json!(expr));
        }
    }

    fn create_table(&self) -> Value {
        let dynamo = &self.design.dynamo;
        let mut attrs: Vec<(String, &str)> = vec![
            (dynamo.partition_key.clone(), "S"),
            (dynamo.sort_key.clone(), "S"),
        ];
        let mut add = |name: &str, ty: &'static str| {
            if !attrs.iter().any(|(n, _)| n == name) {
                attrs.push((name.to_string(), ty));
            }
        };
        let attr_type = |name: &str| -> &'static str {
            let ty = self
                .design
                .entities
                .iter()
                .find_map(|e| e.field_path(name).map(|f| f.ty.clone()));
            match ty {
                Some(t) if t.is_numeric() => "N",
                Some(FieldType::Binary) => "B",
                _ => "S",
            }
        };
        let used: Vec<&IndexDraft> = self
            .indexes
            .iter()
            .filter(|i| i.declared || !i.mappings.is_empty())
            .collect();
        for i in &used {
            add(&i.pk_attr, attr_type(&i.pk_attr));
            if let Some(s) = &i.sk_attr {
                add(s, attr_type(s));
            }
        }
        let key_schema = |pk: &str, sk: Option<&str>| -> Value {
            let mut v = vec![json!({ "AttributeName": pk, "KeyType": "HASH" })];
            if let Some(sk) = sk {
                v.push(json!({ "AttributeName": sk, "KeyType": "RANGE" }));
            }
            Value::Array(v)
        };
        let mut out = Map::new();
        out.insert("TableName".into(), json!(dynamo.table_name));
        out.insert(
            "AttributeDefinitions".into(),
            Value::Array(
                attrs
                    .iter()
                    .map(|(n, t)| json!({ "AttributeName": n, "AttributeType": t }))
                    .collect(),
            ),
        );
        out.insert(
            "KeySchema".into(),
            key_schema(&dynamo.partition_key, Some(&dynamo.sort_key)),
        );
        let provisioned = dynamo.billing_mode == BillingMode::Provisioned;
        let throughput = json!({ "ReadCapacityUnits": 5, "WriteCapacityUnits": 5 });
        out.insert(
            "BillingMode".into(),
            json!(if provisioned {
                "PROVISIONED"
            } else {
                "PAY_PER_REQUEST"
            }),
        );
        if provisioned {
            out.insert("ProvisionedThroughput".into(), throughput.clone());
        }
        let globals: Vec<Value> = used
            .iter()
            .filter(|i| !i.local)
            .map(|i| {
                let mut g = Map::new();
                g.insert("IndexName".into(), json!(i.name));
                g.insert(
                    "KeySchema".into(),
                    key_schema(&i.pk_attr, i.sk_attr.as_deref()),
                );
                g.insert("Projection".into(), json!({ "ProjectionType": "ALL" }));
                if provisioned {
                    g.insert("ProvisionedThroughput".into(), throughput.clone());
                }
                Value::Object(g)
            })
            .collect();
        let locals: Vec<Value> = used
            .iter()
            .filter(|i| i.local)
            .map(|i| {
                json!({
                    "IndexName": i.name,
                    "KeySchema": key_schema(&dynamo.partition_key, i.sk_attr.as_deref()),
                    "Projection": { "ProjectionType": "ALL" },
                })
            })
            .collect();
        if !globals.is_empty() {
            out.insert("GlobalSecondaryIndexes".into(), Value::Array(globals));
        }
        if !locals.is_empty() {
            out.insert("LocalSecondaryIndexes".into(), Value::Array(locals));
        }
        Value::Object(out)
    }

    /// Sample items grouped by partition: `per_entity` records of each entity,
    /// children following their parent's record 0 so collections show.
    fn item_collections(&self, per_entity: u64) -> Vec<ItemCollection> {
        let mut groups: Vec<ItemCollection> = Vec::new();
        let links: Vec<Vec<(String, Val)>> = self
            .design
            .relationships
            .iter()
            .filter(|r| r.cardinality == Cardinality::ManyToMany && r.from != r.to)
            .filter(|r| {
                self.design.entity(&r.from).is_some() && self.design.entity(&r.to).is_some()
            })
            .flat_map(|r| (0..per_entity).map(move |i| (r, i)))
            .map(|(r, i)| self.link_item(r, i))
            .collect();
        for entity in &self.design.entities {
            if self
                .home_of(&entity.name)
                .is_some_and(|h| h.embedded.is_some())
            {
                continue;
            }
            for i in 0..per_entity {
                let item = self.item(entity, i);
                let pk = item.first().map(|(_, v)| v.key_text()).unwrap_or_default();
                let plain = Val::Object(item).to_plain();
                match groups.iter_mut().find(|g| g.pk == pk) {
                    Some(g) => g.items.push(plain),
                    None => groups.push(ItemCollection {
                        pk,
                        items: vec![plain],
                    }),
                }
            }
        }
        for item in links {
            let pk = item.first().map(|(_, v)| v.key_text()).unwrap_or_default();
            let plain = Val::Object(item).to_plain();
            match groups.iter_mut().find(|g| g.pk == pk) {
                Some(g) => g.items.push(plain),
                None => groups.push(ItemCollection {
                    pk,
                    items: vec![plain],
                }),
            }
        }
        groups
    }

    fn key_formats(&self) -> Vec<String> {
        let mut notes = Vec::new();
        let mut templates: Vec<(String, String)> = Vec::new();
        for (entity, home) in &self.homes {
            templates.push((entity.clone(), home.sk.clone()));
            templates.push((entity.clone(), home.pk.clone()));
        }
        for i in &self.indexes {
            for (e, pk, sk) in &i.mappings {
                templates.push((e.clone(), pk.clone()));
                if let Some(sk) = sk {
                    templates.push((e.clone(), sk.clone()));
                }
            }
        }
        for (entity_name, template) in templates {
            for f in template_fields(&template) {
                if template.contains(&format!("<{f}|lower>")) {
                    let note = format!("<{f}|lower> is the lowercased {f}, so look-ups by it ignore letter case; the application lowercases the value it looks up");
                    if !notes.contains(&note) {
                        notes.push(note);
                    }
                }
            }
            let Some(entity) = self.design.entity(&entity_name) else {
                continue;
            };
            for f in template_fields(&template) {
                let Some(field) = entity.field_path(&f) else {
                    continue;
                };
                let note = match field.ty {
                    FieldType::Date => format!("<{f}> is written as an ISO 8601 UTC timestamp (2024-01-01T00:00:00.000Z), so text order is time order"),
                    FieldType::Int | FieldType::Long => format!("<{f}> is zero-padded to 10 digits (0000000042), so text order is number order"),
                    _ => continue,
                };
                if !notes.contains(&note) {
                    notes.push(note);
                }
            }
        }
        notes
    }
}

/// The key of the marker item that keeps a unique attribute unique:
/// `USER_EMAIL#john@example.com`. When a pattern looks the field up ignoring
/// letter case, the value is lowercased, as the lookup's key is, so
/// `John@Example.com` and `john@example.com` claim the same marker.
fn marker_key(design: &Design, entity: &Entity, field: &Field, record: &Val) -> String {
    let value = record
        .get(&field.name)
        .map(Val::key_text)
        .unwrap_or_default();
    let value = if unique_ignores_case(design, entity, field) {
        value.to_lowercase()
    } else {
        value
    };
    format!(
        "{}_{}#{value}",
        key_prefix(&entity.name),
        key_prefix(&upper_first(&field.name)),
    )
}

/// Whether a text field is looked up ignoring letter case by some pattern,
/// which makes its uniqueness case-insensitive too.
fn unique_ignores_case(design: &Design, entity: &Entity, field: &Field) -> bool {
    field.ty == FieldType::String
        && design.access_patterns.iter().any(|p| {
            p.entity == entity.name && p.case_insensitive && p.equality.contains(&field.name)
        })
}

/// The name of a many-to-many relationship's link items: `Student/Course`.
pub fn link_name(rel: &Relationship) -> String {
    format!("{}/{}", rel.from, rel.to)
}

/// The keys of a link item, in the `from` side's partition: `STUDENT#<studentId>` / `COURSE#<courseId>`.
fn link_keys(rel: &Relationship) -> (String, String) {
    let (a, b) = pair_id_fields(rel);
    (
        format!("{}#<{a}>", key_prefix(&rel.from)),
        format!("{}#<{b}>", key_prefix(&rel.to)),
    )
}

/// The bytes of all items of the table (children stored inside items count once, in their parent).
pub fn table_bytes(design: &Design, layout: &DynamoLayout) -> u64 {
    layout
        .entities
        .iter()
        .filter(|e| e.attribute.is_none())
        .filter_map(|e| {
            Some(
                design
                    .entity(&e.entity)?
                    .volume
                    .saturating_mul(e.average_item_bytes),
            )
        })
        .fold(0, u64::saturating_add)
}

/// Most children embedded in one item as a list attribute.
pub const EMBED_LIMIT: u64 = 20;

/// Whether a relationship's children are stored inside the parent's item: few,
/// read with the parent, never read or updated on their own, with no children
/// of their own.
pub fn embedded_in_item(design: &Design, rel: &Relationship) -> bool {
    matches!(
        rel.cardinality,
        Cardinality::OneToOne | Cardinality::OneToFew
    ) && rel.read_together
        && rel.expected_count <= EMBED_LIMIT
        && rel.from != rel.to
        && rel.embed != Some(false)
        && design.entity(&rel.from).is_some()
        && !design.relationships.iter().any(|r| r.from == rel.to)
        && design
            .access_patterns
            .iter()
            .filter(|p| p.entity == rel.to)
            .all(|p| matches!(p.kind, PatternKind::Insert | PatternKind::Delete))
}

/// About how many distinct values a field has among an entity's items.
pub fn distinct_values(design: &Design, entity: &Entity, field: &str) -> u64 {
    let volume = entity.volume.max(1);
    if field == entity.id_name() || field == "_id" {
        return volume;
    }
    let Some(f) = entity.field_path(field) else {
        return volume;
    };
    if f.unique {
        return volume;
    }
    let guess = match &f.ty {
        FieldType::Ref(target) => design
            .entity(target)
            .map(|t| t.volume.max(1))
            .unwrap_or(volume),
        FieldType::Bool => 2,
        FieldType::Date | FieldType::ObjectId | FieldType::Uuid => volume,
        _ => match f
            .generator
            .or_else(|| crate::sample::guess_generator(&f.name, &f.ty))
        {
            Some(Generator::Status) => 5,
            Some(Generator::Country) => 50,
            Some(Generator::City) => 1000,
            Some(Generator::Tag | Generator::Word) => 100,
            Some(Generator::Age) => 80,
            Some(Generator::Quantity) => 10,
            Some(
                Generator::Email
                | Generator::Username
                | Generator::Phone
                | Generator::Url
                | Generator::Uuid
                | Generator::ObjectId
                | Generator::Sequence
                | Generator::Timestamp,
            ) => volume,
            Some(
                Generator::Name | Generator::Title | Generator::Sentence | Generator::Paragraph,
            ) => volume,
            _ => volume.min(1000),
        },
    };
    guess.min(volume).max(1)
}

/// Fills a key template from an item's values.
pub fn render(template: &str, item: &Val) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('>') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let (field, lower) = match after[..close].split_once('|') {
            Some((field, "lower")) => (field, true),
            Some((field, _)) => (field, false),
            None => (&after[..close], false),
        };
        let text = item.get(field).map(Val::key_text).unwrap_or_default();
        out.push_str(&if lower { text.to_lowercase() } else { text });
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// A range from the sample value to 30 days (or 100 units) later, as key text.
fn range_bounds(record: &Val, field: &str) -> (String, String) {
    match record.get(field) {
        Some(Val::Date(ms)) => (
            crate::sample::iso_date(*ms),
            crate::sample::iso_date(ms.saturating_add(30 * 86_400_000)),
        ),
        Some(Val::Int(n)) | Some(Val::Long(n)) => (
            crate::sample::pad_number(*n),
            crate::sample::pad_number(n.saturating_add(100)),
        ),
        Some(v) => (v.key_text(), format!("{}~", v.key_text())),
        None => (String::new(), "~".to_string()),
    }
}

/// Expression attribute names: `#name` for reserved words, the plain name otherwise.
#[derive(Default)]
struct Names {
    map: Vec<(String, String)>,
}

impl Names {
    fn name(&mut self, attr: &str) -> String {
        if is_reserved(attr) || !attr.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            let key = format!("#{}", names::camel(attr));
            if !self.map.iter().any(|(k, _)| *k == key) {
                self.map.push((key.clone(), attr.to_string()));
            }
            key
        } else {
            attr.to_string()
        }
    }

    fn path(&mut self, path: &str) -> String {
        path.split('.')
            .map(|p| self.name(p))
            .collect::<Vec<_>>()
            .join(".")
    }
}

/// Whether DynamoDB reserves the word in expressions.
pub fn is_reserved(word: &str) -> bool {
    const WORDS: &str = include_str!("reserved_words.txt");
    let upper = word.to_ascii_uppercase();
    WORDS.lines().any(|w| w.trim() == upper)
}

fn order_input(input: Map<String, Value>) -> Map<String, Value> {
    const ORDER: [&str; 16] = [
        "TableName",
        "IndexName",
        "Key",
        "Item",
        "TransactItems",
        "KeyConditionExpression",
        "FilterExpression",
        "UpdateExpression",
        "ConditionExpression",
        "ExpressionAttributeNames",
        "ExpressionAttributeValues",
        "ScanIndexForward",
        "Limit",
        "Select",
        "ConsistentRead",
        "ReturnValues",
    ];
    let mut out = Map::new();
    for key in ORDER {
        if let Some(v) = input.get(key) {
            out.insert(key.to_string(), v.clone());
        }
    }
    for (k, v) in input {
        if !out.contains_key(&k) {
            out.insert(k, v);
        }
    }
    out
}

/// AttributeValue JSON back to the plain values lib-dynamodb takes.
pub fn unmarshall(value: &Value) -> Value {
    let Some(map) = value.as_object() else {
        return value.clone();
    };
    if map.len() == 1 {
        if let Some((tag, inner)) = map.iter().next() {
            match tag.as_str() {
                "S" | "B" => return inner.clone(),
                "N" => {
                    let text = inner.as_str().unwrap_or("0");
                    return text
                        .parse::<i64>()
                        .map(Value::from)
                        .or_else(|_| text.parse::<f64>().map(Value::from))
                        .unwrap_or_else(|_| Value::String(text.to_string()));
                }
                "BOOL" => return inner.clone(),
                "NULL" => return Value::Null,
                "L" => {
                    return Value::Array(
                        inner
                            .as_array()
                            .map(|a| a.iter().map(unmarshall).collect())
                            .unwrap_or_default(),
                    )
                }
                "M" => return unmarshall_map(inner),
                _ => {}
            }
        }
    }
    value.clone()
}

/// A map of AttributeValues to a plain object.
pub fn unmarshall_map(value: &Value) -> Value {
    match value.as_object() {
        Some(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), unmarshall(v))).collect()),
        None => value.clone(),
    }
}

/// The lib-dynamodb code for one request.
fn sdk_code(
    pattern: &AccessPattern,
    table: &str,
    operation: &str,
    input: &Map<String, Value>,
) -> String {
    let command = match operation {
        "GetItem" => "GetCommand",
        "Query" => "QueryCommand",
        "Scan" => "ScanCommand",
        "PutItem" => "PutCommand",
        "UpdateItem" => "UpdateCommand",
        "DeleteItem" => "DeleteCommand",
        "TransactWriteItems" => "TransactWriteCommand",
        _ => "Command",
    };
    let mut lines = Vec::new();
    for (k, v) in input {
        let plain = match k.as_str() {
            "TableName" => {
                lines.push("  TableName: TABLE".to_string());
                continue;
            }
            "Key" | "Item" | "ExpressionAttributeValues" => unmarshall_map(v),
            "TransactItems" => Value::Array(
                v.as_array()
                    .map(|actions| {
                        actions
                            .iter()
                            .map(|a| {
                                let mut a = a.clone();
                                if let Some(put) = a.get_mut("Put").and_then(Value::as_object_mut) {
                                    if let Some(item) = put.get("Item").map(unmarshall_map) {
                                        put.insert("Item".into(), item);
                                    }
                                }
                                a
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            ),
            _ => v.clone(),
        };
        lines.push(format!("  {k}: {}", js_literal(&plain, 2)));
    }
    let body = lines.join(",\n");
    let body = body.replace(
        &format!("TableName: {}", js_literal(&json!(table), 0)),
        "TableName: TABLE",
    );
    let call = format!("client.send(new {command}({{\n{body}\n}}))");
    let target = if pattern.kind.is_write() {
        format!("await {call}")
    } else {
        format!("const {} = await {call}", names::camel(&pattern.name))
    };
    match pattern.increment_note() {
        Some(note) => format!("// {}\n// {note}\n{target}", pattern.name),
        None => format!("// {}\n{target}", pattern.name),
    }
}

/// `count` sample items of every entity (and link items of every many-to-many
/// relationship), as AttributeValue JSON, deterministic from `seed`: the items
/// of each of [`sample_sources`] in turn.
pub fn sample_items(design: &Design, count_per_entity: u64, seed: u64) -> Vec<Value> {
    let d = sample_deriver(design, count_per_entity, seed);
    sample_sources(design)
        .iter()
        .flat_map(|source| d.source_items(source, 0..count_per_entity))
        .collect()
}

/// What sample items are made of, in the order [`sample_items`] writes them:
/// every entity stored as items of its own, then every many-to-many link
/// (named as [`link_name`] names it, `Student/Course`).
pub fn sample_sources(design: &Design) -> Vec<String> {
    let (d, _) = prepare(design, 1, 1000);
    let entities = design
        .entities
        .iter()
        .filter(|e| d.home_of(&e.name).is_none_or(|h| h.embedded.is_none()))
        .map(|e| e.name.clone());
    let links = many_to_many_links(design).map(link_name);
    entities.chain(links).collect()
}

/// The items with indexes `range` of one of [`sample_sources`] (an entity or a
/// link), out of `total` per source. Each item depends only on the seed, the
/// source, its index and `total` (references point at records below `total`),
/// so consecutive ranges concatenate to exactly what [`sample_items`] writes
/// for `total`; a caller can make a large data set in chunks. The range is
/// clipped to `total`; an unknown source has no items.
pub fn sample_items_range(
    design: &Design,
    source: &str,
    range: std::ops::Range<u64>,
    total: u64,
    seed: u64,
) -> Vec<Value> {
    let range = range.start.min(total)..range.end.min(total);
    sample_deriver(design, total, seed).source_items(source, range)
}

fn many_to_many_links(design: &Design) -> impl Iterator<Item = &Relationship> {
    design
        .relationships
        .iter()
        .filter(|r| r.cardinality == Cardinality::ManyToMany && r.from != r.to)
        .filter(|r| design.entity(&r.from).is_some() && design.entity(&r.to).is_some())
}

/// The layout derived with the standard samples, making items from the caller's seed.
fn sample_deriver(design: &Design, count_per_entity: u64, seed: u64) -> Deriver<'_> {
    let (mut d, _) = prepare(design, 1, 1000);
    d.ctx = SampleContext {
        design,
        seed,
        max_per_entity: count_per_entity.max(1),
    };
    d.sizes.borrow_mut().clear();
    d
}

impl Deriver<'_> {
    /// Items `range` of an entity stored as items of its own, or of a link.
    fn source_items(&self, source: &str, range: std::ops::Range<u64>) -> Vec<Value> {
        let stored = |e: &&Entity| {
            e.name == source && self.home_of(&e.name).is_none_or(|h| h.embedded.is_none())
        };
        if let Some(entity) = self.design.entities.iter().find(stored) {
            return range
                .map(|i| crate::sample::attribute_map(&self.item(entity, i)))
                .collect();
        }
        match many_to_many_links(self.design).find(|r| link_name(r) == source) {
            Some(rel) => range
                .map(|i| crate::sample::attribute_map(&self.link_item(rel, i)))
                .collect(),
            None => Vec::new(),
        }
    }
}

/// Key templates for every entity, the declared indexes, and each pattern's access path.
fn prepare(design: &Design, seed: u64, max_per_entity: u64) -> (Deriver<'_>, Vec<Option<Plan>>) {
    let mut d = Deriver {
        design,
        ctx: SampleContext {
            design,
            seed,
            max_per_entity,
        },
        homes: Vec::new(),
        indexes: Vec::new(),
        sizes: std::cell::RefCell::new(Vec::new()),
    };
    d.homes = design
        .entities
        .iter()
        .map(|e| (e.name.clone(), d.home(e)))
        .collect();
    for choice in &design.dynamo.indexes {
        d.indexes.push(IndexDraft {
            name: choice.name.clone(),
            local: choice.local,
            declared: true,
            pk_attr: choice.partition_key.clone(),
            sk_attr: choice.sort_key.clone(),
            mappings: Vec::new(),
            serves: Vec::new(),
            reasons: Vec::new(),
            sparse: false,
        });
    }
    let plans = design.access_patterns.iter().map(|p| d.plan(p)).collect();
    // Item sizes depend on the index keys items carry: measure them only now.
    d.sizes.borrow_mut().clear();
    (d, plans)
}
