//! The query console: generate sample data in the worker, then query it, with a form per
//! operation or a script (mongosh, mongoose, the AWS SDKs, the AWS CLI), and see the rows as a
//! table and as JSON, with explain, consumed capacity and paging. The components only show
//! forms, scripts and answers: the worker's playground reads what the user typed (a mistake
//! comes back at its line and column) and answers typed values. The console's state lives in
//! the app's [`DataState`], so it outlasts a visit to another view.

mod data_panel;
mod dynamo_editor;
mod explain;
mod json_input;
mod mongo_editor;
mod result;
mod script_editor;
mod script_results;

use schemaplay_playground::{
    prefill_mongo, DynamoCall, DynamoForm, MongoForm, MongoPageCall, Request,
};
use serde_json::Value;
use std::rc::Rc;
use yew::prelude::*;

use crate::data::{DataAction, DataState, Database, Generation, Mode};
use crate::derived::Shared;
use crate::requests::ConsoleRequests;
use data_panel::DataPanel;
use dynamo_editor::DynamoEditor;
use mongo_editor::MongoEditor;
use result::ResultView;
use script_editor::ScriptEditor;

#[derive(Properties, PartialEq)]
pub struct QueryConsoleProps {
    pub analysis: Shared,
    pub data: Rc<DataState>,
    pub on_data: Callback<DataAction>,
    pub requests: ConsoleRequests,
}

#[function_component(QueryConsole)]
pub fn query_console(props: &QueryConsoleProps) -> Html {
    let data = &props.data;
    let console = &data.console;
    let analysis = &props.analysis;
    let requests = &props.requests;
    // Until the user edits a form, it is the design's own: its first collection, its first read.
    let mongo = console.mongo.clone().unwrap_or_else(|| {
        let first = analysis.mongo.collections.first();
        MongoForm::new(first.map_or("", |c| c.name.as_str()))
    });
    let dynamo = console
        .dynamo
        .clone()
        .unwrap_or_else(|| DynamoForm::initial(&analysis.dynamo));

    let on_generate = {
        let requests = requests.clone();
        let per_entity = console.per_entity.trim().parse::<u64>().unwrap_or(0);
        let seed = console.seed;
        Callback::from(move |_| requests.generate(Generation { per_entity, seed }))
    };
    let tab = |active: bool, testid: String, label: &str, action: DataAction| {
        let onclick = props.on_data.reform(move |_| action.clone());
        html! {
            <button class={classes!("tab", active.then_some("active"))} aria-pressed={active.to_string()}
                data-testid={testid} {onclick}>{ label.to_string() }</button>
        }
    };
    let database_tab = |db: Database, id: &str, label: &str| {
        tab(
            console.database == db,
            format!("console-{id}"),
            label,
            DataAction::SetDatabase(db),
        )
    };
    let mode_tab = |mode: Mode, id: &str, label: &str| {
        tab(
            console.mode == mode,
            format!("mode-{id}"),
            label,
            DataAction::SetMode(mode),
        )
    };
    let generating = data.generating();
    let stale = data.summary.is_some() && data.generated_from != Some(requests.revision);
    let lead = vec![
        analysis.dynamo.partition_key.clone(),
        analysis.dynamo.sort_key.clone(),
    ];
    let body = match console.mode {
        Mode::Script => html! {
            <ScriptEditor analysis={analysis.clone()} database={console.database} pane={console.scripts.get(console.database).clone()}
                pattern={console.pattern.clone()} as_json={console.view_json} lead={lead.clone()}
                seed={data.generated.map_or(console.seed, |g| g.seed)}
                has_data={data.summary.is_some()} requests={requests.clone()} on_data={props.on_data.clone()} />
        },
        Mode::Form => form_pane(props, mongo, dynamo, lead, generating),
    };
    html! {
        <div class="console">
            <DataPanel progress={data.progress.clone()} summary={data.summary.clone()} error={data.error.clone()}
                {stale} {generating} per_entity={console.per_entity.clone()}
                on_per_entity={props.on_data.reform(DataAction::SetPerEntity)} {on_generate}
                on_cancel={{ let requests = requests.clone(); Callback::from(move |()| requests.cancel()) }} />
            <section class="card" aria-labelledby="query-title">
                <div class="card-head">
                    <h3 id="query-title">{ "Query" }</h3>
                    <div class="tabs" role="group" aria-label="Database">
                        { database_tab(Database::Mongo, "mongo", "MongoDB") }{ database_tab(Database::Dynamo, "dynamo", "DynamoDB") }
                    </div>
                    <span class="grow" />
                    <div class="tabs" role="group" aria-label="How to query">
                        { mode_tab(Mode::Form, "form", "Form") }{ mode_tab(Mode::Script, "script", "Script") }
                    </div>
                </div>
                { body }
            </section>
        </div>
    }
}

