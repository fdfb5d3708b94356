//! The query console: generate sample data in the worker, then run MongoDB and DynamoDB
//! requests on it and see the rows as a table and as JSON, with explain, consumed capacity and
//! paging. Every JSON input is checked before it is sent; a problem is shown under the input it
//! concerns, at its line and column.

use std::rc::Rc;

use schemaplay_core::dynamo;
use schemaplay_core::model::Design;
use serde_json::{json, Map, Value};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::json_tree::JsonTree;
use super::{input_value, select};
use crate::data::{DataAction, DataState, GENERATE_ID};
use crate::derived::Shared;
use crate::engine::Request;
use crate::hooks::engine::EngineHandle;

/// The operations the console offers for each database.
const MONGO_OPS: [&str; 7] = [
    "find",
    "aggregate",
    "countDocuments",
    "updateOne",
    "updateMany",
    "deleteOne",
    "insertOne",
];
const DYNAMO_OPS: [&str; 10] = [
    "Query",
    "Scan",
    "GetItem",
    "PutItem",
    "UpdateItem",
    "DeleteItem",
    "BatchGetItem",
    "BatchWriteItem",
    "TransactWriteItems",
    "DescribeTable",
];
/// Rows shown in the result table; the JSON view has all of them.
const TABLE_ROWS: usize = 100;

#[derive(Properties, PartialEq)]
pub struct QueryConsoleProps {
    pub design: Design,
    pub analysis: Shared,
    pub revision: u64,
    pub data: Rc<DataState>,
    pub on_data: Callback<DataAction>,
    pub engine: EngineHandle,
}

/// One JSON input of the console.
#[derive(Clone, PartialEq)]
struct Input {
    label: &'static str,
    key: &'static str,
    text: String,
}

#[derive(Clone, PartialEq)]
struct Form {
    database: &'static str,
    collection: String,
    mongo_op: String,
    mongo: Vec<Input>,
    limit: String,
    explain: bool,
    dynamo_op: String,
    dynamo_input: String,
}

fn mongo_inputs(op: &str) -> Vec<(&'static str, &'static str, &'static str)> {
    match op {
        "find" => vec![
            ("filter", "Filter", "{}"),
            ("projection", "Projection", ""),
            ("sort", "Sort", ""),
        ],
        "aggregate" => vec![("pipeline", "Pipeline", "[\n  {\"$match\": {}}\n]")],
        "updateOne" | "updateMany" => vec![
            ("filter", "Filter", "{}"),
            ("update", "Update", "{\"$set\": {}}"),
        ],
        "insertOne" => vec![("document", "Document", "{}")],
        _ => vec![("filter", "Filter", "{}")],
    }
}

fn fresh_inputs(op: &str) -> Vec<Input> {
    mongo_inputs(op)
        .into_iter()
        .map(|(key, label, text)| Input {
            label,
            key,
            text: text.to_string(),
        })
        .collect()
}

/// A JSON problem of an input: the message, and the line with a caret under the column.
#[derive(Clone, PartialEq)]
struct JsonProblem {
    message: String,
    excerpt: String,
}

fn check_json(text: &str) -> Result<Option<Value>, JsonProblem> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    serde_json::from_str(text).map(Some).map_err(|e| {
        let line = text.lines().nth(e.line().saturating_sub(1)).unwrap_or("");
        let caret = " ".repeat(e.column().saturating_sub(1).min(line.chars().count()));
        let message = e.to_string();
        let message = match message.rfind(" at line ") {
            Some(at) => message[..at].to_string(),
            None => message,
        };
        JsonProblem {
            message: format!("line {}, column {}: {message}", e.line(), e.column()),
            excerpt: format!("{line}\n{caret}^"),
        }
    })
}

