//! Counter items: a count or an aggregate kept up to date by the writes
//! instead of read from the items (DynamoDB has no `GROUP BY`, and a
//! `Select: COUNT` Query still reads, and pays for, every item it counts).
//!
//! One item per group: `USER_STATS#CITY#<profile.city>` /
//! `COUNT_USERS_PER_CITY` (the partition key holds the pattern's equality
//! fields, the sort key the pattern and the group keys the equality leaves
//! free). It holds the group's item count (`itemCount`), each sum under its
//! output's name, each average as `<output>Sum` and `<output>Count`, and the
//! group's values (`group`, a map). A read with every group key bound is one
//! GetItem; a read of every group is one Query of the partition, the client
//! sorting and limiting the groups. A group whose count is back to 0 keeps
//! its item, which a read skips.
//!
//! Every write of the entity keeps it: an insert puts the item and `ADD`s 1
//! in one TransactWriteItems; a delete reads the item first (the group is in
//! its values), then deletes it on the condition that it exists and `ADD`s
//! -1 in the same transaction, so a repeated delete fails whole and the count
//! does not drift; an update that moves an item between groups or changes a
//! summed field reads it first, then `ADD`s to the old group and the new one
//! (one `ADD` of the difference when the group stays). Min and max cannot be
//! kept (`model::counters::counter_blocker`). The choice is the design's
//! (`dynamo.counters`) or derived by cost ([`Deriver::counter_pays`]).
//!
//! Every group of a pattern without equality fields lives in one partition:
//! above 1,000 writes a second to the entity, that partition is hot, and
//! the counter should be write-sharded (`USER_STATS#<shard>`, the reads
//! summing the shards), which the reason says.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::keys::{template_fields, Home};
use super::plan::Path;
use super::request::read::overlaps;
use super::{Deriver, DynamoContext, ItemWrite, TYPE_ATTRIBUTE};
use crate::model::counters::{counter_blocker, counter_fields, counter_key_fields};
use crate::model::*;
use crate::names;
use crate::numbers::grouped_decimal;
use crate::sample::{add_values, item_size, Val};

/// The attribute a counter item counts its group's items in.
pub const COUNT_ATTRIBUTE: &str = "itemCount";
/// The attribute holding a counter item's group values, a map by field.
pub const GROUP_ATTRIBUTE: &str = "group";
/// What one write unit costs in read units on demand ($0.625 against $0.125
/// per million, `cost::Prices`).
const WRITE_PRICE_IN_READS: f64 = 5.0;
/// The writes a second one partition takes.
const PARTITION_WRITES: f64 = 1000.0;

/// The counter items of one pattern, as the layout shows them.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CounterItems {
    pub pattern: String,
    pub entity: String,
    pub pk: String,
    pub sk: String,
    /// How a read reaches them: `GetItem` (one group) or `Query` (every group).
    pub read: String,
    /// What each holds beside its key.
    pub attributes: Vec<String>,
    /// The write patterns whose writes change them.
    pub kept_by: Vec<String>,
    pub reason: String,
}

/// A pattern's counter as planned.
#[derive(Clone, Debug)]
pub(super) struct Counter {
    pub(super) pattern: String,
    pub(super) entity: String,
    pub(super) pk: String,
    pub(super) sk: String,
    /// The sort key's constant part, which every group's sort key begins with.
    pub(super) sk_prefix: String,
    /// Whether one GetItem reads it (every key field is bound by equality).
    pub(super) get: bool,
    pub(super) reason: String,
}

impl Counter {
    /// A key template of the counter rendered with a record's values; a
    /// field the record lacks is written `#NO_<FIELD>`, so that its group
    /// (null, as `$group` makes it) is not the empty value's.
    pub(super) fn key(&self, template: &str, record: &Val) -> String {
        let mut out = template.split('#').next().unwrap_or("").to_string();
        for field in template_fields(template) {
            let name = field_prefix(&field);
            match record.get(&field) {
                Some(v) => out.push_str(&format!("#{name}#{}", v.key_text())),
                None => out.push_str(&format!("#NO_{name}")),
            }
        }
        out
    }
}

