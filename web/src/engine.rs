//! The simulators with the generated sample data, driven by messages. It runs in the Web
//! Worker (see `worker.rs`), so generating 100k documents never blocks the page; it is plain
//! Rust and unit-tested natively.
//!
//! Messages carry JSON as text: the worker's codec (bincode) cannot read a `serde_json::Value`.

use schemaplay_core::model::Design;
use schemaplay_core::{dynamo, mongo};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Documents inserted (or items written) per step; progress is reported after each.
const CHUNK: usize = 2000;
/// The most items per entity a request may ask for.
pub const MAX_PER_ENTITY: u64 = 200_000;

/// What the page asks of the engine; `id` comes back with the answer.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub enum Request {
    /// Replace the data with `per_entity` sample items of each entity of the design.
    Generate {
        id: u32,
        design_json: String,
        per_entity: u64,
        seed: u64,
    },
    /// A MongoDB request in the simulator's JSON shape (`{"op": "find", ...}`); with
    /// `explain`, the answer carries the query's explain (executionStats) too.
    Mongo {
        id: u32,
        request_json: String,
        explain: bool,
    },
    /// A NoSQL Workbench model or SQL DDL file to convert into a design.
    Import { id: u32, name: String, text: String },
    /// A DynamoDB API operation with its input in the low-level JSON shape.
    Dynamo {
        id: u32,
        operation: String,
        input_json: String,
    },
}

/// What the engine answers.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub enum Response {
    Progress {
        id: u32,
        done: u64,
        total: u64,
        stage: String,
    },
    Generated {
        id: u32,
        summary: Summary,
    },
    /// A converted file: the design's JSON and a note on what was left out.
    Imported {
        id: u32,
        design_json: String,
        note: String,
    },
    /// The result of a query, as JSON text.
    Result {
        id: u32,
        json: String,
    },
    Error {
        id: u32,
        message: String,
    },
}

/// What was generated.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct Summary {
    /// (collection, documents) for MongoDB.
    pub collections: Vec<(String, u64)>,
    pub documents: u64,
    pub table: String,
    pub items: u64,
    /// Problems met while loading (a rejected batch), each once.
    pub problems: Vec<String>,
}

#[derive(Default)]
pub struct Engine {
    mongo: schemaplay_mongo::Database,
    dynamo: schemaplay_dynamo::Database,
}

impl Engine {
    /// Handles one request; `respond` receives progress reports and then the answer.
    pub fn handle(&mut self, request: Request, respond: &mut dyn FnMut(Response)) {
        match request {
            Request::Generate {
                id,
                design_json,
                per_entity,
                seed,
            } => match Design::from_json_unchecked(&design_json) {
                Ok(design) => {
                    let summary = self.generate(
                        &design,
                        per_entity.min(MAX_PER_ENTITY),
                        seed,
                        &mut |done, total, stage| {
                            respond(Response::Progress {
                                id,
                                done,
                                total,
                                stage: stage.to_string(),
                            })
                        },
                    );
                    respond(Response::Generated { id, summary });
                }
                Err(findings) => respond(Response::Error {
                    id,
                    message: findings
                        .first()
                        .map(|f| format!("the design could not be read: {f}"))
                        .unwrap_or_default(),
                }),
            },
            Request::Mongo {
                id,
                request_json,
                explain,
            } => {
                let answer = parse(&request_json, "request")
                    .and_then(|request| self.mongo_query(&request, explain));
                respond(answer_of(id, answer));
            }
            Request::Import { id, name, text } => {
                respond(match crate::import::convert(&name, &text) {
                    Ok((design, note)) => Response::Imported {
                        id,
                        design_json: design.to_json(),
                        note,
                    },
                    Err(message) => Response::Error { id, message },
                })
            }
            Request::Dynamo {
                id,
                operation,
                input_json,
            } => {
                let answer = parse(&input_json, "request").and_then(|input| {
                    self.dynamo
                        .execute(operation.trim(), &input)
                        .map_err(|e| e.to_string())
                });
                respond(answer_of(id, answer));
            }
        }
    }

