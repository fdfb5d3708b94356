//! `$lookup` by `localField` and `foreignField` as a hash join (what the server's slot-based
//! engine does without an index on the foreign field): the foreign documents are keyed once by
//! the values their `foreignField` reaches, so each local document costs the values it holds
//! and the documents they find, not a pass over the foreign collection.
//!
//! The keys only choose candidates: each candidate is then matched with the same condition a
//! scan would use (`foreignField: {$in: [local values]}`), so the join can only be faster than
//! that scan, never different. A value whose equality a key cannot stand for (a regular
//! expression, a symbol, which equals a string, NaN, the rarer types, or a document or array
//! holding one) makes its local document scan every foreign document, and such a foreign
//! value makes its document a candidate of every local document.

use std::collections::HashMap;

use bson::{Bson, Document};

use crate::path;
use crate::query::{field_matches, Cond, InItem, InList, MatchDetails};

/// The foreign side of a join, keyed by the values its `foreignField` reaches.
pub struct ForeignKeys<'f, 'p> {
    docs: Vec<&'f Document>,
    path: &'p [String],
    by_key: HashMap<String, Vec<u32>, foldhash::fast::RandomState>,
    /// Documents that hold a value without a key: candidates of every local document.
    unkeyed: Vec<u32>,
    /// Documents matching a `null` local value (a missing field matches it too), found on
    /// first need.
    null_matches: Option<Vec<u32>>,
    key: String,
}

impl<'f, 'p> ForeignKeys<'f, 'p> {
    pub fn build(docs: Vec<&'f Document>, path: &'p [String]) -> Self {
        let mut keys = ForeignKeys {
            docs,
            path,
            by_key: HashMap::default(),
            unkeyed: Vec::new(),
            null_matches: None,
            key: String::new(),
        };
        let mut key = String::new();
        for (i, doc) in keys.docs.iter().enumerate() {
            let i = i as u32;
            let mut unkeyed = false;
            let mut add = |v: &Bson, by_key: &mut HashMap<_, Vec<u32>, _>| {
                // A null is found by `null_matches`: no other local value equals it.
                if matches!(v, Bson::Null) {
                    return;
                }
                key.clear();
                if !join_key(v, &mut key) {
                    unkeyed = true;
                    return;
                }
                let list: &mut Vec<u32> = by_key.entry(key.clone()).or_default();
                // A document reaching one value twice is listed once.
                if list.last() != Some(&i) {
                    list.push(i);
                }
            };
            path::any_leaf(doc, path, &mut |leaf, _| {
                if let Some(v) = leaf {
                    add(v, &mut keys.by_key);
                    if let Bson::Array(items) = v {
                        for item in items {
                            add(item, &mut keys.by_key);
                        }
                    }
                }
                false
            });
            if unkeyed {
                keys.unkeyed.push(i);
            }
        }
        keys
    }

    /// The foreign documents whose `foreignField` matches one of `values` (the local field's
    /// values, arrays already spread), in foreign order.
    /// Each candidate checked is a step of the request's `budget`.
    pub fn matches(
        &mut self,
        values: Vec<Bson>,
        budget: &crate::budget::Budget,
    ) -> crate::error::Result<Vec<&'f Document>> {
        let mut candidates: Vec<u32> = self.unkeyed.clone();
        let mut scan_all = false;
        for v in &values {
            if matches!(v, Bson::Null) {
                let docs = &self.docs;
                let path = self.path;
                let nulls = self.null_matches.get_or_insert_with(|| {
                    let null = Cond::In(InList::new(vec![InItem::Value(Bson::Null)]));
                    (0..docs.len() as u32)
                        .filter(|i| {
                            docs.get(*i as usize).is_some_and(|d| {
                                field_matches(d, path, &null, &mut MatchDetails::default())
                            })
                        })
                        .collect()
                });
                candidates.extend_from_slice(nulls);
                continue;
            }
            self.key.clear();
            if !join_key(v, &mut self.key) {
                scan_all = true;
                break;
            }
            if let Some(list) = self.by_key.get(&self.key) {
                candidates.extend_from_slice(list);
            }
        }
        if scan_all {
            candidates = (0..self.docs.len() as u32).collect();
        } else {
            candidates.sort_unstable();
            candidates.dedup();
        }
        if candidates.is_empty() {
            return Ok(Vec::new());
        }
        let cond = Cond::In(InList::new(values.into_iter().map(InItem::Value).collect()));
        let mut out = Vec::new();
        for i in candidates {
            budget.step()?;
            if let Some(d) = self.docs.get(i as usize) {
                if field_matches(d, self.path, &cond, &mut MatchDetails::default()) {
                    out.push(*d);
                }
            }
        }
        Ok(out)
    }
}

/// Writes a key equal for values the query language's equality finds equal (numbers across
/// types, as `$group` keys them); false, with nothing meaningful written, for a value whose
/// equality a key cannot stand for.
fn join_key(v: &Bson, out: &mut String) -> bool {
    if !keyable(v, 0) {
        return false;
    }
    crate::aggregate::stages::group_key(v, out);
    true
}

fn keyable(v: &Bson, depth: usize) -> bool {
    if depth > crate::value::MAX_DOCUMENT_DEPTH {
        return false;
    }
    match v {
        // Inside a document or an array, null and undefined key alike, as they compare.
        Bson::Null | Bson::Undefined => depth > 0,
        Bson::Double(f) => f.is_finite(),
        // A decimal keys as the double of its value; one no double equals has a key of its
        // own, which a long of the same value would not share.
        Bson::Decimal128(_) => crate::decimal::Exact::of_bson(v).is_some_and(|e| {
            crate::decimal::Exact::of_double(e.to_f64())
                .is_some_and(|d| d.cmp_value(&e) == std::cmp::Ordering::Equal)
        }),
        Bson::Document(d) => d.values().all(|x| keyable(x, depth + 1)),
        Bson::Array(items) => items.iter().all(|x| keyable(x, depth + 1)),
        Bson::Int32(_)
        | Bson::Int64(_)
        | Bson::String(_)
        | Bson::Binary(_)
        | Bson::ObjectId(_)
        | Bson::Boolean(_)
        | Bson::DateTime(_)
        | Bson::Timestamp(_)
        | Bson::JavaScriptCode(_)
        | Bson::MinKey
        | Bson::MaxKey => true,
        // A symbol equals a string, regular expressions match rather than equal, and the
        // rarer types compare equal whatever they hold.
        _ => false,
    }
}
