//! What DynamoDB items and requests a record or an argument becomes, rendered from the derived
//! layout: items with the keys and index keys of the entity's templates (as core's sample
//! items are built), requests as the derived `DynamoRequest` of the pattern with the arguments
//! in its key and placeholder values. Core's request-for-arguments seam replaces this module.

use schemaplay_core::dynamo::{link_name, render, DynamoLayout, EntityKeys};
use schemaplay_core::model::lower_first;
use schemaplay_core::names::{camel, key_prefix};
use schemaplay_core::sample::{iso_date, pad_number, Val};
use schemaplay_core::{AccessPattern, Cardinality, FieldType, UpdateAction};
use serde_json::{json, Map, Value};

use crate::reference::set_path;
use crate::schema::Schema;
use crate::workload::Args;

pub struct Render<'s> {
    pub schema: &'s Schema<'s>,
    pub layout: DynamoLayout,
}

impl Render<'_> {
    pub fn keys(&self, entity: &str) -> Option<&EntityKeys> {
        self.layout.entities.iter().find(|e| e.entity == entity)
    }

    fn entity_name(&self, entity: usize) -> &str {
        self.schema.info(entity).map_or("", |i| i.name.as_str())
    }

    /// The record with the fields its partition key needs filled from the parent, as the layout
    /// fills an item's parent id.
    fn keyed(&self, entity: usize, record: &Val, parent: Option<&Val>) -> Val {
        let mut record = record.clone();
        let Some(keys) = self.keys(self.entity_name(entity)) else {
            return record;
        };
        let parent_id = self.schema.info(entity).and_then(|i| {
            let owner = i.owner.as_ref()?;
            let pid = &self.schema.info(owner.parent)?.id;
            parent
                .and_then(|p| p.get(pid).cloned())
                .or_else(|| record.get(&owner.link).cloned())
        });
        for field in fields_of(&keys.pk) {
            if record.get(&field).is_none() {
                if let Some(id) = &parent_id {
                    set_path(&mut record, &field, id.clone());
                }
            }
        }
        record
    }

    /// The table key of an entity's item.
    pub fn key(&self, entity: usize, record: &Val, parent: Option<&Val>) -> Value {
        let dynamo = &self.schema.design.dynamo;
        let record = self.keyed(entity, record, parent);
        let Some(keys) = self.keys(self.entity_name(entity)) else {
            return json!({});
        };
        json!({
            dynamo.partition_key.clone(): { "S": render(&keys.pk, &record) },
            dynamo.sort_key.clone(): { "S": render(&keys.sk, &record) },
        })
    }

    /// The item a record becomes: keys, index keys, `entityType`, the attributes, and the
    /// children stored inside it.
    pub fn item(
        &self,
        entity: usize,
        record: &Val,
        children: &[(usize, Vec<Val>)],
        parent: Option<&Val>,
    ) -> Map<String, Value> {
        let name = self.entity_name(entity).to_string();
        let keyed = self.keyed(entity, record, parent);
        let mut item = self
            .key(entity, record, parent)
            .as_object()
            .cloned()
            .unwrap_or_default();
        if let Some(keys) = self.keys(&name) {
            self.index_keys(keys, &keyed, &mut item);
        }
        item.insert(
            schemaplay_core::dynamo::TYPE_ATTRIBUTE.into(),
            json!({ "S": name }),
        );
        let info = self.schema.info(entity);
        let held: Vec<&str> = info.map_or(Vec::new(), |i| {
            i.holds.iter().map(|(_, f, _)| f.as_str()).collect()
        });
        let pk_fields = self.keys(&name).map_or(Vec::new(), |k| fields_of(&k.pk));
        if let Val::Object(fields) = &keyed {
            for (k, v) in fields {
                let link = info
                    .and_then(|i| i.owner.as_ref())
                    .is_some_and(|o| !o.declared && o.link == *k && !pk_fields.contains(k));
                if !held.contains(&k.as_str()) && !link {
                    item.insert(k.clone(), v.to_attribute());
                }
            }
        }
        for child in &self.layout.entities {
            let (Some(attr), Some(host)) = (&child.attribute, &child.collection_of) else {
                continue;
            };
            let Some(c) = self.schema.index(&child.entity).filter(|_| *host == name) else {
                continue;
            };
            let Some(rel) = self
                .schema
                .info(c)
                .and_then(|i| i.owner.as_ref())
                .map(|o| o.relationship)
            else {
                continue;
            };
            let kids: Vec<Value> = children
                .iter()
                .filter(|(r, _)| *r == rel)
                .flat_map(|(_, kids)| kids)
                .map(|k| self.embedded(c, k))
                .collect();
            let one = self
                .schema
                .design
                .relationships
                .get(rel)
                .is_some_and(|r| r.cardinality == Cardinality::OneToOne);
            if one {
                if let Some(k) = kids.into_iter().next() {
                    item.insert(attr.clone(), k);
                }
            } else {
                item.insert(attr.clone(), json!({ "L": kids }));
            }
        }
        item
    }

    /// The derived index keys an item carries (sparse: not when a partition key field is missing).
    fn index_keys(&self, keys: &EntityKeys, record: &Val, item: &mut Map<String, Value>) {
        for k in &keys.index_keys {
            let Some(index) = self.layout.indexes.iter().find(|i| i.name == k.index) else {
                continue;
            };
            if index.declared || !fields_of(&k.pk).iter().all(|f| record.get(f).is_some()) {
                continue;
            }
            if index.kind != "local" {
                item.insert(
                    index.partition_key.clone(),
                    json!({ "S": render(&k.pk, record) }),
                );
            }
            if let (Some(attr), Some(sk)) = (&index.sort_key, &k.sk) {
                item.insert(attr.clone(), json!({ "S": render(sk, record) }));
            }
        }
    }

    /// A child as stored inside its parent's item: its declared fields only.
    fn embedded(&self, entity: usize, record: &Val) -> Value {
        let Some(info) = self.schema.info(entity) else {
            return json!({ "M": {} });
        };
        let mut m = Map::new();
        if let Val::Object(fields) = record {
            for (k, v) in fields {
                let hidden = (*k == info.id && !info.declared_id)
                    || info
                        .owner
                        .as_ref()
                        .is_some_and(|o| !o.declared && o.link == *k);
                if !hidden {
                    m.insert(k.clone(), v.to_attribute());
                }
            }
        }
        json!({ "M": m })
    }

    /// The link items of the many-to-many relationships a record holds.
    pub fn link_items(&self, entity: usize, record: &Val) -> Vec<Map<String, Value>> {
        let (Some(info), dynamo) = (self.schema.info(entity), &self.schema.design.dynamo) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (rel, field, _) in &info.holds {
            let Some(r) = self.schema.design.relationships.get(*rel) else {
                continue;
            };
            let Some(keys) = self.keys(&link_name(r)) else {
                continue;
            };
            let (a, b) = (
                format!("{}Id", lower_first(&r.from)),
                format!("{}Id", lower_first(&r.to)),
            );
            let (Some(Val::Array(ids)), Some(own)) = (record.get(field), record.get(&info.id))
            else {
                continue;
            };
            for other in ids {
                let (from, to) = if r.from == info.name {
                    (own.clone(), other.clone())
                } else {
                    (other.clone(), own.clone())
                };
                let pair = Val::Object(vec![(a.clone(), from.clone()), (b.clone(), to.clone())]);
                let mut item = Map::new();
                item.insert(
                    dynamo.partition_key.clone(),
                    json!({ "S": render(&keys.pk, &pair) }),
                );
                item.insert(
                    dynamo.sort_key.clone(),
                    json!({ "S": render(&keys.sk, &pair) }),
                );
                self.index_keys(keys, &pair, &mut item);
                item.insert(
                    schemaplay_core::dynamo::TYPE_ATTRIBUTE.into(),
                    json!({ "S": keys.entity }),
                );
                item.insert(a.clone(), from.to_attribute());
                item.insert(b.clone(), to.to_attribute());
                out.push(item);
            }
        }
        out
    }

    /// The key of the marker item that keeps a unique value unique: `USER_EMAIL#ana@x.com`.
    pub fn marker(&self, entity: usize, field: &str, text: &str) -> Value {
        let info = self.schema.info(entity);
        let lower = info.is_some_and(|i| i.unique_ignoring_case.iter().any(|u| u == field));
        let text = if lower {
            text.to_lowercase()
        } else {
            text.to_string()
        };
        let mut upper = field.chars();
        let field_word: String = match upper.next() {
            Some(c) => c.to_uppercase().chain(upper).collect(),
            None => String::new(),
        };
        let marker = format!(
            "{}_{}#{text}",
            key_prefix(self.entity_name(entity)),
            key_prefix(&field_word)
        );
        let dynamo = &self.schema.design.dynamo;
        json!({ dynamo.partition_key.clone(): { "S": marker }, dynamo.sort_key.clone(): { "S": marker } })
    }

    /// The derived request of a pattern with the arguments in place: its operation and input.
    /// `stored` is the item a delete removes (its unique values name the markers).
    pub fn request(
        &self,
        pattern: &AccessPattern,
        args: &Args,
        stored: Option<&Map<String, Value>>,
    ) -> Option<(String, Value)> {
        let entity = self.schema.index(&pattern.entity)?;
        let derived = self
            .layout
            .requests
            .iter()
            .find(|r| r.pattern == pattern.name)?;
        let mut input = derived.input.get("input")?.clone();
        let looked_up = self.lookup_record(entity, args);
        if let Some(Value::Array(actions)) = input.get_mut("TransactItems") {
            let uniques = self
                .schema
                .info(entity)
                .map_or(Vec::new(), |i| i.uniques.clone());
            for (i, action) in actions.iter_mut().enumerate() {
                let Some(m) = action.as_object_mut() else {
                    continue;
                };
                for (kind, body) in m.iter_mut() {
                    match (i, kind.as_str()) {
                        (0, _) => self.fill(entity, pattern, args, &looked_up, body),
                        (n, "Put") => {
                            let field = uniques.get(n - 1).map_or("", String::as_str);
                            let text = args
                                .record
                                .as_ref()
                                .and_then(|r| r.get(field))
                                .map(Val::key_text)
                                .unwrap_or_default();
                            body["Item"] = self.marker(entity, field, &text);
                        }
                        (n, _) => {
                            let field = uniques.get(n - 1).map_or("", String::as_str);
                            let text = stored
                                .and_then(|s| s.get(field))
                                .and_then(|v| {
                                    v.as_object()?.values().next()?.as_str().map(str::to_string)
                                })
                                .unwrap_or_default();
                            body["Key"] = self.marker(entity, field, &text);
                        }
                    }
                }
            }
        } else {
            self.fill(entity, pattern, args, &looked_up, &mut input);
        }
        Some((derived.operation.clone(), input))
    }

    /// The record of the equality arguments (dotted paths as nested objects, `_id` as the id).
    fn lookup_record(&self, entity: usize, args: &Args) -> Val {
        let id = self.schema.info(entity).map_or("", |i| i.id.as_str());
        let mut record = Val::Object(Vec::new());
        for (path, v) in &args.equal {
            let path = if path == "_id" { id } else { path.as_str() };
            set_path(&mut record, path, v.clone());
        }
        record
    }

    /// Puts the arguments into one request (or one action of a transaction).
    fn fill(
        &self,
        entity: usize,
        pattern: &AccessPattern,
        args: &Args,
        looked_up: &Val,
        input: &mut Value,
    ) {
        let Some(m) = input.as_object_mut() else {
            return;
        };
        let name = self.entity_name(entity).to_string();
        let embedded_attr = self.keys(&name).and_then(|k| k.attribute.clone());
        if m.contains_key("Item") {
            if let Some(record) = &args.record {
                let item = self.item(entity, record, &args.children, args.parent.as_ref());
                m.insert("Item".into(), Value::Object(item));
            }
        }
        if m.contains_key("Key") {
            let key = match (&embedded_attr, &args.parent) {
                (Some(_), Some(parent)) => {
                    let host = self
                        .schema
                        .info(entity)
                        .and_then(|i| i.owner.as_ref())
                        .map(|o| o.parent);
                    host.map(|h| self.key(h, parent, None))
                }
                (Some(_), None) => None,
                (None, _) => Some(self.key(entity, looked_up, args.parent.as_ref())),
            };
            if let Some(key) = key {
                m.insert("Key".into(), key);
            }
        }
        let index = m
            .get("IndexName")
            .and_then(Value::as_str)
            .map(str::to_string);
        let new_is_list = values_has_list(":new", input_values(m));
        let Some(Value::Object(values)) = m.get_mut("ExpressionAttributeValues") else {
            return;
        };
        let mut set = |placeholder: &str, value: Value| {
            if values.contains_key(placeholder) {
                values.insert(placeholder.to_string(), value);
            }
        };
        // An embedded child: the element (or object) written into the parent's item.
        if let (Some(_), Some(record)) = (&embedded_attr, &args.record) {
            let child = self.embedded(entity, record);
            set(
                ":new",
                if new_is_list {
                    json!({ "L": [child] })
                } else {
                    child
                },
            );
        }
        // Update values, under the names the derivation gives them.
        for (field, v) in &args.change {
            let word = camel(field.rsplit('.').next().unwrap_or(field));
            match pattern.update.unwrap_or_default() {
                UpdateAction::Set => set(&format!(":{word}"), v.to_attribute()),
                UpdateAction::Increment => {
                    set(":amount", v.to_attribute());
                    set(&format!(":{word}Amount"), v.to_attribute());
                }
                UpdateAction::Push => set(&format!(":{word}"), json!({ "L": [v.to_attribute()] })),
            }
        }
        // Key condition values of a Query.
        let (pk, sk) = self.query_templates(entity, pattern, index.as_deref());
        let Some(pk) = pk else {
            return;
        };
        let raw = pk.starts_with('<') && pk.ends_with('>') && fields_of(&pk).len() == 1;
        if raw {
            let field = fields_of(&pk).pop().unwrap_or_default();
            let attr = self
                .layout
                .indexes
                .iter()
                .find(|i| Some(i.name.as_str()) == index.as_deref())
                .map_or(field.clone(), |i| i.partition_key.clone());
            if let Some(v) = looked_up.get(&field) {
                set(&format!(":{}", camel(&attr)), v.to_attribute());
            }
        } else {
            set(":pk", json!({ "S": render(&pk, looked_up) }));
        }
        if let (Some(range), Some(from), Some(sk)) = (&pattern.range, &args.from, sk) {
            let prefix = sk.split('<').next().unwrap_or("").to_string();
            let ty = self.schema.field_type(entity, range);
            let (low, high) = range_bounds(from, ty.as_ref());
            set(":from", json!({ "S": format!("{prefix}{low}") }));
            set(":to", json!({ "S": format!("{prefix}{high}") }));
        }
    }

    /// The partition and sort key templates a Query of the pattern reads.
    fn query_templates(
        &self,
        entity: usize,
        pattern: &AccessPattern,
        index: Option<&str>,
    ) -> (Option<String>, Option<String>) {
        let name = match schemaplay_core::dynamo::many_to_many_read(self.schema.design, pattern) {
            Some((rel, _)) => match self.schema.design.relationships.get(rel) {
                Some(r) => link_name(r),
                None => return (None, None),
            },
            None => self.entity_name(entity).to_string(),
        };
        let Some(keys) = self.keys(&name) else {
            return (None, None);
        };
        match index {
            Some(index) => match keys.index_keys.iter().find(|k| k.index == index) {
                Some(k) => (Some(k.pk.clone()), k.sk.clone()),
                None => (None, None),
            },
            None => (Some(keys.pk.clone()), Some(keys.sk.clone())),
        }
    }
}

fn input_values(m: &Map<String, Value>) -> Option<&Map<String, Value>> {
    m.get("ExpressionAttributeValues")?.as_object()
}

/// Whether the derived value of a placeholder is a list (a `list_append` of an element).
fn values_has_list(placeholder: &str, values: Option<&Map<String, Value>>) -> bool {
    values
        .and_then(|v| v.get(placeholder))
        .is_some_and(|v| v.get("L").is_some())
}

/// The `<field>` names of a key template.
pub fn fields_of(template: &str) -> Vec<String> {
    schemaplay_core::validate::placeholders(template)
        .unwrap_or_default()
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// The bounds the derived range condition puts around its lower bound: 30 days (or 100
/// units) later, as key text.
fn range_bounds(from: &Val, ty: Option<&FieldType>) -> (String, String) {
    match (from, ty) {
        (Val::Date(ms), _) => (iso_date(*ms), iso_date(ms.saturating_add(30 * 86_400_000))),
        (Val::Int(n) | Val::Long(n), _) => (pad_number(*n), pad_number(n.saturating_add(100))),
        (v, _) => (v.key_text(), format!("{}~", v.key_text())),
    }
}
