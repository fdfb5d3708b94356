//! The seed corpus of each fuzz target, generated rather than committed: from the example
//! designs and their exports, the conformance cases (shared and per crate), the string
//! literals of the test sources, the end-to-end inputs and the user's examples.
//!
//! An input starting with [`GENERATE`] is read by the targets as bytes for a generator (a
//! mutation of an example, a request from the vocabulary); any other input is text. A few
//! seeds of that kind are written too, so the generators take part from the start.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde_json::{json, Map, Value};

use schemaplay_core::export::{export, ExportFormat};

use crate::seeded_bytes;

/// The first byte of an input meant for a generator; never the start of UTF-8 text.
pub const GENERATE: u8 = 0xFF;

/// Seeds per target: file contents keyed by target name.
pub type Seeds = BTreeMap<&'static str, Vec<Vec<u8>>>;

/// Every target's seeds, reading the sources under `root` (the repository) and `shared` (the
/// shared folder with `conformance/` and `examples/`); a missing folder gives fewer seeds.
pub fn all(root: &Path, shared: &Path) -> Seeds {
    let mut seeds = Seeds::new();
    let mut add = |target: &'static str, data: Vec<u8>| seeds.entry(target).or_default().push(data);

    for example in schemaplay_core::examples::all() {
        let design = example.design.to_json();
        add(
            "share",
            schemaplay_core::share::encode(&design).into_bytes(),
        );
        add(
            "workbench",
            export(&example.design, ExportFormat::Workbench).into_bytes(),
        );
        add("design", design.into_bytes());
    }
    for file in files(&root.join("crates/core/tests/fixtures"), "json") {
        add("design", file);
    }

    // Conformance cases: requests (MongoDB), steps (DynamoDB), expressions.
    let mongo_dirs = [
        shared.join("conformance/mongo"),
        root.join("crates/mongo/tests/cases"),
    ];
    for dir in &mongo_dirs {
        for case in cases(dir) {
            if let Some(requests) = mongo_case_requests(&case) {
                add("mongo_request", requests.to_string().into_bytes());
            }
        }
    }
    let dynamo_dirs = [
        shared.join("conformance/dynamodb"),
        root.join("crates/dynamo/tests/cases"),
    ];
    for dir in &dynamo_dirs {
        for case in cases(dir) {
            if let Some(steps) = dynamo_case_steps(&case) {
                add("dynamo_request", steps.to_string().into_bytes());
            }
            let mut expressions = Vec::new();
            expression_strings(&case, &mut expressions);
            for e in expressions {
                add("dynamo_expr", e.into_bytes());
            }
        }
    }

    // String literals of the tests: SQL for the importer, scripts for the console.
    for file in files(&root.join("crates/core/tests"), "rs") {
        for s in raw_strings(&String::from_utf8_lossy(&file)) {
            if s.to_ascii_uppercase().contains("CREATE") {
                add("sql", s.into_bytes());
            } else if s.trim_start().starts_with('{') {
                add("workbench", s.into_bytes());
            }
        }
    }
    for file in files(&root.join("crates/script/tests"), "rs") {
        for s in raw_strings(&String::from_utf8_lossy(&file)) {
            add("script", s.into_bytes());
        }
    }
    for file in files(&root.join("tests/e2e"), "mjs") {
        for s in quoted_strings(&String::from_utf8_lossy(&file)) {
            if s.to_ascii_uppercase().contains("CREATE TABLE") {
                add("sql", s.into_bytes());
            } else if s.len() >= 12 {
                add("script", s.into_bytes());
            }
        }
    }
    if let Ok(text) = fs::read_to_string(shared.join("examples/user-examples.md")) {
        for block in code_blocks(&text) {
            for part in block.split("\n\n") {
                add("script", part.as_bytes().to_vec());
            }
            add("script", block.into_bytes());
        }
    }

    // Inputs for the generators.
    for target in [
        "design",
        "share",
        "workbench",
        "mongo_request",
        "dynamo_request",
        "dynamo_expr",
        "mongo_plans",
        "dynamo_conditions",
        "dynamo_updates",
    ] {
        for seed in 0..8 {
            let mut data = vec![GENERATE];
            data.extend(seeded_bytes(seed, 256));
            add(target, data);
        }
    }
    seeds
}

/// Writes each target's seeds as `dir/<target>/<n>`.
pub fn write(seeds: &Seeds, dir: &Path) -> std::io::Result<()> {
    for (target, inputs) in seeds {
        let d = dir.join(target);
        fs::create_dir_all(&d)?;
        for (i, data) in inputs.iter().enumerate() {
            fs::write(d.join(format!("seed-{i:04}")), data)?;
        }
    }
    Ok(())
}

