//! Rules about writes that span several items or documents.
//!
//! | id | what |
//! |----|------|
//! | `single-item-transaction` | a pattern asks for a transaction but writes one item |

use crate::dynamo::DynamoRequest;
use crate::model::*;

/// `single-item-transaction`: the pattern asks for a transaction, and its
/// DynamoDB request writes one item, which DynamoDB and MongoDB both write
/// atomically on their own. The request is one conditional write; the
/// finding says why it is not a transaction.
pub(super) fn single_item(p: &AccessPattern, r: &DynamoRequest, path: &str) -> Option<Finding> {
    if !p.transactional || !p.kind.is_write() || r.operation == "TransactWriteItems" {
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
