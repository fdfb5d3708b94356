//! The seeded workload: first records loaded entity by entity (parents before children), then
//! the design's own patterns interleaved at random, reads with arguments that mostly hit
//! existing records, writes that mostly target them (and sometimes a missing id, a taken id or
//! a taken unique value). Each step carries its arguments in full, so any subsequence of the
//! steps can be replayed on its own (which is what shrinking does).

use schemaplay_core::model::relations::raw_key_fields;
use schemaplay_core::model::version::{is_version_field, pattern_version, FIRST_VERSION};
use schemaplay_core::sample::{from_example, Val};
use schemaplay_core::{AccessPattern, Cardinality, FieldType, PatternKind, UpdateAction};

use crate::canon::{from_val, value_at_is};
use crate::gen::{recase, Gen, Refs};
use crate::reference::{copy_via, same_identity, set_path, Reference};
use crate::schema::Schema;

/// The values an application passes to a pattern.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Args {
    /// The equality fields' values, by the pattern's field paths.
    pub equal: Vec<(String, Val)>,
    /// The lower bound of the pattern's range field.
    pub from: Option<Val>,
    /// The words of a text search.
    pub search: Option<String>,
    /// The record an insert (or a load) stores.
    pub record: Option<Val>,
    /// Children that come with the record, by relationship.
    pub children: Vec<(usize, Vec<Val>)>,
    /// The parent's record, for a child stored with its parent (the layouts need its keys).
    pub parent: Option<Val>,
    /// What an update writes per field: the new value, the amount added, the element appended.
    pub change: Vec<(String, Val)>,
    /// The version a versioned update read: the record's own most of the time, else a stale
    /// one (the record was written since), which every layout must refuse.
    pub version: Option<Val>,
    /// The other writes of the pattern's transaction (each part's pattern, by position, with
    /// its arguments), applied with this one or not at all.
    pub parts: Vec<(usize, Args)>,
}

/// One step of a workload.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// Stores a record as the layouts store data.
    Load {
        entity: usize,
        args: Args,
    },
    Write {
        pattern: usize,
        args: Args,
    },
    Read {
        pattern: usize,
        args: Args,
    },
}

impl Step {
    /// One line: `Rename user {userId: "user-3", name: ""}`.
    pub fn describe(&self, schema: &Schema) -> String {
        let show = |args: &Args| {
            let mut parts: Vec<String> = args
                .equal
                .iter()
                .map(|(k, v)| format!("{k} = {}", from_val(v)))
                .collect();
            if let Some(f) = &args.from {
                parts.push(format!("from {}", from_val(f)));
            }
            if let Some(s) = &args.search {
                parts.push(format!("search {}", serde_json::Value::String(s.clone())));
            }
            for (k, v) in &args.change {
                parts.push(format!("{k}: {}", from_val(v)));
            }
            if let Some(r) = &args.record {
                parts.push(from_val(r).to_string());
            }
            for (rel, kids) in &args.children {
                let name = schema
                    .design
                    .relationships
                    .get(*rel)
                    .map_or("?", |r| r.to.as_str());
                for k in kids {
                    parts.push(format!("with {name} {}", from_val(k)));
                }
            }
            parts.join(", ")
        };
        let show = |args: &Args| {
            let mut text = show(args);
            for (q, part) in &args.parts {
                let name = schema
                    .design
                    .access_patterns
                    .get(*q)
                    .map_or("?", |p| p.name.as_str());
                text.push_str(&format!("; in the transaction \"{name}\" {}", show(part)));
            }
            text
        };
        let pattern = |i: &usize| {
            schema
                .design
                .access_patterns
                .get(*i)
                .map_or("?".to_string(), |p| format!("\"{}\"", p.name))
        };
        match self {
            Step::Load { entity, args } => format!(
                "load {} {}",
                schema.info(*entity).map_or("?", |e| e.name.as_str()),
                show(args)
            ),
            Step::Write { pattern: p, args } => format!("write {} {}", pattern(p), show(args)),
            Step::Read { pattern: p, args } => format!("read {} {}", pattern(p), show(args)),
        }
    }
}

/// The most writes of one part a transaction's step makes (DynamoDB's limit on actions).
const MAX_PARTS: u32 = 100;

