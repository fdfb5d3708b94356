//! The MongoDB layout in the MongoDB simulator: the derived collections and suggested indexes,
//! each write and read rendered by core from the step's arguments
//! (`MongoContext::query_for`), and the answer read back as canonical records.

use schemaplay_core::model::version::pattern_version;
use schemaplay_core::model::MAX_CASCADE_DEPTH;
use schemaplay_core::mongo::{embedded_field, layout, reference, MongoContext, MongoLayout};
use schemaplay_core::names::plural;
use schemaplay_core::sample::Val;
use schemaplay_core::{AccessPattern, PatternKind};
use schemaplay_mongo::Database;
use serde_json::{json, Value};

use crate::answer::{project, project_child, with_children, Answer};
use crate::canon::{from_ejson, Canon};
use crate::fault::{apply_mongo, Fault, GuardPaths};
use crate::layout::{Call, Layout, Service};
use crate::records::{arguments, as_child, embedded_children, put, remove};
use crate::schema::Schema;
use crate::workload::Args;

pub struct MongoSide<'s> {
    schema: &'s Schema<'s>,
    context: MongoContext<'s>,
    layout: MongoLayout,
    db: Database,
    faults: Vec<Fault>,
    calls: Vec<Call>,
}

impl<'s> MongoSide<'s> {
    pub fn new(schema: &'s Schema<'s>, faults: Vec<Fault>) -> MongoSide<'s> {
        MongoSide {
            schema,
            context: MongoContext::new(schema.design),
            layout: layout(schema.design),
            db: Database::new(),
            faults,
            calls: Vec::new(),
        }
    }

    /// Where an entity's documents live, and the path inside a host document when embedded.
    fn placement(&self, entity: usize) -> (String, String) {
        let name = self.schema.info(entity).map_or("", |i| i.name.as_str());
        self.context
            .placement(name)
            .map(|p| (p.collection.clone(), p.prefix.clone()))
            .unwrap_or_default()
    }

    /// Sends a request, faults applied; `pattern` is the write pattern it serves, if any.
    fn send(
        &mut self,
        mut request: Value,
        pattern: Option<&AccessPattern>,
    ) -> Result<Value, String> {
        // The pattern's guard and version in the filter, at their paths in the host document.
        let mut paths = GuardPaths::default();
        if let Some((p, e)) = pattern.and_then(|p| Some((p, self.schema.index(&p.entity)?))) {
            let (_, prefix) = self.placement(e);
            let at = |field: &str| {
                if prefix.is_empty() {
                    field.to_string()
                } else {
                    format!("{prefix}.{field}")
                }
            };
            paths.guard = p.condition.as_ref().map(|c| at(&c.field));
            paths.version = pattern_version(p).map(at);
        }
        for fault in &self.faults {
            if let (Fault::SkipWrite(name), Some(p)) = (fault, pattern) {
                if *name == p.name {
                    return Err("skipped (fault injected)".into());
                }
            }
            if !apply_mongo(fault, &paths, &mut request) {
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

    /// The record an insert of `entity` writes in this layout: its fields, the references it
    /// holds under the layout's field names, and the children the layout embeds in it.
    fn stored(&self, entity: usize, args: &Args) -> Option<Val> {
        let info = self.schema.info(entity)?;
        let (_, prefix) = self.placement(entity);
        // Embedded itself, the record is stored as a child, with the children it embeds.
        let embedded = !prefix.is_empty();
        let mut record = if embedded {
            as_child(self.schema, entity, args.record.as_ref()?)
        } else {
            args.record.clone()?
        };
        if let Some(owner) = info.owner.as_ref().filter(|o| !o.declared && !embedded) {
            // The parent's id, under the name the layout gives the reference.
            let rel = self.schema.design.relationships.get(owner.relationship)?;
            let link = record.get(&owner.link).cloned();
            remove(&mut record, &owner.link);
            let (holder, field, _, _) = reference(rel);
            if let (true, Some(id)) = (holder == info.name, link) {
                put(&mut record, &field, id);
            }
        }
        for d in self
            .layout
            .decisions
            .iter()
            .filter(|d| d.embed && d.from == info.name)
        {
            let rel = self.schema.design.relationships.get(d.relationship)?;
            if let Some(kids) = embedded_children(self.schema, d.relationship, args) {
                put(&mut record, &embedded_field(self.schema.design, rel), kids);
            }
        }
        Some(record)
    }

    /// Runs one write pattern; whether it wrote: an insert that was not refused, an update or
    /// delete that matched its document.
    fn write_one(&mut self, pattern: usize, args: &Args) -> bool {
        let Some((p, entity)) = self.schema.pattern(pattern) else {
            return false;
        };
        if p.kind == PatternKind::Insert {
            return self.insert(entity, Some(p), args);
        }
        let record = arguments(self.schema, entity, p, args);
        // A delete of a document of its own is followed by its cleanup, by the id it had.
        let deleting = p.kind == PatternKind::Delete && self.placement(entity).1.is_empty();
        let doomed = if deleting {
            self.doomed_id(p, entity, &record, args)
        } else {
            None
        };
        let wrote = match self.send_write(p, &record, args.parent.as_ref(), Some(p)) {
            Some(Ok(answer)) => ["matchedCount", "deletedCount", "insertedId"]
                .iter()
                .any(|k| match answer.get(k) {
                    Some(Value::Number(n)) => n.as_u64().is_some_and(|n| n > 0),
                    Some(v) => !v.is_null(),
                    None => false,
                }),
            _ => false,
        };
        if let (true, Some(id)) = (wrote, doomed) {
            let name = p.entity.clone();
            self.cascade(&name, vec![id], 0);
        }
        wrote
    }

    /// The `_id` of the document a delete is about to remove: the arguments' id, or the one a
    /// `findOne` of the delete's filter finds (the application knows what it deletes).
    fn doomed_id(
        &mut self,
        p: &AccessPattern,
        entity: usize,
        record: &Val,
        args: &Args,
    ) -> Option<Value> {
        let id = self.schema.info(entity).map(|i| i.id.clone())?;
        if let Some(v) = record.get(&id) {
            return Some(v.to_ejson());
        }
        let seam = schemaplay_core::mongo::Args {
            record,
            parent: args.parent.as_ref(),
            words: None,
        };
        let q = self.context.query_for(p, seam)?;
        let find = json!({ "op": "findOne", "collection": q.collection, "filter": q.filter });
        self.send(find, None).ok()?.get("_id").cloned()
    }

    /// The cleanup after the delete of `entity` documents with `ids`, as core derives it: each
    /// cascade's children, their own children first (by the `_id`s a `find` of them answers),
    /// then their `deleteMany`. Depth-limited as the design's cascades are.
    fn cascade(&mut self, entity: &str, ids: Vec<Value>, depth: usize) {
        if ids.is_empty() || depth >= MAX_CASCADE_DEPTH || self.faults.contains(&Fault::SkipCascade)
        {
            return;
        }
        for c in self.context.cascade_for(entity, &ids) {
            if c.links {
                // The deleted ids pulled from the holders' arrays: nothing below them.
                if !self.faults.contains(&Fault::SkipLinkCleanup) {
                    let _ = self.send(c.delete.request(), None);
                }
                continue;
            }
            if !self.context.cascade_for(&c.child, &ids).is_empty() {
                let found = self.send(c.find.request(), None).unwrap_or_default();
                let kids: Vec<Value> = found
                    .as_array()
                    .map(|docs| docs.iter().filter_map(|d| d.get("_id").cloned()).collect())
                    .unwrap_or_default();
                self.cascade(&c.child, kids, depth + 1);
            }
            let _ = self.send(c.delete.request(), None);
        }
    }

    /// Renders a write's query from its record and sends it (`pattern`: the write pattern it
    /// serves, for faults), then, when it matched, the `updateMany` of each copy it leaves stale
    /// (core's fan-out); None when no query is rendered.
    fn send_write(
        &mut self,
        p: &AccessPattern,
        record: &Val,
        parent: Option<&Val>,
        pattern: Option<&AccessPattern>,
    ) -> Option<Result<Value, String>> {
        let seam = schemaplay_core::mongo::Args {
            record,
            parent,
            words: None,
        };
        let q = self.context.query_for(p, seam)?;
        let answer = self.send(q.request(), pattern);
        // An update that matched its document fans out to the copies of what it changed.
        let matched = answer
            .as_ref()
            .ok()
            .and_then(|a| a.get("matchedCount"))
            .and_then(Value::as_u64)
            .is_some_and(|n| n > 0);
        if matched && !self.faults.contains(&Fault::SkipCopyFanOut) {
            for f in &q.fanout {
                let _ = self.send(f.request(), None);
            }
        }
        Some(answer)
    }

    /// Writes a record with an insert of its entity (`pattern`, or a load), then, for a load,
    /// the children the layout keeps in documents of their own. Whether the pattern's write
    /// was made (for the transaction it may be part of).
    fn insert(&mut self, entity: usize, pattern: Option<&'s AccessPattern>, args: &Args) -> bool {
        let Some(record) = self.stored(entity, args) else {
            return false;
        };
        let load;
        let p = match pattern {
            Some(p) => p,
            None => {
                let name = self.schema.info(entity).map_or("", |i| i.name.as_str());
                load = AccessPattern::new("load", name, PatternKind::Insert);
                &load
            }
        };
        if !matches!(
            self.send_write(p, &record, args.parent.as_ref(), pattern),
            Some(Ok(_))
        ) {
            return false;
        }
        for (rel, kids) in &args.children {
            let embedded = self
                .layout
                .decisions
                .iter()
                .any(|d| d.relationship == *rel && d.embed);
            let child = self.schema.child_of(*rel);
            let (false, Some(c)) = (embedded, child) else {
                continue;
            };
            for kid in kids {
                let kid_args = Args {
                    record: Some(kid.clone()),
                    parent: args.record.clone(),
                    ..Args::default()
                };
                self.insert(c, None, &kid_args);
            }
        }
        true
    }

    /// The canonical records a returned document holds for an entity: the document itself, or
    /// the elements at the entity's path when it is embedded.
    fn records(&self, entity: usize, doc: &Value, children: bool) -> Vec<Canon> {
        let (_, prefix) = self.placement(entity);
        let elements: Vec<&Value> = if prefix.is_empty() {
            vec![doc]
        } else {
            let mut at = doc;
            for part in prefix.split('.') {
                at = at.get(part).unwrap_or(&Value::Null);
            }
            match at {
                Value::Array(items) => items.iter().collect(),
                Value::Null => Vec::new(),
                one => vec![one],
            }
        };
        elements
            .into_iter()
            .map(|el| self.record_with_children(entity, el, children))
            .collect()
    }

    /// One record of an entity (a document, or an element embedded in one), with the children
    /// read together with it when asked: embedded in it, or joined into it by `$lookup`.
    fn record_with_children(&self, entity: usize, doc: &Value, children: bool) -> Canon {
        let schema = self.schema;
        let canon = self.own_record(entity, doc);
        if !children {
            return project(schema, entity, &canon);
        }
        let kids = schema
            .read_with(entity)
            .into_iter()
            .map(|(rel, r, c)| {
                let embedded = self
                    .layout
                    .decisions
                    .iter()
                    .any(|d| d.relationship == rel && d.embed);
                let name = if embedded {
                    embedded_field(schema.design, r)
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
        with_children(project(schema, entity, &canon), kids)
    }

    /// A document as a canonical record, its `_id` under the entity's id name.
    fn own_record(&self, entity: usize, doc: &Value) -> Canon {
        let id = self.schema.info(entity).map_or("_id", |i| i.id.as_str());
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

    /// For a many-to-many read through the other side's id array, that array, read first as
    /// the application does (put in the argument record under the array's name).
    fn other_side_ids(&mut self, p: &AccessPattern, record: &mut Val) {
        let schema = self.schema;
        let Some((rel, forward)) = schemaplay_core::dynamo::many_to_many_read(schema.design, p)
        else {
            return;
        };
        let Some(r) = schema.design.relationships.get(rel) else {
            return;
        };
        let (holder, field, _, _) = reference(r);
        let other = schema.index(if forward { &r.from } else { &r.to });
        let (Some(other), Some(arg), false) = (
            other,
            p.equality.first().and_then(|f| record.get(f)).cloned(),
            holder == p.entity,
        ) else {
            return;
        };
        let (collection, _) = self.placement(other);
        let request = json!({ "op": "findOne", "collection": collection, "filter": { "_id": arg.to_ejson() } });
        let ids = self.send(request, None).ok().and_then(|doc| {
            Some(
                doc.get(&field)?
                    .as_array()?
                    .iter()
                    .map(from_ejson)
                    .collect::<Vec<_>>(),
            )
        });
        // The ids as values again, for core to render into `$in`.
        let values: Vec<Val> = ids
            .map(|ids| ids.iter().filter_map(canon_to_val).collect())
            .unwrap_or_default();
        put(record, &field, Val::Array(values));
    }
}

/// A canonical id back as a value to render (ids of a many-to-many array).
fn canon_to_val(c: &Canon) -> Option<Val> {
    Some(match c {
        Canon::Str(s) => Val::Str(s.clone()),
        Canon::Id(h) if h.len() == 24 => Val::ObjectId(h.clone()),
        Canon::Id(h) => Val::Uuid(h.clone()),
        Canon::Num(n) => Val::Long(n.to_string().parse().ok()?),
        Canon::Date(ms) => Val::Date(*ms),
        _ => return None,
    })
}

impl Layout for MongoSide<'_> {
    fn service(&self, pattern: usize) -> Service {
        let Some((p, _)) = self.schema.pattern(pattern) else {
            return Service::Unservable("the pattern names no entity of the design".into());
        };
        if !self.layout.queries.iter().any(|q| q.pattern == p.name) {
            return Service::Unservable("no MongoDB query is derived for it".into());
        }
        if let Some(why) =
            schemaplay_core::mongo::text_search_scope(self.schema.design, &self.layout, p)
        {
            return Service::Unservable(why);
        }
        Service::Served
    }

    fn reset(&mut self) -> Result<(), String> {
        self.db = Database::new();
        self.calls.clear();
        // Every suggested index, a case-insensitive one with its collation (MongoDB tells
        // an index on the same keys with a collation apart from one without by its name).
        let indexes: Vec<Value> = self
            .layout
            .collections
            .iter()
            .flat_map(|c| &c.indexes)
            .map(|i| {
                json!({ "op": "createIndex", "collection": i.collection, "key": i.keys,
                        "options": i.options() })
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
        self.insert(entity, None, args);
    }

    /// A write with the other writes of its transaction runs them in order as the
    /// application's `session.withTransaction` callback does, and aborts at the first that fails
    /// or matches nothing: the simulator has no sessions, so the abort puts back the database
    /// as it was before the transaction, which is what MongoDB's `abortTransaction` leaves.
    fn write(&mut self, pattern: usize, args: &Args) {
        self.calls.clear();
        if args.parts.is_empty() {
            self.write_one(pattern, args);
            return;
        }
        if self.faults.contains(&Fault::SplitTransaction) {
            self.write_one(pattern, args);
            for (q, part) in &args.parts {
                self.write_one(*q, part);
            }
            return;
        }
        let before = self.db.clone();
        let committed = self.write_one(pattern, args)
            && args.parts.iter().all(|(q, part)| self.write_one(*q, part));
        let outcome = if committed {
            "commitTransaction"
        } else {
            self.db = before;
            "abortTransaction"
        };
        self.calls.push(Call {
            request: json!({ "op": outcome }),
            response: Ok(json!({ "ok": 1 })),
        });
    }

    fn read(&mut self, pattern: usize, args: &Args) -> Answer {
        self.calls.clear();
        let Some((p, entity)) = self.schema.pattern(pattern) else {
            return Answer::Failed("the pattern names no entity of the design".into());
        };
        let mut record = arguments(self.schema, entity, p, args);
        self.other_side_ids(p, &mut record);
        let seam = schemaplay_core::mongo::Args {
            record: &record,
            parent: args.parent.as_ref(),
            words: args.search.as_deref(),
        };
        let Some(q) = self.context.query_for(p, seam) else {
            return Answer::Failed("no query is rendered for these arguments".into());
        };
        let response = match self.send(q.request(), None) {
            Ok(r) => r,
            Err(e) => return Answer::Failed(e),
        };
        let response = match self.next_pages(p, seam, response) {
            Ok(r) => r,
            Err(e) => return Answer::Failed(e),
        };
        let children = p.kind == PatternKind::GetOne;
        match (p.kind, q.operation.as_str(), &response) {
            (PatternKind::Count, _, Value::Number(n)) => Answer::Count(n.as_u64().unwrap_or(0)),
            // An aggregate's `$count` stage: one document, or none for zero.
            (PatternKind::Count, "aggregate", Value::Array(docs)) => Answer::Count(
                docs.first()
                    .and_then(|d| d.get("count"))
                    .and_then(Value::as_u64)
                    .unwrap_or(0),
            ),
            (PatternKind::Aggregate, "aggregate", Value::Array(docs)) => Answer::Groups(
                docs.iter()
                    .map(|d| crate::aggregate::normalize(from_ejson(d)))
                    .collect(),
            ),
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
    /// A paged list's pages after `first` (see [`crate::paging`]): each the keyset page after
    /// the last document of the one before, while the one before was full, until the read
    /// holds [`crate::paging::PAGES`] pages' worth; the documents of every page in order. Any
    /// other read's answer is `first` itself.
    fn next_pages(
        &mut self,
        p: &AccessPattern,
        seam: schemaplay_core::mongo::Args<'_>,
        first: Value,
    ) -> Result<Value, String> {
        let (Some(wanted), Some(size), Value::Array(mut docs)) = (
            crate::paging::paged_records(self.schema, p),
            p.page_size.map(|n| n as usize),
            first.clone(),
        ) else {
            return Ok(first);
        };
        let mut page = docs.len();
        for _ in 1..crate::paging::MAX_PAGE_REQUESTS {
            if page < size || docs.len() >= wanted {
                break;
            }
            let Some(last) = docs.last() else {
                break;
            };
            let Some(next) = self.context.next_page(p, seam, last) else {
                break;
            };
            let mut request = next.request();
            if self.faults.contains(&Fault::DropTieBreaker) {
                crate::paging::drop_tie_breaker(&mut request);
            }
            let more = match self.send(request, None)? {
                Value::Array(more) => more,
                other => return Err(format!("unexpected answer {other}")),
            };
            page = more.len();
            docs.extend(more);
        }
        docs.truncate(wanted);
        Ok(Value::Array(docs))
    }
}
