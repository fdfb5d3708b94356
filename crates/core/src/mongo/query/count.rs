//! count: `countDocuments` with the filter.

use super::{Query, Rendered};

pub(super) fn render(q: &Query<'_>) -> Rendered {
    Rendered::new(
        "countDocuments",
        format!("db.{}.countDocuments({})", q.coll, q.filter_text),
    )
}
