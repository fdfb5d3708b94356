//! Dotted paths as the query language reads them: through embedded documents, into arrays by
//! numeric component, and across the elements of arrays of documents.

use bson::{Bson, Document};

/// A field of a document. Small documents are searched in order, comparing lengths first,
/// which is cheaper than hashing the name (most documents have a handful of fields).
#[inline]
pub fn field<'a>(doc: &'a Document, name: &str) -> Option<&'a Bson> {
    if doc.len() <= 12 {
        doc.iter()
            .find(|(k, _)| crate::value::str_eq(k, name))
            .map(|(_, v)| v)
    } else {
        doc.get(name)
    }
}

/// Splits `a.b.c` into its components.
pub fn split(path: &str) -> Vec<String> {
    path.split('.').map(str::to_string).collect()
}

/// A numeric path component (`items.0.qty`), which indexes arrays.
pub fn array_index(component: &str) -> Option<usize> {
    if component.is_empty() || !component.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if component.len() > 1 && component.starts_with('0') {
        return None;
    }
    component.parse().ok()
}

/// Calls `visit` with every value the path reaches (`None` where a branch ends without the
/// field) and the index of the outermost array element it went through. Stops as soon as
/// `visit` returns `true`, and then returns `true`.
pub fn any_leaf<'a>(
    doc: &'a Document,
    path: &[String],
    visit: &mut dyn FnMut(Option<&'a Bson>, Option<usize>) -> bool,
) -> bool {
    match path.split_first() {
        None => false,
        Some((first, rest)) => match field(doc, first) {
            Some(v) => walk(v, rest, None, visit),
            None => visit(None, None),
        },
    }
}

fn walk<'a>(
    value: &'a Bson,
    path: &[String],
    pos: Option<usize>,
    visit: &mut dyn FnMut(Option<&'a Bson>, Option<usize>) -> bool,
) -> bool {
    let Some((first, rest)) = path.split_first() else {
        return visit(Some(value), pos);
    };
    match value {
        Bson::Document(d) => match field(d, first) {
            Some(v) => walk(v, rest, pos, visit),
            None => visit(None, pos),
        },
        Bson::Array(items) => {
            // Only documents inside the array (and the element a numeric component names) are
            // looked into: scalars and an empty array give no value, not even a missing one.
            if let Some(i) = array_index(first) {
                let found = match items.get(i) {
                    Some(v) => walk(v, rest, pos.or(Some(i)), visit),
                    None => visit(None, pos),
                };
                if found {
                    return true;
                }
            }
            for (i, item) in items.iter().enumerate() {
                if let Bson::Document(d) = item {
                    let found = match field(d, first) {
                        Some(v) => walk(v, rest, pos.or(Some(i)), visit),
                        None => visit(None, pos.or(Some(i))),
                    };
                    if found {
                        return true;
                    }
                }
            }
            false
        }
        _ => visit(None, pos),
    }
}

/// The value at a path without crossing arrays except by numeric component (what `$rename`,
/// sort keys on plain documents and upserts read).
pub fn get_plain<'a>(doc: &'a Document, path: &[String]) -> Option<&'a Bson> {
    let (first, rest) = path.split_first()?;
    let mut current = field(doc, first)?;
    for part in rest {
        current = match current {
            Bson::Document(d) => field(d, part)?,
            Bson::Array(a) => a.get(array_index(part)?)?,
            _ => return None,
        };
    }
    Some(current)
}

/// The values a path reaches for aggregation (`$a.b`): arrays of documents give the array of
/// their fields; a missing field gives `None`.
pub fn get_expr(value: &Bson, path: &[String]) -> Option<Bson> {
    let Some((first, rest)) = path.split_first() else {
        return Some(value.clone());
    };
    match value {
        Bson::Document(d) => field(d, first).and_then(|v| get_expr(v, rest)),
        Bson::Array(items) => {
            let out: Vec<Bson> = items
                .iter()
                .filter(|item| matches!(item, Bson::Document(_) | Bson::Array(_)))
                .filter_map(|item| get_expr(item, path))
                .collect();
            Some(Bson::Array(out))
        }
        _ => None,
    }
}

/// Sets a value at a plain dotted path, creating embedded documents on the way (used to build
/// upserted documents and computed fields). Fails quietly where a scalar is in the way.
pub fn set_plain(doc: &mut Document, path: &[String], value: Bson) -> bool {
    let Some((first, rest)) = path.split_first() else {
        return false;
    };
    if rest.is_empty() {
        doc.insert(first.clone(), value);
        return true;
    }
    if !doc.contains_key(first) {
        doc.insert(first.clone(), Document::new());
    }
    match doc.get_mut(first) {
        Some(Bson::Document(child)) => set_plain(child, rest, value),
        Some(Bson::Array(items)) => {
            let mut ok = true;
            for item in items.iter_mut() {
                if let Bson::Document(child) = item {
                    ok &= set_plain(child, rest, value.clone());
                }
            }
            ok
        }
        _ => false,
    }
}

/// Removes a plain dotted path (the `$unset` stage), through arrays of documents.
pub fn remove_plain(doc: &mut Document, path: &[String]) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        doc.remove(first);
        return;
    }
    match doc.get_mut(first) {
        Some(Bson::Document(child)) => remove_plain(child, rest),
        Some(Bson::Array(items)) => {
            for item in items.iter_mut() {
                if let Bson::Document(child) = item {
                    remove_plain(child, rest);
                }
            }
        }
        _ => {}
    }
}