/// A counter read's answer as the pattern's result.
#[derive(Clone, Debug, PartialEq)]
pub enum CounterAnswer {
    /// A count pattern's count.
    Count(u64),
    /// An aggregate's groups as Extended JSON documents, `{_id, <output>...}`
    /// as MongoDB's `$group` writes them, sorted and limited as the pattern says.
    Groups(Vec<Value>),
}

/// `Count users per city` → `COUNT_USERS_PER_CITY`.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_uppercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

/// A key part naming a field: `profile.city` → `#CITY#<profile.city>`.
fn part(field: &str) -> String {
    format!("#{}#<{field}>", field_prefix(field))
}

/// The name of a field in a counter's key: `profile.city` → `CITY`.
fn field_prefix(field: &str) -> String {
    let last = field.rsplit('.').next().unwrap_or(field);
    names::key_prefix(&names::upper_first(last))
}

/// The key of a group field in `group` and in `_id`: `profile.city` →
/// `profile_city`, as `$group` names it.
fn group_key(field: &str) -> String {
    field.replace('.', "_")
}

fn negate(v: &Val) -> Option<Val> {
    Some(match v {
        Val::Int(n) => Val::Int(n.checked_neg()?),
        Val::Long(n) => Val::Long(n.checked_neg()?),
        Val::Double(d) => Val::Double(-d),
        Val::Decimal(s) => Val::Decimal(match s.strip_prefix('-') {
            Some(rest) => rest.to_string(),
            None => format!("-{s}"),
        }),
        _ => return None,
    })
}

fn is_zero(v: &Val) -> bool {
    match v {
        Val::Int(n) | Val::Long(n) => *n == 0,
        Val::Double(d) => *d == 0.0,
        Val::Decimal(s) => s
            .trim_start_matches('-')
            .chars()
            .all(|c| c == '0' || c == '.'),
        _ => false,
    }
}

fn number(v: &Val) -> Option<f64> {
    match v {
        Val::Int(n) | Val::Long(n) => Some(*n as f64),
        Val::Double(d) => Some(*d),
        Val::Decimal(s) => s.parse().ok(),
        _ => None,
    }
}

/// What a record adds to a counter item: (attribute, amount), the count first.
fn contribution(pattern: &AccessPattern, record: &Val) -> Vec<(String, Val)> {
    let mut adds = vec![(COUNT_ATTRIBUTE.to_string(), Val::Int(1))];
    for a in pattern.aggregation().map_or(&[][..], |s| &s.aggregates) {
        let value = a.field.as_deref().and_then(|f| record.get(f));
        let Some(v) = value.filter(|v| number(v).is_some()) else {
            continue;
        };
        match a.op {
            AggregateOp::Sum => adds.push((a.output.clone(), v.clone())),
            AggregateOp::Avg => {
                adds.push((format!("{}Sum", a.output), v.clone()));
                adds.push((format!("{}Count", a.output), Val::Int(1)));
            }
            AggregateOp::Count | AggregateOp::Min | AggregateOp::Max => {}
        }
    }
    adds
}

