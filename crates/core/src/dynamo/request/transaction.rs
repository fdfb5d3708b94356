//! A pattern's multi-item transaction ([`crate::model::transaction`]): its own
//! write and each part's, as the actions of one TransactWriteItems, all
//! applied or none (a failing guard cancels the whole with
//! `TransactionCanceledException` and a reason per action).

use serde_json::{json, Map, Value};

use super::{order_input, sdk_code, Operation};
use super::{DynamoContext, DynamoRequest, ItemWrite};
use crate::model::transaction::{MAX_TRANSACTION_ACTIONS, MAX_TRANSACTION_BYTES};
use crate::model::*;

/// The actions a rendered write contributes to a transaction: itself as a
/// `Put`, `Update` or `Delete`, or the actions of its own transaction (unique
/// markers, a key rewrite). None for a read, or a write that reads its item
/// first (a TransactWriteItems cannot read).
fn actions_of(request: &DynamoRequest) -> Option<Vec<Value>> {
    if request.then.is_some() {
        return None;
    }
    let input = request.input.get("input")?;
    let action = match request.operation.as_str() {
        "PutItem" => "Put",
        "UpdateItem" => "Update",
        "DeleteItem" => "Delete",
        "TransactWriteItems" => return input.get("TransactItems")?.as_array().cloned(),
        _ => return None,
    };
    let mut input = input.as_object()?.clone();
    // A transaction's action has no ReturnValues of its own.
    input.remove("ReturnValues");
    Some(vec![json!({ action: Value::Object(input) })])
}

impl DynamoContext<'_> {
    /// One TransactWriteItems of `own` (the pattern's write) and `parts` (the
    /// writes of its transaction's parts, each as many times as the part's
    /// count, already rendered), with every item they write. A write that
    /// reads its item first cannot join: the answer is then `own` alone,
    /// flagged with why. A transaction over DynamoDB's 100 actions or 4 MB is
    /// rendered all the same, flagged with the numbers.
    pub fn transaction(
        &self,
        pattern: &AccessPattern,
        own: DynamoRequest,
        parts: &[DynamoRequest],
    ) -> DynamoRequest {
        let mut actions = Vec::new();
        for r in std::iter::once(&own).chain(parts) {
            match actions_of(r) {
                Some(a) => actions.extend(a),
                None => {
                    let mut own = own.clone();
                    own.flag = Some(format!(
                        "\"{}\" reads its item before writing it, which a TransactWriteItems cannot do: the transaction of \"{}\" is not derived",
                        r.pattern, pattern.name
                    ));
                    return own;
                }
            }
        }
        let writes: Vec<ItemWrite> = std::iter::once(&own)
            .chain(parts)
            .flat_map(|r| r.writes.iter().cloned())
            .collect();
        let bytes: u64 = writes.iter().map(|w| w.bytes).sum();
        let count = actions.len() as u64;
        let table = &self.design.dynamo.table_name;
        let mut input = Map::new();
        input.insert("TransactItems".into(), Value::Array(actions));
        let input = order_input(input);
        let sdk = sdk_code(pattern, table, Operation::TransactWriteItems, &input);
        let flag = if count > MAX_TRANSACTION_ACTIONS || bytes > MAX_TRANSACTION_BYTES {
            Some(format!(
                "one \"{}\" makes {count} actions of {bytes} bytes in all: a TransactWriteItems takes at most {MAX_TRANSACTION_ACTIONS} actions and 4 MB, so DynamoDB refuses it; split the write or make fewer parts",
                pattern.name
            ))
        } else {
            own.flag.clone()
        };
        DynamoRequest {
            pattern: pattern.name.clone(),
            entity: own.entity.clone(),
            operation: Operation::TransactWriteItems.name().to_string(),
            index: None,
            input: json!({ "operation": Operation::TransactWriteItems.name(), "input": input }),
            sdk,
            flag,
            items: writes.len() as u64,
            bytes,
            index_writes: writes.iter().map(|w| w.index_writes).sum(),
            writes,
            partition: own.partition.clone(),
            partition_values: own.partition_values,
            then: None,
            fanout: Vec::new(),
            cleanup: own.cleanup.clone(),
        }
    }

    /// The pattern's transaction rendered with the layout's sample values:
    /// its own write of sample record 0 and each part's of records 0, 1, ...
    /// (distinct items, as one transaction may not write an item twice).
    /// The pattern's own request when it has no parts.
    pub fn sample_transaction(&self, pattern: &AccessPattern, own: DynamoRequest) -> DynamoRequest {
        let parts = self.design.transaction_parts(pattern);
        if parts.is_empty() {
            return own;
        }
        let mut rendered = Vec::new();
        for (part, count) in parts {
            let count = u64::from(count).min(MAX_TRANSACTION_ACTIONS + 1);
            rendered.extend((0..count).filter_map(|i| self.sample_request_at(part, i)));
        }
        self.transaction(pattern, own, &rendered)
    }
}
