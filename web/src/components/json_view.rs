//! The whole design as JSON, editable directly, with every problem shown at its line.

use std::rc::Rc;

use schemaplay_core::model::{Design, Finding, Severity};
use yew::prelude::*;

use super::code_editor::{place_caret, CodeEditor, Mark};
use crate::json_lines::{line_of, value_lines};
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct JsonViewProps {
    pub design: Rc<Design>,
    pub on_action: Callback<Action>,
}

/// A problem of the draft, at its 1-based line.
#[derive(Clone, PartialEq)]
struct LineFinding {
    line: usize,
    severity: Severity,
    text: String,
}

#[function_component(JsonView)]
pub fn json_view(props: &JsonViewProps) -> Html {
    let draft = use_state(|| None::<String>);
    let area = use_node_ref();
    let text = (*draft).clone().unwrap_or_else(|| props.design.to_json());
    let parsed = use_memo(text.clone(), |text| check(text));
    let (design, findings) = (&parsed.0, &parsed.1);
    let on_input = {
        let draft = draft.clone();
        Callback::from(move |text: String| draft.set(Some(text)))
    };
    let apply = {
        let draft = draft.clone();
        let on_action = props.on_action.clone();
        let design = design.clone();
        Callback::from(move |_| {
            if let Some(design) = design.clone() {
                on_action.emit(Action::Replace(design));
                draft.set(None);
            }
        })
    };
    let revert = {
        let draft = draft.clone();
        Callback::from(move |_| draft.set(None))
    };
    let goto = |line: usize| {
        let area = area.clone();
        let text = text.clone();
        Callback::from(move |_| place_caret(&area, &text, line, None))
    };
    let marks: Vec<(usize, Mark)> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| (f.line, Mark::Problem))
        .collect();
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    html! {
        <section class="card json-view" aria-labelledby="json-title">
            <div class="card-head">
                <h3 id="json-title">{ "Design JSON" }</h3>
                <span class="grow" />
                if draft.is_some() {
                    <button class="small" onclick={revert} data-testid="json-revert">{ "Revert" }</button>
                    <button class="small primary" onclick={apply} disabled={design.is_none()}
                        data-testid="json-apply">{ "Apply changes" }</button>
                }
            </div>
            <CodeEditor text={text.clone()} label="Design as JSON" testid="json-text" area={area.clone()}
                {marks} on_input={on_input} />
            <ul class="findings" data-testid="json-findings" aria-live="polite">
                if findings.is_empty() {
                    <li class="ok">{ "No problems found." }</li>
                }
                { for findings.iter().map(|f| html! {
                    <li class={classes!("finding", f.severity.to_string())}>
                        <button class="link" onclick={goto(f.line)}>{ format!("line {}", f.line) }</button>
                        { format!(" {}: {}", f.severity, f.text) }
                    </li>
                }) }
            </ul>
            if errors > 0 && draft.is_some() {
                <p class="hint">{ "Fix the errors to apply the JSON." }</p>
            }
        </section>
    }
}

/// Reads the draft: the design when it has no errors, and every finding with its line.
fn check(text: &str) -> (Option<Design>, Vec<LineFinding>) {
    let lines = value_lines(text);
    let at_line = |f: &Finding| LineFinding {
        line: syntax_line(&f.message).unwrap_or_else(|| line_of(&lines, &f.path)),
        severity: f.severity,
        text: f.to_string(),
    };
    match Design::from_json(text) {
        Ok(design) => {
            let advice = schemaplay_core::validate(&design);
            (Some(design), advice.iter().map(at_line).collect())
        }
        Err(findings) => (None, findings.iter().map(at_line).collect()),
    }
}

/// The line a JSON syntax error names ("invalid JSON at line 3, column 7").
fn syntax_line(message: &str) -> Option<usize> {
    let rest = message.strip_prefix("invalid JSON at line ")?;
    rest.split(',').next()?.trim().parse().ok()
}
