//! Evaluation of parsed expressions against an item.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::BTreeMap;

use super::{CmpOp, Cond, Operand, Path, PathElem, SetValue, Update, UpdateOperand};
use crate::error::{DynamoError, Result};
use crate::number::Number;
use crate::value::{AttributeValue, Item};

/// The value at `path` in `item`, if there is one.
pub fn get_path<'a>(item: &'a Item, path: &Path) -> Option<&'a AttributeValue> {
    let mut elems = path.0.iter();
    let mut current = match elems.next()? {
        PathElem::Attr(a) => item.get(a)?,
        PathElem::Index(_) => return None,
    };
    for e in elems {
        current = match (e, current) {
            (PathElem::Attr(a), AttributeValue::M(m)) => m.get(a)?,
            (PathElem::Index(i), AttributeValue::L(l)) => l.get(*i)?,
            _ => return None,
        };
    }
    Some(current)
}

/// Order of two scalar values of the same type (`N`, `S`, `B`); `None` for anything else.
pub fn compare(a: &AttributeValue, b: &AttributeValue) -> Option<Ordering> {
    match (a, b) {
        (AttributeValue::N(x), AttributeValue::N(y)) => Some(x.cmp(y)),
        (AttributeValue::S(x), AttributeValue::S(y)) => Some(x.as_bytes().cmp(y.as_bytes())),
        (AttributeValue::B(x), AttributeValue::B(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// A scalar's text as DynamoDB prints it inside messages.
pub fn plain(v: &AttributeValue) -> String {
    match v {
        AttributeValue::S(s) => s.clone(),
        AttributeValue::N(n) => n.to_string(),
        AttributeValue::B(b) => crate::value::base64_encode(b),
        other => other.to_json().to_string(),
    }
}

fn operand<'a>(op: &'a Operand, item: &'a Item) -> Option<Cow<'a, AttributeValue>> {
    match op {
        Operand::Path(p) => get_path(item, p).map(Cow::Borrowed),
        Operand::Value(v) => Some(Cow::Borrowed(v)),
        Operand::Size(p) => {
            let n = match get_path(item, p)? {
                // DynamoDB counts a string's UTF-16 code units, not its UTF-8 bytes.
                AttributeValue::S(s) => s.encode_utf16().count(),
                AttributeValue::B(b) => b.len(),
                AttributeValue::Ss(s) => s.len(),
                AttributeValue::Ns(s) => s.len(),
                AttributeValue::Bs(s) => s.len(),
                AttributeValue::L(l) => l.len(),
                AttributeValue::M(m) => m.len(),
                _ => return None,
            };
            Some(Cow::Owned(AttributeValue::N(Number::from_i64(n as i64))))
        }
    }
}

/// Whether `item` satisfies `cond`. Missing attributes and type mismatches make a comparison
/// false, never an error, as in DynamoDB.
pub fn matches(cond: &Cond, item: &Item) -> bool {
    match cond {
        Cond::And(a, b) => matches(a, item) && matches(b, item),
        Cond::Or(a, b) => matches(a, item) || matches(b, item),
        Cond::Not(a) => !matches(a, item),
        Cond::Cmp(a, op, b) => {
            // A missing operand is unequal to everything, even another missing one.
            let (Some(x), Some(y)) = (operand(a, item), operand(b, item)) else {
                return *op == CmpOp::Ne;
            };
            match op {
                CmpOp::Eq => x == y,
                CmpOp::Ne => x != y,
                _ => match compare(&x, &y) {
                    None => false,
                    Some(ord) => match op {
                        CmpOp::Lt => ord == Ordering::Less,
                        CmpOp::Le => ord != Ordering::Greater,
                        CmpOp::Gt => ord == Ordering::Greater,
                        _ => ord != Ordering::Less,
                    },
                },
            }
        }
        Cond::Between(v, low, high) => {
            let (Some(v), Some(low), Some(high)) =
                (operand(v, item), operand(low, item), operand(high, item))
            else {
                return false;
            };
            compare(&v, &low).is_some_and(|o| o != Ordering::Less)
                && compare(&v, &high).is_some_and(|o| o != Ordering::Greater)
        }
        Cond::In(v, list) => {
            let Some(v) = operand(v, item) else {
                return false;
            };
            list.iter()
                .any(|o| operand(o, item).is_some_and(|x| x == v))
        }
        Cond::Exists(p) => get_path(item, p).is_some(),
        Cond::NotExists(p) => get_path(item, p).is_none(),
        Cond::Type(v, t) => match (operand(v, item), operand(t, item)) {
            (Some(v), Some(t)) => matches!(t.as_ref(), AttributeValue::S(s) if s == v.type_name()),
            _ => false,
        },
        Cond::BeginsWith(a, b) => match (operand(a, item), operand(b, item)) {
            (Some(x), Some(y)) => match (x.as_ref(), y.as_ref()) {
                (AttributeValue::S(x), AttributeValue::S(y)) => x.starts_with(y.as_str()),
                (AttributeValue::B(x), AttributeValue::B(y)) => x.starts_with(y),
                _ => false,
            },
            _ => false,
        },
        Cond::Contains(a, b) => match (operand(a, item), operand(b, item)) {
            (Some(x), Some(y)) => contains(&x, &y),
            _ => false,
        },
    }
}

fn contains(haystack: &AttributeValue, needle: &AttributeValue) -> bool {
    match (haystack, needle) {
        (AttributeValue::S(h), AttributeValue::S(n)) => h.contains(n.as_str()),
        (AttributeValue::B(h), AttributeValue::B(n)) => {
            n.is_empty() || h.windows(n.len()).any(|w| w == n.as_slice())
        }
        (AttributeValue::Ss(h), AttributeValue::S(n)) => h.contains(n),
        (AttributeValue::Ns(h), AttributeValue::N(n)) => h.contains(n),
        (AttributeValue::Bs(h), AttributeValue::B(n)) => h.contains(n),
        (AttributeValue::L(h), n) => h.contains(n),
        _ => false,
    }
}

fn type_error() -> DynamoError {
    DynamoError::validation("An operand in the update expression has an incorrect data type")
}

fn missing_attribute() -> DynamoError {
    DynamoError::validation(
        "The provided expression refers to an attribute that does not exist in the item",
    )
}

fn invalid_path() -> DynamoError {
    DynamoError::validation(
        "The document path provided in the update expression is invalid for update",
    )
}

fn update_operand(op: &UpdateOperand, item: &Item) -> Result<AttributeValue> {
    match op {
        UpdateOperand::Value(v) => Ok(v.clone()),
        UpdateOperand::Path(p) => get_path(item, p).cloned().ok_or_else(missing_attribute),
        UpdateOperand::IfNotExists(p, default) => match get_path(item, p) {
            Some(v) => Ok(v.clone()),
            None => update_operand(default, item),
        },
        UpdateOperand::ListAppend(a, b) => {
            let (AttributeValue::L(mut x), AttributeValue::L(y)) =
                (update_operand(a, item)?, update_operand(b, item)?)
            else {
                return Err(type_error());
            };
            x.extend(y);
            Ok(AttributeValue::L(x))
        }
    }
}

fn set_value(value: &SetValue, item: &Item) -> Result<AttributeValue> {
    match value {
        SetValue::Operand(o) => update_operand(o, item),
        SetValue::Plus(a, b) | SetValue::Minus(a, b) => {
            let (AttributeValue::N(x), AttributeValue::N(y)) =
                (update_operand(a, item)?, update_operand(b, item)?)
            else {
                return Err(type_error());
            };
            let n = if matches!(value, SetValue::Plus(..)) {
                x.add(&y)?
            } else {
                x.sub(&y)?
            };
            Ok(AttributeValue::N(n))
        }
    }
}

/// Applies `update` to a copy of `old` and returns the new item; `old` is never touched, so a
/// failure leaves the stored item as it was.
///
/// `exists` says whether the item was stored before: DynamoDB ignores REMOVE of a nested path
/// when the whole item is missing, but rejects it when only the parent attribute is.
pub fn apply_update(update: &Update, old: &Item, exists: bool) -> Result<Item> {
    // Every right-hand side reads the item as it was before the update.
    let mut values = update
        .set
        .iter()
        .map(|(p, v)| Ok((p, set_value(v, old)?)))
        .collect::<Result<Vec<_>>>()?;
    // Elements set past the end of a list are appended in index order.
    values.sort_by(|a, b| a.0.cmp(b.0));
    let mut item = old.clone();
    for (path, value) in values {
        set_path(&mut item, path, value)?;
    }
    // List indexes of REMOVE refer to the list before the update: remove from the back.
    let mut removals: Vec<&Path> = update.remove.iter().collect();
    removals.sort_by(|a, b| b.cmp(a));
    for path in removals {
        match remove_path(&mut item, path) {
            Err(_) if !exists => {}
            other => other?,
        }
    }
    for (path, value) in &update.add {
        let new = match (get_path(&item, path), value) {
            (None, v) => v.clone(),
            (Some(AttributeValue::N(x)), AttributeValue::N(y)) => AttributeValue::N(x.add(y)?),
            (Some(AttributeValue::Ss(x)), AttributeValue::Ss(y)) => {
                AttributeValue::Ss(x.union(y).cloned().collect())
            }
            (Some(AttributeValue::Ns(x)), AttributeValue::Ns(y)) => {
                AttributeValue::Ns(x.union(y).cloned().collect())
            }
            (Some(AttributeValue::Bs(x)), AttributeValue::Bs(y)) => {
                AttributeValue::Bs(x.union(y).cloned().collect())
            }
            _ => return Err(type_error()),
        };
        set_path(&mut item, path, new)?;
    }
    for (path, value) in &update.delete {
        let new = match (get_path(&item, path), value) {
            (None, _) => continue,
            (Some(AttributeValue::Ss(x)), AttributeValue::Ss(y)) => {
                AttributeValue::Ss(x.difference(y).cloned().collect())
            }
            (Some(AttributeValue::Ns(x)), AttributeValue::Ns(y)) => {
                AttributeValue::Ns(x.difference(y).cloned().collect())
            }
            (Some(AttributeValue::Bs(x)), AttributeValue::Bs(y)) => {
                AttributeValue::Bs(x.difference(y).cloned().collect())
            }
            _ => return Err(type_error()),
        };
        let empty = match &new {
            AttributeValue::Ss(s) => s.is_empty(),
            AttributeValue::Ns(s) => s.is_empty(),
            AttributeValue::Bs(s) => s.is_empty(),
            _ => false,
        };
        if empty {
            remove_path(&mut item, path)?;
        } else {
            set_path(&mut item, path, new)?;
        }
    }
    Ok(item)
}

/// Writes `value` at `path`; the parent must exist. A list index past the end appends.
pub fn set_path(item: &mut Item, path: &Path, value: AttributeValue) -> Result<()> {
    let Some((last, parents)) = path.0.split_last() else {
        return Err(invalid_path());
    };
    if parents.is_empty() {
        return match last {
            PathElem::Attr(a) => {
                item.insert(a.clone(), value);
                Ok(())
            }
            PathElem::Index(_) => Err(invalid_path()),
        };
    }
    let current = parent_mut(item, parents)?;
    match (last, current) {
        (PathElem::Attr(a), AttributeValue::M(m)) => {
            m.insert(a.clone(), value);
        }
        (PathElem::Index(i), AttributeValue::L(l)) => match l.get_mut(*i) {
            Some(slot) => *slot = value,
            None => l.push(value),
        },
        _ => return Err(invalid_path()),
    }
    Ok(())
}

/// The value at `parents` (a path's steps but its last), which must exist: a SET or REMOVE may
/// only create or drop the last step.
fn parent_mut<'a>(item: &'a mut Item, parents: &[PathElem]) -> Result<&'a mut AttributeValue> {
    let mut elems = parents.iter();
    let mut current = match elems.next() {
        Some(PathElem::Attr(a)) => item.get_mut(a).ok_or_else(invalid_path)?,
        _ => return Err(invalid_path()),
    };
    for e in elems {
        current = match (e, current) {
            (PathElem::Attr(a), AttributeValue::M(m)) => m.get_mut(a).ok_or_else(invalid_path)?,
            (PathElem::Index(i), AttributeValue::L(l)) => l.get_mut(*i).ok_or_else(invalid_path)?,
            _ => return Err(invalid_path()),
        };
    }
    Ok(current)
}

/// Removes the value at `path`, if any.
pub fn remove_path(item: &mut Item, path: &Path) -> Result<()> {
    let Some((last, parents)) = path.0.split_last() else {
        return Err(invalid_path());
    };
    if parents.is_empty() {
        if let PathElem::Attr(a) = last {
            item.remove(a);
        }
        return Ok(());
    }
    // The parent must exist with the right type; only the last step may be missing.
    let current = parent_mut(item, parents)?;
    match (last, current) {
        (PathElem::Attr(a), AttributeValue::M(m)) => {
            m.remove(a);
        }
        (PathElem::Index(i), AttributeValue::L(l)) => {
            if *i < l.len() {
                l.remove(*i);
            }
        }
        _ => return Err(invalid_path()),
    }
    Ok(())
}

/// A tree of projected paths: leaves take the whole value, inner nodes pick members.
#[derive(Default)]
struct ProjectionNode {
    whole: bool,
    attrs: BTreeMap<String, ProjectionNode>,
    indexes: BTreeMap<usize, ProjectionNode>,
}

impl ProjectionNode {
    fn insert(&mut self, elems: &[PathElem]) {
        let Some((first, rest)) = elems.split_first() else {
            self.whole = true;
            return;
        };
        let child = match first {
            PathElem::Attr(a) => self.attrs.entry(a.clone()).or_default(),
            PathElem::Index(i) => self.indexes.entry(*i).or_default(),
        };
        child.insert(rest);
    }

    fn apply(&self, value: &AttributeValue) -> Option<AttributeValue> {
        if self.whole {
            return Some(value.clone());
        }
        match value {
            AttributeValue::M(m) if !self.attrs.is_empty() => {
                let out: BTreeMap<String, AttributeValue> = self
                    .attrs
                    .iter()
                    .filter_map(|(k, node)| Some((k.clone(), node.apply(m.get(k)?)?)))
                    .collect();
                (!out.is_empty()).then_some(AttributeValue::M(out))
            }
            AttributeValue::L(l) if !self.indexes.is_empty() => {
                let out: Vec<AttributeValue> = self
                    .indexes
                    .iter()
                    .filter_map(|(i, node)| node.apply(l.get(*i)?))
                    .collect();
                (!out.is_empty()).then_some(AttributeValue::L(out))
            }
            _ => None,
        }
    }
}

/// The parts of `item` named by `paths`, keeping the document structure (list elements keep
/// their relative order and close up).
pub fn project<'a>(item: &Item, paths: impl IntoIterator<Item = &'a Path>) -> Item {
    let mut root = ProjectionNode::default();
    for p in paths {
        root.insert(&p.0);
    }
    root.attrs
        .iter()
        .filter_map(|(k, node)| Some((k.clone(), node.apply(item.get(k)?)?)))
        .collect()
}
