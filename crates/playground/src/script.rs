//! The script console: a script run statement by statement on the playground's simulators
//! through `schemaplay_script`, each outcome made ready to show (the typed answers the forms
//! give, where a statement's result is an operation's answer).

use schemaplay_core::export;
use schemaplay_core::model::Design;
use schemaplay_script::{Answer, Database, Host, Outcome};
use serde_json::Value;

use crate::api::{ScriptAnswer, ScriptProblem, ScriptResult, StatementOutcome};
use crate::{dynamo, mongo};

/// The script the console starts from for an access pattern, in its database's language:
/// mongosh for MongoDB, AWS SDK v3 lib-dynamodb code for DynamoDB (the text the SDK export
/// writes for the pattern, imports and client included), with the keys of data generated
/// from `seed`: its reads, updates and deletes find sample record 0 of that data, and an
/// insert writes a record no generation makes. None when the design has no such pattern (or
/// the pattern no request).
pub fn prefill_script(
    design: &Design,
    pattern: &str,
    database: Database,
    seed: u64,
) -> Option<String> {
    match database {
        Database::Mongo => export::mongosh_pattern(design, pattern, seed),
        Database::Dynamo => export::sdk_pattern(design, pattern, seed),
    }
}

/// Runs `source` on the host's databases (which keep what it writes) and answers every
/// statement's outcome.
pub fn run(source: &str, host: &mut Host) -> ScriptAnswer {
    let outcomes: Vec<StatementOutcome> = schemaplay_script::run(source, host)
        .into_iter()
        .map(outcome)
        .collect();
    ScriptAnswer {
        failed: outcomes.iter().filter(|o| o.error.is_some()).count(),
        outcomes,
    }
}

fn outcome(o: Outcome) -> StatementOutcome {
    let (result, error) = match o.result {
        Ok(shown) => (shown.map(|v| result(v, o.answer)), None),
        Err(e) => (
            None,
            Some(ScriptProblem {
                message: e.message,
                line: e.line,
                column: e.column,
            }),
        ),
    };
    StatementOutcome {
        line: o.line,
        end_line: o.end_line,
        result,
        error,
        warnings: o.warnings,
    }
}

/// A shown value as the answer it is.
fn result(value: Value, answer: Option<Answer>) -> ScriptResult {
    match answer {
        Some(Answer::Mongo) => ScriptResult::Mongo(mongo::answer(value, None)),
        Some(Answer::MongoPlan) => ScriptResult::Mongo(mongo::plan_answer(value)),
        Some(Answer::Dynamo { plain }) if value.is_object() => {
            ScriptResult::Dynamo(dynamo::answer(value, plain))
        }
        _ => ScriptResult::Value(value),
    }
}