/// The contents of the files in `dir` whose name ends in `.ext`, in name order.
fn files(dir: &Path, ext: &str) -> Vec<Vec<u8>> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    paths.sort();
    paths.into_iter().filter_map(|p| fs::read(p).ok()).collect()
}

/// The cases of every `.json` file in `dir` (each file an array of cases).
fn cases(dir: &Path) -> Vec<Value> {
    files(dir, "json")
        .into_iter()
        .filter_map(|f| serde_json::from_slice::<Value>(&f).ok())
        .flat_map(|v| match v {
            Value::Array(a) => a,
            _ => Vec::new(),
        })
        .collect()
}

/// A MongoDB conformance case as requests for `Database::execute`, on collection `case`.
fn mongo_case_requests(case: &Value) -> Option<Value> {
    let mut out = Vec::new();
    if let Some(Value::Object(from)) = case.get("from_collections") {
        for (name, docs) in from {
            out.push(json!({"op": "insertMany", "collection": name, "documents": docs}));
        }
    }
    if let Some(docs) = case.get("collection") {
        out.push(json!({"op": "insertMany", "collection": "case", "documents": docs}));
    }
    for index in case
        .get("indexes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        out.push(json!({"op": "createIndex", "collection": "case", "key": index["key"], "options": index.get("options").cloned().unwrap_or(json!({}))}));
    }
    let op = case.get("op")?.as_str()?;
    let (name, fields): (&str, &[(&str, &str)]) = match op {
        "find" => (
            "find",
            &[
                ("filter", "filter"),
                ("projection", "projection"),
                ("sort", "sort"),
                ("skip", "skip"),
                ("limit", "limit"),
            ],
        ),
        "count" => ("countDocuments", &[("filter", "filter")]),
        "distinct" => ("distinct", &[("key", "key"), ("filter", "filter")]),
        "aggregate" => ("aggregate", &[("pipeline", "pipeline")]),
        "update_one" | "update_many" => (
            if op == "update_one" {
                "updateOne"
            } else {
                "updateMany"
            },
            &[
                ("filter", "filter"),
                ("update", "update"),
                ("upsert", "upsert"),
                ("array_filters", "arrayFilters"),
            ],
        ),
        "insert_many" => ("insertMany", &[("documents", "documents")]),
        "delete_many" => ("deleteMany", &[("filter", "filter")]),
        _ => return None,
    };
    let mut request = Map::new();
    request.insert("op".into(), json!(name));
    request.insert("collection".into(), json!("case"));
    for (from, to) in fields {
        if let Some(v) = case.get(*from) {
            request.insert(to.to_string(), v.clone());
        }
    }
    out.push(Value::Object(request));
    Some(Value::Array(out))
}

/// A DynamoDB conformance case as steps `{"op", "input"}`: CreateTable, the items, the requests.
fn dynamo_case_steps(case: &Value) -> Option<Value> {
    let table = case.get("table")?;
    let name = table.get("TableName")?.clone();
    let mut out = vec![json!({"op": "CreateTable", "input": table})];
    for item in case
        .get("items")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        out.push(json!({"op": "PutItem", "input": {"TableName": name, "Item": item}}));
    }
    for step in case
        .get("requests")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        out.push(json!({"op": step.get("op")?, "input": step.get("input")?}));
    }
    Some(Value::Array(out))
}

/// Every string under a key ending in `Expression`.
fn expression_strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match x {
                    Value::String(s) if k.ends_with("Expression") => out.push(s.clone()),
                    _ => expression_strings(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| expression_strings(x, out)),
        _ => {}
    }
}

/// The contents of the raw string literals `r#"..."#` of a Rust source.
fn raw_strings(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(start) = rest.find("r#\"") {
        let after = &rest[start + 3..];
        let Some(end) = after.find("\"#") else { break };
        out.push(after[..end].to_string());
        rest = &after[end + 2..];
    }
    out
}

/// The contents of the single-quoted and template literals of a JavaScript source, without
/// escapes resolved (good enough for seeds).
fn quoted_strings(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = source.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\'' && c != '`' {
            continue;
        }
        let mut end = None;
        while let Some((j, d)) = chars.next() {
            if d == '\\' {
                chars.next();
            } else if d == c {
                end = Some(j);
                break;
            }
        }
        if let Some(j) = end {
            out.push(source[i + 1..j].to_string());
        }
    }
    out
}

/// The fenced code blocks of a Markdown text.
fn code_blocks(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if line.starts_with("```") {
            match current.take() {
                Some(block) => out.push(block),
                None => current = Some(String::new()),
            }
        } else if let Some(block) = current.as_mut() {
            block.push_str(line);
            block.push('\n');
        }
    }
    out
}
