//! The one request each access pattern becomes, rendered from an argument
//! record ([`DynamoContext::request_for`], the seam a verifier drives) or, for
//! the derived layout, from sample record 0 through the same code.
//!
//! The access path decides the kind of request, one module each: `get`
//! (GetItem by the full key), `query` (a Query on the table's partition or an
//! index), `link` (many-to-many through link items), `scan`, `put` (with the
//! unique-value markers), `update`, `delete`, `embedded` (a write inside the
//! parent's item). Each builds a [`Draft`]; [`Deriver::finish`] adds the
//! expression names and values and writes the SDK code.
//!
//! Some patterns take two requests, the second rendered from the first's
//! answer ([`DynamoContext::next_requests`]): a write that must read its item
//! first (`read`: the key is found through an index; a key, an index key or a
//! unique value's marker is rewritten with values the arguments lack; markers
//! are deleted with the item), a many-to-many read, whose link items name
//! the items a BatchGetItem then fetches, and a read through an index that
//! lacks attributes (`fetch`).

use serde_json::{json, Map, Value};

use super::expr::Names;
use super::items::is_link;
use super::keys::{marker_key, render, Home};
use super::plan::{write_path, Path, Plan};
use super::sdk::{sdk_code, sdk_page_loop, sdk_then, Operation};
use super::{Deriver, DynamoContext, DynamoRequest, ItemWrite};
use crate::model::*;
use crate::sample::{attribute_map, Args, Val, SAMPLE_WORDS};

pub(super) mod cascade;
mod counter;
mod delete;
mod embedded;
mod fanout;
mod fetch;
mod get;
mod link;
mod link_cleanup;
mod put;
mod query;
pub(super) mod read;
mod scan;
mod transaction;
mod update;

pub(super) use fanout::copies_text;
pub use fanout::DynamoFanout;

/// The values a request is rendered with.
struct Inputs<'v> {
    /// The entity's record, with the fields its key templates name.
    record: &'v Val,
    /// Attributes a put appends to the item after the record's fields (the
    /// sample's children stored inside it).
    children: &'v [(String, Val)],
    /// The parent's record, for an entity stored inside its parent's item.
    parent: Option<&'v Val>,
    /// The words of a text search.
    words: &'v str,
    /// Whether an increment adds the pattern's sample amount
    /// ([`AccessPattern::increment_sample`]) instead of the record's value.
    sample_amounts: bool,
}

impl<'v> Inputs<'v> {
    /// The inputs of the seam's arguments.
    fn of(args: Args<'v>) -> Self {
        Inputs {
            record: args.record,
            children: &[],
            parent: args.parent,
            words: args.words.unwrap_or(SAMPLE_WORDS),
            sample_amounts: false,
        }
    }
}

/// An item as read before a write: its record (the entity's fields and
/// whatever else it holds, keys aside) and its table key as stored.
struct Stored {
    record: Val,
    key: Value,
}

/// What every kind of request reads.
struct Request<'r> {
    pattern: &'r AccessPattern,
    entity: &'r Entity,
    home: &'r Home,
    inputs: &'r Inputs<'r>,
    /// The item holding the record: keys, index keys, type, fields, children.
    item: Vec<(String, Val)>,
    /// The entity's average item size.
    item_bytes: u64,
    table: &'r str,
    pk_name: &'r str,
    sk_name: &'r str,
    /// The page size of a list (25 when the pattern names none).
    page: u64,
}

impl Request<'_> {
    /// The table key of the request's item, as AttributeValue JSON.
    fn key(&self) -> Value {
        key_value(&self.item)
    }

    /// About how many items of the entity share one of `values` partition key values.
    fn per_value(&self, values: u64) -> u64 {
        self.entity
            .volume
            .checked_div(values.max(1))
            .unwrap_or(0)
            .max(1)
    }
}

/// The first two attributes of an item, its table key, as AttributeValue JSON.
fn key_value(item: &[(String, Val)]) -> Value {
    let mut m = Map::new();
    for (k, v) in item.iter().take(2) {
        m.insert(k.clone(), v.to_attribute());
    }
    Value::Object(m)
}

/// A request being built by one kind's module.
struct Draft {
    operation: Operation,
    input: Map<String, Value>,
    names: Names,
    values: Vec<(String, Val)>,
    /// Why the request is a problem, when it is one.
    flag: Option<String>,
    index: Option<String>,
    partition: Option<String>,
    partition_values: u64,
    items: u64,
    bytes: u64,
    /// For a write: the items it writes.
    writes: Vec<ItemWrite>,
}

