//! The user's own choices for the layouts: collection names, the DynamoDB table and its key
//! attribute names, billing mode, and declared secondary indexes (the `EmailIndex`).

use std::rc::Rc;

use schemaplay_core::model::{BillingMode, Design, IndexChoice};
use yew::prelude::*;

use super::{enum_name, input_value, parse_enum, select};
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct ChoicesProps {
    pub design: Rc<Design>,
    pub on_action: Callback<Action>,
}

#[function_component(Choices)]
pub fn choices(props: &ChoicesProps) -> Html {
    let design = &props.design;
    // Every edit here is an action of its own: one undoable step.
    let on_text = |action: fn(String) -> Action| {
        props
            .on_action
            .reform(move |e: Event| action(input_value(&e).trim().to_string()))
    };
    let collections = design.entities.iter().map(|e| {
        let entity = e.name.clone();
        let onchange = props.on_action.reform(move |ev: Event| Action::SetCollection {
            entity: entity.clone(),
            name: input_value(&ev),
        });
        let derived = Design {
            mongo: Default::default(),
            ..(**design).clone()
        };
        html! {
            <label class="choice">{ format!("{} → db.", e.name) }
                <input class="short" value={design.mongo.collections.get(&e.name).cloned().unwrap_or_default()}
                    placeholder={schemaplay_core::mongo::collection_of(&derived, &e.name)}
                    aria-label={format!("Collection name of {}", e.name)} {onchange} />
            </label>
        }
    });
    let index_rows = design.dynamo.indexes.iter().enumerate().map(|(i, ix)| {
        let set = |f: fn(&mut IndexChoice, String)| {
            let choice = ix.clone();
            props.on_action.reform(move |e: Event| {
                let mut choice = choice.clone();
                f(&mut choice, input_value(&e).trim().to_string());
                Action::SetIndex { index: i, choice }
            })
        };
        let delete = props.on_action.reform(move |_| Action::DeleteIndex(i));
        html! {
            <li class="sentence" data-testid={format!("gsi-{i}")}>
                { "Index " }
                <input class="short" value={ix.name.clone()} aria-label="Index name" onchange={set(|ix, v| if !v.is_empty() { ix.name = v })} />
                { " on " }
                <input class="short" value={ix.partition_key.clone()} aria-label="Index partition key attribute"
                    onchange={set(|ix, v| if !v.is_empty() { ix.partition_key = v })} />
                { " sorted by " }
                <input class="short" value={ix.sort_key.clone().unwrap_or_default()} placeholder="no sort key"
                    aria-label="Index sort key attribute" onchange={set(|ix, v| ix.sort_key = Some(v).filter(|v| !v.is_empty()))} />
                <button class="icon danger" aria-label={format!("Delete index {}", ix.name)} onclick={delete}>{ "✕" }</button>
            </li>
        }
    });
    let add_index = props.on_action.reform(|_| Action::AddIndex);
    let billing = [("onDemand", "on-demand"), ("provisioned", "provisioned")]
        .map(|(v, t)| (v.to_string(), t.to_string()));
    html! {
        <section class="card" aria-labelledby="choices-title">
            <h3 id="choices-title">{ "Database choices" }</h3>
            <p class="hint">{ "Optional: leave empty to use the derived names." }</p>
            <h4>{ "MongoDB collections" }</h4>
            <div class="field-line">{ for collections }</div>
            <h4>{ "DynamoDB table" }</h4>
            <div class="field-line">
                <label>{ "Table " }<input class="short" value={design.dynamo.table_name.clone()} aria-label="Table name"
                    data-testid="table-name" onchange={on_text(Action::SetTableName)} /></label>
                <label>{ "partition key " }<input class="short" value={design.dynamo.partition_key.clone()} aria-label="Partition key attribute"
                    onchange={on_text(Action::SetPartitionKey)} /></label>
                <label>{ "sort key " }<input class="short" value={design.dynamo.sort_key.clone()} aria-label="Sort key attribute"
                    onchange={on_text(Action::SetSortKey)} /></label>
                { select("Billing mode", "billing-mode".into(), &billing, &enum_name(&design.dynamo.billing_mode),
                    props.on_action.reform(|v: String| Action::SetBillingMode(parse_enum(&v).unwrap_or(BillingMode::OnDemand)))) }
            </div>
            <ul class="plain">{ for index_rows }</ul>
            <button class="small" onclick={add_index} data-testid="add-index">{ "+ secondary index" }</button>
        </section>
    }
}
