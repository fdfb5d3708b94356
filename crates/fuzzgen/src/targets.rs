//! One function per fuzz target: what the target does with one input. The targets in `fuzz/`
//! call these, and a regression test replays a finding through the same function.
//!
//! Each input is text, or, when it starts with [`GENERATE`], bytes for a generator. A crash is
//! a panic; a property that does not hold panics with its description.

use serde_json::Value;

use schemaplay_core::export::{export, ExportFormat};
use schemaplay_core::{analyze, examples, import, share, Design};
use schemaplay_script::Host;

use crate::seeds::GENERATE;
use crate::{dynamo, json, mongo, pick, Unstructured};

/// What an input is: text for the parser, or bytes for a generator.
pub enum Input<'a> {
    Text(std::borrow::Cow<'a, str>),
    Generate(Unstructured<'a>),
}

/// Reads an input: [`GENERATE`] first means generator bytes; anything else is text (invalid
/// UTF-8 replaced, as a browser decodes a file).
pub fn input(data: &[u8]) -> Input<'_> {
    match data.split_first() {
        Some((&GENERATE, rest)) => Input::Generate(Unstructured::new(rest)),
        _ => Input::Text(String::from_utf8_lossy(data)),
    }
}

/// One of the examples, as JSON by `as_json`, then mutated by the input ([`json::mutate`]).
fn mutated_example(u: crate::Gen, as_json: impl Fn(&Design) -> Value) -> String {
    let all = examples::all();
    let mut doc = match all.get(u.choose_index(all.len()).unwrap_or(0)) {
        Some(example) => as_json(&example.design),
        None => Value::Null,
    };
    json::mutate(u, &mut doc);
    doc.to_string()
}

fn fail(what: impl std::fmt::Display) -> ! {
    panic!("{what}")
}

/// A design's JSON: read it (with and without the semantic checks), derive everything from
/// it, export it in every format, and check that it round-trips through its JSON and its share
/// link. Generated inputs are mutations of the examples.
pub fn design(data: &[u8]) {
    let text = match input(data) {
        Input::Text(t) => t.into_owned(),
        Input::Generate(mut u) => {
            mutated_example(&mut u, |d| serde_json::to_value(d).unwrap_or_default())
        }
    };
    if let Ok(design) = Design::from_json_unchecked(&text) {
        // Derivation never fails, even on an invalid design.
        analyze(&design);
        let again = Design::from_json_unchecked(&design.to_json());
        if again.as_ref() != Ok(&design) {
            fail(format!(
                "the design does not read back from its JSON: {again:?}\ninput {text}"
            ));
        }
        let back = share::decode(&share::encode_design(&design))
            .map_err(|e| e.to_string())
            .and_then(|t| Design::from_json_unchecked(&t).map_err(|f| format!("{f:?}")));
        if back.as_ref() != Ok(&design) {
            fail(format!(
                "the design does not read back from its share link: {back:?}\ninput {text}"
            ));
        }
    }
    if let Ok(design) = Design::from_json(&text) {
        for format in ExportFormat::ALL {
            export(&design, format);
        }
    }
}

/// A share-link fragment: decode it (and read what it holds as a design); and any text must
/// come back unchanged from `decode(encode(text))`.
pub fn share(data: &[u8]) {
    match input(data) {
        Input::Text(t) => {
            if let Ok(text) = share::decode(&t) {
                let _ = Design::from_json(&text);
            }
            let fragment = share::encode(&t);
            // Links past the limits are refused by design, whatever they hold.
            if fragment.len() <= share::MAX_FRAGMENT_CHARS && t.len() <= share::MAX_INFLATED_BYTES {
                let back = share::decode(&fragment);
                if back.as_deref() != Ok(&t[..]) {
                    fail(format!(
                        "decode(encode(text)) is {back:?}, not the text {t:?}"
                    ));
                }
            }
        }
        Input::Generate(mut u) => {
            let text = mutated_example(&mut u, |d| serde_json::to_value(d).unwrap_or_default());
            let fragment = share::encode(&text);
            // A damaged link: a cut, or a changed character.
            let mut chars: Vec<char> = fragment.chars().collect();
            let cut = u.choose_index(chars.len() + 1).unwrap_or(chars.len());
            chars.truncate(cut);
            if let (Ok(i), Ok(c)) = (u.choose_index(chars.len().max(1)), u.arbitrary::<u8>()) {
                if let Some(slot) = chars.get_mut(i) {
                    *slot =
                        pick(&mut u, &['A', '-', '_', char::from(b'a' + c % 26), '0']).to_owned();
                }
            }
            let damaged: String = chars.into_iter().collect();
            if let Ok(text) = share::decode(&damaged) {
                let _ = Design::from_json(&text);
            }
            if share::decode(&fragment).as_deref() != Ok(&text[..]) {
                fail(format!(
                    "a design's share link does not decode to its JSON: {text}"
                ));
            }
        }
    }
}