    /// Runs a MongoDB request: `{"result": ...}`, with `"explain"` (executionStats) when asked
    /// for and the operation has a plan.
    fn mongo_query(&mut self, request: &Value, explain: bool) -> Result<Value, String> {
        let op = request
            .get("op")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if explain && op == "find" {
            // One execution answers both the documents and the plan that found them.
            let mut request = request.clone();
            if let Some(map) = request.as_object_mut() {
                map.insert("explain".into(), json!("withResults"));
            }
            let mut answer = self.mongo.execute(&request).map_err(|e| e.to_string())?;
            let results = answer.get_mut("results").map(Value::take);
            let plan = answer.get_mut("explain").map(Value::take);
            return Ok(json!({ "result": results, "explain": plan }));
        }
        let result = self.mongo.execute(request).map_err(|e| e.to_string())?;
        let command_op = match op {
            "find" | "aggregate" => op,
            "countDocuments" => "count",
            _ => return Ok(json!({ "result": result })),
        };
        if !explain {
            return Ok(json!({ "result": result }));
        }
        let mut command = request.clone();
        if let Some(map) = command.as_object_mut() {
            map.insert("op".into(), json!(command_op));
            map.remove("collection");
        }
        let explain_request = json!({
            "op": "explain",
            "collection": request.get("collection").cloned().unwrap_or(Value::Null),
            "verbosity": "executionStats",
            "command": command,
        });
        let plan = self
            .mongo
            .execute(&explain_request)
            .map(|doc| {
                // An aggregation's plan sits in its first stage's `$cursor`.
                doc.pointer("/stages/0/$cursor").cloned().unwrap_or(doc)
            })
            .unwrap_or_else(|e| json!({ "error": e.to_string() }));
        Ok(json!({ "result": result, "explain": plan }))
    }

    /// Loads fresh sample data into both simulators.
    fn generate(
        &mut self,
        design: &Design,
        per_entity: u64,
        seed: u64,
        progress: &mut dyn FnMut(u64, u64, &str),
    ) -> Summary {
        self.mongo = schemaplay_mongo::Database::new();
        self.dynamo = schemaplay_dynamo::Database::new();
        let mut summary = Summary::default();
        let mongo_layout = mongo::layout(design);
        let dynamo_layout = dynamo::layout(design);
        let sources = dynamo::sample_sources(design);
        let total = per_entity * (mongo_layout.collections.len() + sources.len()) as u64;
        let mut done = 0;
        progress(done, total, "generating documents");

        for collection in &mongo_layout.collections {
            let mut inserted = 0;
            // Documents are made a chunk at a time, so progress moves within a collection.
            for start in (0..per_entity).step_by(CHUNK) {
                let range = start..(start + CHUNK as u64).min(per_entity);
                let chunk = mongo::sample_documents_range(
                    design,
                    &collection.name,
                    range,
                    per_entity,
                    seed,
                );
                let count = chunk.len() as u64;
                let request =
                    json!({"op": "insertMany", "collection": collection.name, "documents": chunk});
                match self.mongo.execute(&request) {
                    Ok(_) => inserted += count,
                    Err(e) => note(&mut summary.problems, format!("{}: {e}", collection.name)),
                }
                done += count;
                progress(done, total, &format!("inserting into {}", collection.name));
            }
            for index in &collection.indexes {
                let mut options = json!({"name": index.name});
                if index.unique {
                    options["unique"] = json!(true);
                }
                let request = json!({"op": "createIndex", "collection": collection.name, "keys": index.keys, "options": options});
                if let Err(e) = self.mongo.execute(&request) {
                    note(&mut summary.problems, format!("index {}: {e}", index.name));
                }
            }
            summary
                .collections
                .push((collection.name.clone(), inserted));
            summary.documents += inserted;
        }

        summary.table = dynamo_layout.table_name.clone();
        if let Err(e) = self
            .dynamo
            .execute("CreateTable", &dynamo_layout.create_table)
        {
            note(&mut summary.problems, format!("CreateTable: {e}"));
            return summary;
        }
        let table = Value::String(dynamo_layout.table_name.clone());
        for source in &sources {
            for start in (0..per_entity).step_by(CHUNK) {
                let range = start..(start + CHUNK as u64).min(per_entity);
                for item in dynamo::sample_items_range(design, source, range, per_entity, seed) {
                    let mut input = serde_json::Map::new();
                    input.insert("TableName".into(), table.clone());
                    input.insert("Item".into(), item);
                    match self.dynamo.execute("PutItem", &Value::Object(input)) {
                        Ok(_) => summary.items += 1,
                        Err(e) => note(&mut summary.problems, format!("PutItem: {e}")),
                    }
                    done += 1;
                }
                progress(done, total, &format!("writing {source} items"));
            }
        }
        progress(total, total, "done");
        summary
    }
}

