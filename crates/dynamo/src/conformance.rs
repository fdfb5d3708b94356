//! Runs one conformance case (see `shared/conformance/README.md`) through the simulator.

use serde_json::{json, Value};

use crate::Database;

/// Runs a DynamoDB case; `Err` carries a one-line reason for the failure.
pub fn run_case(case: &Value) -> Result<(), String> {
    let mut db = Database::new();
    // `table` is one CreateTable input, or a list of them (items go to the first).
    let tables = match case.get("table") {
        Some(Value::Array(list)) => list.clone(),
        Some(table) => vec![table.clone()],
        None => return Err("the case has no `table`".to_string()),
    };
    for table in &tables {
        db.execute("CreateTable", table)
            .map_err(|e| format!("CreateTable: {e}"))?;
    }
    let table_name = tables
        .first()
        .and_then(|t| t.get("TableName"))
        .cloned()
        .unwrap_or(Value::Null);
    for item in case
        .get("items")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        db.execute("PutItem", &json!({ "TableName": table_name, "Item": item }))
            .map_err(|e| format!("loading item {item}: {e}"))?;
    }
    let requests = case
        .get("requests")
        .and_then(Value::as_array)
        .ok_or("the case has no `requests`")?;
    for (step, request) in requests.iter().enumerate() {
        let op = request
            .get("op")
            .and_then(Value::as_str)
            .ok_or(format!("step {step}: no `op`"))?;
        let input = request.get("input").cloned().unwrap_or_else(|| json!({}));
        let result = db.execute(op, &input);
        match (request.get("error").and_then(Value::as_str), result) {
            (Some(expected), Ok(response)) => {
                return Err(format!(
                    "step {step} ({op}): expected {expected}, got success {response}"
                ));
            }
            (Some(expected), Err(e)) => {
                if e.type_name() != expected {
                    return Err(format!("step {step} ({op}): expected {expected}, got {e}"));
                }
                if let Some(part) = request
                    .get("error_message_contains")
                    .and_then(Value::as_str)
                {
                    if !e.message.to_lowercase().contains(&part.to_lowercase()) {
                        return Err(format!(
                            "step {step} ({op}): message {:?} lacks {part:?}",
                            e.message
                        ));
                    }
                }
            }
            (None, Err(e)) => return Err(format!("step {step} ({op}): unexpected error {e}")),
            (None, Ok(response)) => {
                let Some(expected) = request.get("expected").and_then(Value::as_object) else {
                    continue;
                };
                for (key, want) in expected {
                    let got = response.get(key);
                    let ok = match (want, got) {
                        (Value::Null, got) => got.is_none(),
                        // An empty expected item or list also matches an absent key: the
                        // response lists exactly the attributes returned, which are none.
                        (want, None) => is_empty_container(want),
                        (want, Some(got)) => field_matches(op, key, want, got),
                    };
                    if !ok {
                        return Err(format!(
                            "step {step} ({op}): {key} expected {want}, got {}",
                            got.map_or("nothing".to_string(), Value::to_string)
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

fn field_matches(op: &str, key: &str, want: &Value, got: &Value) -> bool {
    match (key, op) {
        ("Items", "Scan") => multiset(want, got),
        ("Responses", "BatchGetItem") => match (want.as_object(), got.as_object()) {
            (Some(w), Some(g)) => {
                w.len() == g.len()
                    && w.iter()
                        .all(|(t, list)| g.get(t).is_some_and(|l| multiset(list, l)))
            }
            _ => false,
        },
        _ => same(want, got),
    }
}

/// Two lists equal as multisets of values.
fn multiset(want: &Value, got: &Value) -> bool {
    let (Some(w), Some(g)) = (want.as_array(), got.as_array()) else {
        return false;
    };
    if w.len() != g.len() {
        return false;
    }
    let mut used = vec![false; g.len()];
    w.iter().all(|x| {
        let found = g
            .iter()
            .enumerate()
            .find(|(i, y)| !used.get(*i).copied().unwrap_or(true) && same(x, y));
        match found.and_then(|(i, _)| used.get_mut(i)) {
            Some(slot) => {
                *slot = true;
                true
            }
            None => false,
        }
    })
}

/// Deep equality where objects compare as maps and set values (`SS`, `NS`, `BS`) as multisets.
fn same(want: &Value, got: &Value) -> bool {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            if w.len() != g.len() {
                return false;
            }
            w.iter().all(|(k, wv)| {
                g.get(k).is_some_and(|gv| {
                    if matches!(k.as_str(), "SS" | "NS" | "BS") && w.len() == 1 {
                        multiset(wv, gv)
                    } else {
                        same(wv, gv)
                    }
                })
            })
        }
        (Value::Array(w), Value::Array(g)) => {
            w.len() == g.len() && w.iter().zip(g).all(|(a, b)| same(a, b))
        }
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        _ => want == got,
    }
}

fn is_empty_container(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}