impl Deriver<'_> {
    /// The counter item path of a count or aggregate pattern, when it is
    /// served by one (`Ok`); else why not, as a note for the reason of the
    /// read of the items (empty when none applies).
    pub(super) fn plan_counter(
        &mut self,
        pattern: &AccessPattern,
        home: &Home,
    ) -> Result<Path, String> {
        if !matches!(pattern.kind, PatternKind::Count | PatternKind::Aggregate) {
            return Err(String::new());
        }
        if let Some(why) = counter_blocker(pattern) {
            return Err(format!("no counter item: {why}"));
        }
        let Some(entity) = self.design.entity(&pattern.entity) else {
            return Err(String::new());
        };
        if home.embedded.is_some() {
            return Err(format!(
                "no counter item: {} lives inside its parent's item",
                names::plural(&names::words(&entity.name))
            ));
        }
        let fields = counter_key_fields(pattern);
        let prefix = format!("{}_STATS", names::key_prefix(&entity.name));
        let pk: String = std::iter::once(prefix)
            .chain(pattern.equality.iter().map(|f| part(f)))
            .collect();
        let sk_prefix = slug(&pattern.name);
        let free: Vec<&String> = fields
            .iter()
            .filter(|f| !pattern.equality.contains(f))
            .collect();
        let sk: String = std::iter::once(sk_prefix.clone())
            .chain(free.iter().map(|f| part(f)))
            .collect();
        let mut counter = Counter {
            pattern: pattern.name.clone(),
            entity: entity.name.clone(),
            pk,
            sk,
            sk_prefix,
            get: free.is_empty(),
            reason: String::new(),
        };
        let (pays, why) = self.counter_pays(pattern, entity, &counter);
        let reason = match self.design.dynamo.counters.get(&pattern.name) {
            Some(CounterChoice::Counter) => format!("the design picks a counter item ({why})"),
            Some(CounterChoice::Read) => {
                return Err(format!("the design reads the items, not a counter item ({why})"))
            }
            None if self.design.rate_of(&entity.name, PatternKind::Insert) <= 0.0 => {
                return Err(format!(
                    "no counter item: no pattern inserts {} at a rate, so the design does not say what writes would keep one",
                    names::plural(&names::words(&entity.name))
                ))
            }
            None if pays => format!("a counter item pays: {why}"),
            None => return Err(format!("a counter item would not pay: {why}")),
        };
        counter.reason = if pattern.equality.is_empty()
            && self.write_rate(entity) > PARTITION_WRITES
        {
            format!("{reason}; every group is in one partition, which takes about 1,000 writes a second: write-shard it (a suffix per shard, the read summing the shards)")
        } else {
            reason
        };
        let get = counter.get;
        self.counters.push(counter);
        Ok(Path::Counter { get })
    }

    /// The writes a second of an entity's inserts, deletes and updates.
    fn write_rate(&self, entity: &Entity) -> f64 {
        [
            PatternKind::Insert,
            PatternKind::Delete,
            PatternKind::Update,
        ]
        .into_iter()
        .map(|k| self.design.rate_of(&entity.name, k))
        .sum()
    }

    /// Whether a counter item costs less than reading the items, and why,
    /// in read units a second at the pattern's rate: a read of the items takes
    /// their size in 4 KB units (half for an eventually consistent read),
    /// the counter's one item (or its groups); each insert and delete, and
    /// each update changing a counted field, becomes a TransactWriteItems
    /// (twice the write units of its item) with an ADD of 2 units per counter
    /// item, and a delete or such an update reads its item first.
    fn counter_pays(
        &self,
        pattern: &AccessPattern,
        entity: &Entity,
        c: &Counter,
    ) -> (bool, String) {
        let strong = pattern.consistency == Consistency::Strong;
        let units = |bytes: u64| {
            let u = bytes.div_ceil(4096).max(1) as f64;
            if strong {
                u
            } else {
                u / 2.0
            }
        };
        let bytes = self.average_item_bytes(entity);
        let (through, item_units) =
            if pattern.kind == PatternKind::Aggregate || pattern.equality.is_empty() {
                let table: u64 = self
                    .design
                    .entities
                    .iter()
                    .filter(|e| self.home_of(&e.name).is_some_and(|h| h.embedded.is_none()))
                    .map(|e| e.volume.saturating_mul(self.average_item_bytes(e)))
                    .fold(0, u64::saturating_add);
                ("a Scan of the table", units(table))
            } else {
                let values = pattern
                    .equality
                    .iter()
                    .map(|f| self.distinct(entity, f))
                    .fold(1u64, |a, b| a.saturating_mul(b));
                let per = entity.volume.checked_div(values.max(1)).unwrap_or(0).max(1);
                (
                    "a Query of the matching items",
                    units(per.saturating_mul(bytes)),
                )
            };
        let groups = if c.get {
            1
        } else {
            counter_key_fields(pattern)
                .iter()
                .filter(|f| !pattern.equality.contains(f))
                .map(|f| self.distinct(entity, f))
                .fold(1u64, |a, b| a.saturating_mul(b))
        };
        let counter_units = units(groups.saturating_mul(self.counter_bytes(c)));
        let own = bytes.div_ceil(1024).max(1) as f64;
        let counted = counter_fields(pattern);
        let mut write_units = 0.0;
        let mut read_units = 0.0;
        for p in self
            .design
            .access_patterns
            .iter()
            .filter(|p| p.entity == entity.name)
        {
            let rate = p.requests_per_second;
            match p.kind {
                PatternKind::Insert => write_units += rate * (own + 2.0),
                PatternKind::Delete => {
                    write_units += rate * (own + 2.0);
                    read_units += rate;
                }
                PatternKind::Update if touches(p, &counted) => {
                    write_units += rate * (own + 4.0);
                    read_units += rate;
                }
                _ => {}
            }
        }
        let reads = pattern.requests_per_second;
        let saved = reads * (item_units - counter_units);
        let added = write_units * WRITE_PRICE_IN_READS + read_units;
        let n = |x: f64| grouped_decimal(x, 1);
        let why = format!(
            "{} reads a second through {through} take {} read units a second, through the counter item {}; keeping it adds {} write units a second, priced as {} read units, and {} read units of reads before the writes: {} read units a second {} than the {} it saves",
            n(reads),
            n(reads * item_units),
            n(reads * counter_units),
            n(write_units),
            n(write_units * WRITE_PRICE_IN_READS),
            n(read_units),
            n(added),
            if added < saved { "less" } else { "more" },
            n(saved.max(0.0)),
        );
        (saved > added, why)
    }

    /// A counter item's size: its key, type, group values and outputs.
    pub(super) fn counter_bytes(&self, c: &Counter) -> u64 {
        let Some((pattern, entity)) = self.counter_pattern(c) else {
            return 0;
        };
        let record = Val::Object(self.ctx.record(entity, 0));
        let item = self.counter_item(c, pattern, &record, &contribution(pattern, &record));
        item_size(&item) as u64
    }

    pub(super) fn counter_pattern(&self, c: &Counter) -> Option<(&AccessPattern, &Entity)> {
        let p = self
            .design
            .access_patterns
            .iter()
            .find(|p| p.name == c.pattern)?;
        Some((p, self.design.entity(&c.entity)?))
    }

    /// A counter item as a record would make it alone.
    fn counter_item(
        &self,
        c: &Counter,
        pattern: &AccessPattern,
        record: &Val,
        adds: &[(String, Val)],
    ) -> Vec<(String, Val)> {
        let dynamo = &self.design.dynamo;
        let mut item = vec![
            (dynamo.partition_key.clone(), Val::Str(c.key(&c.pk, record))),
            (dynamo.sort_key.clone(), Val::Str(c.key(&c.sk, record))),
            (
                TYPE_ATTRIBUTE.to_string(),
                Val::Str(counter_type(&c.entity)),
            ),
        ];
        let group = group_values(pattern, record);
        if !group.is_empty() {
            item.push((GROUP_ATTRIBUTE.to_string(), Val::Object(group)));
        }
        item.extend(adds.iter().cloned());
        item
    }

    /// The counters an entity's writes keep.
    fn counters_of<'s>(&'s self, entity: &'s str) -> impl Iterator<Item = &'s Counter> + 's {
        self.counters.iter().filter(move |c| c.entity == entity)
    }

    /// Whether the entity has counters a write of `pattern` changes: every
    /// insert and delete, an update of a counted field.
    pub(super) fn changes_counters(&self, pattern: &AccessPattern) -> bool {
        self.counters_of(&pattern.entity).any(|c| {
            self.counter_pattern(c)
                .is_some_and(|(p, _)| match pattern.kind {
                    PatternKind::Insert | PatternKind::Delete => true,
                    PatternKind::Update => touches(pattern, &counter_fields(p)),
                    _ => false,
                })
        })
    }

    /// The UpdateItem inputs (each with what it writes) that move the
    /// entity's counters from `old` to `new`: the old record's group less
    /// its contribution, the new one's more (one ADD of the difference when
    /// both are one item); none where nothing changes.
    pub(super) fn counter_updates(
        &self,
        entity: &Entity,
        old: Option<&Val>,
        new: Option<&Val>,
    ) -> Vec<(Map<String, Value>, ItemWrite)> {
        let mut out = Vec::new();
        for c in self.counters_of(&entity.name) {
            let Some((pattern, _)) = self.counter_pattern(c) else {
                continue;
            };
            let mut touched: Vec<Touched> = Vec::new();
            for (record, sign) in [(old, -1), (new, 1)] {
                let Some(record) = record else {
                    continue;
                };
                let key = (c.key(&c.pk, record), c.key(&c.sk, record));
                let adds: Vec<(String, Val)> = contribution(pattern, record)
                    .into_iter()
                    .filter_map(|(a, v)| Some((a, if sign < 0 { negate(&v)? } else { v })))
                    .collect();
                match touched.iter_mut().find(|(_, k, _)| *k == key) {
                    Some((_, _, sum)) => merge(sum, adds),
                    None => touched.push((record, key, adds)),
                }
            }
            for (record, _, adds) in touched {
                let adds: Vec<(String, Val)> =
                    adds.into_iter().filter(|(_, v)| !is_zero(v)).collect();
                if adds.is_empty() {
                    continue;
                }
                let item = self.counter_item(c, pattern, record, &adds);
                let write = ItemWrite {
                    bytes: item_size(&item) as u64,
                    index_writes: 0,
                };
                out.push((self.add_input(item, adds.len()), write));
            }
        }
        out
    }

    /// The UpdateItem of a counter item: `SET` its type and group, `ADD` the
    /// last `adds` attributes of `item`.
    fn add_input(&self, item: Vec<(String, Val)>, adds: usize) -> Map<String, Value> {
        let mut names = super::expr::Names::default();
        let mut values = Vec::new();
        let mut sets = Vec::new();
        let mut added = Vec::new();
        let mut key = Map::new();
        let at_adds = item.len().saturating_sub(adds);
        for (i, (attr, v)) in item.into_iter().enumerate() {
            if i < 2 {
                key.insert(attr, v.to_attribute());
            } else if i < at_adds {
                let placeholder = format!(":{}", names::camel(&attr));
                sets.push(format!("{} = {placeholder}", names.name(&attr)));
                values.push((placeholder, v));
            } else {
                let placeholder = format!(":{}", names::camel(&attr));
                added.push(format!("{} {placeholder}", names.name(&attr)));
                values.push((placeholder, v));
            }
        }
        let mut input = Map::new();
        input.insert("TableName".into(), json!(self.design.dynamo.table_name));
        input.insert("Key".into(), Value::Object(key));
        input.insert(
            "UpdateExpression".into(),
            json!(format!("SET {} ADD {}", sets.join(", "), added.join(", "))),
        );
        super::request::with_expressions(input, &names, &values)
    }
}