/// Generates `steps` steps for the design, deterministic for the seed.
pub fn generate(schema: &Schema, seed: u64, steps: usize) -> Vec<Step> {
    let mut w = Workload {
        schema,
        gen: Gen::new(seed),
        reference: Reference::new(schema),
        gone: Vec::new(),
        deleted: Vec::new(),
    };
    w.collect_constants();
    let mut out = Vec::with_capacity(steps);
    // Parents load before their children, entities stored inside a parent come with it.
    let mut order: Vec<usize> = (0..schema.entities.len())
        .filter(|e| !w.comes_with_parent(*e))
        .collect();
    order.sort_by_key(|e| w.depth(*e));
    let loads_per_entity = if order.is_empty() {
        0
    } else {
        (steps / 3 / order.len()).clamp(2, 24)
    };
    'load: for e in &order {
        for _ in 0..loads_per_entity {
            if out.len() >= steps / 3 {
                break 'load;
            }
            let args = w.insert_args(*e, 0, false);
            w.reference.insert(*e, &args);
            out.push(Step::Load { entity: *e, args });
        }
    }
    let patterns = &schema.design.access_patterns;
    let reads: Vec<usize> = schema.reads().collect();
    let writes: Vec<usize> = (0..patterns.len())
        .filter(|i| patterns[*i].kind.is_write())
        .collect();
    while out.len() < steps && !(reads.is_empty() && writes.is_empty()) {
        let read = writes.is_empty() || !reads.is_empty() && w.gen.chance(60);
        let pool = if read { &reads } else { &writes };
        let Some(&p) = w.gen.pick(pool) else {
            break;
        };
        let step = w.step(p);
        if let Step::Write { pattern, args } = &step {
            let deleting = patterns[*pattern].kind == PatternKind::Delete;
            let target = w
                .reference
                .target(*pattern, args)
                .filter(|_| deleting)
                .cloned();
            if w.reference.write(*pattern, args) {
                if let (Some(record), Some(e)) = (target, schema.index(&patterns[*pattern].entity))
                {
                    w.deleted.push((e, record));
                }
            }
            w.remember_gone(*pattern, args);
        }
        out.push(step);
    }
    out
}

/// The ids references can point at: the reference's live records.
struct Live<'a> {
    schema: &'a Schema<'a>,
    reference: &'a Reference<'a>,
}

impl Refs for Live<'_> {
    fn count(&self, entity: &str) -> (usize, FieldType) {
        match self
            .schema
            .index(entity)
            .and_then(|e| Some((e, self.schema.info(e)?)))
        {
            Some((e, info)) => (self.reference.records(e).len(), info.id_type.clone()),
            None => (0, FieldType::String),
        }
    }

    fn id(&self, entity: &str, i: usize) -> Option<Val> {
        let e = self.schema.index(entity)?;
        let id = &self.schema.info(e)?.id;
        self.reference.records(e).nth(i)?.get(id).cloned()
    }
}

struct Workload<'s> {
    schema: &'s Schema<'s>,
    gen: Gen,
    reference: Reference<'s>,
    /// Records deleted or written while missing, by entity (their equality values).
    gone: Vec<(usize, Val)>,
    /// Records deleted, whole: their unique values become free again.
    deleted: Vec<(usize, Val)>,
}