impl Draft {
    /// A request on the table, with nothing else set yet.
    fn new(operation: Operation, table: &str) -> Self {
        let mut input = Map::new();
        input.insert("TableName".into(), json!(table));
        Draft {
            operation,
            input,
            names: Names::default(),
            values: Vec::new(),
            flag: None,
            index: None,
            partition: None,
            partition_values: 0,
            items: 0,
            bytes: 0,
            writes: Vec::new(),
        }
    }

    /// The input with its expression names and values, as one action of a
    /// transaction or a request of its own carries them.
    fn closed_input(&self) -> Map<String, Value> {
        with_expressions(self.input.clone(), &self.names, &self.values)
    }

    /// A TransactWriteItems of `actions`, writing `writes`, on the partition
    /// of the request it grows out of (`from`).
    fn transaction(
        table: &str,
        actions: Vec<Value>,
        writes: Vec<ItemWrite>,
        from: &Draft,
    ) -> Draft {
        let mut t = Draft::new(Operation::TransactWriteItems, table);
        t.input = Map::new();
        t.input
            .insert("TransactItems".into(), Value::Array(actions));
        t.partition = from.partition.clone();
        t.partition_values = from.partition_values;
        t.items = writes.len() as u64;
        t.bytes = writes.iter().map(|w| w.bytes).sum();
        t.writes = writes;
        t
    }

    /// Adds a condition to the ones the draft has: `a AND b`.
    fn require(&mut self, condition: &str) {
        let joined = match self
            .input
            .get("ConditionExpression")
            .and_then(Value::as_str)
        {
            Some(c) => format!("{c} AND {condition}"),
            None => condition.to_string(),
        };
        self.input
            .insert("ConditionExpression".into(), json!(joined));
    }
}

/// An input with its expression attribute names and values added.
pub(super) fn with_expressions(
    mut input: Map<String, Value>,
    names: &Names,
    values: &[(String, Val)],
) -> Map<String, Value> {
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
    input
}

impl<'a> DynamoContext<'a> {
    /// The request a pattern becomes, with its values taken from `args`: the
    /// key and index key values rendered from the record, the values an
    /// update sets (an increment adds the record's value of the field), the
    /// item a put writes (with a marker item per unique attribute), the words
    /// of a text search. For an entity stored inside its parent's item,
    /// `args.parent` is the parent's record, whose key the write goes to.
    ///
    /// `pattern` is one of the design's patterns, or an insert of any entity
    /// (`AccessPattern::new("load", "User", PatternKind::Insert)`), which
    /// needs no index; other patterns the layout was not derived for have no
    /// request (None), nor does an unknown entity or an embedded write without
    /// `args.parent`.
    pub fn request_for(&self, pattern: &AccessPattern, args: Args<'_>) -> Option<DynamoRequest> {
        let path = self.path_of(pattern)?;
        let request = self.deriver.request(pattern, &path, &Inputs::of(args))?;
        Some(self.with_fanout(pattern, request, args.record, false))
    }

    /// The requests that follow the pattern's first request
    /// ([`DynamoContext::request_for`] with the same `args`), rendered from
    /// that request's `answer` (its DynamoDB JSON response): after a read
    /// before a write, the write of the item found (with its key, and the
    /// values the arguments lack, from the item); after a many-to-many
    /// Query, the BatchGetItem (one per 100 keys) of the items its link items
    /// name; after a Query of an index that does not project every attribute
    /// the read needs, the GetItem (getOne) or BatchGetItems (list) of the
    /// items it found, which the caller puts back in the Query's order. Empty when the pattern takes one request, or when the answer has
    /// nothing to go on (no item to write: it does not exist).
    pub fn next_requests(
        &self,
        pattern: &AccessPattern,
        args: Args<'_>,
        answer: &Value,
    ) -> Vec<DynamoRequest> {
        let Some(path) = self.path_of(pattern) else {
            return Vec::new();
        };
        self.deriver
            .next_requests(pattern, &path, &Inputs::of(args), answer)
            .unwrap_or_default()
    }