#[function_component(QueryConsole)]
pub fn query_console(props: &QueryConsoleProps) -> Html {
    let (mongo_layout, dynamo_layout) = (&props.analysis.mongo, &props.analysis.dynamo);
    let first_collection = mongo_layout
        .collections
        .first()
        .map(|c| c.name.clone())
        .unwrap_or_default();
    let table = dynamo_layout.table_name.clone();
    let form = use_state(|| Form {
        database: "mongo",
        collection: first_collection.clone(),
        mongo_op: "find".into(),
        mongo: fresh_inputs("find"),
        limit: "20".into(),
        explain: true,
        dynamo_op: "Query".into(),
        dynamo_input: serde_json::to_string_pretty(&json!({
            "TableName": table,
            "KeyConditionExpression": "PK = :pk",
            "ExpressionAttributeValues": {":pk": {"S": "USER#1"}}
        }))
        .unwrap_or_default(),
    });
    let per_entity = use_state(|| "1000".to_string());
    let next_id = use_mut_ref(|| GENERATE_ID + 1);
    let pending = use_state(|| None::<(u32, &'static str, Value)>);
    let view_json = use_state(|| false);
    let problems = use_state(Vec::<(String, JsonProblem)>::new);

    let data = &props.data;
    let generating = data.progress.is_some();
    let stale = data.summary.is_some() && data.generated_from != Some(props.revision);

    let generate = {
        let engine = props.engine.clone();
        let on_data = props.on_data.clone();
        let design = props.design.clone();
        let per_entity = per_entity.clone();
        let revision = props.revision;
        Callback::from(move |_| {
            let n = per_entity.trim().parse::<u64>().unwrap_or(0);
            on_data.emit(DataAction::Started { revision });
            engine.send(Request::Generate {
                id: GENERATE_ID,
                design_json: design.to_json(),
                per_entity: n,
                seed: 1,
            });
        })
    };

    let run = {
        let form = form.clone();
        let engine = props.engine.clone();
        let pending = pending.clone();
        let next_id = next_id.clone();
        let problems = problems.clone();
        Rc::new(move |extra: Option<Value>| {
            let id = {
                let mut n = next_id.borrow_mut();
                *n += 1;
                *n
            };
            let mut found = Vec::new();
            if form.database == "mongo" {
                let mut request = Map::new();
                request.insert("op".into(), json!(form.mongo_op));
                request.insert("collection".into(), json!(form.collection));
                for input in &form.mongo {
                    match check_json(&input.text) {
                        Ok(Some(v)) => {
                            request.insert(input.key.into(), v);
                        }
                        Ok(None) => {}
                        Err(p) => found.push((input.key.to_string(), p)),
                    }
                }
                if form.mongo_op == "find" {
                    if let Ok(n) = form.limit.trim().parse::<u64>() {
                        request.insert("limit".into(), json!(n));
                    }
                }
                problems.set(found.clone());
                if found.is_empty() {
                    let request = Value::Object(request);
                    engine.send(Request::Mongo {
                        id,
                        request_json: request.to_string(),
                        explain: form.explain,
                    });
                    pending.set(Some((id, "mongo", request)));
                }
            } else {
                match check_json(&form.dynamo_input) {
                    Ok(Some(Value::Object(mut input))) => {
                        if let Some(Value::Object(more)) = extra {
                            input.extend(more);
                        }
                        if form.dynamo_op != "DescribeTable"
                            && !input.contains_key("ReturnConsumedCapacity")
                        {
                            input.insert("ReturnConsumedCapacity".into(), json!("TOTAL"));
                        }
                        let input = Value::Object(input);
                        problems.set(Vec::new());
                        engine.send(Request::Dynamo {
                            id,
                            operation: form.dynamo_op.clone(),
                            input_json: input.to_string(),
                        });
                        pending.set(Some((id, "dynamo", input)));
                    }
                    Ok(_) => problems.set(vec![(
                        "dynamo".into(),
                        JsonProblem {
                            message: "the request must be a JSON object: { \"TableName\": ... }"
                                .into(),
                            excerpt: String::new(),
                        },
                    )]),
                    Err(p) => problems.set(vec![("dynamo".into(), p)]),
                }
            }
        })
    };
    let on_run = {
        let run = run.clone();
        Callback::from(move |_: MouseEvent| run(None))
    };
    let on_keydown = {
        let run = run.clone();
        Callback::from(move |e: KeyboardEvent| {
            if (e.ctrl_key() || e.meta_key()) && e.key() == "Enter" {
                e.prevent_default();
                run(None);
            }
        })
    };

    // The answer to the request on screen, if it has come.
    let answer = match (&*pending, &data.answer) {
        (Some((id, db, _)), Some((answer_id, result))) if id == answer_id => {
            Some((*db, result.clone()))
        }
        _ => None,
    };
    let waiting = pending.is_some() && answer.is_none();

    let set_form = |f: fn(&mut Form, String)| {
        let form = form.clone();
        Callback::from(move |value: String| {
            let mut next = (*form).clone();
            f(&mut next, value);
            form.set(next);
        })
    };
    let on_textarea = |index: usize| {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            let text = e
                .target_dyn_into::<HtmlTextAreaElement>()
                .map(|t| t.value())
                .unwrap_or_default();
            let mut next = (*form).clone();
            if let Some(input) = next.mongo.get_mut(index) {
                input.text = text;
            }
            form.set(next);
        })
    };
    let problem_of = |key: &str| {
        problems
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, p)| p.clone())
    };
    let show_problem = |p: Option<JsonProblem>, key: &str| {
        p.map(|p| html! {
            <div class="inline-error" role="alert" data-testid={format!("query-error-{key}")} id={format!("error-{key}")}>
                { p.message }
                if !p.excerpt.is_empty() { <pre>{ p.excerpt }</pre> }
            </div>
        })
    };

    // Access patterns pre-fill the form.
    let mongo_patterns: Vec<(String, String)> =
        std::iter::once((String::new(), "— pick an access pattern —".to_string()))
            .chain(
                mongo_layout
                    .queries
                    .iter()
                    .map(|q| (q.pattern.clone(), q.pattern.clone())),
            )
            .collect();
    let dynamo_patterns: Vec<(String, String)> =
        std::iter::once((String::new(), "— pick an access pattern —".to_string()))
            .chain(dynamo_layout.requests.iter().map(|r| {
                (
                    r.pattern.clone(),
                    format!("{} ({})", r.pattern, r.operation),
                )
            }))
            .collect();
    let on_mongo_pattern = {
        let form = form.clone();
        let queries = mongo_layout.queries.clone();
        Callback::from(move |name: String| {
            let Some(q) = queries.iter().find(|q| q.pattern == name) else {
                return;
            };
            let mut next = (*form).clone();
            next.collection = q.collection.clone();
            let pretty = |v: &Value| serde_json::to_string_pretty(v).unwrap_or_default();
            let (op, inputs): (&str, Vec<(&str, String)>) = match q.operation.as_str() {
                "find" | "findOne" => (
                    "find",
                    vec![
                        ("filter", pretty(&q.filter)),
                        ("projection", String::new()),
                        ("sort", q.sort.as_ref().map(pretty).unwrap_or_default()),
                    ],
                ),
                "countDocuments" => ("countDocuments", vec![("filter", pretty(&q.filter))]),
                "updateOne" => (
                    "updateOne",
                    vec![
                        ("filter", pretty(&q.filter)),
                        (
                            "update",
                            q.document.as_ref().map(pretty).unwrap_or_default(),
                        ),
                    ],
                ),
                "deleteOne" => ("deleteOne", vec![("filter", pretty(&q.filter))]),
                "insertOne" => (
                    "insertOne",
                    vec![(
                        "document",
                        q.document.as_ref().map(pretty).unwrap_or_default(),
                    )],
                ),
                "aggregate" => (
                    "aggregate",
                    vec![(
                        "pipeline",
                        q.document.as_ref().map(pretty).unwrap_or_default(),
                    )],
                ),
                _ => ("find", vec![("filter", pretty(&q.filter))]),
            };
            next.mongo_op = op.to_string();
            next.mongo = fresh_inputs(op);
            for input in &mut next.mongo {
                if let Some((_, text)) = inputs.iter().find(|(k, _)| *k == input.key) {
                    input.text = text.clone();
                }
            }
            next.limit = match q.operation.as_str() {
                "findOne" => "1".to_string(),
                _ => q.limit.map(|l| l.to_string()).unwrap_or_default(),
            };
            form.set(next);
        })
    };
    let on_dynamo_pattern = {
        let form = form.clone();
        let requests = dynamo_layout.requests.clone();
        Callback::from(move |name: String| {
            let Some(r) = requests.iter().find(|r| r.pattern == name) else {
                return;
            };
            let mut next = (*form).clone();
            // The core gives `{"operation": ..., "input": {...}}` (or a list of them for a
            // read-then-write pattern); the console runs the first request.
            let first = match &r.input {
                Value::Array(steps) => steps.first().cloned().unwrap_or(Value::Null),
                other => other.clone(),
            };
            next.dynamo_op = first
                .get("operation")
                .and_then(Value::as_str)
                .unwrap_or(&r.operation)
                .to_string();
            let input = first.get("input").cloned().unwrap_or(first);
            next.dynamo_input = serde_json::to_string_pretty(&input).unwrap_or_default();
            form.set(next);
        })
    };
    let database_tab = |db: &'static str, label: &'static str| {
        let form = form.clone();
        let active = form.database == db;
        let onclick = Callback::from(move |_| {
            let mut next = (*form).clone();
            next.database = db;
            form.set(next);
        });
        html! {
            <button class={classes!("tab", active.then_some("active"))} aria-pressed={active.to_string()}
                data-testid={format!("console-{db}")} {onclick}>{ label }</button>
        }
    };

    let collections: Vec<(String, String)> = mongo_layout
        .collections
        .iter()
        .map(|c| (c.name.clone(), c.name.clone()))
        .collect();
    let mongo_ops: Vec<(String, String)> = MONGO_OPS
        .iter()
        .map(|o| (o.to_string(), o.to_string()))
        .collect();
    let dynamo_ops: Vec<(String, String)> = DYNAMO_OPS
        .iter()
        .map(|o| (o.to_string(), o.to_string()))
        .collect();

    let editor = if form.database == "mongo" {
        html! {
            <div class="query-editor">
                <div class="field-line">
                    { "db." }{ select("Collection", "mongo-collection".into(), &collections, &form.collection, set_form(|f, v| f.collection = v)) }
                    { "." }{ select("Operation", "mongo-op".into(), &mongo_ops, &form.mongo_op, set_form(|f, v| { f.mongo = fresh_inputs(&v); f.mongo_op = v; })) }
                    <span class="grow" />
                    { select("Pre-fill from an access pattern", "mongo-pattern".into(), &mongo_patterns, "", on_mongo_pattern) }
                </div>
                { for form.mongo.iter().enumerate().map(|(i, input)| {
                    let problem = problem_of(input.key);
                    html! {
                        <label class="query-input">
                            <span>{ input.label }</span>
                            <textarea spellcheck="false" value={input.text.clone()} oninput={on_textarea(i)}
                                rows={input.text.lines().count().clamp(2, 14).to_string()}
                                aria-invalid={problem.is_some().to_string()}
                                aria-describedby={problem.is_some().then(|| format!("error-{}", input.key))}
                                data-testid={format!("mongo-{}", input.key)} onkeydown={on_keydown.clone()} />
                            { show_problem(problem, input.key) }
                        </label>
                    }
                }) }
                if form.mongo_op == "find" {
                    <div class="field-line">
                        <label>{ "Limit " }<input type="number" min="0" class="num" value={form.limit.clone()} data-testid="mongo-limit"
                            onchange={{ let s = set_form(|f, v| f.limit = v); Callback::from(move |e: Event| s.emit(input_value(&e))) }} /></label>
                        <label class="check"><input type="checkbox" checked={form.explain} data-testid="mongo-explain"
                            onchange={{ let s = set_form(|f, v| f.explain = v == "true"); Callback::from(move |e: Event| s.emit(super::checked(&e).to_string())) }} />{ "explain" }</label>
                    </div>
                }
            </div>
        }
    } else {
        let problem = problem_of("dynamo");
        html! {
            <div class="query-editor">
                <div class="field-line">
                    { select("Operation", "dynamo-op".into(), &dynamo_ops, &form.dynamo_op, set_form(|f, v| f.dynamo_op = v)) }
                    <span class="grow" />
                    { select("Pre-fill from an access pattern", "dynamo-pattern".into(), &dynamo_patterns, "", on_dynamo_pattern) }
                </div>
                <label class="query-input">
                    <span>{ "Request (DynamoDB JSON API)" }</span>
                    <textarea spellcheck="false" value={form.dynamo_input.clone()}
                        rows={form.dynamo_input.lines().count().clamp(4, 20).to_string()}
                        aria-invalid={problem.is_some().to_string()}
                        aria-describedby={problem.is_some().then(|| "error-dynamo".to_string())}
                        data-testid="dynamo-input" onkeydown={on_keydown.clone()}
                        oninput={{ let form = form.clone(); Callback::from(move |e: InputEvent| {
                            let mut next = (*form).clone();
                            next.dynamo_input = super::textarea_value(&e);
                            form.set(next);
                        }) }} />
                    { show_problem(problem, "dynamo") }
                </label>
            </div>
        }
    };

    let result = answer.map(|(db, result)| match result {
        Err(message) => html! {
            <div class="inline-error" role="alert" data-testid="query-error">{ message }</div>
        },
        Ok(text) => {
            let value: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            let next_page = (db == "dynamo")
                .then(|| value.get("LastEvaluatedKey").cloned())
                .flatten()
                .map(|key| {
                    let run = run.clone();
                    Callback::from(move |_: MouseEvent| {
                        run(Some(json!({"ExclusiveStartKey": key.clone()})))
                    })
                });
            let lead = [
                dynamo_layout.partition_key.as_str(),
                dynamo_layout.sort_key.as_str(),
            ];
            render_result(db, &value, *view_json, next_page, &lead)
        }
    });
    let toggle_view = {
        let view_json = view_json.clone();
        Callback::from(move |_| view_json.set(!*view_json))
    };

    html! {
        <div class="console">
            <section class="card" aria-labelledby="data-title">
                <div class="card-head">
                    <h3 id="data-title">{ "Sample data" }</h3>
                    <label>{ "Items per entity " }
                        <input type="number" min="1" max={crate::engine::MAX_PER_ENTITY.to_string()} class="num" value={(*per_entity).clone()}
                            data-testid="per-entity" aria-label="Items per entity"
                            onchange={{ let p = per_entity.clone(); Callback::from(move |e: Event| p.set(input_value(&e))) }} />
                    </label>
                    <button class="primary" onclick={generate} disabled={generating} data-testid="generate">
                        { if data.summary.is_some() { "Regenerate" } else { "Generate sample data" } }</button>
                    <span class="hint">{ "Runs in a background worker; the page stays usable." }</span>
                </div>
                if let Some((done, total, stage)) = &data.progress {
                    <progress class="progress" max={total.to_string()} value={done.to_string()} data-testid="progress"
                        aria-label="Generating sample data" />
                    <p class="hint">{ format!("{stage}: {done} of {total}") }</p>
                }
                if let Some(error) = &data.error { <div class="inline-error" role="alert">{ error.clone() }</div> }
                if let Some(s) = &data.summary {
                    <p class="stats" data-testid="data-summary">
                        <span>{ format!("MongoDB: {} documents in {}", s.documents, s.collections.iter().map(|(c, n)| format!("{c} ({n})")).collect::<Vec<_>>().join(", ")) }</span>
                        <span>{ format!("DynamoDB: {} items in {}", s.items, s.table) }</span>
                    </p>
                    { for s.problems.iter().map(|p| html! { <p class="finding warning">{ p.clone() }</p> }) }
                    if stale { <p class="finding warning">{ "The design changed since the data was generated: regenerate to query the new layout." }</p> }
                }
            </section>
            <section class="card" aria-labelledby="query-title">
                <div class="card-head">
                    <h3 id="query-title">{ "Query" }</h3>
                    <div class="tabs" role="group" aria-label="Database">
                        { database_tab("mongo", "MongoDB") }{ database_tab("dynamo", "DynamoDB") }
                    </div>
                </div>
                { editor }
                <div class="field-line">
                    <button class="primary" onclick={on_run} disabled={data.summary.is_none() || generating}
                        data-testid="run" title="Run (Ctrl+Enter)">{ "Run" }</button>
                    if data.summary.is_none() { <span class="hint">{ "Generate sample data first." }</span> }
                    if waiting { <span class="hint" data-testid="running">{ "running…" }</span> }
                    <span class="grow" />
                    <button class="small" onclick={toggle_view} data-testid="toggle-json">{ if *view_json { "Show table" } else { "Show JSON" } }</button>
                </div>
                <div data-testid="result" aria-live="polite">{ result }</div>
            </section>
        </div>
    }
}