/// SQL DDL: import it, then derive everything from the imported design.
pub fn sql(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let imported = import::sql(&text);
    analyze(&imported.design);
}

/// A NoSQL Workbench model: import it, then derive everything from the imported design.
/// Generated inputs are mutations of the examples' Workbench exports.
pub fn workbench(data: &[u8]) {
    let text = match input(data) {
        Input::Text(t) => t.into_owned(),
        Input::Generate(mut u) => mutated_example(&mut u, |d| {
            serde_json::from_str(&export(d, ExportFormat::Workbench)).unwrap_or_default()
        }),
    };
    let imported = import::workbench(&text);
    analyze(&imported.design);
}

/// MongoDB requests on a seeded database: text is one request or an array of them (the
/// conformance seeds), generated inputs are one to four requests from the vocabulary.
pub fn mongo_request(data: &[u8]) {
    let mut db = mongo::seeded_database();
    let requests: Vec<Value> = match input(data) {
        Input::Text(t) => {
            // The text entry point first, as the facade calls it.
            let _ = db.execute_json(&t);
            match serde_json::from_str::<Value>(&t) {
                Ok(Value::Array(a)) => a,
                Ok(v) => vec![v],
                Err(_) => return,
            }
        }
        Input::Generate(mut u) => {
            let n = u.int_in_range(1..=4).unwrap_or(1);
            (0..n).map(|_| mongo::request(&mut u)).collect()
        }
    };
    for r in requests.iter().take(64) {
        let _ = db.execute(r);
    }
}

/// DynamoDB requests on a table with items: text is one `{"op", "input"}` step or an array of
/// them (the conformance seeds), generated inputs are one to four requests.
pub fn dynamo_request(data: &[u8]) {
    match input(data) {
        Input::Text(t) => {
            let mut db = dynamo::table_with_items(&mut Unstructured::new(&[]), 0).0;
            let steps = match serde_json::from_str::<Value>(&t) {
                Ok(Value::Array(a)) => a,
                Ok(v) => vec![v],
                Err(_) => return,
            };
            for step in steps.iter().take(64) {
                let op = step.get("op").and_then(Value::as_str).unwrap_or("");
                let _ = db.execute(op, step.get("input").unwrap_or(&Value::Null));
            }
        }
        Input::Generate(mut u) => {
            let n = u.int_in_range(0..=6).unwrap_or(0);
            let (mut db, _) = dynamo::table_with_items(&mut u, n);
            for _ in 0..u.int_in_range(1..=4).unwrap_or(1) {
                let (op, request) = dynamo::request(&mut u);
                let _ = db.execute(&op, &request);
            }
        }
    }
}

