//! The DynamoDB single-table layout in the DynamoDB simulator: the derived CreateTable, items
//! written with the layout's keys and index keys, each pattern's derived request run with the
//! step's arguments, and the items it returns read back as canonical records.

use schemaplay_core::dynamo::{layout, TYPE_ATTRIBUTE};
use schemaplay_core::{AccessPattern, PatternKind};
use schemaplay_dynamo::Database;
use serde_json::{json, Map, Value};

use crate::answer::{project, project_child, with_children, Answer};
use crate::canon::{from_attribute, Canon};
use crate::fault::{apply_dynamo, Fault, KeyAttributes};
use crate::layout::{Call, Layout, Service};
use crate::schema::Schema;
use crate::seam::dynamo::Render;
use crate::workload::Args;

pub struct DynamoSide<'s> {
    render: Render<'s>,
    db: Database,
    faults: Vec<Fault>,
    keys: KeyAttributes,
    calls: Vec<Call>,
}

impl<'s> DynamoSide<'s> {
    pub fn new(schema: &'s Schema<'s>, faults: Vec<Fault>) -> DynamoSide<'s> {
        let layout = layout(schema.design);
        let mut keys = KeyAttributes {
            sort_keys: vec![layout.sort_key.clone()],
            index_keys: Vec::new(),
        };
        for i in layout.indexes.iter().filter(|i| !i.declared) {
            if i.kind != "local" {
                keys.index_keys.push(i.partition_key.clone());
            }
            if let Some(sk) = &i.sort_key {
                keys.index_keys.push(sk.clone());
                keys.sort_keys.push(sk.clone());
            }
        }
        DynamoSide {
            render: Render { schema, layout },
            db: Database::new(),
            faults,
            keys,
            calls: Vec::new(),
        }
    }

    fn schema(&self) -> &'s Schema<'s> {
        self.render.schema
    }

    /// Sends a request, faults applied; `pattern` is the write pattern it serves, if any.
    fn send(
        &mut self,
        operation: &str,
        mut input: Value,
        pattern: Option<&AccessPattern>,
    ) -> Result<Value, String> {
        for fault in &self.faults {
            if let (Fault::SkipWrite(name), Some(p)) = (fault, pattern) {
                if *name == p.name {
                    return Err("skipped (fault injected)".into());
                }
            }
            if !apply_dynamo(fault, &self.keys, &mut input) {
                return Err("skipped (fault injected)".into());
            }
        }
        let response = self
            .db
            .execute(operation, &input)
            .map_err(|e| format!("{}: {}", e.kind.name(), e.message));
        self.calls.push(Call {
            request: json!({ "operation": operation, "input": input }),
            response: response.clone(),
        });
        response
    }

    fn put(&mut self, item: Map<String, Value>) -> Result<Value, String> {
        let input = json!({ "TableName": self.render.layout.table_name, "Item": item });
        self.send("PutItem", input, None)
    }

    /// An item as a canonical record of an entity (attributes read with the declared types).
    fn record(&self, entity: usize, item: &Map<String, Value>) -> Canon {
        let schema = self.schema();
        let types = |t: &str| schema.id_type(t);
        Canon::object(
            item.iter()
                .map(|(k, v)| {
                    let ty = schema.field_type(entity, k);
                    (k.clone(), from_attribute(v, ty.as_ref(), &types))
                })
                .collect(),
        )
    }

    /// The record of a `getOne`: the entity's item with the children read with it, from an
    /// attribute of the item or from the other items of its collection.
    fn with_children(
        &self,
        entity: usize,
        item: &Map<String, Value>,
        others: &[&Map<String, Value>],
    ) -> Canon {
        let schema = self.schema();
        let canon = self.record(entity, item);
        let kids = schema
            .read_with(entity)
            .into_iter()
            .map(|(_, r, c)| {
                let attr = self.render.keys(&r.to).and_then(|k| k.attribute.clone());
                let list: Vec<Canon> = match attr {
                    Some(attr) => {
                        let types = |t: &str| schema.id_type(t);
                        let child_ty = schemaplay_core::FieldType::Object(
                            schema
                                .entity(c)
                                .map(|e| e.fields.clone())
                                .unwrap_or_default(),
                        );
                        let values: Vec<&Value> = match item.get(&attr) {
                            Some(v) => match v.get("L").and_then(Value::as_array) {
                                Some(items) => items.iter().collect(),
                                None => vec![v],
                            },
                            None => Vec::new(),
                        };
                        values
                            .into_iter()
                            .map(|v| {
                                project_child(
                                    schema,
                                    c,
                                    &from_attribute(v, Some(&child_ty), &types),
                                )
                            })
                            .collect()
                    }
                    None => others
                        .iter()
                        .filter(|o| type_of(o) == Some(r.to.as_str()))
                        .map(|o| project_child(schema, c, &self.record(c, o)))
                        .collect(),
                };
                (r.to.clone(), list)
            })
            .collect();
        with_children(project(schema, entity, &canon), kids)
    }

    /// The item a write by key will touch, read first (a delete needs its unique values).
    fn stored(&mut self, pattern: &AccessPattern, args: &Args) -> Option<Map<String, Value>> {
        let entity = self.schema().index(&pattern.entity)?;
        let uniques = !self.schema().info(entity)?.uniques.is_empty();
        if pattern.kind != PatternKind::Delete || !uniques {
            return None;
        }
        let (_, input) = self.render.request(pattern, args, None)?;
        let key = input
            .get("TransactItems")?
            .get(0)?
            .get("Delete")?
            .get("Key")?
            .clone();
        let get = json!({ "TableName": self.render.layout.table_name, "Key": key, "ConsistentRead": true });
        let response = self.send("GetItem", get, None).ok()?;
        response.get("Item")?.as_object().cloned()
    }
}