/// The rows of a result and what to say about it.
fn render_result(
    db: &str,
    value: &Value,
    as_json: bool,
    next_page: Option<Callback<MouseEvent>>,
    dynamo_keys: &[&str],
) -> Html {
    let (rows, stats): (Vec<Value>, Vec<String>) = if db == "dynamo" {
        let items: Vec<Value> = value
            .get("Items")
            .and_then(Value::as_array)
            .map(|items| items.iter().map(dynamo::unmarshall_map).collect())
            .or_else(|| {
                value
                    .get("Item")
                    .map(|item| vec![dynamo::unmarshall_map(item)])
            })
            .unwrap_or_default();
        let mut stats = Vec::new();
        if let Some(n) = value.get("Count") {
            stats.push(format!("Count {n}"));
        }
        if let Some(n) = value.get("ScannedCount") {
            stats.push(format!("ScannedCount {n}"));
        }
        if let Some(c) = value.get("ConsumedCapacity") {
            let units = c
                .get("CapacityUnits")
                .map(|u| u.to_string())
                .unwrap_or_default();
            stats.push(format!("consumed {units} capacity units"));
        }
        if value.get("LastEvaluatedKey").is_some() {
            stats.push("more pages".into());
        }
        (items, stats)
    } else {
        mongo_rows(value)
    };
    html! {
        <div class="result">
            <p class="stats" data-testid="result-stats">
                <span>{ format!("{} row{}", rows.len(), if rows.len() == 1 { "" } else { "s" }) }</span>
                { for stats.iter().map(|s| html! { <span>{ s.clone() }</span> }) }
                if let Some(next) = next_page {
                    <button class="small" onclick={next} data-testid="next-page">{ "Next page" }</button>
                }
            </p>
            if db == "mongo" { { explain(value) } }
            if as_json {
                <JsonTree value={value.clone()} open={3} />
            } else {
                { table(&rows, if db == "dynamo" { dynamo_keys } else { &["_id"] }) }
            }
        </div>
    }
}

