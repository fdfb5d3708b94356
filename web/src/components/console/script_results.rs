//! The outcomes of a script run, one per statement that showed something, in order: its
//! lines, the warnings a driver printed, and its result (a database's answer as a form's answer
//! is shown, any other value as a JSON tree) or its error at its line and column.

use yew::prelude::*;

use super::result::ResultView;
use crate::components::json_tree::JsonTree;
use crate::data::{ScriptRun, Shown, Statement};
use crate::derived::Shared;

#[derive(Properties, PartialEq)]
pub struct ScriptResultsProps {
    pub run: Shared<ScriptRun>,
    /// The script was edited since this run.
    pub edited: bool,
    pub as_json: bool,
    pub lead: Vec<String>,
    /// Puts the editor's caret at a line and column.
    pub on_goto: Callback<(usize, Option<usize>)>,
}

#[function_component(ScriptResults)]
pub fn script_results(props: &ScriptResultsProps) -> Html {
    let statements = match &props.run.statements {
        Ok(statements) => statements,
        Err(message) => {
            return html! {
                <div class="inline-error" role="alert" data-testid="script-failed">{ message.clone() }</div>
            }
        }
    };
    let count = statements.len();
    let summary = format!(
        "{count} statement{}, {} failed",
        if count == 1 { "" } else { "s" },
        props.run.failed
    );
    let shown = statements
        .iter()
        .filter(|s| s.shown.is_some() || s.error.is_some() || !s.warnings.is_empty())
        .map(|s| outcome(s, props));
    html! {
        <div class="script-results" data-testid="script-results" data-run={props.run.id.0.to_string()}>
            <p class="stats" data-testid="script-summary">
                <span>{ summary }</span>
                if props.edited { <span>{ "the script was edited since this run" }</span> }
            </p>
            if count == 0 { <p class="hint">{ "The script has no statements." }</p> }
            <ol class="outcomes">{ for shown }</ol>
        </div>
    }
}

fn outcome(statement: &Statement, props: &ScriptResultsProps) -> Html {
    let goto = |line: usize, column: Option<usize>| {
        props.on_goto.reform(move |_: MouseEvent| (line, column))
    };
    let lines = if statement.end_line > statement.line {
        format!("lines {}–{}", statement.line, statement.end_line)
    } else {
        format!("line {}", statement.line)
    };
    let failed = statement.error.is_some();
    let status = if failed { "error" } else { "ok" };
    let body = match (&statement.error, &statement.shown) {
        (Some(problem), _) => {
            let (line, column) = (problem.line as usize, problem.column as usize);
            html! {
                <div class="inline-error" role="alert" data-testid="script-error">
                    <button class="link" onclick={goto(line, Some(column))} data-testid="script-error-at">
                        { format!("line {line}, column {column}") }</button>
                    { format!(": {}", problem.message) }
                </div>
            }
        }
        (None, Some(Shown::Answer(answer))) => html! {
            <ResultView answer={answer.clone()} as_json={props.as_json} lead={props.lead.clone()} />
        },
        (None, Some(Shown::Value(value))) => html! {
            <div class="result" data-testid="script-value"><JsonTree value={(**value).clone()} open={3} /></div>
        },
        (None, None) => Html::default(),
    };
    html! {
        <li class={classes!("outcome", failed.then_some("failed"))} data-testid="script-outcome" data-line={statement.line.to_string()}
            data-status={status}>
            <div class="outcome-head">
                <button class="link" onclick={goto(statement.line, None)} data-testid="script-outcome-line">{ lines }</button>
            </div>
            { for statement.warnings.iter().map(|w| html! { <p class="finding warning" data-testid="script-warning">{ w.clone() }</p> }) }
            { body }
        </li>
    }
}
