//! list: `find` with the pattern's sort and page size.

use super::{Query, Rendered};
use crate::js::js_key;

pub(super) fn render(q: &Query<'_>) -> Rendered {
    let mut line = format!("db.{}.find({}{})", q.coll, q.filter_text, q.collation);
    if let Some((path, dir)) = &q.sort {
        line.push_str(&format!(".sort({{ {}: {dir} }})", js_key(path)));
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
