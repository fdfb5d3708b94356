//! The DynamoDB single-table layout in the DynamoDB simulator: the derived CreateTable, each
//! write and read rendered by core from the step's arguments (`DynamoContext::request_for`,
//! `items_for`, `link_item_for`), and the items returned read back as canonical records.

use schemaplay_core::dynamo::{
    layout, CounterAnswer, DynamoContext, DynamoFanout, DynamoLayout, DynamoRequest,
    COUNT_ATTRIBUTE, TYPE_ATTRIBUTE,
};
use schemaplay_core::model::version::pattern_version;
use schemaplay_core::model::{lower_first, MAX_CASCADE_DEPTH, TTL_ATTRIBUTE};
use schemaplay_core::sample::Val;
use schemaplay_core::{AccessPattern, FieldType, PatternKind};
use schemaplay_dynamo::Database;
use serde_json::{json, Map, Value};

use crate::answer::{project, project_child, with_children, Answer};
use crate::canon::{from_attribute, from_ejson, from_val, Canon};
use crate::fault::{apply_dynamo, drop_counter_updates, drop_version_check, Fault, KeyAttributes};
use crate::layout::{Call, Layout, Service};
use crate::records::{arguments, as_child, embedded_children, put, remove};
use crate::schema::Schema;
use crate::workload::Args;

pub struct DynamoSide<'s> {
    schema: &'s Schema<'s>,
    context: DynamoContext<'s>,
    layout: DynamoLayout,
    db: Database,
    faults: Vec<Fault>,
    keys: KeyAttributes,
    calls: Vec<Call>,
    /// The item the last write read before writing (a read before the write), if any.
    found: Option<Value>,
}