fn type_of(item: &Map<String, Value>) -> Option<&str> {
    item.get(TYPE_ATTRIBUTE)?.get("S")?.as_str()
}

impl Layout for DynamoSide<'_> {
    fn service(&self, pattern: usize) -> Service {
        let Some((p, _)) = self.schema().pattern(pattern) else {
            return Service::Unservable("the pattern names no entity of the design".into());
        };
        match self
            .render
            .layout
            .requests
            .iter()
            .find(|r| r.pattern == p.name)
        {
            None => Service::Unservable("no DynamoDB request is derived for it".into()),
            Some(r) if r.operation == "Scan" => Service::Unservable(format!(
                "it is a Scan: {}",
                r.flag.as_deref().unwrap_or("the layout has no key for it")
            )),
            Some(_) => Service::Served,
        }
    }

    fn reset(&mut self) -> Result<(), String> {
        self.db = Database::new();
        self.calls.clear();
        let create = self.render.layout.create_table.clone();
        self.db
            .execute("CreateTable", &create)
            .map(|_| ())
            .map_err(|e| format!("CreateTable: {}: {}", e.kind.name(), e.message))
    }

    fn load(&mut self, entity: usize, args: &Args) {
        self.calls.clear();
        let Some(record) = &args.record else {
            return;
        };
        // Through the entity's insert pattern when the design has one (its guards and unique
        // markers included), else as a plain item.
        let insert = self.schema().insert_pattern(entity);
        let via_pattern = insert
            .and_then(|i| self.schema().design.access_patterns.get(i))
            .and_then(|p| self.render.request(p, args, None));
        let stored = match via_pattern {
            Some((operation, input)) => self.send(&operation, input, None),
            None => {
                let item = self
                    .render
                    .item(entity, record, &args.children, args.parent.as_ref());
                self.put(item)
            }
        };
        if stored.is_err() {
            return;
        }
        let schema = self.schema();
        // Children the layout keeps as items of their own.
        for (rel, kids) in &args.children {
            let Some(c) = schema
                .design
                .relationships
                .get(*rel)
                .and_then(|r| schema.index(&r.to))
            else {
                continue;
            };
            let inside = self
                .render
                .keys(schema.info(c).map_or("", |i| i.name.as_str()))
                .is_some_and(|k| k.attribute.is_some());
            if inside {
                continue;
            }
            for kid in kids {
                let item = self.render.item(c, kid, &[], Some(record));
                let _ = self.put(item);
            }
        }
        for link in self.render.link_items(entity, record) {
            let _ = self.put(link);
        }
    }

    fn write(&mut self, pattern: usize, args: &Args) {
        self.calls.clear();
        let Some((p, _)) = self.schema().pattern(pattern) else {
            return;
        };
        let stored = self.stored(p, args);
        if let Some((operation, input)) = self.render.request(p, args, stored.as_ref()) {
            let _ = self.send(&operation, input, Some(p));
        }
    }

    fn read(&mut self, pattern: usize, args: &Args) -> Answer {
        self.calls.clear();
        let Some((p, entity)) = self.schema().pattern(pattern) else {
            return Answer::Failed("the pattern names no entity of the design".into());
        };
        let Some((operation, input)) = self.render.request(p, args, None) else {
            return Answer::Failed("no request is derived".into());
        };
        let response = match self.send(&operation, input, None) {
            Ok(r) => r,
            Err(e) => return Answer::Failed(e),
        };
        let items: Vec<&Map<String, Value>> = match (response.get("Item"), response.get("Items")) {
            (Some(Value::Object(item)), _) => vec![item],
            (_, Some(Value::Array(items))) => items.iter().filter_map(Value::as_object).collect(),
            _ => Vec::new(),
        };
        match p.kind {
            PatternKind::Count => match response.get("Count").and_then(Value::as_u64) {
                Some(n) => Answer::Count(n),
                None => Answer::Failed(format!("no Count in {response}")),
            },
            PatternKind::GetOne => {
                // The entity's own item first; the rest of a collection are its children.
                let own = items
                    .iter()
                    .position(|i| type_of(i).is_none_or(|t| t == p.entity))
                    .or(if items.is_empty() { None } else { Some(0) });
                Answer::One(own.and_then(|i| {
                    let others: Vec<&Map<String, Value>> = items
                        .iter()
                        .enumerate()
                        .filter(|(j, _)| *j != i)
                        .map(|(_, o)| *o)
                        .collect();
                    Some(self.with_children(entity, items.get(i)?, &others))
                }))
            }
            _ => Answer::List(
                items
                    .iter()
                    .map(|i| project(self.schema(), entity, &self.record(entity, i)))
                    .collect(),
            ),
        }
    }

    fn calls(&self) -> &[Call] {
        &self.calls
    }
}
