//! Rules about denormalised copies ([`crate::model::copies`]).
//!
//! | id | what |
//! |----|------|
//! | `copy-fanout` | an update of a copied field rewrites its copies: how many, with what |
//! | `copy-fanout-large` | the source with the most copies has more than [`LARGE_FANOUT`] |
//! | `copy-insert` | where an insert of the copying entity takes the copy's value |
//! | `mongo-copy-unindexed` | the `updateMany` of the copies has no index on `via` |
//! | `dynamo-copy-scan` | no key or index finds the copies' items: a Scan does |

use super::{entity_path, human_count, pattern_path};
use crate::dynamo::DynamoLayout;
use crate::model::*;
use crate::mongo::MongoLayout;
use crate::names::{plural, words};

/// More copies than this behind one source item make an update of it a large
/// write of its own, worth a second look.
pub const LARGE_FANOUT: f64 = 1000.0;

pub(super) fn rules(
    design: &Design,
    mongo: &MongoLayout,
    dynamo: &DynamoLayout,
    out: &mut Vec<Finding>,
) {
    for p in &design.access_patterns {
        let path = pattern_path(design, &p.name);
        for copy in design.fanout_copies(p) {
            fanout(design, p, copy, &path, out);
        }
        for q in mongo.queries.iter().filter(|q| q.pattern == p.name) {
            for f in q.fanout.iter().filter(|f| f.index.is_none()) {
                out.push(Finding::warning(
                    "mongo-copy-unindexed",
                    format!("{path}.fields"),
                    format!(
                        "\"{}\" updates the copies in {} with an updateMany on {} that no index serves: a collection scan of {} at each update; declare an index on {}",
                        p.name,
                        f.collection,
                        filter_keys(&f.filter),
                        f.collection,
                        filter_keys(&f.filter)
                    ),
                ));
            }
        }
        for r in dynamo.requests.iter().filter(|r| r.pattern == p.name) {
            for f in &r.fanout {
                if let Some(why) = &f.scan {
                    out.push(Finding::warning(
                        "dynamo-copy-scan",
                        format!("{path}.fields"),
                        format!(
                            "\"{}\" keeps {} equal to {} in DynamoDB with a Scan at each update: {why} (about {} bytes read a time); an index keyed on the copy's reference would make it a Query",
                            p.name,
                            f.copy,
                            f.source,
                            crate::numbers::grouped(f.find_bytes)
                        ),
                    ));
                }
            }
        }
        if p.kind == PatternKind::Insert {
            insert(design, p, out);
        }
    }
}

/// `copy-fanout`, and `copy-fanout-large` above [`LARGE_FANOUT`].
fn fanout(design: &Design, p: &AccessPattern, copy: Copy<'_>, path: &str, out: &mut Vec<Finding>) {
    let per = design.copies_per_source(copy);
    let most = design.copies_at_most(copy);
    let items = plural(&words(&copy.entity.name));
    let source = words(&copy.source.entity);
    let rate = per * p.requests_per_second;
    out.push(Finding::info(
        "copy-fanout",
        format!("{path}.fields"),
        format!(
            "\"{}\" changes {}.{}, which {}.{} copies: each update also rewrites the copies in about {} {items} (MongoDB one updateMany on {}; DynamoDB the items found by {}, each updated), about {} copy writes a second at its rate",
            p.name,
            copy.source.entity,
            copy.source.field,
            copy.entity.name,
            copy.field.name,
            human_count(per),
            copy.source.via,
            copy.source.via,
            human_count(rate)
        ),
    ));
    if most > LARGE_FANOUT {
        out.push(Finding::warning(
            "copy-fanout-large",
            format!("{path}.fields"),
            format!(
                "\"{}\": the {source} with the most {items} has about {} of them, so one update of its {} rewrites {} copies ({} on average): a long write that readers see half done; keep the copy only where it is read, or read the {source} with the {items} instead",
                p.name,
                human_count(most),
                copy.source.field,
                human_count(most),
                human_count(per)
            ),
        ));
    }
}

/// `copy-insert`: an insert of an entity holding copies writes their current
/// values, which the caller passes (it has the source at hand, as the author
/// of a comment has their name); the generated code takes them from the
/// caller's record rather than reading the source first.
fn insert(design: &Design, p: &AccessPattern, out: &mut Vec<Finding>) {
    let copies: Vec<String> = design
        .copies()
        .filter(|c| c.entity.name == p.entity)
        .map(|c| {
            format!(
                "{} (of {}.{}, the one {} names)",
                c.field.name, c.source.entity, c.source.field, c.source.via
            )
        })
        .collect();
    if copies.is_empty() {
        return;
    }
    out.push(Finding::info(
        "copy-insert",
        format!("{}.fields", entity_path(design, &p.entity)),
        format!(
            "\"{}\" writes the copies {} with the values the caller passes: the generated code takes them from the caller, who has the source at hand, rather than reading it first; a caller that has not must read it, one more read per insert",
            p.name,
            copies.join(", ")
        ),
    ));
}

/// The keys of a filter, `authorId` or `comments.authorId`.
fn filter_keys(filter: &serde_json::Value) -> String {
    filter
        .as_object()
        .map(|m| m.keys().cloned().collect::<Vec<_>>().join(", "))
        .unwrap_or_default()
}