/// The documents of a MongoDB answer (`{"result": ..., "explain": ...}`), and its counts.
fn mongo_rows(value: &Value) -> (Vec<Value>, Vec<String>) {
    let result = value.get("result").unwrap_or(&Value::Null);
    let mut stats = Vec::new();
    match result {
        Value::Array(rows) => return (rows.clone(), stats),
        Value::Number(n) => stats.push(format!("count {n}")),
        Value::Null => stats.push("no document matched".into()),
        Value::Object(map) => {
            for key in [
                "matchedCount",
                "modifiedCount",
                "upsertedCount",
                "deletedCount",
                "insertedId",
            ] {
                if let Some(n) = map.get(key) {
                    stats.push(format!("{key} {n}"));
                }
            }
            if stats.is_empty() {
                return (vec![result.clone()], stats);
            }
        }
        other => stats.push(other.to_string()),
    }
    (Vec::new(), stats)
}

/// The explain summary of a MongoDB answer, when it has one.
fn explain(value: &Value) -> Html {
    let Some(plan) = value.get("explain") else {
        return html! {};
    };
    if let Some(error) = plan.get("error") {
        return html! { <p class="hint">{ format!("no explain: {}", error.as_str().unwrap_or_default()) }</p> };
    }
    let winning = plan
        .pointer("/queryPlanner/winningPlan")
        .or_else(|| plan.get("winningPlan"))
        .cloned()
        .unwrap_or(Value::Null);
    let stages = plan_stages(&winning, 0);
    let exec = plan.get("executionStats").unwrap_or(plan);
    let get = |k: &str| {
        exec.get(k)
            .map(|v| v.to_string())
            .unwrap_or_else(|| "?".into())
    };
    html! {
        <div class="explain" data-testid="explain">
            <p class="stats">
                <span>{ format!("plan: {}", if stages.is_empty() { "?".to_string() } else { stages.join(" ← ") }) }</span>
                <span>{ format!("keys examined {}", get("totalKeysExamined")) }</span>
                <span>{ format!("documents examined {}", get("totalDocsExamined")) }</span>
                <span>{ format!("returned {}", get("nReturned")) }</span>
            </p>
        </div>
    }
}

