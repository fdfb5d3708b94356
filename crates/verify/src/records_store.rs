//! The reference's records of one entity: kept by id in insertion order (a deleted record
//! leaves a hole), with an index per field path the design looks records up by, so a lookup
//! reads the records holding the value instead of every record.
//!
//! An index maps a value's key to the ids holding it. The key is what equality cannot tell
//! apart: the canonical value (numbers by value, ids by their hex) with text lowercased, so
//! an exact and a case-insensitive lookup find the same candidates; an array is filed under
//! each element and under the whole array, as an equality on an array field matches either.
//! Candidates are a superset of the matches: the caller still applies its own equality.

use std::collections::BTreeMap;

use schemaplay_core::sample::Val;

use crate::canon::{from_val, Canon};

#[derive(Clone, Debug, Default)]
pub struct Store {
    slots: Vec<Option<Val>>,
    /// The ids of the records that exist, in insertion order.
    live: Vec<usize>,
    /// Per indexed path: key → ids (ascending, so in insertion order).
    index: Vec<(String, BTreeMap<Canon, Vec<usize>>)>,
}

impl Store {
    /// A store indexing the given paths.
    pub fn indexing(paths: Vec<String>) -> Store {
        let mut paths = paths;
        paths.sort();
        paths.dedup();
        Store {
            index: paths.into_iter().map(|p| (p, BTreeMap::new())).collect(),
            ..Store::default()
        }
    }

    pub fn len(&self) -> usize {
        self.live.len()
    }

    /// The `i`th record that exists, in insertion order.
    pub fn nth(&self, i: usize) -> Option<&Val> {
        self.get(*self.live.get(i)?)
    }

    pub fn get(&self, id: usize) -> Option<&Val> {
        self.slots.get(id)?.as_ref()
    }

    /// The records that exist, in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &Val> + '_ {
        self.live.iter().filter_map(|id| self.get(*id))
    }

    /// The records that exist with their ids, in insertion order.
    pub fn entries(&self) -> impl Iterator<Item = (usize, &Val)> + '_ {
        self.live
            .iter()
            .filter_map(|id| Some((*id, self.get(*id)?)))
    }

    pub fn insert(&mut self, record: Val) -> usize {
        let id = self.slots.len();
        self.file(id, &record, true);
        self.slots.push(Some(record));
        self.live.push(id);
        id
    }

    pub fn replace(&mut self, id: usize, record: Val) {
        let Some(old) = self.slots.get_mut(id).and_then(Option::take) else {
            return;
        };
        self.file(id, &old, false);
        self.file(id, &record, true);
        if let Some(slot) = self.slots.get_mut(id) {
            *slot = Some(record);
        }
    }

    pub fn remove(&mut self, id: usize) {
        let Some(old) = self.slots.get_mut(id).and_then(Option::take) else {
            return;
        };
        self.file(id, &old, false);
        if let Ok(i) = self.live.binary_search(&id) {
            self.live.remove(i);
        }
    }

    /// The ids of the records that may hold `want` at `path`, in insertion order; None when
    /// the path is not indexed (every record is a candidate then).
    pub fn candidates(&self, path: &str, want: &Val) -> Option<&[usize]> {
        let (_, index) = self.index.iter().find(|(p, _)| p == path)?;
        Some(index.get(&key(want)).map_or(&[], Vec::as_slice))
    }

    /// Adds (or takes out) a record's keys in every index.
    fn file(&mut self, id: usize, record: &Val, add: bool) {
        for (path, index) in &mut self.index {
            let Some(value) = record.get(path) else {
                continue;
            };
            let mut keys = vec![key(value)];
            if let Val::Array(items) = value {
                keys.extend(items.iter().map(key));
            }
            keys.sort();
            keys.dedup();
            for k in keys {
                let ids = index.entry(k).or_default();
                match (ids.binary_search(&id), add) {
                    (Err(i), true) => ids.insert(i, id),
                    (Ok(i), false) => {
                        ids.remove(i);
                    }
                    _ => {}
                }
            }
        }
    }
}

/// What equality cannot tell apart: the canonical value, text lowercased.
fn key(value: &Val) -> Canon {
    fold(from_val(value))
}

fn fold(c: Canon) -> Canon {
    match c {
        Canon::Str(s) => Canon::Str(s.to_lowercase()),
        Canon::Array(items) => Canon::Array(items.into_iter().map(fold).collect()),
        Canon::Object(fields) => {
            Canon::Object(fields.into_iter().map(|(k, v)| (k, fold(v))).collect())
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_find_every_record_equality_may_match() {
        let rec = |city: Val, tags: Vec<&str>| {
            Val::Object(vec![
                ("city".into(), city),
                (
                    "tags".into(),
                    Val::Array(tags.into_iter().map(|t| Val::Str(t.into())).collect()),
                ),
            ])
        };
        let mut s = Store::indexing(vec!["city".into(), "tags".into()]);
        let a = s.insert(rec(Val::Str("Paris".into()), vec!["x", "y"]));
        let b = s.insert(rec(Val::Str("PARIS".into()), vec!["y"]));
        let c = s.insert(rec(Val::Int(5), vec![]));
        let ids = |s: &Store, path: &str, v: Val| s.candidates(path, &v).map(<[usize]>::to_vec);
        assert_eq!(ids(&s, "city", Val::Str("paris".into())), Some(vec![a, b]));
        assert_eq!(ids(&s, "city", Val::Decimal("5.00".into())), Some(vec![c]));
        assert_eq!(ids(&s, "tags", Val::Str("y".into())), Some(vec![a, b]));
        assert_eq!(ids(&s, "nope", Val::Int(1)), None);
        s.replace(a, rec(Val::Str("Oslo".into()), vec![]));
        s.remove(b);
        assert_eq!(ids(&s, "city", Val::Str("Paris".into())), Some(vec![]));
        assert_eq!(ids(&s, "tags", Val::Str("y".into())), Some(vec![]));
        assert_eq!(s.len(), 2);
        assert_eq!(s.nth(1), s.get(c));
        assert_eq!(
            s.entries().map(|(id, _)| id).collect::<Vec<_>>(),
            vec![a, c]
        );
    }
}
