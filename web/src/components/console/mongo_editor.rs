//! The MongoDB form: `db.<collection>.<operation>(...)` with its JSON inputs, a limit and explain
//! for a find, and a pick of the design's access patterns that prefills it.

use schemaplay_playground::{prefill_mongo, InputProblem, MongoForm, MongoOp};
use yew::prelude::*;

use super::json_input::JsonInput;
use crate::components::{checked, input_value, select};
use crate::derived::Shared;

#[derive(Properties, PartialEq)]
pub struct MongoEditorProps {
    pub analysis: Shared,
    pub form: MongoForm,
    pub problems: Vec<InputProblem>,
    /// The pattern picked last.
    pub pattern: Option<String>,
    pub on_pattern: Callback<String>,
    pub on_change: Callback<MongoForm>,
    pub on_run: Callback<()>,
}

/// `(value, label)` options, with a first one that picks nothing.
pub fn pattern_options(patterns: impl Iterator<Item = (String, String)>) -> Vec<(String, String)> {
    std::iter::once((String::new(), "— pick an access pattern —".to_string()))
        .chain(patterns)
        .collect()
}

#[function_component(MongoEditor)]
pub fn mongo_editor(props: &MongoEditorProps) -> Html {
    let form = &props.form;
    let queries = &props.analysis.mongo.queries;
    let change = |f: fn(&MongoForm, String) -> MongoForm| {
        let form = form.clone();
        props.on_change.reform(move |value: String| f(&form, value))
    };
    let collections: Vec<(String, String)> = props
        .analysis
        .mongo
        .collections
        .iter()
        .map(|c| (c.name.clone(), c.name.clone()))
        .collect();
    let operations: Vec<(String, String)> = MongoOp::ALL
        .iter()
        .map(|op| (op.name().to_string(), op.name().to_string()))
        .collect();
    let patterns = pattern_options(
        queries
            .iter()
            .map(|q| (q.pattern.clone(), q.pattern.clone())),
    );
    let on_pattern = {
        let analysis = props.analysis.clone();
        let on_change = props.on_change.clone();
        let on_pattern = props.on_pattern.clone();
        Callback::from(move |name: String| {
            let queries = &analysis.mongo.queries;
            if let Some(query) = queries.iter().find(|q| q.pattern == name) {
                on_change.emit(prefill_mongo(query));
                on_pattern.emit(name);
            }
        })
    };
    let inputs = form.inputs.iter().map(|input| {
        let field = input.field;
        let on_input = {
            let form = form.clone();
            props.on_change.reform(move |text| form.with_input(field, text))
        };
        let problem = props.problems.iter().find(|p| p.input == field.key()).cloned();
        html! {
            <JsonInput label={field.label()} key_name={field.key()} testid={format!("mongo-{}", field.key())}
                text={input.text.clone()} rows={(2, 14)} {problem} {on_input} on_run={props.on_run.clone()} />
        }
    });
    let on_limit = change(|f, limit| MongoForm { limit, ..f.clone() });
    let on_explain = change(|f, on| MongoForm {
        explain: on == "true",
        ..f.clone()
    });
    html! {
        <div class="query-editor">
            <div class="field-line">
                { "db." }{ select("Collection", "mongo-collection".into(), &collections, &form.collection,
                    change(|f, collection| MongoForm { collection, ..f.clone() })) }
                { "." }{ select("Operation", "mongo-op".into(), &operations, form.operation.name(),
                    change(|f, op| f.with_operation(MongoOp::from_name(&op).unwrap_or(f.operation)))) }
                <span class="grow" />
                { select("Pre-fill from an access pattern", "mongo-pattern".into(), &patterns,
                    props.pattern.as_deref().unwrap_or_default(), on_pattern) }
            </div>
            { for inputs }
            if form.operation == MongoOp::Find {
                <div class="field-line">
                    <label>{ "Limit " }<input type="number" min="0" class="num" value={form.limit.clone()} data-testid="mongo-limit"
                        onchange={on_limit.reform(|e: Event| input_value(&e))} /></label>
                    <label class="check"><input type="checkbox" checked={form.explain} data-testid="mongo-explain"
                        onchange={on_explain.reform(|e: Event| checked(&e).to_string())} />{ "explain" }</label>
                </div>
            }
        </div>
    }
}