/// A counter item a write changes: the record choosing it, its key, the ADDs.
type Touched<'v> = (&'v Val, (String, String), Vec<(String, Val)>);

/// Adds `more` into `sum`, attribute by attribute.
fn merge(sum: &mut Vec<(String, Val)>, more: Vec<(String, Val)>) {
    for (a, v) in more {
        match sum.iter_mut().find(|(b, _)| *b == a) {
            Some((_, w)) => {
                if let Some(total) = add_values(Some(w), &v) {
                    *w = total;
                }
            }
            None => sum.push((a, v)),
        }
    }
}

/// Whether an update sets one of `fields` (or a path inside or around one).
fn touches(pattern: &AccessPattern, fields: &[String]) -> bool {
    pattern
        .fields
        .iter()
        .any(|u| fields.iter().any(|f| overlaps(u, f)))
}

/// The type attribute of an entity's counter items: `UserStats`.
fn counter_type(entity: &str) -> String {
    format!("{entity}Stats")
}

/// The values of a pattern's key fields in a record, by group key.
fn group_values(pattern: &AccessPattern, record: &Val) -> Vec<(String, Val)> {
    counter_key_fields(pattern)
        .iter()
        .filter_map(|f| Some((group_key(f), record.get(f)?.clone())))
        .collect()
}

