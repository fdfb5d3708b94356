//! Rules about writes that span several items or documents.
//!
//! | id | what |
//! |----|------|
//! | `single-item-transaction` | a pattern asks for a transaction but writes one item |
//! | `dynamo-transaction-limit` | a transaction over 100 actions or 4 MB |
//! | `transaction-not-derived` | a transaction part that reads its item before writing it |
//! | `delete-cleanup-not-atomic` | a delete's cleanup in requests after it, and whether it would fit one transaction |

use crate::dynamo::DynamoRequest;
use crate::model::transaction::{MAX_TRANSACTION_ACTIONS, MAX_TRANSACTION_BYTES};
use crate::model::*;

/// `single-item-transaction`: the pattern asks for a transaction, and its
/// DynamoDB request writes one item, which DynamoDB and MongoDB both write
/// atomically on their own. The request is one conditional write; the
/// finding says why it is not a transaction.
pub(super) fn single_item(p: &AccessPattern, r: &DynamoRequest, path: &str) -> Option<Finding> {
    if !p.transactional || !p.transaction.is_empty() || !p.kind.is_write() {
        return None;
    }
    if r.operation == "TransactWriteItems" {
        return None;
    }
    if r.then.is_some() {
        return None;
    }
    let guard = match &p.condition {
        Some(c) => format!(" with its condition on {}", c.field),
        None => String::new(),
    };
    Some(Finding::info(
        "single-item-transaction",
        format!("{path}.transactional"),
        format!(
            "\"{}\" asks for a transaction but writes one item: a single-item write is atomic on its own in both databases, so it stays one conditional {}{guard} (a one-action TransactWriteItems would cost twice the write units for the same guarantee; a MongoDB single-document write needs no session); name the other writes that must succeed or fail with it in the pattern's transaction",
            p.name, r.operation
        ),
    ))
}

/// `dynamo-transaction-limit`: a pattern's transaction over what one
/// TransactWriteItems takes (100 actions, 4 MB), with the numbers the
/// pattern's parts and counts make; `transaction-not-derived`: a part whose
/// write reads its item first, which a TransactWriteItems cannot hold.
pub(super) fn multi_item(p: &AccessPattern, r: &DynamoRequest, path: &str) -> Option<Finding> {
    if p.transaction.is_empty() {
        return None;
    }
    if r.operation != "TransactWriteItems" {
        let why = r
            .flag
            .clone()
            .unwrap_or_else(|| format!("\"{}\" is not one TransactWriteItems in DynamoDB", p.name));
        return Some(Finding::warning(
            "transaction-not-derived",
            format!("{path}.transaction"),
            why,
        ));
    }
    let actions = r
        .input
        .pointer("/input/TransactItems")
        .and_then(|a| a.as_array())
        .map_or(0, Vec::len) as u64;
    if actions <= MAX_TRANSACTION_ACTIONS && r.bytes <= MAX_TRANSACTION_BYTES {
        return None;
    }
    let parts: Vec<String> = p
        .transaction
        .iter()
        .map(|t| format!("{} × \"{}\"", t.count, t.pattern))
        .collect();
    Some(Finding::warning(
        "dynamo-transaction-limit",
        format!("{path}.transaction"),
        format!(
            "one \"{}\" is its own write and {}: {actions} actions of {} bytes in all, where a TransactWriteItems takes at most {MAX_TRANSACTION_ACTIONS} actions and 4 MB ({MAX_TRANSACTION_BYTES} bytes); DynamoDB refuses it with a ValidationException: make fewer parts per transaction, or split the write into transactions the application can resume",
            p.name,
            parts.join(" and "),
            r.bytes
        ),
    ))
}

/// `delete-cleanup-not-atomic`: a delete whose cleanup (children, their
/// marker items, many-to-many link items) follows it in requests of their
/// own. Says how many writes the whole delete takes, whether they would fit
/// one TransactWriteItems (at most 100 actions and 4 MB, by the
/// relationships' expected counts), and what a failure or a concurrent insert
/// between the requests leaves.
pub(super) fn cleanup(p: &AccessPattern, r: &DynamoRequest, path: &str) -> Option<Finding> {
    if p.kind != PatternKind::Delete || r.cleanup.is_empty() {
        return None;
    }
    let own = r.then.as_deref().unwrap_or(r);
    let own_actions = own.writes.len().max(1) as u64;
    let own_bytes: u64 = own.writes.iter().map(|w| w.bytes).sum();
    let batches = r.cleanup.iter().filter(|c| c.operation == "BatchWriteItem");
    let (actions, bytes) = batches.fold((own_actions, own_bytes), |(a, b), c| {
        (a.saturating_add(c.items), b.saturating_add(c.bytes))
    });
    let entity = crate::names::words(&p.entity);
    let fits = actions <= MAX_TRANSACTION_ACTIONS && bytes <= MAX_TRANSACTION_BYTES;
    let advice = if fits {
        format!(
            "they fit one TransactWriteItems ({actions} of {MAX_TRANSACTION_ACTIONS} actions): read what goes with it first, then delete everything in one transaction (a child inserted after that read still escapes it)"
        )
    } else {
        format!(
            "they are more than one TransactWriteItems holds ({MAX_TRANSACTION_ACTIONS} actions, 4 MB), so no DynamoDB request makes them atomic: delete the children before the {entity}, so that a cleanup that fails can be run again from the {entity}"
        )
    };
    Some(Finding::info(
        "delete-cleanup-not-atomic",
        path.to_string(),
        format!(
            "deleting a {entity} takes about {actions} writes ({} KB) with what goes with it, and the cleanup runs in BatchWriteItems after the delete: not atomic, a failure between them, or an insert while it runs, leaves items naming the deleted {entity}; {advice}. In MongoDB, run the deleteOne and its cleanup in one session.withTransaction to make them atomic",
            bytes.div_ceil(1024)
        ),
    ))
}
