//! The DynamoDB console: a form read once, run on the simulator, its answer made ready to show.

use schemaplay_core::dynamo::unmarshall_map;
use schemaplay_dynamo::Database;
use serde_json::{json, Value};

use crate::api::{DynamoAnswer, DynamoCall, Error, InputProblem};
use crate::json::parse_input;

/// The key of the form's one input.
pub const INPUT: &str = "request";

/// Runs the form's operation; every request asks for its consumed capacity (unless it says
/// otherwise), and a next page starts at `start_key`.
pub fn run(db: &mut Database, call: &DynamoCall) -> Result<DynamoAnswer, Error> {
    let mut input = match parse_input(INPUT, &call.form.input) {
        Ok(Some(Value::Object(input))) => input,
        Ok(_) => {
            return Err(Error::Inputs(vec![InputProblem {
                input: INPUT.to_string(),
                message: "the request must be a JSON object: { \"TableName\": ... }".to_string(),
                excerpt: String::new(),
            }]))
        }
        Err(problem) => return Err(Error::Inputs(vec![problem])),
    };
    let operation = call.form.operation.trim();
    let pages = matches!(operation, "Query" | "Scan")
        && (input.contains_key("Limit") || call.start_key.is_some());
    if let Some(key) = &call.start_key {
        input.insert("ExclusiveStartKey".into(), key.clone());
    }
    if operation != "DescribeTable" && !input.contains_key("ReturnConsumedCapacity") {
        input.insert("ReturnConsumedCapacity".into(), json!("TOTAL"));
    }
    let response = db
        .execute(operation, &Value::Object(input))
        .map_err(|e| Error::Message(e.to_string()))?;
    let mut answer = answer(response, false);
    answer.last_page = pages && answer.last_evaluated_key.is_none();
    answer.exclusive_start_key = call.start_key.clone();
    Ok(answer)
}

/// The answer to show for a response whose items are plain values (`plain`: lib-dynamodb,
/// the DocumentClient) or AttributeValue JSON.
pub(crate) fn answer(response: Value, plain: bool) -> DynamoAnswer {
    let row = |item: &Value| {
        if plain {
            item.clone()
        } else {
            unmarshall_map(item)
        }
    };
    let rows = match (
        response.get("Items"),
        response.get("Item"),
        response.get("Responses"),
    ) {
        (Some(Value::Array(items)), _, _) => items.iter().map(row).collect(),
        (_, Some(item), _) => vec![row(item)],
        // BatchGetItem: the items of each table, in the tables' order.
        (_, _, Some(Value::Object(tables))) => tables
            .values()
            .filter_map(Value::as_array)
            .flatten()
            .map(row)
            .collect(),
        // TransactGetItems: `{"Item": ...}` per request, `{}` where nothing was found.
        (_, _, Some(Value::Array(responses))) => responses
            .iter()
            .filter_map(|r| r.get("Item"))
            .map(row)
            .collect(),
        _ => Vec::new(),
    };
    let units = |c: &Value| c.get("CapacityUnits").and_then(Value::as_f64);
    let consumed_capacity = match response.get("ConsumedCapacity") {
        Some(Value::Array(list)) => Some(list.iter().filter_map(units).sum()),
        Some(one) => units(one),
        None => None,
    };
    DynamoAnswer {
        rows,
        count: response.get("Count").and_then(Value::as_u64),
        scanned_count: response.get("ScannedCount").and_then(Value::as_u64),
        consumed_capacity,
        last_evaluated_key: response.get("LastEvaluatedKey").cloned(),
        exclusive_start_key: None,
        last_page: false,
        response,
    }
}