    /// The access path of a design's pattern, or of an insert of any entity.
    fn path_of(&self, pattern: &AccessPattern) -> Option<Path> {
        let planned = self
            .design
            .access_patterns
            .iter()
            .position(|p| p == pattern)
            .and_then(|i| self.plans.get(i).cloned().flatten());
        match planned {
            Some(plan) => Some(plan.path),
            None if pattern.kind == PatternKind::Insert => {
                Some(write_path(self.deriver.home_of(&pattern.entity)?))
            }
            None => None,
        }
    }

    /// The items storing `record` as an `entity` writes, as AttributeValue
    /// maps: the entity's item (keys, index keys, `entityType`, the record's
    /// fields), then one marker item per unique attribute. An entity stored
    /// inside its parent's item has no items of its own (its insert request
    /// updates the parent's item); an unknown entity has none either.
    pub fn items_for(&self, entity: &str, record: &Val) -> Vec<Value> {
        let d = &self.deriver;
        let (Some(entity), Some(home)) = (d.design.entity(entity), d.home_of(entity)) else {
            return Vec::new();
        };
        if home.embedded.is_some() {
            return Vec::new();
        }
        let item = d.item_of(entity, record.clone());
        let mut items = vec![attribute_map(&item)];
        items.extend(
            d.markers(entity, record)
                .into_iter()
                .map(|m| d.marker_value(&m)),
        );
        items
    }

    /// The link item of a many-to-many relationship (by its position in the
    /// design) for the pair of ids in `record` (`studentId`, `courseId`), as an
    /// AttributeValue map; None when the relationship is not a many-to-many
    /// one between two entities.
    pub fn link_item_for(&self, relationship: usize, record: &Val) -> Option<Value> {
        let d = &self.deriver;
        let rel = d
            .design
            .relationships
            .get(relationship)
            .filter(|r| is_link(d.design, r))?;
        let (from_id, to_id) = crate::model::relations::pair_id_fields(rel);
        let id = |f: &str| record.get(f).cloned().unwrap_or(Val::Str(String::new()));
        Some(attribute_map(&d.link_item_of(
            rel,
            id(&from_id),
            id(&to_id),
        )))
    }

    /// The request of the derived layout: the values of sample record 0.
    pub(super) fn sample_request(
        &self,
        pattern: &AccessPattern,
        plan: &Plan,
    ) -> Option<DynamoRequest> {
        self.sample_request_of(pattern, plan, 0)
    }

    /// A design's pattern's request with the values of sample record `index` of its entity
    /// (the layout renders record 0; an insert that runs on generated data writes
    /// [`crate::sample::NEW_RECORD`]). Its parent and the records it references stay record
    /// 0, which every generation holds. None for a pattern that is not the design's.
    pub fn sample_request_at(&self, pattern: &AccessPattern, index: u64) -> Option<DynamoRequest> {
        let position = self
            .design
            .access_patterns
            .iter()
            .position(|p| p == pattern)?;
        let plan = self.plans.get(position)?.as_ref()?;
        self.sample_request_of(pattern, plan, index)
    }

    fn sample_request_of(
        &self,
        pattern: &AccessPattern,
        plan: &Plan,
        index: u64,
    ) -> Option<DynamoRequest> {
        let d = &self.deriver;
        let entity = d.design.entity(&pattern.entity)?;
        let mut children = Vec::new();
        let mut parent = None;
        let record = match &plan.path {
            // A child stored inside its parent's item: its own record, and the parent's.
            Path::Embedded { .. } => {
                parent = d
                    .home_of(&entity.name)
                    .and_then(|h| h.parent.as_ref())
                    .and_then(|p| d.design.entity(p))
                    .map(|p| Val::Object(d.record(p, 0)));
                d.ctx.record(entity, index)
            }
            // A many-to-many read binds the ids of link item 0.
            Path::Link { relationship, .. } => d
                .design
                .relationships
                .get(*relationship)
                .map(|rel| d.link_item(rel, index))
                .unwrap_or_default(),
            _ => {
                children = d.children(entity, index);
                d.record(entity, index)
            }
        };
        let inputs = Inputs {
            record: &Val::Object(record),
            children: &children,
            parent: parent.as_ref(),
            words: SAMPLE_WORDS,
            sample_amounts: true,
        };
        d.request(pattern, &plan.path, &inputs)
    }
}

