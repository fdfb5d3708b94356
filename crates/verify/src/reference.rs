//! The reference model: the entities as plain records, each access pattern applied literally.
//!
//! - `getOne`: the records whose equality fields equal the arguments (any one of them is a right
//!   answer), with the children of every relationship read together with the entity.
//! - `list`: filter by equality (and the range field `>=` its lower bound, as the design's
//!   `range` reads "`createdAt > ?`"), sort by the sort field (missing values first, MongoDB's
//!   order of types), then the page. Records tied on the sort field form a group whose order
//!   is free; without a sort the whole result is one such group.
//! - `count`: how many records the filter keeps.
//! - `textSearch`: as MongoDB's `$text` does: a record matches when ANY term of the search
//!   string is among the terms of its searched fields; terms are case- and diacritic-folded,
//!   stop words dropped and Snowball-stemmed (the MongoDB simulator's tokenizer is reused here,
//!   so the reference judges the layout, not the tokenizer). The result is a set (unsorted).
//! - `insert`: refused when the id or a unique value is taken (ignoring case where a pattern
//!   looks that field up ignoring case), or the values of the fields a key template identifies
//!   the records by together (a SQL composite primary key: `ORDER#<orderId>` / `LINE#<lineNo>`), or when the record is a child a layout stores inside
//!   its parent and the parent does not exist; the children that come with the record are
//!   stored with it. Only ids the application chooses (text, numbers) are ever taken: an ObjectId or
//!   a UUID is made new by the writer for every insert (`EntityInfo::chosen_id`).
//! - `update`: the first record matching the equality fields, when the pattern's condition
//!   holds, gets each field set, incremented (a missing field counts as 0, as `$inc` does) or
//!   appended to (a missing array is created); refused if a unique value, or the values that
//!   identify records together, would be taken. Then every copy of a field it changed
//!   (`copyOf`) takes the field's new value: the records whose `via` holds its id.
//! - `delete`: the first record matching the equality fields is removed, and with it the
//!   children that go with it (core's `Design::on_delete`: cascade), theirs with them, at
//!   most `MAX_CASCADE_DEPTH` levels down, by every relationship (a child with two parents
//!   goes with either). Kept children stay, naming the deleted id (a layout storing them
//!   inside the parent loses them: lint's `delete-leaves-children`). Every removed record's
//!   many-to-many pairs go with it: its id leaves the holders' id arrays (the holders stay).
//! - a write with a `transaction`: its own write, then each part's in order, all or none: one
//!   refused or matching nothing (a failing guard, a missing record) undoes them all.
//!
//! Values compare as MongoDB compares them: numbers by value whatever their type, an array
//! field equals a value it contains, a comparison (`lt`, `gte`, ...) only within one type, a
//! missing field satisfies only `ne` and `notExists`. Many-to-many relationships are the id
//! arrays the holding side's records carry; a pair counts while the holder exists, and a
//! deleted record of the other side leaves them.

use std::cell::RefCell;
use std::collections::HashMap;

use schemaplay_core::model::version::pattern_version;
use schemaplay_core::model::{OnDelete, MAX_CASCADE_DEPTH};
use schemaplay_core::sample::{from_example, Val};
use schemaplay_core::{
    AccessPattern, Condition, ConditionOp, FieldType, PatternKind, SortOrder, UpdateAction,
};
use schemaplay_mongo::text;

use crate::answer::{project, project_child, with_children, Expected};
use crate::canon::{from_val, same_value, value_at_is, Canon, Num};
use crate::records_store::Store;
use crate::schema::{parent_link, EntityInfo, Schema};
use crate::workload::Args;

/// The field of a copying entity's records that holds its source's id: the copy's `via` when
/// the entity declares it, else the link to its parent the records carry (a relationship's
/// implicit reference).
pub fn copy_via(schema: &Schema, copier: usize, source: usize, via: &str) -> String {
    let declared = schema
        .entity(copier)
        .is_some_and(|e| e.field(via).is_some());
    match schema.info(copier).and_then(|i| i.owner.as_ref()) {
        Some(owner) if !declared && owner.parent == source => owner.link.clone(),
        _ => via.to_string(),
    }
}