impl<'s> DynamoSide<'s> {
    pub fn new(schema: &'s Schema<'s>, faults: Vec<Fault>) -> DynamoSide<'s> {
        let layout = layout(schema.design);
        let mut keys = KeyAttributes {
            table_keys: vec![layout.partition_key.clone(), layout.sort_key.clone()],
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
            schema,
            context: DynamoContext::new(schema.design),
            layout,
            db: Database::new(),
            faults,
            keys,
            calls: Vec::new(),
            found: None,
        }
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
            if let (Fault::DropVersion, Some(v)) = (fault, pattern.and_then(pattern_version)) {
                drop_version_check(v, &mut input);
            }
            if *fault == Fault::SkipCounterOnDelete
                && pattern.is_some_and(|p| p.kind == PatternKind::Delete)
            {
                drop_counter_updates(&mut input, COUNT_ATTRIBUTE);
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

    /// Renders a pattern's request from an argument record and sends it, then the requests core
    /// renders from its answer (the write after a read before the write, the BatchGetItems of a
    /// many-to-many read). The answer is the first request's, or the items the BatchGetItems
    /// fetched, as `Items`.
    fn run(
        &mut self,
        p: &AccessPattern,
        record: &Val,
        parent: Option<&Val>,
        words: Option<&str>,
        write: bool,
    ) -> Result<Value, String> {
        let seam = schemaplay_core::dynamo::Args {
            record,
            parent,
            words,
        };
        let Some(request) = self.context.request_for(p, seam) else {
            return Err("no request is rendered for these arguments".into());
        };
        let answer = self.run_request(p, seam, &request, write)?;
        // A write that went through fans out to the copies of what it changed.
        if write {
            self.fan_out(&request.fanout);
        }
        Ok(answer)
    }

    /// Sends a pattern's rendered request, then the requests core renders from its answer.
    fn run_request(
        &mut self,
        p: &AccessPattern,
        seam: schemaplay_core::dynamo::Args<'_>,
        request: &DynamoRequest,
        write: bool,
    ) -> Result<Value, String> {
        let input = request.input.get("input").cloned().unwrap_or(Value::Null);
        let answer = self.send(&request.operation, input, write.then_some(p))?;
        let next = self.context.next_requests(p, seam, &answer);
        if next.is_empty() {
            return Ok(answer);
        }
        if write {
            self.found = items_of(&answer).into_iter().next();
        }
        let mut fetched: Option<Vec<Value>> = None;
        // A read's Query after the first (the partition of the children read with the item
        // the first found) adds its items to the first's, as the application joins them.
        let mut queried: Vec<Value> = items_of(&answer);
        let mut last = answer;
        for r in next {
            let input = r.input.get("input").cloned().unwrap_or(Value::Null);
            last = self.send(&r.operation, input, write.then_some(p))?;
            if !write && r.operation == "Query" {
                let (pk, sk) = (&self.layout.partition_key, &self.layout.sort_key);
                for item in items_of(&last) {
                    if !queried.iter().any(|q| same_key(q, &item, pk, sk)) {
                        queried.push(item);
                    }
                }
                last = json!({ "Items": queried.clone() });
            }
            if r.operation == "BatchGetItem" {
                let items = last
                    .pointer(&format!("/Responses/{}", self.layout.table_name))
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                fetched.get_or_insert_with(Vec::new).extend(items);
            }
        }
        Ok(match fetched {
            Some(items) => json!({ "Items": self.in_order_of(&queried, items) }),
            None => last,
        })
    }

    /// The items a BatchGetItem fetched (which answers in any order) in the
    /// order of the Query that found their keys, as the application puts them
    /// back; items the Query did not name (a many-to-many read's, named by
    /// link items) keep their order, after the others.
    fn in_order_of(&self, queried: &[Value], mut items: Vec<Value>) -> Vec<Value> {
        let (pk, sk) = (&self.layout.partition_key, &self.layout.sort_key);
        let place = |item: &Value| {
            queried
                .iter()
                .position(|q| same_key(q, item, pk, sk))
                .unwrap_or(usize::MAX)
        };
        items.sort_by_key(place);
        items
    }

    /// The record a write pattern's request is rendered from: the record an insert stores in
    /// this layout, or the arguments of an update or delete.
    fn written_record(&self, p: &AccessPattern, entity: usize, args: &Args) -> Option<Val> {
        if p.kind == PatternKind::Insert {
            self.stored(entity, args)
        } else {
            Some(arguments(self.schema, entity, p, args))
        }
    }

    /// One write of a transaction sent on its own (the `SplitTransaction` fault).
    fn write_alone(&mut self, pattern: usize, args: &Args) {
        let Some((p, entity)) = self.schema.pattern(pattern) else {
            return;
        };
        if let Some(record) = self.written_record(p, entity, args) {
            let _ = self.run(p, &record, args.parent.as_ref(), None, true);
        }
    }

    /// A write with the other writes of its transaction: each rendered from its arguments, then
    /// core's one TransactWriteItems of them all, sent once (DynamoDB applies all of it, or
    /// cancels all of it with `TransactionCanceledException` and a reason per action). The
    /// children and link items a new record comes with are not part of the transaction.
    fn transaction(
        &mut self,
        p: &AccessPattern,
        record: &Val,
        args: &Args,
    ) -> Result<Value, String> {
        let seam = schemaplay_core::dynamo::Args {
            record,
            parent: args.parent.as_ref(),
            words: None,
        };
        let Some(own) = self.context.request_for(p, seam) else {
            return Err("no request is rendered for these arguments".into());
        };
        let mut parts = Vec::new();
        for (q, part) in &args.parts {
            let Some((qp, qe)) = self.schema.pattern(*q) else {
                continue;
            };
            let Some(record) = self.written_record(qp, qe, part) else {
                return Err(format!("no record for \"{}\"", qp.name));
            };
            let seam = schemaplay_core::dynamo::Args {
                record: &record,
                parent: part.parent.as_ref(),
                words: None,
            };
            match self.context.request_for(qp, seam) {
                Some(r) => parts.push(r),
                None => return Err(format!("no request is rendered for \"{}\"", qp.name)),
            }
        }
        let request = self.context.transaction(p, own, &parts);
        let input = request.input.get("input").cloned().unwrap_or(Value::Null);
        self.send(&request.operation, input, Some(p))
    }

    fn put(&mut self, item: Value) -> Result<Value, String> {
        let input = json!({ "TableName": self.layout.table_name, "Item": item });
        self.send("PutItem", input, None)
    }

    /// Where an entity's items live: its own items (`None`), or an attribute of its parent's.
    fn attribute(&self, entity: usize) -> Option<String> {
        let name = self.schema.info(entity)?.name.as_str();
        self.layout
            .entities
            .iter()
            .find(|e| e.entity == name)?
            .attribute
            .clone()
    }

    /// The record an insert of `entity` writes in this layout: its fields (a parent link the
    /// design does not declare only where the keys need it; no many-to-many id arrays, link
    /// items hold those) and the children the layout stores inside the item.
    fn stored(&self, entity: usize, args: &Args) -> Option<Val> {
        let info = self.schema.info(entity)?;
        if self.attribute(entity).is_some() {
            return Some(as_child(self.schema, entity, args.record.as_ref()?));
        }
        let mut record = args.record.clone()?;
        for (_, field, _) in &info.holds {
            remove(&mut record, field);
        }
        let keys = self
            .layout
            .entities
            .iter()
            .find(|e| e.entity == info.name)?;
        if let Some(owner) = info.owner.as_ref().filter(|o| !o.declared) {
            // The parent's id the design does not declare: kept where a key names it.
            let placeholder = format!("<{}>", owner.link);
            let named = std::iter::once(&keys.pk)
                .chain(std::iter::once(&keys.sk))
                .chain(
                    keys.index_keys
                        .iter()
                        .flat_map(|k| std::iter::once(&k.pk).chain(&k.sk)),
                )
                .any(|t| t.contains(&placeholder));
            if !named {
                remove(&mut record, &owner.link);
            }
        }
        for child in self
            .layout
            .entities
            .iter()
            .filter(|c| c.collection_of.as_ref() == Some(&info.name))
        {
            let (Some(attr), Some(c)) = (&child.attribute, self.schema.index(&child.entity)) else {
                continue;
            };
            let rel = self
                .schema
                .info(c)
                .and_then(|i| i.owner.as_ref())
                .map(|o| o.relationship);
            if let Some(kids) = rel.and_then(|rel| embedded_children(self.schema, rel, args)) {
                put(&mut record, attr, kids);
            }
        }
        Some(record)
    }

    /// An item as a canonical record of an entity (attributes read with the declared types).
    /// The `ttl` attribute of an expiring entity is kept, and so compared (see
    /// `answer::project`), only when it is not the expiry of the item's own date: an update
    /// that changed the date must have rewritten it.
    fn record(&self, entity: usize, item: &Map<String, Value>) -> Canon {
        let schema = self.schema;
        let types = |t: &str| schema.id_type(t);
        let mut fields: Vec<(String, Canon)> = item
            .iter()
            .map(|(k, v)| {
                let ty = schema.field_type(entity, k);
                (k.clone(), from_attribute(v, ty.as_ref(), &types))
            })
            .collect();
        if let Some(ttl) = schema.entity(entity).and_then(|e| e.ttl.as_ref()) {
            let due = match fields.iter().find(|(k, _)| *k == ttl.field) {
                Some((_, Canon::Date(millis))) => {
                    Some(from_val(&Val::Long(ttl.expiry_seconds(*millis))))
                }
                _ => None,
            };
            let kept = fields
                .iter()
                .find(|(k, _)| k == TTL_ATTRIBUTE)
                .map(|(_, v)| v.clone());
            if kept == due {
                fields.retain(|(k, _)| k != TTL_ATTRIBUTE);
            } else if kept.is_none() {
                fields.push((TTL_ATTRIBUTE.to_string(), Canon::Str("(missing)".into())));
            }
        }
        Canon::object(fields)
    }

    /// The record of a `getOne`: the entity's item with the children read with it, from an
    /// attribute of the item or from the other items of its collection.
    fn with_children(
        &self,
        entity: usize,
        item: &Map<String, Value>,
        others: &[&Map<String, Value>],
    ) -> Canon {
        let schema = self.schema;
        let canon = self.record(entity, item);
        let kids = schema
            .read_with(entity)
            .into_iter()
            .map(|(_, r, c)| {
                let list: Vec<Canon> = match self.attribute(c) {
                    Some(attr) => {
                        let types = |t: &str| schema.id_type(t);
                        let child_ty = FieldType::Object(
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

    /// The children that come with a record (composite relationships), as the items of their
    /// own the layout keeps them in (those it stores inside the record's item came with it).
    fn store_children(&mut self, args: &Args) {
        for (rel, kids) in &args.children {
            let child = self.schema.child_of(*rel);
            let Some(c) = child.filter(|c| self.attribute(*c).is_none()) else {
                continue;
            };
            let child_name = self
                .schema
                .info(c)
                .map_or(String::new(), |i| i.name.clone());
            for kid in kids {
                let kid_args = Args {
                    record: Some(kid.clone()),
                    ..Args::default()
                };
                if let Some(stored) = self.stored(c, &kid_args) {
                    for item in self.context.items_for(&child_name, &stored) {
                        let _ = self.put(item);
                    }
                    for update in self.context.counter_writes_for(&child_name, &stored) {
                        let _ = self.send("UpdateItem", update, None);
                    }
                }
            }
        }
    }

    /// The link items of the many-to-many relationships a record holds.
    fn links(&mut self, entity: usize, record: &Val) {
        let Some(info) = self.schema.info(entity) else {
            return;
        };
        let holds = info.holds.clone();
        let name = info.name.clone();
        let Some(own) = record.get(&info.id).cloned() else {
            return;
        };
        for (rel, field, _) in holds {
            let Some(r) = self.schema.design.relationships.get(rel) else {
                continue;
            };
            let (from_id, to_id) = (
                format!("{}Id", lower_first(&r.from)),
                format!("{}Id", lower_first(&r.to)),
            );
            let Some(Val::Array(others)) = record.get(&field) else {
                continue;
            };
            for other in others {
                let (a, b) = if r.from == name {
                    (own.clone(), other.clone())
                } else {
                    (other.clone(), own.clone())
                };
                let pair = Val::Object(vec![(from_id.clone(), a), (to_id.clone(), b)]);
                if let Some(item) = self.context.link_item_for(rel, &pair) {
                    let _ = self.put(item);
                }
            }
        }
    }
}

fn type_of(item: &Map<String, Value>) -> Option<&str> {
    item.get(TYPE_ATTRIBUTE)?.get("S")?.as_str()
}

impl Layout for DynamoSide<'_> {
    fn service(&self, pattern: usize) -> Service {
        let Some((p, _)) = self.schema.pattern(pattern) else {
            return Service::Unservable("the pattern names no entity of the design".into());
        };
        match self.layout.requests.iter().find(|r| r.pattern == p.name) {
            None => Service::Unservable("no DynamoDB request is derived for it".into()),
            // The flag says why the request is a Scan, naming it; without one, say it here.
            Some(r) if r.operation == "Scan" => Service::Unservable(match r.flag.as_deref() {
                Some(flag) if flag.contains("Scan") => flag.to_string(),
                Some(flag) => format!("it is a Scan: {flag}"),
                None => "it is a Scan: the layout has no key for it".to_string(),
            }),
            Some(_) => Service::Served,
        }
    }

    fn reset(&mut self) -> Result<(), String> {
        self.db = Database::new();
        self.calls.clear();
        let create = self.layout.create_table.clone();
        self.db
            .execute("CreateTable", &create)
            .map_err(|e| format!("CreateTable: {}: {}", e.kind.name(), e.message))?;
        // TTL as the layout turns it on; the simulator never expires items, as DynamoDB's
        // reads still return them until its background deletion.
        match self.layout.update_time_to_live() {
            Some(ttl) => self
                .db
                .execute("UpdateTimeToLive", &ttl)
                .map(|_| ())
                .map_err(|e| format!("UpdateTimeToLive: {}: {}", e.kind.name(), e.message)),
            None => Ok(()),
        }
    }

    /// The items a record is stored as (with its unique-value markers), the children the layout
    /// keeps as items of their own, and the link items of its many-to-many relationships.
    fn load(&mut self, entity: usize, args: &Args) {
        self.calls.clear();
        let (Some(record), Some(stored)) = (args.record.clone(), self.stored(entity, args)) else {
            return;
        };
        let name = self
            .schema
            .info(entity)
            .map_or(String::new(), |i| i.name.clone());
        let items = self.context.items_for(&name, &stored);
        let mut ok = !items.is_empty();
        for item in items {
            ok &= self.put(item).is_ok();
        }
        if !ok {
            return;
        }
        // The counter items count the record, as its insert would have.
        for update in self.context.counter_writes_for(&name, &stored) {
            let _ = self.send("UpdateItem", update, None);
        }
        self.store_children(args);
        self.links(entity, &record);
    }

    fn write(&mut self, pattern: usize, args: &Args) {
        self.calls.clear();
        let Some((p, entity)) = self.schema.pattern(pattern) else {
            return;
        };
        let Some(record) = self.written_record(p, entity, args) else {
            return;
        };
        let split = self.faults.contains(&Fault::SplitTransaction);
        self.found = None;
        let written = if args.parts.is_empty() || split {
            self.run(p, &record, args.parent.as_ref(), None, true)
                .is_ok()
        } else {
            self.transaction(p, &record, args).is_ok()
        };
        if split {
            for (q, part) in &args.parts {
                self.write_alone(*q, part);
            }
        }
        // A parent's delete is followed by its cleanup, from the record it deleted.
        if written && p.kind == PatternKind::Delete && self.attribute(entity).is_none() {
            let found = self
                .found
                .take()
                .and_then(|item| self.context.record_of(&p.entity, &item));
            let deleted = match found {
                Some(Val::Object(mut fields)) => {
                    if let Val::Object(args) = &record {
                        for (k, v) in args {
                            if !fields.iter().any(|(f, _)| f == k) {
                                fields.push((k.clone(), v.clone()));
                            }
                        }
                    }
                    Val::Object(fields)
                }
                _ => record.clone(),
            };
            let name = p.entity.clone();
            self.cascade(&name, &deleted, 0);
        }
        // The children that come with a new record, and the pairs of the many-to-many
        // relationships it holds (link items), are written with it.
        if written && p.kind == PatternKind::Insert {
            self.store_children(args);
            if let Some(full) = &args.record {
                self.links(entity, full);
            }
        }
    }

    fn read(&mut self, pattern: usize, args: &Args) -> Answer {
        self.calls.clear();
        let Some((p, entity)) = self.schema.pattern(pattern) else {
            return Answer::Failed("the pattern names no entity of the design".into());
        };
        let record = arguments(self.schema, entity, p, args);
        let response = match self.run(
            p,
            &record,
            args.parent.as_ref(),
            args.search.as_deref(),
            false,
        ) {
            Ok(r) => r,
            Err(e) => return Answer::Failed(e),
        };
        match self.context.counter_answer(p, &response) {
            Some(CounterAnswer::Count(n)) => return Answer::Count(n),
            Some(CounterAnswer::Groups(groups)) => {
                return Answer::Groups(
                    groups
                        .iter()
                        .map(|g| crate::aggregate::normalize(from_ejson(g)))
                        .collect(),
                )
            }
            None => {}
        }
        let response = match self.next_pages(p, &record, args.parent.as_ref(), response) {
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
                // A collection without the entity's own item holds no record of it.
                let own = items
                    .iter()
                    .position(|i| type_of(i).is_none_or(|t| t == p.entity));
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
                    .map(|i| project(self.schema, entity, &self.record(entity, i)))
                    .collect(),
            ),
        }
    }

    fn calls(&self) -> &[Call] {
        &self.calls
    }
}

impl DynamoSide<'_> {
    /// A paged list's pages after `first` (see [`crate::paging`]): each the same request with
    /// `ExclusiveStartKey` = the `LastEvaluatedKey` of the page before, until a page has
    /// none or the read holds [`crate::paging::PAGES`] pages' worth of items; the items of
    /// every page in order. Any other read's answer is `first` itself.
    fn next_pages(
        &mut self,
        p: &AccessPattern,
        record: &Val,
        parent: Option<&Val>,
        first: Value,
    ) -> Result<Value, String> {
        let seam = schemaplay_core::dynamo::Args {
            record,
            parent,
            words: None,
        };
        let Some(wanted) = crate::paging::paged_records(self.schema, p) else {
            return Ok(first);
        };
        let mut items = items_of(&first);
        let mut answer = first.clone();
        for _ in 1..crate::paging::MAX_PAGE_REQUESTS {
            if items.len() >= wanted {
                break;
            }
            // The fault starts every page where the first stopped.
            let before = if self.faults.contains(&Fault::FirstStartKey) {
                &first
            } else {
                &answer
            };
            let Some(next) = self.context.next_page(p, seam, before) else {
                break;
            };
            let input = next.input.get("input").cloned().unwrap_or(Value::Null);
            answer = self.send(&next.operation, input, None)?;
            items.extend(items_of(&answer));
        }
        items.truncate(wanted);
        Ok(json!({ "Items": items }))
    }

    /// The cleanup after the delete of `entity`'s `record`, as core derives it: each cascade's
    /// read, every page of it (`ExclusiveStartKey`), the cleanup of each child found (their
    /// children first), then the BatchWriteItems of what it found, each sent again with its
    /// `UnprocessedItems` until none come back. Depth-limited as the design's cascades are.
    fn cascade(&mut self, entity: &str, record: &Val, depth: usize) {
        if depth >= MAX_CASCADE_DEPTH || self.faults.contains(&Fault::SkipCascade) {
            return;
        }
        for c in self.context.cascade_for(entity, record) {
            if c.links.is_some() && self.faults.contains(&Fault::SkipLinkCleanup) {
                continue;
            }
            let input = c.find.input.get("input").cloned().unwrap_or(Value::Null);
            let items = self.every_page(&c.find.operation, input);
            for item in &items {
                if let Some(child) = self.context.record_of(&c.child, item) {
                    self.cascade(&c.child, &child, depth + 1);
                }
            }
            for delete in self.context.cascade_deletes(&c, &items) {
                let mut input = delete.input.get("input").cloned().unwrap_or(Value::Null);
                for _ in 0..MAX_PAGES {
                    let Ok(answer) = self.send(&delete.operation, input.clone(), None) else {
                        break;
                    };
                    match answer.get("UnprocessedItems") {
                        Some(Value::Object(left)) if !left.is_empty() => {
                            input = json!({ "RequestItems": left });
                        }
                        _ => break,
                    }
                }
            }
        }
    }
}

impl DynamoSide<'_> {
    /// The items of every page of a Query or Scan (`ExclusiveStartKey` = the page before's
    /// `LastEvaluatedKey`), up to [`MAX_PAGES`] pages; a page that fails ends it.
    fn every_page(&mut self, operation: &str, mut input: Value) -> Vec<Value> {
        let mut items = Vec::new();
        for _ in 0..MAX_PAGES {
            let Ok(answer) = self.send(operation, input.clone(), None) else {
                break;
            };
            items.extend(items_of(&answer));
            match answer.get("LastEvaluatedKey") {
                Some(key) => input["ExclusiveStartKey"] = key.clone(),
                None => break,
            }
        }
        items
    }

    /// The fan-out of an update to the copies of what it changed, as core derives it: each
    /// copy's find (a Query, or a flagged Scan), every page of it (`ExclusiveStartKey`), then
    /// the UpdateItem of each copy found ([`DynamoFanout::updates_for`]). An update whose guard
    /// fails (the item no longer holds the source's id) is left, as the application leaves it.
    fn fan_out(&mut self, fanout: &[DynamoFanout]) {
        if self.faults.contains(&Fault::SkipCopyFanOut) {
            return;
        }
        let (pk, sk) = (
            self.layout.partition_key.clone(),
            self.layout.sort_key.clone(),
        );
        for f in fanout {
            let operation = f.find.get("operation").and_then(Value::as_str);
            let Some(operation) = operation.map(str::to_string) else {
                continue;
            };
            let input = f.find.get("input").cloned().unwrap_or(Value::Null);
            let items = self.every_page(&operation, input);
            for item in &items {
                for update in f.updates_for(item, &pk, &sk) {
                    let _ = self.send("UpdateItem", update, None);
                }
            }
        }
    }
}

/// At most this many pages of a cascade's or a fan-out's read, or retries of a BatchWriteItem's unprocessed
/// items (a bound on a loop over a simulator's answers).
const MAX_PAGES: usize = 10_000;

/// The items of a Query's or GetItem's answer.
fn items_of(answer: &Value) -> Vec<Value> {
    match (answer.get("Item"), answer.get("Items")) {
        (Some(item), _) => vec![item.clone()],
        (None, Some(Value::Array(items))) => items.clone(),
        _ => Vec::new(),
    }
}

/// Whether two items have the same table key.
fn same_key(a: &Value, b: &Value, pk: &str, sk: &str) -> bool {
    let key = |v: &Value| (v.get(pk).cloned(), v.get(sk).cloned());
    key(a) == key(b)
}
