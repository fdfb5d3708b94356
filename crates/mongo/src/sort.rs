//! Sorting by several keys in BSON order. An array sorts by its smallest element ascending and
//! its largest descending; a missing field sorts as null.

use std::cmp::Ordering;
use std::rc::Rc;

use bson::{Bson, Document};

use crate::collation::{collated, Collation};
use crate::error::{MongoError, Result};
use crate::path;
use crate::value::{as_num, compare};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortDir {
    Asc,
    Desc,
    /// `{$meta: "textScore"}`: highest score first.
    TextScore,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SortSpec {
    pub keys: Vec<(String, Vec<String>, SortDir)>,
    /// Strings sort by this collation's sort keys (by bytes without one).
    pub collation: Option<Rc<Collation>>,
}

impl SortSpec {
    pub fn parse(spec: &Document) -> Result<Self> {
        let mut keys = Vec::with_capacity(spec.len());
        for (field, dir) in spec {
            let d =
                match dir {
                    Bson::Document(meta)
                        if meta.get("$meta") == Some(&Bson::String("textScore".into())) =>
                    {
                        SortDir::TextScore
                    }
                    other => match as_num(other).map(|n| n.as_f64()) {
                        Some(1.0) => SortDir::Asc,
                        Some(-1.0) => SortDir::Desc,
                        _ => return Err(MongoError::location(
                            15975,
                            "$sort key ordering must be 1 (for ascending) or -1 (for descending)",
                        )),
                    },
                };
            if field.is_empty() || field.split('.').any(str::is_empty) {
                return Err(MongoError::location(
                    40352,
                    "FieldPath cannot be constructed with empty string",
                ));
            }
            keys.push((field.clone(), path::split(field), d));
        }
        Ok(SortSpec {
            keys,
            collation: None,
        })
    }

    /// The same sort under `collation`.
    pub fn with_collation(mut self, collation: Option<Rc<Collation>>) -> Self {
        self.collation = collation;
        self
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The key of one document: one value per sort field.
    pub fn key(&self, doc: &Document, text_score: Option<f64>) -> Vec<Bson> {
        let collation = self.collation.as_deref();
        self.keys
            .iter()
            .map(|(_, parts, dir)| match dir {
                SortDir::TextScore => Bson::Double(text_score.unwrap_or(0.0)),
                SortDir::Asc => sort_value(doc, parts, false, collation),
                SortDir::Desc => sort_value(doc, parts, true, collation),
            })
            .collect()
    }

    pub fn compare_keys(&self, a: &[Bson], b: &[Bson]) -> Ordering {
        for ((_, _, dir), (x, y)) in self.keys.iter().zip(a.iter().zip(b.iter())) {
            let ord = compare(x, y);
            let ord = match dir {
                SortDir::Asc => ord,
                SortDir::Desc | SortDir::TextScore => ord.reverse(),
            };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    }

    /// Sorts items (stable: ties keep their order).
    pub fn sort<T>(&self, items: Vec<T>, key_of: impl Fn(&T) -> Vec<Bson>) -> Vec<T> {
        let mut keyed: Vec<(Vec<Bson>, T)> = items
            .into_iter()
            .map(|item| (key_of(&item), item))
            .collect();
        keyed.sort_by(|(a, _), (b, _)| self.compare_keys(a, b));
        keyed.into_iter().map(|(_, item)| item).collect()
    }
}

impl SortSpec {
    /// Sorts and keeps the first `k` (all when `None`), stable, selecting before sorting so a
    /// small limit does not sort everything.
    pub fn sort_top<T>(
        &self,
        items: Vec<T>,
        k: Option<usize>,
        key_of: impl Fn(&T) -> Vec<Bson>,
    ) -> Vec<T> {
        let cmp = |a: &(Vec<Bson>, usize, T), b: &(Vec<Bson>, usize, T)| {
            self.compare_keys(&a.0, &b.0).then(a.1.cmp(&b.1))
        };
        if k == Some(0) {
            return Vec::new();
        }
        // A small limit keeps only the best `k` seen so far: most items lose to the worst of
        // them in one comparison.
        if let Some(k) = k.filter(|k| *k <= 1024 && *k < items.len()) {
            let mut best: Vec<(Vec<Bson>, usize, T)> = Vec::with_capacity(k + 1);
            for (i, t) in items.into_iter().enumerate() {
                let item = (key_of(&t), i, t);
                if best.len() == k
                    && best
                        .last()
                        .is_some_and(|worst| cmp(&item, worst) != Ordering::Less)
                {
                    continue;
                }
                let at = best.partition_point(|e| cmp(e, &item) == Ordering::Less);
                best.insert(at, item);
                best.truncate(k);
            }
            return best.into_iter().map(|(_, _, t)| t).collect();
        }
        let mut keyed: Vec<(Vec<Bson>, usize, T)> = items
            .into_iter()
            .enumerate()
            .map(|(i, t)| (key_of(&t), i, t))
            .collect();
        if let Some(k) = k {
            if k < keyed.len() {
                keyed.select_nth_unstable_by(k - 1, cmp);
                keyed.truncate(k);
            }
        }
        keyed.sort_by(cmp);
        keyed.into_iter().map(|(_, _, t)| t).collect()
    }
}

/// The sort value of a value a path reached without arrays on the way: arrays give their
/// smallest (largest, descending) element; strings their collation sort key.
pub fn value_sort_value(v: &Bson, descending: bool, collation: Option<&Collation>) -> Bson {
    let v = collated(collation, v);
    match v.as_ref() {
        Bson::Array(items) => {
            let mut best: Option<&Bson> = None;
            for item in items {
                let better = best.is_none_or(|b| {
                    let ord = compare(item, b);
                    if descending {
                        ord == Ordering::Greater
                    } else {
                        ord == Ordering::Less
                    }
                });
                if better {
                    best = Some(item);
                }
            }
            best.cloned().unwrap_or(Bson::Undefined)
        }
        other => other.clone(),
    }
}

/// The value a document sorts by on one path: the smallest (or, descending, largest) of the
/// values the path reaches, arrays contributing their elements (strings as collation sort keys).
pub fn sort_value(
    doc: &Document,
    parts: &[String],
    descending: bool,
    collation: Option<&Collation>,
) -> Bson {
    let mut best: Option<Bson> = None;
    let mut consider = |v: &Bson| {
        let v = collated(collation, v);
        let v = v.as_ref();
        let better = match &best {
            None => true,
            Some(b) => {
                let ord = compare(v, b);
                if descending {
                    ord == Ordering::Greater
                } else {
                    ord == Ordering::Less
                }
            }
        };
        if better {
            best = Some(v.clone());
        }
    };
    path::any_leaf(doc, parts, &mut |leaf, _| {
        match leaf {
            None => consider(&Bson::Null),
            Some(Bson::Array(items)) => {
                if items.is_empty() {
                    consider(&Bson::Undefined);
                }
                for item in items {
                    consider(item);
                }
            }
            Some(v) => consider(v),
        }
        false
    });
    best.unwrap_or(Bson::Null)
}