/// Removes a top-level field of a record.
fn remove_field(record: &mut Val, field: &str) {
    if let Val::Object(fields) = record {
        fields.retain(|(k, _)| k != field);
    }
}

/// The records of every entity, in insertion order.
pub struct Reference<'s> {
    schema: &'s Schema<'s>,
    records: Vec<Store>,
    /// The text-search terms of each text seen (texts repeat; stemming is the cost of a search).
    terms: RefCell<HashMap<String, Vec<String>>>,
}

impl<'s> Reference<'s> {
    pub fn new(schema: &'s Schema<'s>) -> Reference<'s> {
        let records = (0..schema.entities.len())
            .map(|e| Store::indexing(lookup_paths(schema, e)))
            .collect();
        Reference {
            schema,
            records,
            terms: RefCell::new(HashMap::new()),
        }
    }

    pub fn records(&self, entity: usize) -> &Store {
        static EMPTY: std::sync::OnceLock<Store> = std::sync::OnceLock::new();
        self.records
            .get(entity)
            .unwrap_or_else(|| EMPTY.get_or_init(Store::default))
    }

    /// The ids of an entity's records whose value at `path` equals `want`, in insertion order
    /// (through the path's index when it has one).
    pub fn find(&self, entity: usize, path: &str, want: &Val) -> Vec<usize> {
        let store = self.records(entity);
        let holds = |r: &Val| value_at_is(r, path, want);
        match store.candidates(path, want) {
            Some(ids) => ids
                .iter()
                .copied()
                .filter(|id| store.get(*id).is_some_and(holds))
                .collect(),
            None => store
                .entries()
                .filter(|(_, r)| holds(r))
                .map(|(id, _)| id)
                .collect(),
        }
    }

    /// Stores a record (with the children that come with it); false when refused.
    pub fn insert(&mut self, entity: usize, args: &Args) -> bool {
        let Some(record) = &args.record else {
            return false;
        };
        let Some(info) = self.schema.info(entity) else {
            return false;
        };
        // An id the design does not declare is the verifier's own and always fresh.
        let id = record.get(&info.id).filter(|_| info.declared_id);
        if id.is_some_and(|id| !self.find(entity, &info.id, id).is_empty()) {
            return false;
        }
        if self.unique_conflict(entity, record, None) {
            return false;
        }
        // A child a layout stores inside its parent exists only in an existing parent.
        if let Some(owner) = info.owner.as_ref().filter(|o| o.embedded) {
            let parent_id = self.schema.info(owner.parent).map(|p| p.id.clone());
            let found = match (record.get(&owner.link), parent_id) {
                (Some(link), Some(pid)) => !self.find(owner.parent, &pid, link).is_empty(),
                _ => false,
            };
            if !found {
                return false;
            }
        }
        let Some(store) = self.records.get_mut(entity) else {
            return false;
        };
        store.insert(record.clone());
        for (rel, kids) in &args.children {
            let child = self.schema.child_of(*rel);
            let link = child
                .and_then(|c| self.schema.info(c))
                .and_then(|i| i.owner.as_ref())
                .map(|o| o.link.clone());
            if let (Some(c), Some(link)) = (child, link) {
                for kid in kids {
                    let mut kid = kid.clone();
                    if let Some(id) = record.get(&info.id) {
                        set_path(&mut kid, &link, id.clone());
                    }
                    if let Some(store) = self.records.get_mut(c) {
                        store.insert(kid);
                    }
                }
            }
        }
        true
    }

    /// Applies a write pattern with the other writes of its transaction, all or none: when one
    /// of them is refused or matches nothing (a guard fails, a record is gone), nothing changes.
    /// False when nothing changed.
    pub fn write(&mut self, pattern: usize, args: &Args) -> bool {
        if args.parts.is_empty() {
            return self.write_one(pattern, args);
        }
        let before = self.records.clone();
        let all = self.write_one(pattern, args)
            && args.parts.iter().all(|(q, part)| self.write_one(*q, part));
        if !all {
            self.records = before;
        }
        all
    }

    /// Applies one write pattern; false when nothing changed (refused, or no record matched).
    fn write_one(&mut self, pattern: usize, args: &Args) -> bool {
        let Some(p) = self.schema.design.access_patterns.get(pattern) else {
            return false;
        };
        let Some(entity) = self.schema.index(&p.entity) else {
            return false;
        };
        match p.kind {
            PatternKind::Insert => self.insert(entity, args),
            PatternKind::Update => self.update(entity, p, args),
            PatternKind::Delete => match self.first_match(entity, p, args) {
                Some(id) => {
                    self.remove_with_children(entity, id, 0);
                    true
                }
                None => false,
            },
            _ => false,
        }
    }

    /// Removes a record and the children that go with it (see the module), depth-limited.
    fn remove_with_children(&mut self, entity: usize, id: usize, depth: usize) {
        let Some(record) = self.records(entity).get(id).cloned() else {
            return;
        };
        if let Some(store) = self.records.get_mut(entity) {
            store.remove(id);
        }
        let design = self.schema.design;
        let parent_id = self
            .schema
            .info(entity)
            .and_then(|i| record.get(&i.id).cloned());
        let (Some(parent_id), true) = (parent_id, depth < MAX_CASCADE_DEPTH) else {
            return;
        };
        // Every relationship whose children go with it (a child may have several parents).
        // Kept children stay, even where a layout stores them inside the parent (which
        // cannot keep them: lint's `delete-leaves-children` says so).
        for (i, r) in design.relationships.iter().enumerate() {
            if r.from
                != self
                    .schema
                    .entities
                    .get(entity)
                    .map_or("", |e| e.name.as_str())
                || design.on_delete(r) != OnDelete::Cascade
            {
                continue;
            }
            let Some(c) = self.schema.index(&r.to) else {
                continue;
            };
            let Some(link) = self
                .schema
                .entity(c)
                .and_then(|child| parent_link(design, child, i, r))
            else {
                continue;
            };
            for kid in self.find(c, &link.link, &parent_id) {
                self.remove_with_children(c, kid, depth + 1);
            }
        }
        self.unlink(entity, &parent_id);
    }

    /// Takes a deleted record's id out of the id arrays of the many-to-many relationships it is
    /// on the held side of: its pairs go with it (core's `Design::link_sides`); the holders stay.
    fn unlink(&mut self, entity: usize, id: &Val) {
        let name = self.schema.entities.get(entity).map(|e| e.name.clone());
        let Some(name) = name else {
            return;
        };
        for side in self.schema.design.link_sides(&name) {
            for (h, holder) in self.schema.entities.iter().enumerate() {
                let Some((_, field, _)) = holder
                    .holds
                    .iter()
                    .find(|(r, _, other)| *r == side.relationship && *other == entity)
                else {
                    continue;
                };
                let field = field.clone();
                // A scan: an index of the store keys whole values, not an array's elements.
                let holders: Vec<usize> = self
                    .records(h)
                    .entries()
                    .filter(|(_, r)| match r.get(&field) {
                        Some(Val::Array(ids)) => ids.iter().any(|x| same_value(x, id)),
                        _ => false,
                    })
                    .map(|(i, _)| i)
                    .collect();
                for hid in holders {
                    let Some(mut record) = self.records(h).get(hid).cloned() else {
                        continue;
                    };
                    if let Some(Val::Array(ids)) = record.get(&field) {
                        let kept: Vec<Val> =
                            ids.iter().filter(|x| !same_value(x, id)).cloned().collect();
                        set_path(&mut record, &field, Val::Array(kept));
                    }
                    if let Some(store) = self.records.get_mut(h) {
                        store.replace(hid, record);
                    }
                }
            }
        }
    }

    fn update(&mut self, entity: usize, p: &AccessPattern, args: &Args) -> bool {
        let Some(id) = self.first_match(entity, p, args) else {
            return false;
        };
        let Some(mut record) = self.records(entity).get(id).cloned() else {
            return false;
        };
        if let Some(c) = &p.condition {
            if !self.condition_holds(entity, &record, c) {
                return false;
            }
        }
        // Optimistic locking: only the version read may be written over, and the write adds
        // one to it.
        if let Some(v) = pattern_version(p) {
            let current = record.get(v).cloned();
            if current.is_none() || current != args.version {
                return false;
            }
            match increment(current.as_ref(), &Val::Int(1)) {
                Some(next) => set_path(&mut record, v, next),
                None => return false,
            }
        }
        for (field, value) in &args.change {
            let current = record.get(field).cloned();
            let next = match p.update.unwrap_or_default() {
                UpdateAction::Set => Some(value.clone()),
                UpdateAction::Increment => increment(current.as_ref(), value),
                UpdateAction::Push => match current {
                    None => Some(Val::Array(vec![value.clone()])),
                    Some(Val::Array(mut items)) => {
                        items.push(value.clone());
                        Some(Val::Array(items))
                    }
                    Some(_) => None,
                },
            };
            match next {
                Some(v) => set_path(&mut record, field, v),
                None => return false,
            }
        }
        if self.unique_conflict(entity, &record, Some(id)) {
            return false;
        }
        if let Some(store) = self.records.get_mut(entity) {
            store.replace(id, record.clone());
        }
        self.copy_from(entity, p, &record);
        true
    }

    /// Keeps the copies of what an update changed equal to it (core's `fanout_copies`): each
    /// record whose `via` holds the updated record's id takes the source field's new value
    /// (loses its copy when the source no longer has one).
    fn copy_from(&mut self, entity: usize, p: &AccessPattern, source: &Val) {
        let design = self.schema.design;
        let Some(id) = self
            .schema
            .info(entity)
            .and_then(|i| source.get(&i.id).cloned())
        else {
            return;
        };
        for copy in design.fanout_copies(p) {
            let Some(c) = self.schema.index(&copy.entity.name) else {
                continue;
            };
            let via = copy_via(self.schema, c, entity, &copy.source.via);
            let value = source.get(&copy.source.field).cloned();
            for kid in self.find(c, &via, &id) {
                let Some(mut record) = self.records(c).get(kid).cloned() else {
                    continue;
                };
                match &value {
                    Some(v) => set_path(&mut record, &copy.field.name, v.clone()),
                    None => remove_field(&mut record, &copy.field.name),
                }
                if let Some(store) = self.records.get_mut(c) {
                    store.replace(kid, record);
                }
            }
        }
    }

    /// The reference's answer to a read pattern.
    pub fn read(&self, pattern: usize, args: &Args) -> Expected {
        let Some(p) = self.schema.design.access_patterns.get(pattern) else {
            return Expected::Count(0);
        };
        let Some(entity) = self.schema.index(&p.entity) else {
            return Expected::Count(0);
        };
        let search = match (&p.kind, &args.search) {
            (PatternKind::TextSearch, Some(words)) => Some(search_terms(words)),
            (PatternKind::TextSearch, None) => Some(Vec::new()),
            _ => None,
        };
        let matches: Vec<&Val> = self
            .candidates(entity, p, args)
            .filter(|(_, r)| self.matches(entity, p, args, r))
            .map(|(_, r)| r)
            .filter(|r| {
                search
                    .as_ref()
                    .is_none_or(|terms| self.text_matches(p, r, terms))
            })
            .collect();
        match p.kind {
            PatternKind::Count => Expected::Count(matches.len() as u64),
            PatternKind::Aggregate => match p.aggregation() {
                Some(spec) => Expected::Groups {
                    groups: crate::aggregate::groups(spec, p.sort.as_ref(), &matches),
                    sorted: p.sort.is_some(),
                },
                None => Expected::Count(0),
            },
            PatternKind::GetOne => Expected::One(
                matches
                    .iter()
                    .map(|r| self.with_children(entity, r))
                    .collect(),
            ),
            _ => {
                // A paged list is read page after page: several pages' worth.
                let limit = crate::paging::paged_records(self.schema, p)
                    .or(p.page_size.map(|n| n as usize));
                let total = matches.len();
                // Only the groups the page reaches are projected: a long list costs its page.
                let reaches = |groups: &[Vec<Canon>]| {
                    limit.is_some_and(|l| groups.iter().map(Vec::len).sum::<usize>() >= l)
                };
                let mut groups: Vec<Vec<Canon>> = Vec::new();
                match &p.sort {
                    Some(sort) => {
                        let mut keyed: Vec<(Canon, &Val)> = matches
                            .iter()
                            .map(|r| (sort_key(r.get(&sort.field), sort.order), *r))
                            .collect();
                        keyed.sort_by(|a, b| match sort.order {
                            SortOrder::Asc => a.0.cmp(&b.0),
                            SortOrder::Desc => b.0.cmp(&a.0),
                        });
                        let mut last: Option<Canon> = None;
                        for (k, r) in keyed {
                            let tied = last.as_ref() == Some(&k);
                            if !tied && reaches(&groups) {
                                break;
                            }
                            let c = project(self.schema, entity, &from_val(r));
                            match groups.last_mut() {
                                Some(g) if tied => g.push(c),
                                _ => groups.push(vec![c]),
                            }
                            last = Some(k);
                        }
                    }
                    None => groups.push(
                        matches
                            .iter()
                            .map(|r| project(self.schema, entity, &from_val(r)))
                            .collect(),
                    ),
                }
                Expected::List {
                    groups,
                    limit,
                    total,
                }
            }
        }
    }

    /// The canonical record with the children read together with it.
    fn with_children(&self, entity: usize, record: &Val) -> Canon {
        let canon = project(self.schema, entity, &from_val(record));
        let Some(info) = self.schema.info(entity) else {
            return canon;
        };
        let id = record.get(&info.id);
        let children = self
            .schema
            .read_with(entity)
            .into_iter()
            .filter_map(|(rel, r, c)| {
                let owner = self.schema.info(c)?.owner.as_ref()?;
                if owner.relationship != rel {
                    return None;
                }
                let store = self.records(c);
                let kids = id
                    .map(|id| self.find(c, &owner.link, id))
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|k| store.get(k))
                    .map(|k| project_child(self.schema, c, &from_val(k)))
                    .collect();
                Some((r.to.clone(), kids))
            })
            .collect();
        with_children(canon, children)
    }

    /// The record a write pattern would touch (an update's or a delete's first match).
    pub fn target(&self, pattern: usize, args: &Args) -> Option<&Val> {
        let p = self.schema.design.access_patterns.get(pattern)?;
        let entity = self.schema.index(&p.entity)?;
        let id = self.first_match(entity, p, args)?;
        self.records(entity).get(id)
    }

    /// The id of the first record (in insertion order) passing the pattern's filters.
    fn first_match(&self, entity: usize, p: &AccessPattern, args: &Args) -> Option<usize> {
        self.candidates(entity, p, args)
            .find(|(_, r)| self.matches(entity, p, args, r))
            .map(|(id, _)| id)
    }

    /// The records that may pass a pattern's filters, in insertion order: those its first
    /// equality value's index holds, else every record.
    fn candidates<'a>(
        &'a self,
        entity: usize,
        p: &AccessPattern,
        args: &Args,
    ) -> Box<dyn Iterator<Item = (usize, &'a Val)> + 'a> {
        let store = self.records(entity);
        let id = self.schema.info(entity).map_or("", |i| i.id.as_str());
        let m2m = schemaplay_core::dynamo::many_to_many_read(self.schema.design, p).is_some();
        let indexed = args
            .equal
            .first()
            .filter(|_| !m2m)
            .and_then(|(path, want)| {
                let path = if path == "_id" { id } else { path.as_str() };
                store.candidates(path, want)
            });
        match indexed {
            Some(ids) => Box::new(ids.iter().filter_map(|id| Some((*id, store.get(*id)?)))),
            None => Box::new(store.entries()),
        }
    }

    /// Whether a record passes the pattern's equality and range filters.
    fn matches(&self, entity: usize, p: &AccessPattern, args: &Args, record: &Val) -> bool {
        if let Some((rel, forward)) =
            schemaplay_core::dynamo::many_to_many_read(self.schema.design, p)
        {
            return args
                .equal
                .first()
                .is_some_and(|(_, other)| self.linked(entity, rel, forward, record, other));
        }
        let id = self.schema.info(entity).map_or("", |i| i.id.as_str());
        let equal = args.equal.iter().all(|(path, want)| {
            let path = if path == "_id" { id } else { path.as_str() };
            let have = record.get(path);
            have.is_some_and(|h| equals(h, want, p.case_insensitive))
        });
        let in_range = match (&p.range, &args.from) {
            (Some(path), Some(from)) => record.get(path).is_some_and(|v| {
                let (v, from) = (from_val(v), from_val(from));
                v.same_bracket(&from) && v >= from
            }),
            _ => true,
        };
        equal && in_range
    }

    /// Whether `record` (of `entity`) is linked to the other side's record with id `other`.
    fn linked(&self, entity: usize, rel: usize, forward: bool, record: &Val, other: &Val) -> bool {
        let Some(r) = self.schema.design.relationships.get(rel) else {
            return false;
        };
        let other_name = if forward { &r.from } else { &r.to };
        let (Some(o), Some(info)) = (self.schema.index(other_name), self.schema.info(entity))
        else {
            return false;
        };
        let Some(other_info) = self.schema.info(o) else {
            return false;
        };
        let holds = |holder: &Val, field: &str, id: &Val| match holder.get(field) {
            Some(Val::Array(ids)) => ids.iter().any(|x| same_value(x, id)),
            _ => false,
        };
        // The pair lives in the holder's id array: it counts while the holder exists.
        if let Some((_, field, _)) = info.holds.iter().find(|(i, _, _)| *i == rel) {
            return holds(record, field, other);
        }
        let found = self.find(o, &other_info.id, other);
        let Some(other_record) = found.first().and_then(|id| self.records(o).get(*id)) else {
            return false;
        };
        match other_info.holds.iter().find(|(i, _, _)| *i == rel) {
            Some((_, field, _)) => record
                .get(&info.id)
                .is_some_and(|id| holds(other_record, field, id)),
            None => false,
        }
    }

    /// Whether any search term is a term of the record's searched fields.
    fn text_matches(&self, p: &AccessPattern, record: &Val, terms: &[String]) -> bool {
        let mut strings: Vec<&str> = Vec::new();
        for field in &p.fields {
            collect_strings(record.get(field), &mut strings);
        }
        let mut cache = self.terms.borrow_mut();
        strings.iter().any(|s| {
            if !cache.contains_key(*s) {
                cache.insert((*s).to_string(), text::terms(s, false, english()));
            }
            cache
                .get(*s)
                .is_some_and(|found| found.iter().any(|t| terms.contains(t)))
        })
    }

    fn condition_holds(&self, entity: usize, record: &Val, c: &Condition) -> bool {
        let have = record.get(&c.field).map(from_val);
        let ty = self
            .schema
            .field_type(entity, &c.field)
            .unwrap_or(FieldType::String);
        let want = c
            .value
            .as_ref()
            .and_then(|v| from_example(&ty, v))
            .map(|v| from_val(&v));
        match (c.op, have, want) {
            (ConditionOp::Exists, h, _) => h.is_some(),
            (ConditionOp::NotExists, h, _) => h.is_none(),
            (ConditionOp::Ne, None, _) => true,
            (_, None, _) | (_, _, None) => false,
            (op, Some(h), Some(w)) => match op {
                ConditionOp::Eq => h == w,
                ConditionOp::Ne => h != w,
                _ if !h.same_bracket(&w) => false,
                ConditionOp::Lt => h < w,
                ConditionOp::Le => h <= w,
                ConditionOp::Gt => h > w,
                _ => h >= w,
            },
        }
    }

    /// Whether a unique value of `record` is taken by another record (not the one with id
    /// `except`).
    fn unique_conflict(&self, entity: usize, record: &Val, except: Option<usize>) -> bool {
        let Some(info) = self.schema.info(entity) else {
            return false;
        };
        let store = self.records(entity);
        if self.identity_taken(entity, record, except) {
            return true;
        }
        info.uniques.iter().any(|u| {
            let ignore_case = info.unique_ignoring_case.contains(u);
            let Some(mine) = record.get(u) else {
                return false;
            };
            let taken = |(id, other): (usize, &Val)| {
                Some(id) != except && other.get(u).is_some_and(|v| equals(v, mine, ignore_case))
            };
            match store.candidates(u, mine) {
                Some(ids) => ids
                    .iter()
                    .filter_map(|id| Some((*id, store.get(*id)?)))
                    .any(taken),
                None => store.entries().any(taken),
            }
        })
    }
}