/// DynamoDB expressions: text is used as every kind of expression (with a few names and
/// values defined); generated inputs come from the grammar, now and then mutated.
pub fn dynamo_expr(data: &[u8]) {
    let mut u0 = Unstructured::new(&[]);
    let (mut db, _) = dynamo::table_with_items(&mut u0, 0);
    for (i, pk) in ["p0", "p0", "p1"].iter().enumerate() {
        let item = serde_json::json!({"PK": {"S": pk}, "SK": {"N": i.to_string()}, "a": {"S": "ab"}, "l": {"L": [{"N": "1"}, {"M": {"x": {"S": "y"}}}]}, "m": {"M": {"x": {"NS": ["1", "2"]}}}, "s": {"SS": ["a", "b"]}});
        let _ = db.execute(
            "PutItem",
            &serde_json::json!({"TableName": dynamo::TABLE, "Item": item}),
        );
    }
    let kinds = [
        "ConditionExpression",
        "FilterExpression",
        "KeyConditionExpression",
        "ProjectionExpression",
        "UpdateExpression",
    ];
    let cases: Vec<(String, Value)> = match input(data) {
        Input::Text(t) => {
            let names = serde_json::json!({"#n0": "a", "#n1": "name", "#n2": "l"});
            let values =
                serde_json::json!({":v0": {"S": "a"}, ":v1": {"N": "1"}, ":v2": {"L": []}});
            kinds
                .iter()
                .map(|k| {
                    let mut r = serde_json::Map::new();
                    r.insert((*k).into(), Value::String(t.to_string()));
                    r.insert("ExpressionAttributeNames".into(), names.clone());
                    r.insert("ExpressionAttributeValues".into(), values.clone());
                    (k.to_string(), Value::Object(r))
                })
                .collect()
        }
        Input::Generate(mut u) => kinds
            .iter()
            .map(|k| {
                let (text, names, values) = dynamo::expression(&mut u, k);
                let mut r = serde_json::Map::new();
                r.insert((*k).into(), Value::String(text));
                if !names.is_empty() {
                    r.insert("ExpressionAttributeNames".into(), serde_json::json!(names));
                }
                if !values.is_empty() {
                    r.insert(
                        "ExpressionAttributeValues".into(),
                        serde_json::json!(values),
                    );
                }
                (k.to_string(), Value::Object(r))
            })
            .collect(),
    };
    let key = serde_json::json!({"PK": {"S": "p0"}, "SK": {"N": "0"}});
    for (kind, mut r) in cases {
        let Some(m) = r.as_object_mut() else { continue };
        m.insert("TableName".into(), Value::String(dynamo::TABLE.into()));
        let op = match kind.as_str() {
            "ConditionExpression" => {
                m.insert("Key".into(), key.clone());
                "DeleteItem"
            }
            "FilterExpression" => "Scan",
            "KeyConditionExpression" => "Query",
            "ProjectionExpression" => {
                m.insert("Key".into(), key.clone());
                "GetItem"
            }
            _ => {
                m.insert("Key".into(), key.clone());
                "UpdateItem"
            }
        };
        let _ = db.execute(op, &r);
    }
}

/// A console script, on a host whose MongoDB has users and whose DynamoDB has a table.
pub fn script(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut host = Host::new(
        mongo::seeded_database(),
        dynamo::table_with_items(&mut Unstructured::new(&[]), 0).0,
    );
    let _ = schemaplay_script::run(&text, &mut host);
}

/// Generator bytes for a property (the first byte, if [`GENERATE`], is skipped, so the seeds
/// serve every target alike).
fn property(data: &[u8], check: impl Fn(crate::Gen) -> Result<(), String>) {
    let bytes = match data.split_first() {
        Some((&GENERATE, rest)) => rest,
        _ => data,
    };
    if let Err(e) = check(&mut Unstructured::new(bytes)) {
        fail(e);
    }
}

/// Index plans and column scans answer as the document matcher ([`mongo::check_filter_plans`]).
pub fn mongo_plans(data: &[u8]) {
    property(data, mongo::check_filter_plans);
}

/// Conditions agree with the reference ([`dynamo::check_condition`]).
pub fn dynamo_conditions(data: &[u8]) {
    property(data, dynamo::check_condition);
}

/// Updates agree with the reference ([`dynamo::check_update`]).
pub fn dynamo_updates(data: &[u8]) {
    property(data, dynamo::check_update);
}

/// What a target does with one input.
pub type Target = fn(&[u8]);

/// Every target by name, for replaying an input (`fuzz-replay TARGET FILE`).
pub const ALL: &[(&str, Target)] = &[
    ("design", design),
    ("share", share),
    ("sql", sql),
    ("workbench", workbench),
    ("mongo_request", mongo_request),
    ("dynamo_request", dynamo_request),
    ("dynamo_expr", dynamo_expr),
    ("script", script),
    ("mongo_plans", mongo_plans),
    ("dynamo_conditions", dynamo_conditions),
    ("dynamo_updates", dynamo_updates),
];
