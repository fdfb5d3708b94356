//! What an aggregate pattern takes in DynamoDB, which has no `GROUP BY`: a
//! Scan of the entity's items (filtered by the pattern's equality and range)
//! that the client groups and computes, flagged `dynamo-aggregate-scan` with
//! why. Counts and sums by a group key could instead be kept up to date in
//! counter items (an `ADD` in the same transaction as each write, an average
//! as sum and count); a minimum or a maximum cannot: a delete of the item
//! holding it leaves no way to find the next one without reading the group.

use crate::model::{AccessPattern, AggregateOp};

/// Why the aggregate is a Scan, and what would serve it instead; `note` is
/// why it is not a counter item (`counter.rs`), when something says so.
pub(super) fn scan_reason(pattern: &AccessPattern, note: &str) -> String {
    let ops: Vec<AggregateOp> = pattern
        .aggregation()
        .map(|s| s.aggregates.iter().map(|a| a.op).collect())
        .unwrap_or_default();
    let extreme = ops
        .iter()
        .any(|op| matches!(op, AggregateOp::Min | AggregateOp::Max));
    let mut why = "DynamoDB has no GROUP BY: this Scan reads every item of the table, keeps the matching ones, and the client groups and computes them".to_string();
    if extreme {
        why.push_str("; a min or max cannot be kept in a counter item, since deleting the item that holds it leaves nothing to find the next one without reading the whole group");
    }
    if ops
        .iter()
        .any(|op| !matches!(op, AggregateOp::Min | AggregateOp::Max))
    {
        why.push_str("; a count or sum (an average is sum and count) per group could be kept in a counter item per group key, updated with ADD in the same TransactWriteItems as each insert, update and delete, and read with one GetItem or Query");
    }
    if !note.is_empty() {
        why.push_str("; ");
        why.push_str(note);
    }
    why
}
