//! The DynamoDB form: an operation and its request in the low-level JSON API, and a pick of the
//! design's access patterns that prefills it.

use schemaplay_playground::{prefill_dynamo, DynamoForm, InputProblem, DYNAMO_INPUT, DYNAMO_OPS};
use yew::prelude::*;

use super::json_input::JsonInput;
use super::mongo_editor::pattern_options;
use crate::components::select;
use crate::derived::Shared;

#[derive(Properties, PartialEq)]
pub struct DynamoEditorProps {
    pub analysis: Shared,
    pub form: DynamoForm,
    pub problems: Vec<InputProblem>,
    /// The pattern picked last.
    pub pattern: Option<String>,
    pub on_pattern: Callback<String>,
    pub on_change: Callback<DynamoForm>,
    pub on_run: Callback<()>,
}

#[function_component(DynamoEditor)]
pub fn dynamo_editor(props: &DynamoEditorProps) -> Html {
    let form = &props.form;
    let requests = &props.analysis.dynamo.requests;
    let operations: Vec<(String, String)> = DYNAMO_OPS
        .iter()
        .map(|op| (op.to_string(), op.to_string()))
        .collect();
    let patterns = pattern_options(requests.iter().map(|r| {
        (
            r.pattern.clone(),
            format!("{} ({})", r.pattern, r.operation),
        )
    }));
    let on_pattern = {
        let analysis = props.analysis.clone();
        let on_change = props.on_change.clone();
        let on_pattern = props.on_pattern.clone();
        Callback::from(move |name: String| {
            let requests = &analysis.dynamo.requests;
            if let Some(request) = requests.iter().find(|r| r.pattern == name) {
                on_change.emit(prefill_dynamo(request));
                on_pattern.emit(name);
            }
        })
    };
    let on_operation = {
        let form = form.clone();
        props.on_change.reform(move |operation| DynamoForm {
            operation,
            ..form.clone()
        })
    };
    let on_input = {
        let form = form.clone();
        props.on_change.reform(move |input| DynamoForm {
            input,
            ..form.clone()
        })
    };
    let problem = props
        .problems
        .iter()
        .find(|p| p.input == DYNAMO_INPUT)
        .cloned();
    html! {
        <div class="query-editor">
            <div class="field-line">
                { select("Operation", "dynamo-op".into(), &operations, &form.operation, on_operation) }
                <span class="grow" />
                { select("Pre-fill from an access pattern", "dynamo-pattern".into(), &patterns,
                    props.pattern.as_deref().unwrap_or_default(), on_pattern) }
            </div>
            <JsonInput label="Request (DynamoDB JSON API)" key_name={DYNAMO_INPUT} testid="dynamo-input"
                text={form.input.clone()} rows={(4, 20)} {problem} {on_input} on_run={props.on_run.clone()} />
        </div>
    }
}