/// The console's form for the database on screen, its Run button and its answer.
fn form_pane(
    props: &QueryConsoleProps,
    mongo: MongoForm,
    dynamo: DynamoForm,
    lead: Vec<String>,
    generating: bool,
) -> Html {
    let data = &props.data;
    let console = &data.console;
    let analysis = &props.analysis;
    let requests = &props.requests;
    let dynamo_call = |start_key: Option<Value>| DynamoCall {
        form: dynamo.clone(),
        start_key,
    };
    // The pattern whose own MongoDB form is on screen, untouched: its run is a list's first
    // page when the pattern is a paged list.
    let pattern_form = console.pattern.clone().filter(|p| {
        let own = analysis.mongo.queries.iter().find(|q| &q.pattern == p);
        own.map(prefill_mongo).as_ref() == Some(&mongo)
    });
    let on_run = {
        let requests = requests.clone();
        let request = match console.database {
            Database::Mongo => Request::Mongo(mongo.clone()),
            Database::Dynamo => Request::Dynamo(dynamo_call(None)),
        };
        let first_page = pattern_form.filter(|_| console.database == Database::Mongo);
        Callback::from(move |_| match &first_page {
            Some(pattern) if requests.is_paged_list(pattern) => {
                let call = MongoPageCall {
                    pattern: pattern.clone(),
                    after: None,
                };
                requests.mongo_page(call, 1)
            }
            _ => requests.run_form(request.clone()),
        })
    };
    let on_next_list_page = console.page.clone().map(|page| {
        let requests = requests.clone();
        Callback::from(move |last: Value| {
            let call = MongoPageCall {
                pattern: page.pattern.clone(),
                after: Some(last),
            };
            requests.mongo_page(call, page.number.saturating_add(1))
        })
    });
    let on_next_page = {
        let requests = requests.clone();
        let call = dynamo_call(None);
        Callback::from(move |key: Value| {
            let call = DynamoCall {
                start_key: Some(key),
                ..call.clone()
            };
            requests.run_form(Request::Dynamo(call))
        })
    };
    let on_more = {
        let requests = requests.clone();
        Callback::from(move |more| requests.more(more))
    };
    let on_pattern = props.on_data.reform(DataAction::SetPattern);
    let editor = match console.database {
        Database::Mongo => html! {
            <MongoEditor analysis={analysis.clone()} form={mongo} problems={console.problems.clone()}
                pattern={console.pattern.clone()} on_pattern={on_pattern.clone()}
                on_change={props.on_data.reform(DataAction::SetMongo)} on_run={on_run.clone()} />
        },
        Database::Dynamo => html! {
            <DynamoEditor analysis={analysis.clone()} form={dynamo.clone()} problems={console.problems.clone()}
                pattern={console.pattern.clone()} on_pattern={on_pattern.clone()}
                on_change={props.on_data.reform(DataAction::SetDynamo)} on_run={on_run.clone()} />
        },
    };
    html! {
        <>
            { editor }
            <div class="field-line">
                <button class="primary" onclick={on_run.reform(|_: MouseEvent| ())} disabled={data.summary.is_none() || generating}
                    data-testid="run" title="Run (Ctrl+Enter)">{ "Run" }</button>
                if data.summary.is_none() { <span class="hint">{ "Generate sample data first, or write a script." }</span> }
                if console.pending.is_some() {
                    <span class="hint" data-testid="running">{ "running…" }</span>
                    { cancel_button(requests) }
                }
                <span class="grow" />
                { toggle_json(console.view_json, &props.on_data) }
            </div>
            <div data-testid="result" aria-live="polite">
                if let Some(answer) = &console.answer {
                    <ResultView answer={answer.clone()} as_json={console.view_json} {lead} on_next_page={Some(on_next_page)}
                        page={console.page.clone()} {on_next_list_page}
                        on_more={Some(on_more)} loading_more={console.more_pending.is_some()} />
                }
            </div>
        </>
    }
}

/// The button that switches the answers between tables and JSON.
fn toggle_json(as_json: bool, on_data: &Callback<DataAction>) -> Html {
    html! {
        <button class="small" onclick={on_data.reform(|_: MouseEvent| DataAction::ToggleView)} data-testid="toggle-json">
            { if as_json { "Show table" } else { "Show JSON" } }</button>
    }
}

/// Stops the run on its way; it answers "Cancelled." where its result would be.
pub fn cancel_button(requests: &ConsoleRequests) -> Html {
    let requests = requests.clone();
    let onclick = Callback::from(move |_: MouseEvent| requests.cancel());
    html! {
        <button class="small" {onclick} data-testid="cancel" title="Stop this run: the design stays as it is">{ "Cancel" }</button>
    }
}