/// `FETCH ← IXSCAN email_1`: the stages of a plan from the top.
fn plan_stages(plan: &Value, depth: usize) -> Vec<String> {
    let Some(stage) = plan.get("stage").and_then(Value::as_str) else {
        return Vec::new();
    };
    let mut label = stage.to_string();
    if let Some(index) = plan.get("indexName").and_then(Value::as_str) {
        label = format!("{label} {index}");
    }
    let mut out = vec![label];
    if depth < 16 {
        if let Some(input) = plan.get("inputStage") {
            out.extend(plan_stages(input, depth + 1));
        }
    }
    out
}

/// Rows as a table whose columns are the union of their keys, the `lead` columns (the key
/// attributes) first, as a reader of a table looks for them.
fn table(rows: &[Value], lead: &[&str]) -> Html {
    if rows.is_empty() {
        return html! { <p class="hint" data-testid="no-rows">{ "No rows." }</p> };
    }
    let present = |name: &str| rows.iter().take(TABLE_ROWS).any(|r| r.get(name).is_some());
    let mut columns: Vec<String> = lead
        .iter()
        .filter(|name| present(name))
        .map(|name| name.to_string())
        .collect();
    for row in rows.iter().take(TABLE_ROWS) {
        if let Some(map) = row.as_object() {
            for k in map.keys() {
                if !columns.contains(k) {
                    columns.push(k.clone());
                }
            }
        }
    }
    let cell = |v: Option<&Value>| match v {
        None => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Object(o)) if o.len() == 1 => match o.iter().next() {
            Some((k, Value::String(s))) if k.starts_with('$') => s.clone(),
            _ => Value::Object(o.clone()).to_string(),
        },
        Some(v) => v.to_string(),
    };
    html! {
        <div class="scroll-x">
            <table class="grid" data-testid="result-table">
                <thead><tr>{ for columns.iter().map(|c| html! { <th>{ c.clone() }</th> }) }</tr></thead>
                <tbody>
                { for rows.iter().take(TABLE_ROWS).map(|row| html! {
                    <tr>{ for columns.iter().map(|c| {
                        let text = cell(row.get(c));
                        let short: String = text.chars().take(80).collect();
                        html! { <td title={(short.len() < text.len()).then(|| text.clone())}>{ short }</td> }
                    }) }</tr>
                }) }
                </tbody>
            </table>
            if rows.len() > TABLE_ROWS { <p class="hint">{ format!("Showing {TABLE_ROWS} of {} rows; the JSON view has all.", rows.len()) }</p> }
        </div>
    }
}
