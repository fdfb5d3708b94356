//! Paged lists, read as an application pages them: the first page, then each next page from
//! the one before (MongoDB keyset paging after its last document, DynamoDB's
//! `ExclusiveStartKey` = its `LastEvaluatedKey`), core's `next_page` on both sides. The
//! verifier shrinks every paged list's page to [`PAGE_SIZE`] so that a small workload's lists
//! span several pages, reads [`PAGES`] pages' worth and compares them, concatenated, with the
//! reference's first records: a record lost or repeated between pages is a divergence, also
//! where sort values tie across a page's edge.

use std::borrow::Cow;

use serde_json::Value;

use schemaplay_core::dynamo::DynamoLayout;
use schemaplay_core::model::{AccessPattern, Design, PatternKind};
use schemaplay_core::mongo::MongoLayout;

use crate::schema::Schema;

/// The page size the verifier gives every paged list (a smaller one of the design stays).
pub const PAGE_SIZE: u32 = 3;

/// How many pages' worth of records a paged list's read compares.
pub const PAGES: usize = 3;

/// The most requests one paged read sends: a DynamoDB page filtered after its `Limit` may hold
/// fewer records than the page size, so the read goes on until it has [`PAGES`] pages' worth,
/// or the list ends, or this many requests went.
pub const MAX_PAGE_REQUESTS: usize = 200;

/// The design with every paged list's page at most [`PAGE_SIZE`].
pub fn with_small_pages(design: &Design) -> Cow<'_, Design> {
    if !design.access_patterns.iter().any(|p| small(p).is_some()) {
        return Cow::Borrowed(design);
    }
    let mut design = design.clone();
    for p in &mut design.access_patterns {
        if let Some(n) = small(p) {
            p.page_size = Some(n);
        }
    }
    Cow::Owned(design)
}

fn small(p: &AccessPattern) -> Option<u32> {
    let n = p.page_size.filter(|_| p.kind == PatternKind::List)?;
    (n > PAGE_SIZE).then_some(PAGE_SIZE)
}

/// The paged lists both layouts page: a MongoDB `find` (a list read through an aggregate, of
/// an entity embedded in its host, has no keyset page) and a DynamoDB Query or Scan whose
/// items need no second request.
pub fn pageable(design: &Design, mongo: &MongoLayout, dynamo: &DynamoLayout) -> Vec<String> {
    design
        .access_patterns
        .iter()
        .filter(|p| p.kind == PatternKind::List && p.page_size.is_some())
        .filter(|p| {
            mongo
                .queries
                .iter()
                .any(|q| q.pattern == p.name && q.operation == "find")
                && dynamo.requests.iter().any(|r| {
                    r.pattern == p.name
                        && r.then.is_none()
                        && matches!(r.operation.as_str(), "Query" | "Scan")
                })
        })
        .map(|p| p.name.clone())
        .collect()
}

/// How many records a paged list's read takes and compares: [`PAGES`] pages' worth. None for
/// any other pattern (it reads one request's answer).
pub fn paged_records(schema: &Schema, p: &AccessPattern) -> Option<usize> {
    if !schema.paged.contains(&p.name) {
        return None;
    }
    let n = p.page_size.filter(|_| p.kind == PatternKind::List)?;
    Some(n as usize * PAGES)
}

/// A keyset page without its `_id` tie-breaker (the fault [`crate::Fault::DropTieBreaker`]):
/// the sort on the field alone, and the filter's keyset without the clause that reads the
/// documents sharing the last one's sort value, so those after it on the page's edge are lost.
pub fn drop_tie_breaker(request: &mut Value) {
    if let Some(Value::Object(sort)) = request.get_mut("sort") {
        if sort.len() > 1 {
            sort.remove("_id");
        }
    }
    if let Some(filter) = request.get_mut("filter") {
        drop_id_clauses(filter, 0);
    }
}

/// Removes, from every `$or` of a filter (at its top or under `$and`), the clauses that
/// compare `_id`.
fn drop_id_clauses(filter: &mut Value, depth: usize) {
    if depth > 4 {
        return;
    }
    let Some(map) = filter.as_object_mut() else {
        return;
    };
    if let Some(Value::Array(clauses)) = map.get_mut("$or") {
        clauses.retain(|c| c.get("_id").is_none());
    }
    if let Some(Value::Array(parts)) = map.get_mut("$and") {
        for part in parts {
            drop_id_clauses(part, depth + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_tie_breaker_leaves_sort_and_keyset() {
        let mut request = json!({
            "op": "find",
            "filter": { "$and": [{ "a": 1 }, { "$or": [
                { "t": { "$lt": 5 } }, { "t": 5, "_id": { "$lt": 9 } }, { "t": null }
            ] }] },
            "sort": { "t": -1, "_id": -1 },
        });
        drop_tie_breaker(&mut request);
        assert_eq!(
            request,
            json!({
                "op": "find",
                "filter": { "$and": [{ "a": 1 }, { "$or": [{ "t": { "$lt": 5 } }, { "t": null }] }] },
                "sort": { "t": -1 },
            })
        );
    }
}