/// Keeps the first few distinct problems.
fn note(problems: &mut Vec<String>, problem: String) {
    if problems.len() < 5 && !problems.contains(&problem) {
        problems.push(problem);
    }
}

fn parse(text: &str, what: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| {
        format!(
            "the {what} is not valid JSON: {} (line {}, column {})",
            strip_position(&e.to_string()),
            e.line(),
            e.column()
        )
    })
}

fn strip_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(at) => &message[..at],
        None => message,
    }
}

fn answer_of(id: u32, answer: Result<Value, String>) -> Response {
    match answer {
        Ok(value) => Response::Result {
            id,
            json: value.to_string(),
        },
        Err(message) => Response::Error { id, message },
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::*;

    /// Runs requests on an engine loaded with the first example and shows the answers in brief.
    fn check(requests: Vec<Request>, expect: Expect) {
        let mut engine = Engine::default();
        let design = schemaplay_core::examples::all()
            .into_iter()
            .next()
            .map(|e| e.design)
            .unwrap_or_default();
        let mut out = Vec::new();
        let mut steps = 0;
        engine.handle(
            Request::Generate {
                id: 0,
                design_json: design.to_json(),
                per_entity: 50,
                seed: 7,
            },
            &mut |r| match r {
                Response::Progress { .. } => steps += 1,
                other => out.push(format!("{other:?}")),
            },
        );
        out.push(format!("progress reports: {}", steps > 1));
        for request in requests {
            engine.handle(request, &mut |r| {
                out.push(match r {
                    Response::Result { id, json } => {
                        let value: Value = serde_json::from_str(&json).unwrap_or_default();
                        let plan = value
                            .pointer("/explain/queryPlanner/winningPlan/inputStage/stage")
                            .map(|s| format!(", plan over {s}"))
                            .unwrap_or_default();
                        let rows = value
                            .get("Items")
                            .or_else(|| value.get("result"))
                            .and_then(|v| v.as_array())
                            .map(|a| a.len());
                        format!(
                            "{id}: ok, rows {rows:?}, count {:?}{plan}",
                            value.get("Count")
                        )
                    }
                    other => format!("{other:?}"),
                })
            });
        }
        expect.assert_eq(&out.join("\n"));
    }

    #[test]
    fn generates_and_answers() {
        check(
            vec![
                Request::Mongo {
                    id: 5,
                    request_json: r#"{"op":"find","collection":"users","filter":{"email":"john@example.com"}}"#.into(),
                    explain: true,
                },
                Request::Mongo {
                    id: 6,
                    request_json: r#"{"op":"find","collection":"users","filter":{"email":{"$eqq":1}}}"#.into(),
                    explain: false,
                },
                Request::Dynamo {
                    id: 1,
                    operation: "Query".into(),
                    input_json: r#"{"TableName":"app-data","KeyConditionExpression":"PK = :pk","ExpressionAttributeValues":{":pk":{"S":"nope"}}}"#.into(),
                },
                Request::Dynamo {
                    id: 2,
                    operation: "Scan".into(),
                    input_json: r#"{"TableName":"app-data","Limit":5}"#.into(),
                },
                Request::Dynamo {
                    id: 3,
                    operation: "Query".into(),
                    input_json: r#"{"TableName":"app-data", "KeyConditionExpression": }"#.into(),
                },
                Request::Dynamo {
                    id: 4,
                    operation: "Query".into(),
                    input_json: r#"{"TableName":"app-data","KeyConditionExpression":"PK = :pk AND"}"#.into(),
                },
            ],
            expect![[r#"
                Generated { id: 0, summary: Summary { collections: [("users", 50), ("posts", 50)], documents: 100, table: "app-data", items: 100, problems: [] } }
                progress reports: true
                5: ok, rows Some(1), count None, plan over "IXSCAN"
                Error { id: 6, message: "unknown operator: $eqq (BadValue, code 2)" }
                1: ok, rows Some(0), count Some(Number(0))
                2: ok, rows Some(5), count Some(Number(5))
                Error { id: 3, message: "the request is not valid JSON: expected value (line 1, column 52)" }
                Error { id: 4, message: "ValidationException: Invalid KeyConditionExpression: An expression attribute value used in expression is not defined; attribute value: :pk" }"#]],
        );
    }
}