impl Deriver<'_> {
    /// What every kind of request of `pattern` reads, from its inputs.
    fn prepare<'r>(
        &'r self,
        pattern: &'r AccessPattern,
        inputs: &'r Inputs<'r>,
    ) -> Option<Request<'r>> {
        let entity = self.design.entity(&pattern.entity)?;
        let home = self.home_of(&entity.name)?;
        let mut item = self.item_of(entity, inputs.record.clone());
        item.extend(inputs.children.iter().cloned());
        Some(Request {
            pattern,
            entity,
            home,
            inputs,
            item,
            item_bytes: self.average_item_bytes(entity),
            table: &self.design.dynamo.table_name,
            pk_name: &self.design.dynamo.partition_key,
            sk_name: &self.design.dynamo.sort_key,
            page: u64::from(pattern.page_size.unwrap_or(25)),
        })
    }

    fn request(
        &self,
        pattern: &AccessPattern,
        path: &Path,
        inputs: &Inputs<'_>,
    ) -> Option<DynamoRequest> {
        let r = self.prepare(pattern, inputs)?;
        let read_first = self.read_first(&r, path);
        let draft = match path {
            Path::Put => {
                let put = self.put(&r);
                self.with_counters(&r, put, None, Some(inputs.record))
            }
            Path::Counter { get } => self.counter_read(&r, *get),
            Path::Embedded { .. } if read_first.is_some() => self.read_parent(&r)?,
            Path::Embedded { attribute } => self.embedded(&r, attribute, None)?,
            Path::Link {
                relationship,
                forward,
                index,
            } => self.link(&r, *relationship, *forward, index.as_deref())?,
            Path::Key => match pattern.kind {
                PatternKind::Update | PatternKind::Delete if read_first.is_some() => {
                    self.read_item(&r)
                }
                PatternKind::Update => self.update(&r, None),
                PatternKind::Delete => self.delete(&r, None),
                _ => self.get(&r),
            },
            Path::TablePartition { sk_prefix } => self.partition_query(&r, sk_prefix.as_deref()),
            Path::Index { name, pk, sk, raw } => {
                self.index_query(&r, name, pk, sk.as_deref(), *raw)
            }
            Path::Scan { why } => self.scan(&r, why),
        };
        let mut request = self.finish(&r, draft);
        if pattern.kind == PatternKind::Delete && matches!(path, Path::Key) {
            request.cleanup = self.sample_cleanup(&r.entity.name, inputs.record, 1);
        }
        if let Some(why) = read_first {
            // The write with the values at hand, as if the read found them.
            let old = Stored {
                record: match (path, inputs.parent) {
                    (Path::Embedded { .. }, Some(parent)) => parent.clone(),
                    _ => inputs.record.clone(),
                },
                key: r.key(),
            };
            request.then = self.write_after_read(&r, path, &old).map(Box::new);
            request.flag = Some(why);
            self.add_then_code(&r, &mut request);
        } else if self.reads_collection_after(&r, path) {
            // The item found through the index, then the partition of the children read with it.
            let own = r.key().get(r.pk_name).cloned().unwrap_or(Value::Null);
            let pk = self.children_partition(&r, inputs.record).unwrap_or(own);
            request.then = Some(Box::new(self.finish(&r, self.collection_query(&r, pk))));
            request.flag = Some(format!(
                "the index finds the {}; a second Query on its partition reads the items read with it",
                crate::names::words(&r.entity.name)
            ));
            self.add_then_code(&r, &mut request);
        } else if self.fetches_after_index(&r, path) {
            // The sample's own item, fetched whole; as many as the Query finds.
            let mut then = self.fetch_items(&r, vec![r.key()]).into_iter().next();
            if let Some(t) = then.as_mut().filter(|t| t.operation == "BatchGetItem") {
                t.items = request.items;
                t.bytes = request.items.saturating_mul(r.item_bytes);
            }
            request.then = then.map(Box::new);
            let note = self.fetch_note(
                request.index.as_deref().unwrap_or(""),
                r.entity,
                pattern.kind,
            );
            request.flag = Some(match request.flag.take() {
                Some(flag) => format!("{flag}; {note}"),
                None => note,
            });
            self.add_then_code(&r, &mut request);
        } else if let (
            Path::Link {
                relationship,
                forward,
                ..
            },
            PatternKind::List,
        ) = (path, pattern.kind)
        {
            // The items the sample's link item names.
            let links = inputs.record.to_attribute().get("M").cloned();
            let first = Value::Array(links.into_iter().collect());
            request.then = self
                .fetch_linked(&r, *relationship, *forward, &first)
                .into_iter()
                .next()
                .map(Box::new);
            self.add_then_code(&r, &mut request);
        }
        if request.then.is_none() {
            self.add_page_loop_code(&r, &mut request);
        }
        if !request.cleanup.is_empty() {
            let code = self.cleanup_code(pattern, &request.cleanup);
            request.sdk.push_str(&code);
        }
        Some(request)
    }

    /// A paged list read by one Query or Scan: the code paging through the rest of it after
    /// its first page. (A list whose items take a second request pages its first request
    /// through [`DynamoContext::next_page`]; its code shows the first page only.)
    fn add_page_loop_code(&self, r: &Request<'_>, request: &mut DynamoRequest) {
        if r.pattern.kind != PatternKind::List || r.pattern.page_size.is_none() {
            return;
        }
        let (Some(operation), Some(input)) = (
            Operation::from_name(&request.operation)
                .filter(|o| matches!(o, Operation::Query | Operation::Scan)),
            request.input["input"].as_object(),
        ) else {
            return;
        };
        let code = sdk_page_loop(r.pattern, r.table, operation, input);
        request.sdk = format!("{}\n{code}", request.sdk);
    }

    /// Whether a read of one item through an index is followed by a Query of
    /// its item collection: the entity keeps the children read with it beside
    /// it, which the index does not hold.
    fn reads_collection_after(&self, r: &Request<'_>, path: &Path) -> bool {
        r.pattern.kind == PatternKind::GetOne
            && matches!(path, Path::Index { .. })
            && self.owns_collection(&r.entity.name)
    }

    /// The partition key value (as an AttributeValue) of the item collection
    /// the children read with a record live in: their partition key template
    /// rendered with the record's id as their reference to it. It is the
    /// record's own partition when the record lives there too, and another one
    /// when the record itself lives in its own parent's collection.
    fn children_partition(&self, r: &Request<'_>, record: &Val) -> Option<Value> {
        let id = record.get(&r.entity.id_name())?.clone();
        self.design.relationships.iter().find_map(|rel| {
            if rel.from != r.entity.name || !rel.read_together {
                return None;
            }
            let child = self.design.entity(&rel.to)?;
            let home = self.home(child);
            if home.parent.as_deref() != Some(r.entity.name.as_str()) || home.embedded.is_some() {
                return None;
            }
            let link = Val::Object(vec![(self.parent_key(rel, child), id.clone())]);
            Some(json!({ "S": render(&home.pk, &link) }))
        })
    }

    /// The code of the request after the first, added to the first's.
    fn add_then_code(&self, r: &Request<'_>, request: &mut DynamoRequest) {
        let Some(then) = &request.then else {
            return;
        };
        let (Some(operation), Some(input)) = (
            Operation::from_name(&then.operation),
            then.input["input"].as_object(),
        ) else {
            return;
        };
        let code = sdk_then(r.pattern, r.table, operation, input);
        request.sdk = format!("{}\n{code}", request.sdk);
        if let Some(then) = request.then.as_deref_mut() {
            then.sdk = code;
        }
    }

    /// The requests after a pattern's first one, from its answer (see
    /// [`DynamoContext::next_requests`]).
    fn next_requests(
        &self,
        pattern: &AccessPattern,
        path: &Path,
        inputs: &Inputs<'_>,
        answer: &Value,
    ) -> Option<Vec<DynamoRequest>> {
        let r = self.prepare(pattern, inputs)?;
        if let Path::Link {
            relationship,
            forward,
            ..
        } = path
        {
            if pattern.kind != PatternKind::List {
                return None;
            }
            let items = answer.get("Items")?;
            return Some(self.fetch_linked(&r, *relationship, *forward, items));
        }
        if self.fetches_after_index(&r, path) {
            return Some(self.fetch_items(&r, self.keys_found(&r, answer)));
        }
        if self.reads_collection_after(&r, path) {
            let stored = self.found(&r, path, answer)?;
            let own = stored.key.get(r.pk_name).cloned().unwrap_or(Value::Null);
            let pk = self.children_partition(&r, &stored.record).unwrap_or(own);
            return Some(vec![self.finish(&r, self.collection_query(&r, pk))]);
        }
        self.read_first(&r, path)?;
        let stored = self.found(&r, path, answer)?;
        Some(
            self.write_after_read(&r, path, &stored)
                .into_iter()
                .collect(),
        )
    }

    /// The write after the read of a read before the write, from the item read.
    fn write_after_read(
        &self,
        r: &Request<'_>,
        path: &Path,
        old: &Stored,
    ) -> Option<DynamoRequest> {
        let draft = match (path, r.pattern.kind) {
            (Path::Embedded { attribute }, _) => self.embedded(r, attribute, Some(old))?,
            (_, PatternKind::Update) => {
                let update = self.update(r, Some(old));
                let new = self.updated(r, Some(old));
                self.with_counters(r, update, Some(&old.record), Some(&new))
            }
            (_, PatternKind::Delete) => {
                let delete = self.delete(r, Some(old));
                self.with_counters(r, delete, Some(&old.record), None)
            }
            _ => return None,
        };
        Some(self.finish(r, draft))
    }

    /// The request from its draft: `Select COUNT` for a counting Query, the
    /// expression names and values, the input in a stable order and its SDK code.
    fn finish(&self, r: &Request<'_>, draft: Draft) -> DynamoRequest {
        let mut input = draft.closed_input();
        let Draft {
            operation,
            flag,
            index,
            partition,
            partition_values,
            items,
            bytes,
            writes,
            ..
        } = draft;
        if r.pattern.kind == PatternKind::Count && operation == Operation::Query {
            input.insert("Select".into(), json!("COUNT"));
        }
        // A write of one item stays one conditional write even when the
        // pattern asks for a transaction: DynamoDB writes one item atomically,
        // and a one-action TransactWriteItems would cost twice the write units
        // for nothing (lint's `single-item-transaction` says so). Writes the
        // layout itself spreads over several items (a key rewrite, unique
        // markers) are transactions already.

        // Keep a stable, readable key order in the request.
        let input = order_input(input);
        let sdk = sdk_code(r.pattern, r.table, operation, &input);
        DynamoRequest {
            pattern: r.pattern.name.clone(),
            entity: r.entity.name.clone(),
            operation: operation.name().to_string(),
            index,
            input: json!({ "operation": operation.name(), "input": input }),
            sdk,
            flag,
            items,
            bytes,
            index_writes: writes.iter().map(|w| w.index_writes).sum(),
            writes,
            partition,
            partition_values,
            then: None,
            fanout: Vec::new(),
            cleanup: Vec::new(),
        }
    }

    /// The marker key of each unique value of a record: each unique
    /// attribute it holds (its id aside), and its id when the item's key holds
    /// more than the id (see [`Deriver::id_marker`]).
    fn markers(&self, entity: &Entity, record: &Val) -> Vec<String> {
        let id = entity.id_name();
        let mut out: Vec<String> = entity
            .fields
            .iter()
            .filter(|f| f.unique && f.name != id && record.get(&f.name).is_some())
            .map(|f| marker_key(self.design, entity, f, record))
            .collect();
        if let Some(f) = self.id_marker(entity) {
            out.push(marker_key(self.design, entity, f, record));
        }
        out
    }

    /// A marker item, which is all key: `{PK: {S: m}, SK: {S: m}}`.
    fn marker_value(&self, marker: &str) -> Value {
        let dynamo = &self.design.dynamo;
        json!({ dynamo.partition_key.clone(): { "S": marker }, dynamo.sort_key.clone(): { "S": marker } })
    }

    /// What writing a marker item costs.
    fn marker_write(&self, marker: &str) -> ItemWrite {
        let dynamo = &self.design.dynamo;
        let bytes = dynamo.partition_key.len() + dynamo.sort_key.len() + 2 * marker.len();
        ItemWrite {
            bytes: bytes as u64,
            index_writes: 0,
        }
    }

    /// Writing an entity's item holding `record`: its size and one write per
    /// secondary index the record lands in.
    fn item_write(&self, entity: &Entity, record: &Val, bytes: u64) -> ItemWrite {
        let index_writes = self
            .index_mappings(&entity.name)
            .filter(|(_, pk, _)| self.in_index(pk, record))
            .count() as u32;
        ItemWrite {
            bytes,
            index_writes,
        }
    }

    pub(super) fn read_options(&self, pattern: &AccessPattern, input: &mut Map<String, Value>) {
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
