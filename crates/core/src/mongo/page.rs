//! Keyset paging of a list: the next page's query from the last document of
//! the page before ([`MongoContext::next_page`]).
//!
//! A paged list sorts on its sort field and then `_id` (see `query/list.rs`),
//! so the next page is the same `find` whose filter also asks for what sorts
//! after the last document: a later sort value, or the same one with a later
//! `_id`. It walks the same index as the first page and skips nothing: no
//! `skip`, which would read every document before the page again.

use serde_json::{json, Map, Value};

use super::{MongoContext, MongoQuery};
use crate::js::js_key;
use crate::model::*;
use crate::sample::Args;

impl MongoContext<'_> {
    /// The next page of a paged list (a `find` with a page size), after
    /// `last`, the last document of the page before as MongoDB returned it
    /// (Extended JSON): the pattern's query for `args` ([`Self::query_for`])
    /// with the keyset condition added to its filter. None for any other
    /// pattern, a list read through an aggregate (an entity embedded in its
    /// host's documents), or a `last` without an `_id`.
    ///
    /// MongoDB sorts a missing or null sort value before every other value,
    /// so in ascending order the pages after one holding nulls read the
    /// values (`$ne: null`), and in descending order every page before the
    /// nulls reads them last (`field: null`).
    ///
    /// Its mongosh line names the previous page's last document `last`
    /// (`createdAt: { $lt: last.createdAt }`).
    pub fn next_page(
        &self,
        pattern: &AccessPattern,
        args: Args<'_>,
        last: &Value,
    ) -> Option<MongoQuery> {
        after(pattern, self.query_for(pattern, args)?, last, "last")
    }

    /// The page after the first of a paged list rendered with sample record
    /// `index` (as [`Self::sample_query_at`]), after a last document holding
    /// that record's values: what the mongosh of a pattern shows as its next
    /// page. None where [`Self::next_page`] has none.
    pub fn sample_next_page_at(&self, pattern: &AccessPattern, index: u64) -> Option<MongoQuery> {
        self.sample_next_page_named(pattern, index, "last")
    }

    /// The page after `last` (a document as MongoDB returned it, Extended JSON) of the list
    /// rendered with sample record `index` ([`Self::sample_query_at`]): what the console runs
    /// as a pattern's next page. None where [`Self::next_page`] has none.
    pub fn sample_page_after(
        &self,
        pattern: &AccessPattern,
        index: u64,
        last: &Value,
    ) -> Option<MongoQuery> {
        after(pattern, self.sample_query_at(pattern, index)?, last, "last")
    }

    /// [`Self::sample_next_page_at`] with the previous page's last document named `var` in its
    /// code (`createdAt: { $lt: var.createdAt }`), for code that keeps several lists' pages.
    pub fn sample_next_page_named(
        &self,
        pattern: &AccessPattern,
        index: u64,
        var: &str,
    ) -> Option<MongoQuery> {
        let entity = self.design.entity(&pattern.entity)?;
        let mut last = serde_json::Map::new();
        for (field, value) in self.samples.record(entity, index) {
            let key = if field == entity.id_name() {
                "_id".to_string()
            } else {
                field
            };
            last.insert(key, value.to_ejson());
        }
        after(
            pattern,
            self.sample_query_at(pattern, index)?,
            &Value::Object(last),
            var,
        )
    }
}

/// The page of a list after `last`, from the list's first page `query`.
/// `var` names that document in the query's code.
fn after(
    pattern: &AccessPattern,
    mut query: MongoQuery,
    last: &Value,
    var: &str,
) -> Option<MongoQuery> {
    if pattern.kind != PatternKind::List || query.operation != "find" || query.limit.is_none() {
        return None;
    }
    let id = last.get("_id")?.clone();
    let keys: Vec<(String, i32)> = query
        .sort
        .as_ref()?
        .as_object()?
        .iter()
        .map(|(path, dir)| (path.clone(), dir.as_i64().map_or(1, |d| d.signum() as i32)))
        .collect();
    let (field, dir) = keys.first()?.clone();
    let (condition, shell) = if field == "_id" {
        let op = if dir < 0 { "$lt" } else { "$gt" };
        (
            json!({ "_id": { op: id } }),
            format!("_id: {{ {op}: {var}._id }}"),
        )
    } else {
        keyset(&field, dir, value_at(last, &field), id, var)
    };
    let both = add_condition(&mut query.filter, condition);
    query.shell = with_condition(&query.shell, &shell, both);
    Some(query)
}