impl Reference<'_> {
    /// Whether another record (not the one with id `except`) has the same values of the fields
    /// identifying the entity's records together (`EntityInfo::identity`): the same DynamoDB
    /// key, the same entry of MongoDB's compound unique index. A missing value equals a
    /// missing one, as the index's null does.
    pub fn identity_taken(&self, entity: usize, record: &Val, except: Option<usize>) -> bool {
        let Some(info) = self.schema.info(entity) else {
            return false;
        };
        let Some(first) = info.identity.first() else {
            return false;
        };
        let store = self.records(entity);
        let taken =
            |(id, other): (usize, &Val)| Some(id) != except && same_identity(info, other, record);
        match record
            .get(&first.field)
            .filter(|_| !first.lowered)
            .and_then(|v| store.candidates(&first.field, v))
        {
            Some(ids) => ids
                .iter()
                .filter_map(|id| Some((*id, store.get(*id)?)))
                .any(taken),
            None => store.entries().any(taken),
        }
    }
}

/// Whether two records of an entity have the same values of the fields identifying its records
/// together (`EntityInfo::identity`; false when there are none).
pub fn same_identity(info: &EntityInfo, a: &Val, b: &Val) -> bool {
    !info.identity.is_empty()
        && info
            .identity
            .iter()
            .all(|part| match (a.get(&part.field), b.get(&part.field)) {
                (None, None) => true,
                (Some(x), Some(y)) => equals(x, y, part.lowered),
                _ => false,
            })
}

