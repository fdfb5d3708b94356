//! The user's own choices for the layouts: collection names, the DynamoDB table and its key
//! attribute names, billing mode, and declared secondary indexes (the `EmailIndex`).

use schemaplay_core::model::{BillingMode, Design, IndexChoice};
use yew::prelude::*;

use super::{enum_name, input_value, parse_enum, select};
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct ChoicesProps {
    pub design: Design,
    pub on_action: Callback<Action>,
}

#[function_component(Choices)]
pub fn choices(props: &ChoicesProps) -> Html {
    let design = &props.design;
    // Every edit here replaces the design with the choice changed: one undoable step.
    let edit = |f: fn(&mut Design, String)| {
        let design = design.clone();
        let on_action = props.on_action.clone();
        Callback::from(move |value: String| {
            let mut next = design.clone();
            f(&mut next, value);
            on_action.emit(Action::Replace(next));
        })
    };
    let on_text = |f: fn(&mut Design, String)| {
        let edit = edit(f);
        Callback::from(move |e: Event| edit.emit(input_value(&e).trim().to_string()))
    };
    let collections = design.entities.iter().map(|e| {
        let entity = e.name.clone();
        let design_now = design.clone();
        let on_action = props.on_action.clone();
        let onchange = Callback::from(move |ev: Event| {
            let mut next = design_now.clone();
            let name = input_value(&ev).trim().to_string();
            if name.is_empty() {
                next.mongo.collections.remove(&entity);
            } else {
                next.mongo.collections.insert(entity.clone(), name);
            }
            on_action.emit(Action::Replace(next));
        });
        html! {
            <label class="choice">{ format!("{} → db.", e.name) }
                <input class="short" value={design.mongo.collections.get(&e.name).cloned().unwrap_or_default()}
                    placeholder={schemaplay_core::mongo::collection_of(&Design { mongo: Default::default(), ..design.clone() }, &e.name)}
                    aria-label={format!("Collection name of {}", e.name)} {onchange} />
            </label>
        }
    });
    let index_rows = design.dynamo.indexes.iter().enumerate().map(|(i, ix)| {
        let set = |f: fn(&mut IndexChoice, String)| {
            let design_now = design.clone();
            let on_action = props.on_action.clone();
            Callback::from(move |e: Event| {
                let mut next = design_now.clone();
                if let Some(ix) = next.dynamo.indexes.get_mut(i) {
                    f(ix, input_value(&e).trim().to_string());
                }
                on_action.emit(Action::Replace(next));
            })
        };
        let delete = {
            let design_now = design.clone();
            let on_action = props.on_action.clone();
            Callback::from(move |_| {
                let mut next = design_now.clone();
                if i < next.dynamo.indexes.len() {
                    next.dynamo.indexes.remove(i);
                }
                on_action.emit(Action::Replace(next));
            })
        };
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
    let add_index = {
        let design_now = design.clone();
        let on_action = props.on_action.clone();
        Callback::from(move |_| {
            let mut next = design_now.clone();
            let name = (1..)
                .map(|n| format!("Index{n}"))
                .find(|name| next.dynamo.indexes.iter().all(|ix| &ix.name != name))
                .unwrap_or_default();
            next.dynamo.indexes.push(IndexChoice {
                name,
                partition_key: "email".to_string(),
                sort_key: None,
                local: false,
            });
            on_action.emit(Action::Replace(next));
        })
    };
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
                    data-testid="table-name" onchange={on_text(|d, v| if !v.is_empty() { d.dynamo.table_name = v })} /></label>
                <label>{ "partition key " }<input class="short" value={design.dynamo.partition_key.clone()} aria-label="Partition key attribute"
                    onchange={on_text(|d, v| if !v.is_empty() { d.dynamo.partition_key = v })} /></label>
                <label>{ "sort key " }<input class="short" value={design.dynamo.sort_key.clone()} aria-label="Sort key attribute"
                    onchange={on_text(|d, v| if !v.is_empty() { d.dynamo.sort_key = v })} /></label>
                { select("Billing mode", "billing-mode".into(), &billing, &enum_name(&design.dynamo.billing_mode),
                    edit(|d, v| d.dynamo.billing_mode = parse_enum(&v).unwrap_or(BillingMode::OnDemand))) }
            </div>
            <ul class="plain">{ for index_rows }</ul>
            <button class="small" onclick={add_index} data-testid="add-index">{ "+ secondary index" }</button>
        </section>
    }
}
