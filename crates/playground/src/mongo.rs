//! The MongoDB console: a form read into a [`Command`], run on the simulator, and its answer
//! made ready to show (rows, counts, the plan).

use schemaplay_core::mongo::MongoQuery;
use schemaplay_mongo::request::{missing_field, to_document, to_documents, to_update};
use schemaplay_mongo::{Command, Database, FindExplain, FindOptions, MongoError, WriteOptions};
use serde_json::{json, Value};

use crate::api::{Error, Explain, MongoAnswer, PlanSummary, Rows};
use crate::form::{MongoField, MongoForm, MongoOp};
use crate::json::parse_input;

/// The deepest plan a summary follows.
const MAX_PLAN_DEPTH: usize = 16;

impl From<MongoError> for Error {
    fn from(e: MongoError) -> Error {
        Error::Message(e.to_string())
    }
}

/// Reads a form into the command it runs: each input's JSON read once (every broken input is
/// reported, with its line and column), then converted to BSON with MongoDB's errors.
pub fn command(form: &MongoForm) -> Result<Command, Error> {
    let mut values = Vec::new();
    let mut problems = Vec::new();
    for input in &form.inputs {
        match parse_input(input.field.key(), &input.text) {
            Ok(Some(value)) => values.push((input.field, value)),
            Ok(None) => {}
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Inputs(problems));
    }
    let op = form.operation.name();
    let value = |field: MongoField| values.iter().find(|(f, _)| *f == field).map(|(_, v)| v);
    let document = |field: MongoField| {
        value(field)
            .map(|v| to_document(op, field.key(), v))
            .transpose()
    };
    let required = |field: MongoField| value(field).ok_or_else(|| missing_field(op, field.key()));
    let collection = form.collection.clone();
    let filter = document(MongoField::Filter)?.unwrap_or_default();
    let collation = document(MongoField::Collation)?;
    Ok(match form.operation {
        MongoOp::Find => Command::Find {
            collection,
            options: FindOptions {
                filter,
                projection: document(MongoField::Projection)?,
                sort: document(MongoField::Sort)?,
                skip: 0,
                limit: form
                    .limit
                    .trim()
                    .parse::<u64>()
                    .map_or(0, |n| i64::try_from(n).unwrap_or(i64::MAX)),
                collation,
            },
            explain: None,
        },
        MongoOp::Aggregate => Command::Aggregate {
            collection,
            pipeline: to_documents(op, "pipeline", required(MongoField::Pipeline)?)?,
            explain: None,
            collation,
        },
        MongoOp::CountDocuments => Command::CountDocuments {
            collection,
            options: FindOptions {
                filter,
                collation,
                ..FindOptions::default()
            },
            explain: None,
        },
        MongoOp::UpdateOne | MongoOp::UpdateMany => Command::update(
            collection,
            filter,
            to_update(op, "update", required(MongoField::Update)?)?,
            WriteOptions {
                collation,
                ..WriteOptions::default()
            },
            form.operation == MongoOp::UpdateMany,
        ),
        MongoOp::DeleteOne => Command::DeleteOne {
            collection,
            filter,
            collation,
        },
        MongoOp::InsertOne => Command::InsertOne {
            collection,
            document: to_document(op, "document", required(MongoField::Document)?)?,
            bypass_document_validation: false,
        },
    })
}

/// The command a derived query runs (its request, [`MongoQuery::request`], read by the
/// simulator's own reader, so a query it cannot run is MongoDB's error).
pub fn query_command(query: &MongoQuery) -> Result<Command, MongoError> {
    Command::from_json(&query.request())
}