/// The paths the reference looks an entity's records up by: its id, the link to its parent,
/// its unique fields and every path a pattern of it binds by equality.
fn lookup_paths(schema: &Schema, entity: usize) -> Vec<String> {
    let Some(info) = schema.info(entity) else {
        return Vec::new();
    };
    let mut paths = vec![info.id.clone()];
    paths.extend(info.owner.as_ref().map(|o| o.link.clone()));
    paths.extend(info.uniques.iter().cloned());
    paths.extend(info.identity.iter().map(|p| p.field.clone()));
    for p in &schema.design.access_patterns {
        if p.entity == info.name {
            paths.extend(p.equality.iter().map(|f| {
                if f == "_id" {
                    info.id.clone()
                } else {
                    f.clone()
                }
            }));
        }
    }
    paths
}

/// Equality as MongoDB's `{field: value}` matches: by value, an array by any element, strings
/// ignoring case when asked.
fn equals(have: &Val, want: &Val, ignore_case: bool) -> bool {
    if let Val::Array(items) = have {
        if !matches!(want, Val::Array(_)) {
            return items.iter().any(|i| equals(i, want, ignore_case));
        }
    }
    match (have, want) {
        (Val::Str(a), Val::Str(b)) if ignore_case => a.to_lowercase() == b.to_lowercase(),
        _ => same_value(have, want),
    }
}