impl DynamoContext<'_> {
    /// The counter items of the layout, one entry per pattern served by them.
    pub fn counter_items(&self) -> Vec<CounterItems> {
        let d = &self.deriver;
        d.counters
            .iter()
            .filter_map(|c| {
                let (pattern, _) = d.counter_pattern(c)?;
                let mut attributes = vec![COUNT_ATTRIBUTE.to_string()];
                for a in pattern.aggregation().map_or(&[][..], |s| &s.aggregates) {
                    match a.op {
                        AggregateOp::Sum => attributes.push(a.output.clone()),
                        AggregateOp::Avg => {
                            attributes.push(format!("{}Sum", a.output));
                            attributes.push(format!("{}Count", a.output));
                        }
                        _ => {}
                    }
                }
                if !counter_key_fields(pattern).is_empty() {
                    attributes.push(GROUP_ATTRIBUTE.to_string());
                }
                let kept_by = self
                    .design
                    .access_patterns
                    .iter()
                    .filter(|w| w.entity == c.entity && d.changes_counters(w))
                    .map(|w| w.name.clone())
                    .collect();
                Some(CounterItems {
                    pattern: c.pattern.clone(),
                    entity: c.entity.clone(),
                    pk: c.pk.clone(),
                    sk: c.sk.clone(),
                    read: if c.get { "GetItem" } else { "Query" }.to_string(),
                    attributes,
                    kept_by,
                    reason: c.reason.clone(),
                })
            })
            .collect()
    }

    /// The UpdateItems that add a stored record of `entity` to its counters,
    /// as its insert does: what loading data writes beside the record's items.
    pub fn counter_writes_for(&self, entity: &str, record: &Val) -> Vec<Value> {
        let Some(e) = self.design.entity(entity) else {
            return Vec::new();
        };
        self.deriver
            .counter_updates(e, None, Some(record))
            .into_iter()
            .map(|(input, _)| Value::Object(input))
            .collect()
    }

    /// Whether a pattern of the design is read from counter items.
    pub fn reads_counter(&self, pattern: &AccessPattern) -> bool {
        self.deriver
            .counters
            .iter()
            .any(|c| c.pattern == pattern.name)
    }

    /// The result of a counter read from its answer (a GetItem's `Item`, a
    /// Query's `Items`): the count, or the groups with an item in them, each
    /// `{_id, <output>...}` (an average is the sum over the count, null
    /// without numbers), sorted and limited as the pattern says. None for a
    /// pattern not read from counter items.
    pub fn counter_answer(&self, pattern: &AccessPattern, answer: &Value) -> Option<CounterAnswer> {
        let c = self
            .deriver
            .counters
            .iter()
            .find(|c| c.pattern == pattern.name)?;
        let entity = self.design.entity(&c.entity)?;
        let items: Vec<&Map<String, Value>> = match (answer.get("Item"), answer.get("Items")) {
            (Some(item), _) => item.as_object().into_iter().collect(),
            (None, Some(Value::Array(items))) => {
                items.iter().filter_map(Value::as_object).collect()
            }
            _ => Vec::new(),
        };
        let read = |item: &Map<String, Value>, attr: &str| {
            item.get(attr).and_then(|v| Val::from_attribute(v, None))
        };
        let count_of = |item: &Map<String, Value>| {
            read(item, COUNT_ATTRIBUTE)
                .and_then(|v| number(&v))
                .unwrap_or(0.0)
        };
        if pattern.kind == PatternKind::Count {
            let n = items.first().map_or(0.0, |i| count_of(i));
            return Some(CounterAnswer::Count(n.max(0.0) as u64));
        }
        let spec = pattern.aggregation()?;
        let mut groups: Vec<Group> = Vec::new();
        for item in items.into_iter().filter(|i| count_of(i) > 0.0) {
            let group = item.get(GROUP_ATTRIBUTE).and_then(|g| g.get("M"));
            let value = |f: &str| -> Option<Val> {
                let ty = entity.field_path(f).map(|x| &x.ty);
                group
                    .and_then(|g| g.get(group_key(f)))
                    .and_then(|v| Val::from_attribute(v, ty))
            };
            let id = match spec.group_by.as_slice() {
                [] => None,
                [one] => value(one),
                many => Some(Val::Object(
                    many.iter()
                        .filter_map(|f| Some((group_key(f), value(f)?)))
                        .collect(),
                )),
            };
            let mut fields = vec![("_id".to_string(), id)];
            for a in &spec.aggregates {
                let v = match a.op {
                    AggregateOp::Count => Some(Val::Int(count_of(item) as i64)),
                    AggregateOp::Sum => read(item, &a.output).or(Some(Val::Int(0))),
                    AggregateOp::Avg => {
                        let sum = read(item, &format!("{}Sum", a.output)).and_then(|v| number(&v));
                        let n = read(item, &format!("{}Count", a.output)).and_then(|v| number(&v));
                        // A sum that only ever added 0 was never written.
                        match (sum.unwrap_or(0.0), n) {
                            (s, Some(n)) if n > 0.0 => Some(Val::Double(s / n)),
                            _ => None,
                        }
                    }
                    AggregateOp::Min | AggregateOp::Max => None,
                };
                fields.push((a.output.clone(), v));
            }
            groups.push(fields);
        }
        sort_groups(spec, pattern.sort.as_ref(), &mut groups);
        if let Some(n) = spec.limit {
            groups.truncate(n as usize);
        }
        let documents = groups
            .into_iter()
            .map(|g| {
                Value::Object(
                    g.into_iter()
                        .map(|(k, v)| (k, v.map_or(Value::Null, |v| v.to_ejson())))
                        .collect(),
                )
            })
            .collect();
        Some(CounterAnswer::Groups(documents))
    }
}