/// The value at a dotted path of a document; None when missing or null.
fn value_at<'v>(doc: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.')
        .try_fold(doc, |v, part| v.get(part))
        .filter(|v| !v.is_null())
}

/// The condition (as Extended JSON and as mongosh text) that a document sorts
/// after one holding `value` at `field` and `id` as `_id`, on
/// `{ field: dir, _id: dir }`; in the text, `var` names the document.
fn keyset(field: &str, dir: i32, value: Option<&Value>, id: Value, var: &str) -> (Value, String) {
    // `_id` sorts in the same direction as the field, so both compare alike.
    let op = if dir < 0 { "$lt" } else { "$gt" };
    let id_op = op;
    let key = js_key(field);
    let at = format!("{var}.{field}");
    let same_id = |v: Value| {
        let mut m = Map::new();
        m.insert(field.to_string(), v);
        m.insert("_id".to_string(), json!({ id_op: id.clone() }));
        Value::Object(m)
    };
    match (value, dir < 0) {
        // After a null in ascending order: the other nulls, then every value.
        (None, false) => (
            json!({ "$or": [same_id(Value::Null), { field: { "$ne": null } }] }),
            format!("$or: [{{ {key}: null, _id: {{ {id_op}: {var}._id }} }}, {{ {key}: {{ $ne: null }} }}]"),
        ),
        // After a null in descending order: only the other nulls are left.
        (None, true) => (
            same_id(Value::Null),
            format!("{key}: null, _id: {{ {id_op}: {var}._id }}"),
        ),
        (Some(v), false) => (
            json!({ "$or": [{ field: { op: v.clone() } }, same_id(v.clone())] }),
            format!("$or: [{{ {key}: {{ {op}: {at} }} }}, {{ {key}: {at}, _id: {{ {id_op}: {var}._id }} }}]"),
        ),
        // In descending order the nulls come last.
        (Some(v), true) => (
            json!({ "$or": [{ field: { op: v.clone() } }, same_id(v.clone()), { field: null }] }),
            format!("$or: [{{ {key}: {{ {op}: {at} }} }}, {{ {key}: {at}, _id: {{ {id_op}: {var}._id }} }}, {{ {key}: null }}]"),
        ),
    }
}

/// Adds `condition` to a filter: its fields beside the filter's own, or both
/// under `$and` where they name the same field (a range on the sort field, an
/// `$or` already there). True when it took the `$and`.
fn add_condition(filter: &mut Value, condition: Value) -> bool {
    let Some(map) = filter.as_object_mut() else {
        *filter = condition;
        return false;
    };
    let Some(cond) = condition.as_object() else {
        return false;
    };
    if cond.keys().any(|k| map.contains_key(k)) {
        let own = Value::Object(std::mem::take(map));
        map.insert("$and".to_string(), json!([own, condition]));
        true
    } else {
        map.extend(cond.clone());
        false
    }
}

/// The mongosh line with `condition` added to its filter, the first argument
/// of `find(`: `find({ a: 1 })` becomes `find({ a: 1, cond })`, or
/// `find({ $and: [{ a: 1 }, { cond }] })` when `both`.
fn with_condition(shell: &str, condition: &str, both: bool) -> String {
    let Some((start, end)) = filter_span(shell) else {
        return shell.to_string();
    };
    let own = &shell[start..end];
    let inner = own
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or_default()
        .trim();
    let filter = if both {
        format!("{{ $and: [{own}, {{ {condition} }}] }}")
    } else if inner.is_empty() {
        format!("{{ {condition} }}")
    } else {
        format!("{{ {inner}, {condition} }}")
    };
    format!("{}{filter}{}", &shell[..start], &shell[end..])
}

/// Where the filter of a `find(` line is: from its opening brace to after
/// its closing one.
fn filter_span(shell: &str) -> Option<(usize, usize)> {
    let start = shell.find(".find(")? + ".find(".len();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in shell[start..].char_indices() {
        match quote {
            Some(_) if escaped => escaped = false,
            Some(_) if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' => quote = Some(c),
                '{' => depth += 1,
                '}' => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some((start, start + i + 1));
                    }
                }
                _ => {}
            },
        }
    }
    None
}
