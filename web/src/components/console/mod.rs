//! The query console: generate sample data in the worker, then run MongoDB and DynamoDB
//! requests on it and see the rows as a table and as JSON, with explain, consumed capacity and
//! paging. The components only show forms and answers: the worker's playground reads what the
//! user typed (a mistake comes back at its input's line and column) and answers typed values.
//! The console's state lives in the app's [`DataState`], so it outlasts a visit to another view.

mod data_panel;
mod dynamo_editor;
mod explain;
mod json_input;
mod mongo_editor;
mod result;

use std::rc::Rc;

use schemaplay_core::model::Design;
use schemaplay_playground::{DynamoCall, DynamoForm, MongoForm, Request};
use serde_json::Value;
use yew::prelude::*;

use crate::data::{DataAction, DataState, Database, Purpose};
use crate::derived::Shared;
use crate::hooks::engine::EngineHandle;
use data_panel::DataPanel;
use dynamo_editor::DynamoEditor;
use mongo_editor::MongoEditor;
use result::ResultView;

#[derive(Properties, PartialEq)]
pub struct QueryConsoleProps {
    pub design: Rc<Design>,
    pub analysis: Shared,
    pub revision: u64,
    pub data: Rc<DataState>,
    pub on_data: Callback<DataAction>,
    pub engine: EngineHandle,
}

#[function_component(QueryConsole)]
pub fn query_console(props: &QueryConsoleProps) -> Html {
    let data = &props.data;
    let console = &data.console;
    let analysis = &props.analysis;
    // Until the user edits a form, it is the design's own: its first collection, its first read.
    let mongo = console.mongo.clone().unwrap_or_else(|| {
        let first = analysis.mongo.collections.first();
        MongoForm::new(first.map_or("", |c| c.name.as_str()))
    });
    let dynamo = console
        .dynamo
        .clone()
        .unwrap_or_else(|| DynamoForm::initial(&analysis.dynamo));

    let send = {
        let engine = props.engine.clone();
        let on_data = props.on_data.clone();
        Callback::from(move |(request, purpose): (Request, Purpose)| {
            let id = engine.send(request);
            on_data.emit(DataAction::Sent { id, purpose });
        })
    };
    let on_generate = {
        let engine = props.engine.clone();
        let send = send.clone();
        let design = props.design.clone();
        let revision = props.revision;
        let per_entity = console.per_entity.clone();
        Callback::from(move |_| {
            // Its reply (`DesignSet`) is waited for by nobody: the generation follows it.
            engine.send(Request::SetDesign((*design).clone()));
            let per_entity = per_entity.trim().parse::<u64>().unwrap_or(0);
            let generate = Request::Generate {
                per_entity,
                seed: 1,
            };
            send.emit((generate, Purpose::Generate { revision }));
        })
    };
    let dynamo_call = |start_key: Option<Value>| DynamoCall {
        form: dynamo.clone(),
        start_key,
    };
    let on_run = {
        let send = send.clone();
        let request = match console.database {
            Database::Mongo => Request::Mongo(mongo.clone()),
            Database::Dynamo => Request::Dynamo(dynamo_call(None)),
        };
        Callback::from(move |_| send.emit((request.clone(), Purpose::Query)))
    };
    let on_next_page = {
        let send = send.clone();
        let call = dynamo_call(None);
        Callback::from(move |key: Value| {
            let call = DynamoCall {
                start_key: Some(key),
                ..call.clone()
            };
            send.emit((Request::Dynamo(call), Purpose::Query))
        })
    };
    let tab = |db: Database, id: &str, label: &str| {
        let active = console.database == db;
        let onclick = props.on_data.reform(move |_| DataAction::SetDatabase(db));
        html! {
            <button class={classes!("tab", active.then_some("active"))} aria-pressed={active.to_string()}
                data-testid={format!("console-{id}")} {onclick}>{ label.to_string() }</button>
        }
    };
    let editor = match console.database {
        Database::Mongo => html! {
            <MongoEditor analysis={analysis.clone()} form={mongo} problems={console.problems.clone()}
                on_change={props.on_data.reform(DataAction::SetMongo)} on_run={on_run.clone()} />
        },
        Database::Dynamo => html! {
            <DynamoEditor analysis={analysis.clone()} form={dynamo.clone()} problems={console.problems.clone()}
                on_change={props.on_data.reform(DataAction::SetDynamo)} on_run={on_run.clone()} />
        },
    };
    let generating = data.generating();
    let stale = data.summary.is_some() && data.generated_from != Some(props.revision);
    let lead = vec![
        analysis.dynamo.partition_key.clone(),
        analysis.dynamo.sort_key.clone(),
    ];
    html! {
        <div class="console">
            <DataPanel progress={data.progress.clone()} summary={data.summary.clone()} error={data.error.clone()}
                {stale} {generating} per_entity={console.per_entity.clone()}
                on_per_entity={props.on_data.reform(DataAction::SetPerEntity)} {on_generate} />
            <section class="card" aria-labelledby="query-title">
                <div class="card-head">
                    <h3 id="query-title">{ "Query" }</h3>
                    <div class="tabs" role="group" aria-label="Database">
                        { tab(Database::Mongo, "mongo", "MongoDB") }{ tab(Database::Dynamo, "dynamo", "DynamoDB") }
                    </div>
                </div>
                { editor }
                <div class="field-line">
                    <button class="primary" onclick={on_run.reform(|_: MouseEvent| ())} disabled={data.summary.is_none() || generating}
                        data-testid="run" title="Run (Ctrl+Enter)">{ "Run" }</button>
                    if data.summary.is_none() { <span class="hint">{ "Generate sample data first." }</span> }
                    if console.pending.is_some() { <span class="hint" data-testid="running">{ "running…" }</span> }
                    <span class="grow" />
                    <button class="small" onclick={props.on_data.reform(|_: MouseEvent| DataAction::ToggleView)} data-testid="toggle-json">
                        { if console.view_json { "Show table" } else { "Show JSON" } }</button>
                </div>
                <div data-testid="result" aria-live="polite">
                    if let Some(answer) = &console.answer {
                        <ResultView answer={answer.clone()} as_json={console.view_json} {lead} {on_next_page} />
                    }
                </div>
            </section>
        </div>
    }
}
