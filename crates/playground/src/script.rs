//! The script console: a script run statement by statement on the playground's simulators
//! through `schemaplay_script`, each outcome made ready to show (the typed answers the forms
//! give, where a statement's result is an operation's answer).

use schemaplay_script::{Answer, Host, Outcome};
use serde_json::Value;

use crate::api::{ScriptAnswer, ScriptProblem, ScriptResult, StatementOutcome};
use crate::{dynamo, mongo};

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