/// Runs a command; with `explain`, the answer carries the plan of a find, an aggregation or a
/// count too (a find's from the same execution as its documents).
pub fn run(db: &mut Database, command: Command, explain: bool) -> Result<MongoAnswer, MongoError> {
    if let (
        true,
        Command::Find {
            collection,
            options,
            explain: None,
        },
    ) = (explain, &command)
    {
        let with_results = Command::Find {
            collection: collection.clone(),
            options: options.clone(),
            explain: Some(FindExplain::WithResults),
        };
        let mut both = db.run(with_results)?;
        let results = both.get_mut("results").map(Value::take);
        let plan = both.get_mut("explain").map(Value::take);
        return Ok(answer(results.unwrap_or(Value::Null), plan));
    }
    let explained = if explain {
        command.explained_with_stats()
    } else {
        None
    };
    let result = db.run(command)?;
    let plan = explained.map(|command| match db.run(command) {
        // An aggregation's plan sits in its first stage's `$cursor`.
        Ok(plan) => cursor_plan(plan),
        Err(e) => json!({ "error": e.to_string() }),
    });
    Ok(answer(result, plan))
}

/// An aggregation's plan sits in its first stage's `$cursor`; any other plan is itself.
fn cursor_plan(plan: Value) -> Value {
    plan.pointer("/stages/0/$cursor").cloned().unwrap_or(plan)
}

/// The answer to show for an explain document (a script's `explain()`): no rows, the plan.
pub(crate) fn plan_answer(explained: Value) -> MongoAnswer {
    let plan = cursor_plan(explained.clone());
    MongoAnswer {
        result: explained,
        rows: Rows::None,
        stats: Vec::new(),
        explain: Some(Explain {
            summary: summarize(&plan),
            plan,
        }),
    }
}

/// The answer to show for a result and its plan.
pub(crate) fn answer(result: Value, plan: Option<Value>) -> MongoAnswer {
    let mut stats = Vec::new();
    let rows = match &result {
        Value::Array(_) => Rows::All,
        Value::Number(n) => {
            stats.push(format!("count {n}"));
            Rows::None
        }
        Value::Null => {
            stats.push("no document matched".to_string());
            Rows::None
        }
        Value::Object(map) => {
            for key in [
                "matchedCount",
                "modifiedCount",
                "upsertedCount",
                "deletedCount",
                "insertedId",
            ] {
                // mongosh's updateOne answers `insertedId: null` when nothing was upserted.
                if let Some(n) = map.get(key).filter(|n| !n.is_null()) {
                    stats.push(format!("{key} {n}"));
                }
            }
            if stats.is_empty() {
                Rows::One
            } else {
                Rows::None
            }
        }
        other => {
            stats.push(other.to_string());
            Rows::None
        }
    };
    MongoAnswer {
        rows,
        stats,
        explain: plan.map(|plan| Explain {
            summary: summarize(&plan),
            plan,
        }),
        result,
    }
}

/// The stages and counters of an explain document, or why there is no plan.
fn summarize(plan: &Value) -> Result<PlanSummary, String> {
    if let Some(error) = plan.get("error") {
        return Err(error.as_str().unwrap_or_default().to_string());
    }
    let winning = plan
        .pointer("/queryPlanner/winningPlan")
        .or_else(|| plan.get("winningPlan"))
        .unwrap_or(&Value::Null);
    let exec = plan.get("executionStats").unwrap_or(plan);
    let counter = |name: &str| exec.get(name).and_then(Value::as_u64);
    Ok(PlanSummary {
        stages: stages(winning),
        keys_examined: counter("totalKeysExamined"),
        docs_examined: counter("totalDocsExamined"),
        returned: counter("nReturned"),
    })
}

/// `FETCH`, `IXSCAN email_1`: the stages of a plan from the top.
fn stages(plan: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stage = Some(plan);
    while let Some(current) = stage.filter(|_| out.len() <= MAX_PLAN_DEPTH) {
        let Some(name) = current.get("stage").and_then(Value::as_str) else {
            break;
        };
        out.push(match current.get("indexName").and_then(Value::as_str) {
            Some(index) => format!("{name} {index}"),
            None => name.to_string(),
        });
        stage = current.get("inputStage");
    }
    out
}
