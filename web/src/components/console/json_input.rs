//! A JSON input of a console form: a textarea that runs on Ctrl+Enter and shows the problem the
//! playground found in it, at its line and column.

use schemaplay_playground::InputProblem;
use yew::prelude::*;

use crate::components::textarea_value;

#[derive(Properties, PartialEq)]
pub struct JsonInputProps {
    pub label: AttrValue,
    /// The input's key: its test id is `<testid>`, its problem's `query-error-<key>`.
    pub key_name: AttrValue,
    pub testid: AttrValue,
    pub text: AttrValue,
    /// The fewest and most rows the textarea grows between.
    pub rows: (usize, usize),
    pub problem: Option<InputProblem>,
    pub on_input: Callback<String>,
    pub on_run: Callback<()>,
}

#[function_component(JsonInput)]
pub fn json_input(props: &JsonInputProps) -> Html {
    let onkeydown = {
        let on_run = props.on_run.clone();
        Callback::from(move |e: KeyboardEvent| {
            if (e.ctrl_key() || e.meta_key()) && e.key() == "Enter" {
                e.prevent_default();
                on_run.emit(());
            }
        })
    };
    let oninput = props.on_input.reform(|e: InputEvent| textarea_value(&e));
    let error_id = format!("error-{}", props.key_name);
    let (min, max) = props.rows;
    html! {
        <label class="query-input">
            <span>{ props.label.clone() }</span>
            <textarea spellcheck="false" value={props.text.clone()} {oninput} {onkeydown}
                rows={props.text.lines().count().clamp(min, max).to_string()}
                aria-invalid={props.problem.is_some().to_string()}
                aria-describedby={props.problem.is_some().then(|| error_id.clone())}
                data-testid={props.testid.clone()} />
            if let Some(problem) = &props.problem {
                <div class="inline-error" role="alert" data-testid={format!("query-error-{}", props.key_name)} id={error_id}>
                    { problem.message.clone() }
                    if !problem.excerpt.is_empty() { <pre>{ problem.excerpt.clone() }</pre> }
                </div>
            }
        </label>
    }
}