/// The value a record sorts by: missing is null; an array sorts by its least element
/// ascending and its greatest descending, as MongoDB sorts.
fn sort_key(value: Option<&Val>, order: SortOrder) -> Canon {
    match value.map(from_val) {
        None => Canon::Null,
        Some(Canon::Array(items)) => {
            let pick = match order {
                SortOrder::Asc => items.iter().min(),
                SortOrder::Desc => items.iter().max(),
            };
            pick.cloned().unwrap_or(Canon::Null)
        }
        Some(v) => v,
    }
}

/// `current + amount`, exact for decimals and integers, in doubles for a double field;
/// `None` when the current value is not a number.
fn increment(current: Option<&Val>, amount: &Val) -> Option<Val> {
    let Canon::Num(add) = from_val(amount) else {
        return None;
    };
    let Some(current) = current else {
        return Some(amount.clone());
    };
    Some(match current {
        Val::Double(d) => Val::Double(d + add.to_f64()),
        Val::Int(_) | Val::Long(_) | Val::Decimal(_) => {
            let Canon::Num(have) = from_val(current) else {
                return None;
            };
            let sum: Num = have.add(&add).ok()?;
            let text = sum.to_string();
            match current {
                Val::Decimal(_) => Val::Decimal(text),
                _ if sum.is_integer() => text.parse().map(Val::Long).ok()?,
                _ => Val::Decimal(text),
            }
        }
        _ => return None,
    })
}

