//! The MongoDB layout in the MongoDB simulator: the derived collections and suggested indexes,
//! documents written as the layout shapes them, each pattern's derived query run with the
//! step's arguments, and the answer read back as canonical records.

use schemaplay_core::mongo::{layout, relationship_field};
use schemaplay_core::names::plural;
use schemaplay_core::{AccessPattern, PatternKind};
use schemaplay_mongo::Database;
use serde_json::{json, Value};

use crate::answer::{project, project_child, with_children, Answer};
use crate::canon::{from_ejson, Canon};
use crate::fault::{apply_mongo, Fault};
use crate::layout::{Call, Layout, Service};
use crate::schema::Schema;
use crate::seam::mongo::{placements, Render};
use crate::workload::Args;

pub struct MongoSide<'s> {
    render: Render<'s>,
    db: Database,
    faults: Vec<Fault>,
    calls: Vec<Call>,
}

impl<'s> MongoSide<'s> {
    pub fn new(schema: &'s Schema<'s>, faults: Vec<Fault>) -> MongoSide<'s> {
        let layout = layout(schema.design);
        let placements = placements(schema.design, &layout);
        MongoSide {
            render: Render {
                schema,
                layout,
                placements,
            },
            db: Database::new(),
            faults,
            calls: Vec::new(),
        }
    }

    fn schema(&self) -> &'s Schema<'s> {
        self.render.schema
    }

    /// Sends a request, faults applied; `pattern` is the write pattern it serves, if any.
    fn send(
        &mut self,
        mut request: Value,
        pattern: Option<&AccessPattern>,
    ) -> Result<Value, String> {
        let guard = pattern.and_then(|p| {
            let e = self.schema().index(&p.entity)?;
            Some(self.render.host_path(e, &p.condition.as_ref()?.field))
        });
        for fault in &self.faults {
            if let (Fault::SkipWrite(name), Some(p)) = (fault, pattern) {
                if *name == p.name {
                    return Err("skipped (fault injected)".into());
                }
            }
            if !apply_mongo(fault, guard.as_deref(), &mut request) {
                return Err("skipped (fault injected)".into());
            }
        }
        let response = self
            .db
            .execute(&request)
            .map_err(|e| format!("{} {}", e.code_name, e.message));
        self.calls.push(Call {
            request,
            response: response.clone(),
        });
        response
    }

    /// The canonical records a returned document holds for an entity: the document itself, or
    /// the elements at the entity's path when it is embedded.
    fn records(&self, entity: usize, doc: &Value, children: bool) -> Vec<Canon> {
        let schema = self.schema();
        let Some(place) = self.render.placements.get(entity) else {
            return Vec::new();
        };
        if !place.prefix.is_empty() {
            let mut at = doc;
            for part in place.prefix.split('.') {
                at = at.get(part).unwrap_or(&Value::Null);
            }
            let elements: Vec<&Value> = match at {
                Value::Array(items) => items.iter().collect(),
                Value::Null => Vec::new(),
                one => vec![one],
            };
            return elements
                .into_iter()
                .map(|el| project(schema, entity, &from_ejson(el)))
                .collect();
        }
        let canon = self.own_record(entity, doc);
        if !children {
            return vec![project(schema, entity, &canon)];
        }
        let kids = schema
            .read_with(entity)
            .into_iter()
            .map(|(rel, r, c)| {
                let name = if self.embeds(rel) {
                    relationship_field(r, true)
                } else {
                    plural(&schemaplay_core::model::lower_first(&r.to))
                };
                let list: Vec<Canon> = match doc.get(&name) {
                    Some(Value::Array(items)) => items.iter().collect::<Vec<_>>(),
                    Some(Value::Null) | None => Vec::new(),
                    Some(one) => vec![one],
                }
                .into_iter()
                .map(|k| project_child(schema, c, &self.own_record(c, k)))
                .collect();
                (r.to.clone(), list)
            })
            .collect();
        vec![with_children(project(schema, entity, &canon), kids)]
    }

    /// A document as a canonical record, its `_id` under the entity's id name.
    fn own_record(&self, entity: usize, doc: &Value) -> Canon {
        let id = self.schema().info(entity).map_or("_id", |i| i.id.as_str());
        match from_ejson(doc) {
            Canon::Object(fields) => Canon::object(
                fields
                    .into_iter()
                    .map(|(k, v)| {
                        if k == "_id" {
                            (id.to_string(), v)
                        } else {
                            (k, v)
                        }
                    })
                    .collect(),
            ),
            other => other,
        }
    }

    /// Whether the layout embeds a relationship's children in their parent's documents.
    fn embeds(&self, relationship: usize) -> bool {
        self.render
            .layout
            .decisions
            .iter()
            .any(|d| d.relationship == relationship && d.embed)
    }

    fn collection(&self, entity: usize) -> String {
        self.render
            .placements
            .get(entity)
            .map(|p| p.collection.clone())
            .unwrap_or_default()
    }

    /// Stores a record and, where the layout does not embed them, its children, each where the
    /// layout keeps its entity.
    fn store(&mut self, entity: usize, args: &Args) {
        let Some(record) = &args.record else {
            return;
        };
        let collection = self.collection(entity);
        let embedded = self
            .render
            .placements
            .get(entity)
            .is_some_and(|p| !p.prefix.is_empty());
        if embedded {
            let Some(parent) = self.render.parent_id(entity, args) else {
                return;
            };
            let update = self.render.embedded_insert(entity, record);
            let request = json!({ "op": "updateOne", "collection": collection, "filter": { "_id": parent.to_ejson() }, "update": update });
            let _ = self.send(request, None);
            return;
        }
        let document = self.render.document(entity, record, &args.children, 0);
        let request = json!({ "op": "insertOne", "collection": collection, "document": document });
        if self.send(request, None).is_err() {
            return;
        }
        let schema = self.schema();
        for (rel, kids) in &args.children {
            let embedded = self.embeds(*rel);
            let child = schema
                .design
                .relationships
                .get(*rel)
                .and_then(|r| schema.index(&r.to));
            let (false, Some(c)) = (embedded, child) else {
                continue;
            };
            for kid in kids {
                let kid_args = Args {
                    record: Some(kid.clone()),
                    ..Args::default()
                };
                self.store(c, &kid_args);
            }
        }
    }
}

