//! list: `find` with the pattern's sort and page size. A paged list sorts on
//! `_id` too, after its own sort, so that its pages can be read by keyset
//! ([`crate::mongo::MongoContext::next_page`]): equal sort values are then in
//! one order every time, and the next page starts after the last document.

use super::{Query, Rendered};
use crate::js::js_key;

pub(super) fn render(q: &Query<'_>) -> Rendered {
    let mut line = format!("db.{}.find({}{})", q.coll, q.filter_text, q.collation);
    let keys = page_sort(q.pattern, q.sort.as_ref());
    if !keys.is_empty() {
        let keys: Vec<String> = keys
            .iter()
            .map(|(path, dir)| format!("{}: {dir}", js_key(path)))
            .collect();
        line.push_str(&format!(".sort({{ {} }})", keys.join(", ")));
    }
    Rendered::new("find", limited(q, line))
}

/// The line with the pattern's page size as `.limit(n)`.
pub(super) fn limited(q: &Query<'_>, mut line: String) -> String {
    if let Some(n) = q.pattern.page_size {
        line.push_str(&format!(".limit({n})"));
    }
    line
}

/// The sort keys of a `find` list: the pattern's sort, then `_id` in the same
/// direction when the list is paged (a page size) and does not sort on `_id`
/// already; a paged list without a sort pages on `_id` alone.
pub(crate) fn page_sort(
    pattern: &crate::model::AccessPattern,
    sort: Option<&(String, i32)>,
) -> Vec<(String, i32)> {
    let mut keys: Vec<(String, i32)> = sort.cloned().into_iter().collect();
    let paged = pattern.kind == crate::model::PatternKind::List && pattern.page_size.is_some();
    if paged && keys.iter().all(|(path, _)| path != "_id") {
        let dir = keys.first().map_or(1, |(_, dir)| *dir);
        keys.push(("_id".to_string(), dir));
    }
    keys
}