/// A group as computed: `_id` and each output, None for null.
type Group = Vec<(String, Option<Val>)>;

/// The value at a path of a group (`_id`, `_id.profile_city`, an output).
fn group_at<'g>(group: &'g Group, path: &str) -> Option<&'g Val> {
    let (head, rest) = match path.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (path, None),
    };
    let v = group.iter().find(|(k, _)| k == head)?.1.as_ref()?;
    match rest {
        Some(r) => v.get(r),
        None => Some(v),
    }
}

/// Sorts groups as the pipeline does: by `_id`, then (stable) by the
/// pattern's sort on an output or a group key.
fn sort_groups(spec: &AggregateSpec, sort: Option<&SortSpec>, groups: &mut [Group]) {
    groups.sort_by(|a, b| compare(group_at(a, "_id"), group_at(b, "_id")));
    let Some(sort) = sort else {
        return;
    };
    let path = if spec.is_output(&sort.field) {
        sort.field.clone()
    } else if spec.group_by.len() < 2 {
        "_id".to_string()
    } else {
        format!("_id.{}", group_key(&sort.field))
    };
    groups.sort_by(|a, b| {
        let (x, y) = (group_at(a, &path), group_at(b, &path));
        match sort.order {
            SortOrder::Asc => compare(x, y),
            SortOrder::Desc => compare(y, x),
        }
    });
}