impl Layout for MongoSide<'_> {
    fn service(&self, pattern: usize) -> Service {
        let Some((p, _)) = self.schema().pattern(pattern) else {
            return Service::Unservable("the pattern names no entity of the design".into());
        };
        if self.render.derived(p).is_none() {
            return Service::Unservable("no MongoDB query is derived for it".into());
        }
        if p.case_insensitive {
            return Service::NotSimulated("it needs the collation { locale: 'en', strength: 2 }, which the MongoDB simulator does not implement".into());
        }
        Service::Served
    }

    fn reset(&mut self) -> Result<(), String> {
        self.db = Database::new();
        self.calls.clear();
        let indexes: Vec<Value> = self
            .render
            .layout
            .collections
            .iter()
            .flat_map(|c| &c.indexes)
            .map(|i| {
                json!({ "op": "createIndex", "collection": i.collection, "key": i.keys,
                        "options": { "name": i.name, "unique": i.unique } })
            })
            .collect();
        for request in indexes {
            self.db
                .execute(&request)
                .map_err(|e| format!("createIndex {request}: {} {}", e.code_name, e.message))?;
        }
        Ok(())
    }

    fn load(&mut self, entity: usize, args: &Args) {
        self.calls.clear();
        self.store(entity, args);
    }

    fn write(&mut self, pattern: usize, args: &Args) {
        self.calls.clear();
        let Some((p, entity)) = self.schema().pattern(pattern) else {
            return;
        };
        let Some(q) = self.render.derived(p).cloned() else {
            return;
        };
        let filter = Value::Object(self.render.filter(entity, p, &q, args));
        let mut request =
            json!({ "op": q.operation, "collection": q.collection, "filter": filter });
        match (p.kind, q.operation.as_str()) {
            (PatternKind::Insert, "insertOne") => {
                let Some(record) = &args.record else {
                    return;
                };
                let document = self.render.document(entity, record, &args.children, 0);
                request =
                    json!({ "op": "insertOne", "collection": q.collection, "document": document });
            }
            (PatternKind::Insert, _) => {
                let Some(record) = &args.record else {
                    return;
                };
                request["update"] = self.render.embedded_insert(entity, record);
            }
            (PatternKind::Update, _) => {
                request["update"] = self.render.update_document(entity, p, &q, args);
            }
            (_, "updateOne") => {
                // A delete of embedded data: the derived update (`$pull`) as it is.
                request["update"] = q.document.clone().unwrap_or(Value::Null);
            }
            _ => {}
        }
        let _ = self.send(request, Some(p));
    }

    fn read(&mut self, pattern: usize, args: &Args) -> Answer {
        self.calls.clear();
        let Some((p, entity)) = self.schema().pattern(pattern) else {
            return Answer::Failed("the pattern names no entity of the design".into());
        };
        let Some(q) = self.render.derived(p).cloned() else {
            return Answer::Failed("no query is derived".into());
        };
        let mut filter = self.render.filter(entity, p, &q, args);
        if let Some(ids) = self.many_to_many_ids(p, args) {
            match ids {
                Ok((path, value)) => {
                    filter.insert(path, value);
                }
                Err(e) => return Answer::Failed(e),
            }
        }
        let filter = Value::Object(filter);
        let mut request =
            json!({ "op": q.operation, "collection": q.collection, "filter": filter });
        if let Some(sort) = &q.sort {
            request["sort"] = sort.clone();
        }
        if let Some(limit) = q.limit {
            request["limit"] = json!(limit);
        }
        if let Some(Value::Array(stages)) = &q.pipeline {
            let mut stages = stages.clone();
            if let Some(first) = stages.first_mut() {
                *first = json!({ "$match": filter });
            }
            request = json!({ "op": "aggregate", "collection": q.collection, "pipeline": stages });
        }
        let response = match self.send(request, None) {
            Ok(r) => r,
            Err(e) => return Answer::Failed(e),
        };
        let children = p.kind == PatternKind::GetOne;
        match (p.kind, q.operation.as_str(), &response) {
            (PatternKind::Count, _, Value::Number(n)) => Answer::Count(n.as_u64().unwrap_or(0)),
            (PatternKind::GetOne, "findOne", Value::Null) => Answer::One(None),
            (PatternKind::GetOne, "findOne", doc) => {
                Answer::One(self.records(entity, doc, children).into_iter().next())
            }
            (PatternKind::GetOne, _, Value::Array(docs)) => Answer::One(
                docs.iter()
                    .flat_map(|d| self.records(entity, d, children))
                    .next(),
            ),
            (_, _, Value::Array(docs)) => Answer::List(
                docs.iter()
                    .flat_map(|d| self.records(entity, d, false))
                    .collect(),
            ),
            (_, _, other) => Answer::Failed(format!("unexpected answer {other}")),
        }
    }

    fn calls(&self) -> &[Call] {
        &self.calls
    }
}

impl MongoSide<'_> {
    /// For a many-to-many read, the filter entry that selects the linked records: the id array
    /// of the read entity (a multikey match), or the other side's array read first (`$in`).
    fn many_to_many_ids(
        &mut self,
        p: &AccessPattern,
        args: &Args,
    ) -> Option<Result<(String, Value), String>> {
        let schema = self.schema();
        let (rel, forward) = schemaplay_core::dynamo::many_to_many_read(schema.design, p)?;
        let r = schema.design.relationships.get(rel)?;
        let (holder, field, _, _) = schemaplay_core::mongo::reference(r);
        let arg = args.equal.first().map(|(_, v)| v.clone())?;
        if holder == p.entity {
            return Some(Ok((field, arg.to_ejson())));
        }
        let other = schema.index(if forward { &r.from } else { &r.to })?;
        let collection = self.collection(other);
        let request = json!({ "op": "findOne", "collection": collection, "filter": { "_id": arg.to_ejson() } });
        Some(match self.send(request, None) {
            Ok(doc) => {
                let ids = doc.get(&field).cloned().unwrap_or(Value::Array(Vec::new()));
                Ok(("_id".into(), json!({ "$in": ids })))
            }
            Err(e) => Err(e),
        })
    }
}
