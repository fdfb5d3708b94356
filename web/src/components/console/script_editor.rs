//! A database's script console: the script in a code editor, a pick of the design's access
//! patterns that fills it with the pattern's request as code, Run (or Ctrl+Enter), and each
//! statement's outcome, its lines marked in the editor's gutter.

use yew::prelude::*;

use super::mongo_editor::pattern_options;
use super::script_results::ScriptResults;
use crate::components::code_editor::{place_caret, CodeEditor, Mark};
use crate::components::select;
use crate::data::{DataAction, Database, ScriptPane, ScriptRun};
use crate::derived::Shared;
use crate::requests::ConsoleRequests;

#[derive(Properties, PartialEq)]
pub struct ScriptEditorProps {
    pub analysis: Shared,
    pub database: Database,
    pub pane: ScriptPane,
    /// The pattern picked last.
    pub pattern: Option<String>,
    pub as_json: bool,
    /// The DynamoDB key attributes, shown as the first columns.
    pub lead: Vec<String>,
    /// The seed of the data generated (or of the generation a run makes first, when nothing
    /// was generated yet): a pattern's script reads its keys.
    pub seed: u64,
    pub has_data: bool,
    pub requests: ConsoleRequests,
    pub on_data: Callback<DataAction>,
}

#[function_component(ScriptEditor)]
pub fn script_editor(props: &ScriptEditorProps) -> Html {
    let area = use_node_ref();
    let pane = &props.pane;
    let database = props.database;
    let on_run = {
        let requests = props.requests.clone();
        let text = pane.text.clone();
        let seed = props.seed;
        Callback::from(move |_| requests.run_script(database, text.clone(), seed))
    };
    let on_goto = {
        let area = area.clone();
        let text = pane.text.clone();
        Callback::from(move |(line, column): (usize, Option<usize>)| {
            place_caret(&area, &text, line, column)
        })
    };
    let patterns: Vec<(String, String)> = match database {
        Database::Mongo => pattern_options(
            props
                .analysis
                .mongo
                .queries
                .iter()
                .map(|q| (q.pattern.clone(), q.pattern.clone())),
        ),
        Database::Dynamo => pattern_options(props.analysis.dynamo.requests.iter().map(|r| {
            (
                r.pattern.clone(),
                format!("{} ({})", r.pattern, r.operation),
            )
        })),
    };
    let on_pattern = {
        let requests = props.requests.clone();
        let on_data = props.on_data.clone();
        let seed = props.seed;
        Callback::from(move |pattern: String| {
            if let Some(script) = requests.script_for(database, &pattern, seed) {
                on_data.emit(DataAction::FillScript { pattern, script });
            }
        })
    };
    let run = pane.run.as_ref();
    // The marks belong to the text that ran; once it is edited they would point elsewhere.
    let edited = run.is_some_and(|run| run.source != pane.text);
    let marks = run
        .filter(|_| !edited)
        .map(|run| gutter_marks(run, pane.text.lines().count()))
        .unwrap_or_default();
    let (label, placeholder) = match database {
        Database::Mongo => (
            "MongoDB script",
            "Paste or type mongosh, mongoose or Node.js driver code, e.g.\ndb.users.find({ 'profile.city': 'NYC' }).sort({ createdAt: -1 }).limit(5)",
        ),
        Database::Dynamo => (
            "DynamoDB script",
            "Paste or type AWS SDK for JavaScript (v3 or v2) code or aws dynamodb commands, e.g.\nawait client.send(new QueryCommand({ TableName: 'app-data', ... }))",
        ),
    };
    let testid = |id: &str| format!("script-{id}");
    html! {
        <div class="script-console">
            <div class="field-line">
                <span class="hint">{ "Statements run in order; each shows its result or its error." }</span>
                <span class="grow" />
                if pane.replaced.is_some() {
                    <button class="small" onclick={props.on_data.reform(|_: MouseEvent| DataAction::UndoFill)}
                        data-testid="script-undo-fill">{ "Undo fill" }</button>
                }
                { select("Fill from an access pattern", testid("pattern"), &patterns,
                    props.pattern.as_deref().unwrap_or_default(), on_pattern) }
            </div>
            <CodeEditor text={pane.text.clone()} {label} testid={testid("input")} area={area.clone()} {marks}
                placeholder={placeholder} min_rows={8} indent_with_tab=true class="script"
                on_run={Some(on_run.clone())} on_input={props.on_data.reform(DataAction::SetScript)} />
            <div class="field-line">
                <button class="primary" onclick={on_run.reform(|_: MouseEvent| ())} disabled={pane.text.trim().is_empty()}
                    data-testid="run" title="Run (Ctrl+Enter)">{ "Run" }</button>
                <span class="hint">{ "Ctrl+Enter runs; Tab indents (Esc, then Tab, leaves the editor)." }</span>
                if !props.has_data { <span class="hint">{ "No sample data yet: the script runs on the design's empty collections and table." }</span> }
                if pane.pending.is_some() { <span class="hint" data-testid="running">{ "running…" }</span> }
                <span class="grow" />
                { super::toggle_json(props.as_json, &props.on_data) }
            </div>
            <div data-testid="result" aria-live="polite">
                if let Some(run) = run {
                    <ScriptResults run={run.clone()} {edited} as_json={props.as_json} lead={props.lead.clone()} {on_goto} />
                }
            </div>
        </div>
    }
}

/// The gutter marks of a run over a text of `lines` lines: each statement's lines as ran or
/// failed, the line of an error as the problem.
fn gutter_marks(run: &ScriptRun, lines: usize) -> Vec<(usize, Mark)> {
    let Ok(statements) = &run.statements else {
        return Vec::new();
    };
    let mut marks = Vec::new();
    for statement in statements {
        let mark = if statement.error.is_some() {
            Mark::Failed
        } else {
            Mark::Ran
        };
        let end = statement.end_line.max(statement.line).min(lines);
        marks.extend((statement.line..=end).map(|l| (l, mark)));
    }
    // Problems last, so they win over their statement's mark.
    marks.extend(
        statements
            .iter()
            .filter_map(|s| s.error.as_ref().map(|e| (e.line as usize, Mark::Problem))),
    );
    marks
}