/// The order of group values: null first, numbers by value, then text and
/// the rest by their key text.
fn compare(a: Option<&Val>, b: Option<&Val>) -> std::cmp::Ordering {
    let rank = |v: Option<&Val>| match v {
        None => 0,
        Some(v) if number(v).is_some() => 1,
        Some(_) => 2,
    };
    rank(a).cmp(&rank(b)).then_with(|| match (a, b) {
        (Some(a), Some(b)) => match (number(a), number(b)) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            _ => a.key_text().cmp(&b.key_text()),
        },
        _ => std::cmp::Ordering::Equal,
    })
}

/// The counter items of records loaded in bulk (generated sample data): each
/// record added as its insert would add it, the items summed in memory and
/// written once at the end.
pub struct CounterTally<'a> {
    context: DynamoContext<'a>,
    items: std::collections::BTreeMap<(String, String), Vec<(String, Val)>>,
}

impl<'a> CounterTally<'a> {
    pub fn new(design: &'a Design) -> Self {
        CounterTally {
            context: DynamoContext::new(design),
            items: std::collections::BTreeMap::new(),
        }
    }

    /// Whether any pattern of the layout is kept in counter items.
    pub fn has_counters(&self) -> bool {
        !self.context.deriver.counters.is_empty()
    }

    /// Adds a stored record (or item: its attributes hold the record's
    /// fields) of `entity` to its counter items.
    pub fn add(&mut self, entity: &str, record: &Val) {
        let d = &self.context.deriver;
        for c in d.counters_of(entity) {
            let Some((pattern, _)) = d.counter_pattern(c) else {
                continue;
            };
            let key = (c.key(&c.pk, record), c.key(&c.sk, record));
            let adds = contribution(pattern, record);
            match self.items.get_mut(&key) {
                Some(item) => merge(item, adds),
                None => {
                    let item = d.counter_item(c, pattern, record, &adds);
                    self.items.insert(key, item);
                }
            }
        }
    }

    /// The counter items, as typed attributes.
    pub fn items(self) -> Vec<Vec<(String, Val)>> {
        self.items.into_values().collect()
    }
}