/// Sets a dotted path inside a record, creating objects on the way.
pub fn set_path(record: &mut Val, path: &str, value: Val) {
    let (head, rest) = match path.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (path, None),
    };
    if !matches!(record, Val::Object(_)) {
        *record = Val::Object(Vec::new());
    }
    let Val::Object(fields) = record else {
        return;
    };
    let slot = match fields.iter().position(|(k, _)| k == head) {
        Some(i) => &mut fields[i].1,
        None => {
            fields.push((head.to_string(), Val::Object(Vec::new())));
            let last = fields.len() - 1;
            &mut fields[last].1
        }
    };
    match rest {
        Some(rest) => set_path(slot, rest, value),
        None => *slot = value,
    }
}

fn english() -> text::Language {
    text::language("english").unwrap_or(text::Language::None)
}

fn search_terms(words: &str) -> Vec<String> {
    text::terms(words, false, english())
}

fn collect_strings<'v>(value: Option<&'v Val>, out: &mut Vec<&'v str>) {
    match value {
        Some(Val::Str(s)) => out.push(s),
        Some(Val::Array(items)) => {
            for i in items {
                collect_strings(Some(i), out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn increments_keep_the_fields_type_and_exactness() {
        let add = |a: Val, b: Val| increment(Some(&a), &b);
        assert_eq!(
            add(Val::Decimal("99.99".into()), Val::Int(1)),
            Some(Val::Decimal("100.99".into()))
        );
        assert_eq!(add(Val::Int(5), Val::Int(-7)), Some(Val::Long(-2)));
        assert_eq!(add(Val::Double(0.5), Val::Int(1)), Some(Val::Double(1.5)));
        assert_eq!(add(Val::Str("x".into()), Val::Int(1)), None);
        assert_eq!(increment(None, &Val::Int(3)), Some(Val::Int(3)));
    }

    #[test]
    fn paths_are_set_through_objects() {
        let mut r = Val::Object(vec![("a".into(), Val::Int(1))]);
        set_path(&mut r, "profile.city", Val::Str("Oslo".into()));
        set_path(&mut r, "a", Val::Int(2));
        assert_eq!(r.get("profile.city"), Some(&Val::Str("Oslo".into())));
        assert_eq!(r.get("a"), Some(&Val::Int(2)));
    }
}
