//! The user's own choices for the layouts: collection names, the DynamoDB table and its key
//! attribute names, billing mode, and declared secondary indexes (the `EmailIndex`).

use std::rc::Rc;

use schemaplay_core::model::{BillingMode, Design, Finding, IndexChoice, KeyTemplate};
use yew::prelude::*;

use super::findings::findings_at;
use super::{checked, enum_name, input_value, parse_enum, select};
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct ChoicesProps {
    pub design: Rc<Design>,
    /// The design's validation findings; each choice shows those about it.
    #[prop_or_default]
    pub findings: Vec<Finding>,
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
    let templates = design.entities.iter().map(|e| {
        let current = design.dynamo.key_templates.get(&e.name).cloned();
        let (pk, sk) = current
            .as_ref()
            .map(|t| (t.pk.clone(), t.sk.clone()))
            .unwrap_or_default();
        // Each input keeps the other half; both empty go back to the derived template.
        let set = |first: bool| {
            let entity = e.name.clone();
            let (pk, sk) = (pk.clone(), sk.clone());
            props.on_action.reform(move |ev: Event| {
                let typed = input_value(&ev).trim().to_string();
                let (pk, sk) = if first {
                    (typed, sk.clone())
                } else {
                    (pk.clone(), typed)
                };
                Action::SetKeyTemplate {
                    entity: entity.clone(),
                    template: (!pk.is_empty() || !sk.is_empty()).then_some(KeyTemplate { pk, sk }),
                }
            })
        };
        let path = format!("dynamo.keyTemplates.{}", e.name);
        html! {
            <li class="sentence" data-testid={format!("template-{}", e.name)}>
                { format!("{}: {} ", e.name, design.dynamo.partition_key) }
                <input class="short" value={pk.clone()} placeholder="derived"
                    aria-label={format!("Partition key template of {}", e.name)}
                    data-testid={format!("template-{}-pk", e.name)} onchange={set(true)} />
                { format!(" {} ", design.dynamo.sort_key) }
                <input class="short" value={sk.clone()} placeholder="derived"
                    aria-label={format!("Sort key template of {}", e.name)}
                    data-testid={format!("template-{}-sk", e.name)} onchange={set(false)} />
                { findings_at(&props.findings, &path) }
            </li>
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
        let on_local = {
            let choice = ix.clone();
            props.on_action.reform(move |e: Event| Action::SetIndex {
                index: i,
                choice: IndexChoice {
                    local: checked(&e),
                    ..choice.clone()
                },
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
                <label class="check"><input type="checkbox" checked={ix.local} data-testid={format!("gsi-{i}-local")}
                    onchange={on_local} />{ "local (shares the table's partition key)" }</label>
                <button class="icon danger" aria-label={format!("Delete index {}", ix.name)} onclick={delete}>{ "✕" }</button>
                { findings_at(&props.findings, &format!("dynamo.indexes[{i}]")) }
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
            { findings_at(&props.findings, "mongo.collections") }
            <super::mongo_indexes::MongoIndexes design={design.clone()} findings={props.findings.clone()} on_action={props.on_action.clone()} />
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
            { findings_at(&props.findings, "dynamo.tableName") }
            { findings_at(&props.findings, "dynamo.partitionKey") }
            { findings_at(&props.findings, "dynamo.sortKey") }
            <h4>{ "Key templates" }</h4>
            <p class="hint">{ "Override where an entity's items live: <field> is the item's value, <field|lower> lowercased." }</p>
            <ul class="plain">{ for templates }</ul>
            <h4>{ "Secondary indexes" }</h4>
            <ul class="plain">{ for index_rows }</ul>
            <button class="small" onclick={add_index} data-testid="add-index">{ "+ secondary index" }</button>
        </section>
    }
}
