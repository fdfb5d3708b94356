//! textSearch: a `$text` filter, sorted by relevance unless the pattern sorts.

use serde_json::json;

use super::{list, Filter, Query, Rendered};

/// Adds `$text: { $search: words }` to the filter.
pub(super) fn filter(filter: &mut Filter, words: &str) {
    filter
        .map
        .insert("$text".to_string(), json!({ "$search": words }));
    let quoted = words.replace('\\', "\\\\").replace('\'', "\\'");
    filter
        .shell
        .push(format!("$text: {{ $search: '{quoted}' }}"));
}

pub(super) fn render(q: &Query<'_>) -> Rendered {
    if q.sort.is_some() {
        return list::render(q);
    }
    let Query {
        coll, filter_text, ..
    } = q;
    let line = format!(
        "db.{coll}.find({filter_text}, {{ score: {{ $meta: 'textScore' }} }}).sort({{ score: {{ $meta: 'textScore' }} }})"
    );
    Rendered::new("find", list::limited(q, line))
}
