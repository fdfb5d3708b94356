//! Rules about writes that span several items or documents.
//!
//! | id | what |
//! |----|------|
//! | `single-item-transaction` | a pattern asks for a transaction but writes one item |
//! | `dynamo-transaction-limit` | a transaction over 100 actions or 4 MB |
//! | `transaction-not-derived` | a transaction part that reads its item before writing it |

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
