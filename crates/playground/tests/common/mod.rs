//! Shared by the integration tests: answers shown in brief.
// Each test binary uses part of this module.
#![allow(dead_code)]

use schemaplay_playground::{DynamoAnswer, MongoAnswer};

/// Rows, counts and the plan of a MongoDB answer.
pub fn mongo(a: &MongoAnswer) -> String {
    let plan = a.explain.as_ref().map(|e| match &e.summary {
        Ok(s) => format!(
            ", plan {} keys {:?} docs {:?} returned {:?}",
            s.stages.join(" <- "),
            s.keys_examined,
            s.docs_examined,
            s.returned
        ),
        Err(message) => format!(", no plan: {message}"),
    });
    format!(
        "mongo: {} rows {:?}{}",
        a.rows().len(),
        a.stats,
        plan.unwrap_or_default()
    )
}

/// Rows, counts, capacity and paging of a DynamoDB answer.
pub fn dynamo(a: &DynamoAnswer) -> String {
    format!(
        "dynamo: {} rows, count {:?}, scanned {:?}, capacity {:?}, next page {}",
        a.rows.len(),
        a.count,
        a.scanned_count,
        a.consumed_capacity,
        a.last_evaluated_key.is_some()
    )
}