impl Workload<'_> {
    /// The design's condition constants become values their fields take.
    fn collect_constants(&mut self) {
        // Fields that are key values themselves are never empty: the application rejects an
        // empty one (the design's `dynamo-empty-key-value` finding).
        for (e, entity) in self.schema.design.entities.iter().enumerate() {
            for (field, _) in raw_key_fields(self.schema.design, entity) {
                self.gen.require_non_empty(e, &field);
            }
        }
        for p in &self.schema.design.access_patterns {
            let (Some(c), Some(e)) = (&p.condition, self.schema.index(&p.entity)) else {
                continue;
            };
            let ty = self.schema.field_type(e, &c.field);
            if let Some(v) = ty.and_then(|t| from_example(&t, c.value.as_ref()?)) {
                self.gen.add_constant(e, &c.field, v);
            }
        }
    }

    /// Whether an entity's records only come with their parent's (order lines).
    fn comes_with_parent(&self, entity: usize) -> bool {
        let Some(owner) = self.schema.info(entity).and_then(|i| i.owner.as_ref()) else {
            return false;
        };
        self.schema
            .info(owner.parent)
            .is_some_and(|p| p.composite.contains(&owner.relationship))
    }

    /// How many parents above an entity.
    fn depth(&self, entity: usize) -> usize {
        let mut d = 0;
        let mut current = entity;
        while let Some(o) = self.schema.info(current).and_then(|i| i.owner.as_ref()) {
            d += 1;
            current = o.parent;
            if d > self.schema.entities.len() {
                break;
            }
        }
        d
    }

    fn step(&mut self, pattern: usize) -> Step {
        let Some(p) = self.schema.design.access_patterns.get(pattern) else {
            return Step::Read {
                pattern,
                args: Args::default(),
            };
        };
        let Some(e) = self.schema.index(&p.entity) else {
            return Step::Read {
                pattern,
                args: Args::default(),
            };
        };
        match p.kind {
            PatternKind::Insert => {
                let mut args = self.insert_args(e, 0, true);
                args.parts = self.transaction_parts(pattern);
                Step::Write { pattern, args }
            }
            PatternKind::Update | PatternKind::Delete => {
                let target = self.target(e);
                let mut args = self.lookup_args(e, pattern, target.as_ref());
                if p.kind == PatternKind::Update {
                    args.change = self.change(e, pattern);
                    args.version = self.version_read(p, target.as_ref());
                }
                args.parts = self.transaction_parts(pattern);
                Step::Write { pattern, args }
            }
            _ => {
                let target = self.target(e);
                let mut args = self.lookup_args(e, pattern, target.as_ref());
                if p.kind == PatternKind::TextSearch {
                    args.search = Some(self.gen.search());
                }
                Step::Read { pattern, args }
            }
        }
    }

    /// The arguments of the other writes of a pattern's transaction: each part's as a step of
    /// its own would have them, `count` times, on distinct records (one transaction writes an
    /// item once; a part drawn twice for the same record is left out).
    fn transaction_parts(&mut self, pattern: usize) -> Vec<(usize, Args)> {
        let design = self.schema.design;
        let Some(p) = design.access_patterns.get(pattern) else {
            return Vec::new();
        };
        let mut out: Vec<(usize, Args)> = Vec::new();
        for (part, count) in design.transaction_parts(p) {
            let Some(q) = design.access_patterns.iter().position(|x| x == part) else {
                continue;
            };
            for _ in 0..count.min(MAX_PARTS) {
                let Step::Write { args, .. } = self.step(q) else {
                    continue;
                };
                let taken = out
                    .iter()
                    .any(|(o, a)| *o == q && !a.equal.is_empty() && a.equal == args.equal);
                if !taken {
                    out.push((q, args));
                }
            }
        }
        out
    }

    /// An existing record most of the time; otherwise one that is gone (deleted, or written
    /// while missing: where a layout leaves a phantom) or none at all (a fresh miss).
    fn target(&mut self, entity: usize) -> Option<Val> {
        let roll = self.gen.below(100);
        if roll < 15 {
            // The recently gone, so a phantom a write left is read back soon.
            let gone: Vec<Val> = self
                .gone
                .iter()
                .rev()
                .filter(|(e, _)| *e == entity)
                .take(4)
                .map(|(_, r)| r.clone())
                .collect();
            return self.gen.pick(&gone).cloned();
        }
        if roll < 20 {
            return None;
        }
        self.any_record(entity)
    }

    /// A random record of a child's parent entity that has no child yet, if any.
    fn childless_parent(&mut self, child: usize, owner: &crate::schema::Owner) -> Option<Val> {
        let parent_id = self.schema.info(owner.parent)?.id.clone();
        let n = self.reference.records(owner.parent).len();
        let start = self.gen.below(n.max(1));
        (0..n).find_map(|k| {
            let parent = self.reference.records(owner.parent).nth((start + k) % n)?;
            let id = parent.get(&parent_id)?;
            self.reference
                .find(child, &owner.link, id)
                .is_empty()
                .then(|| parent.clone())
        })
    }

    /// A random record of an entity, if it has any.
    fn any_record(&mut self, entity: usize) -> Option<Val> {
        let n = self.reference.records(entity).len();
        if n == 0 {
            return None;
        }
        let i = self.gen.below(n);
        self.reference.records(entity).nth(i).cloned()
    }

    /// Remembers what a write leaves gone: a deleted record, or the target of a write that
    /// matched nothing.
    fn remember_gone(&mut self, pattern: usize, args: &Args) {
        let Some(p) = self.schema.design.access_patterns.get(pattern) else {
            return;
        };
        let (Some(e), false) = (self.schema.index(&p.entity), p.kind == PatternKind::Insert) else {
            return;
        };
        let mut record = Val::Object(Vec::new());
        let id = self
            .schema
            .info(e)
            .map(|i| i.id.clone())
            .unwrap_or_default();
        for (path, v) in &args.equal {
            let path = if path == "_id" {
                id.as_str()
            } else {
                path.as_str()
            };
            set_path(&mut record, path, v.clone());
        }
        let own = |path: &String| {
            if path == "_id" {
                id.clone()
            } else {
                path.clone()
            }
        };
        let candidates = match args.equal.first() {
            Some((path, v)) => self.reference.find(e, &own(path), v),
            None => Vec::new(),
        };
        let store = self.reference.records(e);
        let still = candidates.iter().filter_map(|i| store.get(*i)).any(|r| {
            args.equal
                .iter()
                .all(|(path, v)| value_at_is(r, &own(path), v))
        });
        if !still {
            self.gone.push((e, record));
        }
    }

    /// A pattern's equality and range arguments: the target's values, or fresh ones.
    fn lookup_args(&mut self, entity: usize, pattern: usize, target: Option<&Val>) -> Args {
        let Some(p) = self.schema.design.access_patterns.get(pattern) else {
            return Args::default();
        };
        let mut args = Args::default();
        let id = self
            .schema
            .info(entity)
            .map(|i| i.id.clone())
            .unwrap_or_default();
        let m2m = schemaplay_core::dynamo::many_to_many_read(self.schema.design, p);
        for path in &p.equality {
            let own = if path == "_id" {
                id.as_str()
            } else {
                path.as_str()
            };
            let value = match m2m {
                Some((rel, forward)) => self.linked_id(rel, forward),
                None => target.and_then(|t| t.get(own).cloned()),
            };
            let value = match value {
                Some(v) => v,
                None => self.fresh(entity, own),
            };
            let value = if p.case_insensitive && self.gen.chance(50) {
                let upper = self.gen.chance(50);
                recase(&value, upper)
            } else {
                value
            };
            args.equal.push((path.clone(), value));
        }
        if let Some(range) = &p.range {
            let from = target
                .filter(|_| self.gen.chance(70))
                .and_then(|t| t.get(range).cloned());
            args.from = Some(match from {
                Some(v) => v,
                None => self.fresh(entity, range),
            });
        }
        if let (Some(t), Some(owner)) = (
            target,
            self.schema.info(entity).and_then(|i| i.owner.clone()),
        ) {
            // A child stored inside its parent is written through the parent's key.
            let parent_info = self.schema.info(owner.parent).map(|i| i.id.clone());
            args.parent = match (t.get(&owner.link), parent_info) {
                (Some(parent_id), Some(pid)) => {
                    let found = self.reference.find(owner.parent, &pid, parent_id);
                    let store = self.reference.records(owner.parent);
                    found.first().and_then(|i| store.get(*i)).cloned()
                }
                _ => None,
            };
        }
        args
    }

    /// An id of the other side of a many-to-many read, mostly one that exists; sometimes one
    /// recently deleted, whose pairs must have gone with it.
    fn linked_id(&mut self, rel: usize, forward: bool) -> Option<Val> {
        let r = self.schema.design.relationships.get(rel)?;
        let other = self.schema.index(if forward { &r.from } else { &r.to })?;
        let id = self.schema.info(other)?.id.clone();
        if self.gen.below(100) < 15 {
            let gone: Vec<Val> = self
                .gone
                .iter()
                .rev()
                .filter(|(e, r)| *e == other && r.get(&id).is_some())
                .take(4)
                .filter_map(|(_, r)| r.get(&id).cloned())
                .collect();
            if let Some(v) = self.gen.pick(&gone).cloned() {
                return Some(v);
            }
        }
        match self.any_record(other).filter(|_| !self.gen.chance(10)) {
            Some(rec) => rec.get(&id).cloned(),
            None => None,
        }
    }

    /// A fresh value for a field path of an entity (an id when the path is the id).
    fn fresh(&mut self, entity: usize, path: &str) -> Val {
        let Some(info) = self.schema.info(entity).cloned() else {
            return Val::Str(String::new());
        };
        if path == info.id {
            return self.gen.fresh_id(entity, &info.name, &info.id_type);
        }
        let field = self
            .schema
            .entity(entity)
            .and_then(|e| e.field_path(path))
            .cloned();
        match field {
            Some(mut f) => {
                f.required = true;
                let searched = self.searched(entity, path);
                let refs = Live {
                    schema: self.schema,
                    reference: &self.reference,
                };
                self.gen
                    .value(entity, path, &f, searched, &refs)
                    .unwrap_or(Val::Str(String::new()))
            }
            None => {
                // A link or a many-to-many id: an id of the entity it names.
                let ty = self
                    .schema
                    .field_type(entity, path)
                    .unwrap_or(FieldType::String);
                self.gen.fresh_id(usize::MAX, path, &ty)
            }
        }
    }

    fn searched(&self, entity: usize, path: &str) -> bool {
        let Some(name) = self.schema.info(entity).map(|i| &i.name) else {
            return false;
        };
        self.schema.design.access_patterns.iter().any(|p| {
            p.kind == PatternKind::TextSearch
                && p.entity == *name
                && p.fields.iter().any(|f| f == path)
        })
    }

    /// A new record of an entity with the children that come with it and, for a child, its
    /// parent: mostly an existing one, sometimes one that does not exist. An insert pattern's
    /// record sometimes takes an id or a unique value already taken (`collide`); loaded data
    /// never does.
    fn insert_args(&mut self, entity: usize, depth: usize, collide: bool) -> Args {
        let mut args = Args::default();
        let Some(info) = self.schema.info(entity).cloned() else {
            return args;
        };
        let mut record = self.record(entity, collide);
        if let Some(owner) = &info.owner {
            // A child a layout stores inside its parent is only ever added to an existing
            // parent (there is nothing to add it to otherwise); other children may point at a
            // parent that does not exist.
            let one_to_one = self
                .schema
                .design
                .relationships
                .get(owner.relationship)
                .is_some_and(|r| r.cardinality == Cardinality::OneToOne);
            let existing = if one_to_one {
                // One child per parent: a parent that has none yet.
                self.childless_parent(entity, owner)
            } else {
                self.any_record(owner.parent)
            }
            .filter(|_| owner.embedded || !self.gen.chance(10));
            let parent = match existing {
                Some(p) => Some(p),
                None if owner.embedded => return args,
                None if depth < 3 => self.insert_args(owner.parent, depth + 1, false).record,
                None => None,
            };
            let parent_id = self
                .schema
                .info(owner.parent)
                .and_then(|pi| parent.as_ref()?.get(&pi.id).cloned());
            if let Some(id) = parent_id {
                set_path(&mut record, &owner.link, id);
            }
            args.parent = parent;
        }
        self.settle_identity(entity, &mut record, collide, &[]);
        self.fill_copies(entity, &mut record, None);
        let id = record.get(&info.id).cloned();
        for rel in &info.composite {
            let Some(r) = self.schema.design.relationships.get(*rel) else {
                continue;
            };
            let Some(c) = self.schema.index(&r.to) else {
                continue;
            };
            let link = self
                .schema
                .info(c)
                .and_then(|ci| ci.owner.as_ref())
                .filter(|o| o.relationship == *rel)
                .map(|o| o.link.clone());
            let n = if r.cardinality == Cardinality::OneToOne {
                self.gen.below(2)
            } else {
                self.gen.below(4)
            };
            let mut kids: Vec<Val> = Vec::new();
            for _ in 0..n {
                // Children come new with their parent: the collisions are the parent's.
                let mut kid = self.record(c, false);
                if let (Some(link), Some(id)) = (&link, &id) {
                    set_path(&mut kid, link, id.clone());
                }
                self.settle_identity(c, &mut kid, false, &kids);
                self.fill_copies(c, &mut kid, Some((entity, &record)));
                kids.push(kid);
            }
            args.children.push((*rel, kids));
        }
        args.record = Some(record);
        args
    }

    /// Gives a new record's copies (`copyOf`) their source's current value, as the application
    /// passes it: the source field of the record its `via` names, among the stored records or
    /// `with` (the parent stored with it). A copy whose source is not found keeps the value
    /// drawn (the application passes what it has).
    fn fill_copies(&self, entity: usize, record: &mut Val, with: Option<(usize, &Val)>) {
        let design = self.schema.design;
        let Some(name) = self.schema.info(entity).map(|i| i.name.clone()) else {
            return;
        };
        for copy in design.copies().filter(|c| c.entity.name == name) {
            let Some((s, sid)) = self
                .schema
                .index(&copy.source.entity)
                .and_then(|s| Some((s, self.schema.info(s)?.id.clone())))
            else {
                continue;
            };
            let via = copy_via(self.schema, entity, s, &copy.source.via);
            let Some(id) = record.get(&via).cloned() else {
                continue;
            };
            let stored = || {
                let found = self.reference.find(s, &sid, &id);
                let first = found.first()?;
                self.reference.records(s).get(*first)
            };
            let source = match with {
                Some((w, r)) if w == s && r.get(&sid) == Some(&id) => Some(r),
                _ => stored(),
            };
            if let Some(v) = source.and_then(|r| r.get(&copy.source.field)) {
                set_path(record, &copy.field.name, v.clone());
            }
        }
    }

    /// Gives a new record free values of the fields that identify the entity's records together
    /// (`EntityInfo::identity`: a key template without the id), free of the stored records and
    /// of `beside` (records stored with it); an insert pattern's record (`collide`) sometimes
    /// takes those of a stored record of the same parent instead (a line number the order has).
    /// The link to the parent stays: another value is drawn for the other fields, so loaded data
    /// never collides.
    fn settle_identity(&mut self, entity: usize, record: &mut Val, collide: bool, beside: &[Val]) {
        let (Some(e), Some(info)) = (
            self.schema.entity(entity).cloned(),
            self.schema.info(entity).cloned(),
        ) else {
            return;
        };
        if info.identity.is_empty() {
            return;
        }
        let link = info.owner.as_ref().map(|o| o.link.clone());
        let own: Vec<&str> = info
            .identity
            .iter()
            .map(|p| p.field.as_str())
            .filter(|f| Some(*f) != link.as_deref())
            .collect();
        if collide && self.gen.chance(5) {
            let siblings = match link
                .as_ref()
                .and_then(|l| Some((l, record.get(l)?.clone())))
            {
                Some((l, parent)) => self.reference.find(entity, l, &parent),
                None => self
                    .reference
                    .records(entity)
                    .entries()
                    .map(|(id, _)| id)
                    .collect(),
            };
            let taken = self
                .gen
                .pick(&siblings)
                .and_then(|id| self.reference.records(entity).get(*id).cloned());
            if let Some(taken) = taken {
                for f in &own {
                    if let Some(v) = taken.get(f) {
                        set_path(record, f, v.clone());
                    }
                }
                return;
            }
        }
        for _ in 0..8 {
            let clash = self.reference.identity_taken(entity, record, None)
                || beside.iter().any(|b| same_identity(&info, b, record));
            if !clash {
                return;
            }
            for f in &own {
                if let Some(field) = e.field(f) {
                    let v = self.gen.unique(entity, field);
                    set_path(record, f, v);
                }
            }
        }
    }

    /// A new record: a fresh id (sometimes one already taken, where the application chooses
    /// ids: see `EntityInfo::chosen_id`), every declared field, unique values (sometimes taken
    /// ones), the id arrays of many-to-many relationships it holds.
    /// The version a versioned update sends: the target's, or one before it (a write that
    /// lost the race) a quarter of the time; the first version when there is no target.
    fn version_read(&mut self, p: &AccessPattern, target: Option<&Val>) -> Option<Val> {
        let field = pattern_version(p)?;
        let current = target.and_then(|t| t.get(field).cloned());
        let stale = self.gen.chance(25);
        Some(match current {
            Some(Val::Int(n)) if stale => Val::Int(n - 1),
            Some(Val::Long(n)) if stale => Val::Long(n - 1),
            Some(v) => v,
            None => Val::Int(FIRST_VERSION),
        })
    }

    fn record(&mut self, entity: usize, collide: bool) -> Val {
        let (Some(e), Some(info)) = (
            self.schema.entity(entity).cloned(),
            self.schema.info(entity).cloned(),
        ) else {
            return Val::Object(Vec::new());
        };
        let mut fields: Vec<(String, Val)> = Vec::new();
        let taken = self
            .any_record(entity)
            .filter(|_| collide && info.chosen_id() && self.gen.chance(5));
        let id = match taken.as_ref().and_then(|t| t.get(&info.id)) {
            Some(id) => id.clone(),
            None => self.gen.fresh_id(entity, &info.name, &info.id_type),
        };
        if !info.declared_id {
            fields.push((info.id.clone(), id.clone()));
        }
        for f in &e.fields {
            if f.name == info.id {
                fields.push((f.name.clone(), id.clone()));
                continue;
            }
            // A version starts where an insert starts it.
            if is_version_field(self.schema.design, &e.name, &f.name) {
                let first = match f.ty {
                    FieldType::Long => Val::Long(FIRST_VERSION),
                    _ => Val::Int(FIRST_VERSION),
                };
                fields.push((f.name.clone(), first));
                continue;
            }
            if info.uniques.contains(&f.name) {
                // A value taken, or freed by a delete (its unique marker must be gone too).
                let reuse = match self.gen.below(100) {
                    0..5 if collide => self.any_record(entity),
                    5..10 => {
                        let freed: Vec<Val> = self
                            .deleted
                            .iter()
                            .filter(|(e, _)| *e == entity)
                            .map(|(_, r)| r.clone())
                            .collect();
                        let freed = self.gen.pick(&freed).cloned();
                        freed.filter(|r| {
                            let Some(value) = r.get(&f.name) else {
                                return false;
                            };
                            self.reference.find(entity, &f.name, value).is_empty()
                        })
                    }
                    _ => None,
                };
                let v = match reuse.as_ref().and_then(|r| r.get(&f.name)) {
                    Some(v) => v.clone(),
                    None => self.gen.unique(entity, f),
                };
                fields.push((f.name.clone(), v));
                continue;
            }
            let searched = self.searched(entity, &f.name);
            let refs = Live {
                schema: self.schema,
                reference: &self.reference,
            };
            if let Some(v) = self.gen.value(entity, &f.name, f, searched, &refs) {
                fields.push((f.name.clone(), v));
            }
        }
        for (_, field, other) in &info.holds {
            let other_name = self
                .schema
                .info(*other)
                .map(|o| o.name.clone())
                .unwrap_or_default();
            let live = Live {
                schema: self.schema,
                reference: &self.reference,
            };
            let (count, _) = live.count(&other_name);
            let n = self.gen.below(4);
            let mut chosen: Vec<Val> = Vec::new();
            for _ in 0..n.min(count) {
                let i = self.gen.below(count);
                if let Some(id) = live.id(&other_name, i) {
                    if !chosen.contains(&id) {
                        chosen.push(id);
                    }
                }
            }
            fields.push((field.clone(), Val::Array(chosen)));
        }
        Val::Object(fields)
    }

    /// What an update writes to each of its fields.
    fn change(&mut self, entity: usize, pattern: usize) -> Vec<(String, Val)> {
        let Some(p) = self.schema.design.access_patterns.get(pattern).cloned() else {
            return Vec::new();
        };
        let action = p.update.unwrap_or_default();
        p.fields
            .iter()
            .map(|field| {
                let ty = self
                    .schema
                    .field_type(entity, field)
                    .unwrap_or(FieldType::String);
                let v = match action {
                    UpdateAction::Increment => {
                        let sample = p.increment_sample(field);
                        let amounts = [sample, -sample, 1, -1, 0, 7, 1000];
                        let n = self.gen.pick(&amounts).copied().unwrap_or(1);
                        match ty {
                            FieldType::Decimal if self.gen.chance(30) => Val::Decimal("0.5".into()),
                            FieldType::Double if self.gen.chance(30) => Val::Double(0.25),
                            _ => Val::Int(n),
                        }
                    }
                    UpdateAction::Push => {
                        let item = match &ty {
                            FieldType::Array(item) => item.as_ref().clone(),
                            other => other.clone(),
                        };
                        let mut f = schemaplay_core::Field::new(field, item);
                        f.required = true;
                        let refs = Live {
                            schema: self.schema,
                            reference: &self.reference,
                        };
                        self.gen
                            .value(entity, field, &f, false, &refs)
                            .unwrap_or(Val::Str(String::new()))
                    }
                    UpdateAction::Set => {
                        let unique = self
                            .schema
                            .info(entity)
                            .is_some_and(|i| i.uniques.contains(field));
                        let reuse = self
                            .any_record(entity)
                            .filter(|_| unique && self.gen.chance(20));
                        match reuse.as_ref().and_then(|r| r.get(field)) {
                            Some(v) => v.clone(),
                            None if unique => match self
                                .schema
                                .entity(entity)
                                .and_then(|e| e.field_path(field))
                                .cloned()
                            {
                                Some(f) => self.gen.unique(entity, &f),
                                None => self.fresh(entity, field),
                            },
                            None => self.fresh(entity, field),
                        }
                    }
                };
                (field.clone(), v)
            })
            .collect()
    }
}
