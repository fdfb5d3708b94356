//! The DynamoDB view: the single-table aggregate view (rows grouped by partition key, a colour
//! per entity type), a view per secondary index, each entity's key template, and each access
//! pattern's request. Everything shown is computed by `schemaplay_core::dynamo`.

use std::rc::Rc;

use schemaplay_core::dynamo::{self, DynamoLayout};
use schemaplay_core::model::Design;
use schemaplay_core::numbers::grouped;
use schemaplay_playground::derive::DerivedViews;
use serde_json::Value;
use yew::prelude::*;

use super::copy_button::CopyButton;
use super::index_projection::IndexProjection;
use super::json_tree::JsonTree;
use crate::derived::Shared;
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct DynamoViewProps {
    pub design: Rc<Design>,
    pub analysis: Shared,
    /// The exports the worker derived with the analysis.
    pub views: Shared<DerivedViews>,
    /// Opens the Alternatives view.
    pub on_alternatives: Callback<()>,
    pub on_action: Callback<Action>,
}

/// One row of an aggregate view: its partition, sort key and the item.
struct Row<'a> {
    pk: String,
    sk: String,
    item: &'a Value,
}

#[function_component(DynamoView)]
pub fn dynamo_view(props: &DynamoViewProps) -> Html {
    let layout = &props.analysis.dynamo;
    let tab = use_state(|| None::<String>);
    if props.design.entities.is_empty() {
        return html! { <p class="empty">{ "Add entities in the Design view to see their DynamoDB layout." }</p> };
    }
    let entity_names: Vec<String> = props
        .design
        .entities
        .iter()
        .map(|e| e.name.clone())
        .collect();
    let items: Vec<&Value> = layout
        .item_collections
        .iter()
        .flat_map(|c| c.items.iter())
        .collect();
    let (pk_attr, sk_attr, title) = match tab
        .as_ref()
        .and_then(|n| layout.indexes.iter().find(|i| &i.name == n))
    {
        Some(ix) => (
            ix.partition_key.clone(),
            ix.sort_key.clone(),
            format!("Index {}", ix.name),
        ),
        None => (
            layout.partition_key.clone(),
            Some(layout.sort_key.clone()),
            format!("Table {}", layout.table_name),
        ),
    };
    let tabs = std::iter::once(None).chain(layout.indexes.iter().map(|i| Some(i.name.clone()))).map(|name| {
        let active = *tab == name;
        let label = name.clone().unwrap_or_else(|| format!("Table {}", layout.table_name));
        let onclick = {
            let tab = tab.clone();
            let name = name.clone();
            Callback::from(move |_| tab.set(name.clone()))
        };
        html! {
            <button class={classes!("tab", active.then_some("active"))} aria-pressed={active.to_string()}
                data-testid={format!("dynamo-tab-{}", name.clone().unwrap_or_else(|| "table".into()))} {onclick}>{ label }</button>
        }
    });
    html! {
        <div class="dynamo-view">
            <section class="card" aria-labelledby="aggregate-title">
                <div class="card-head">
                    <h3 id="aggregate-title">{ "Aggregate view" }</h3>
                    <span class="meta">{ format!("{}: partition key {}, sort key {}", layout.table_name, layout.partition_key, layout.sort_key) }</span>
                </div>
                <div class="tabs" role="group" aria-label="Table or index">{ for tabs }</div>
                { aggregate(&title, &items, &pk_attr, sk_attr.as_deref(), &entity_names) }
                <p class="legend">{ for entity_names.iter().enumerate().map(|(i, n)| html! {
                    <span class="legend-item"><span class={classes!("swatch", format!("t{}", i % 8))} />{ n.clone() }{ " " }</span>
                }) }</p>
                { for layout.key_formats.iter().map(|f| html! { <p class="hint">{ f.clone() }</p> }) }
            </section>
            { keys(layout) }
            <super::counters::Counters design={props.design.clone()} counters={layout.counters.clone()} on_action={props.on_action.clone()} />
            <super::alternatives::AlternativesLink on_open={props.on_alternatives.clone()} testid="dynamo-alternatives" />
            { indexes(layout, &props.design, &props.on_action) }
            { requests(layout) }
            <section class="card" aria-labelledby="create-title">
                <div class="card-head">
                    <h3 id="create-title">{ "CreateTable" }</h3><span class="grow" />
                    <CopyButton text={pretty(&layout.create_table)} label="Copy the CreateTable input" testid="copy-create-table" />
                </div>
                <pre class="code">{ pretty(&layout.create_table) }</pre>
            </section>
            { super::export_list::export_list("dynamo-exports-title", crate::exports::dynamo(&props.views)) }
        </div>
    }
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// Shows an attribute value in a cell.
fn cell(value: Option<&Value>) -> String {
    match value {
        None => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    }
}

/// The items that carry the view's partition key, grouped by it and sorted by the sort key.
fn aggregate(
    title: &str,
    items: &[&Value],
    pk: &str,
    sk: Option<&str>,
    entities: &[String],
) -> Html {
    let mut rows: Vec<Row> = items
        .iter()
        .filter_map(|item| {
            let pk_value = item.get(pk)?;
            Some(Row {
                pk: cell(Some(pk_value)),
                sk: sk.map(|s| cell(item.get(s))).unwrap_or_default(),
                item,
            })
        })
        .collect();
    // Group by partition in the order partitions first appear, then by sort key.
    let mut order: Vec<String> = Vec::new();
    for r in &rows {
        if !order.contains(&r.pk) {
            order.push(r.pk.clone());
        }
    }
    rows.sort_by(|a, b| {
        let pa = order.iter().position(|p| p == &a.pk);
        let pb = order.iter().position(|p| p == &b.pk);
        pa.cmp(&pb).then_with(|| a.sk.cmp(&b.sk))
    });
    let mut attributes: Vec<String> = Vec::new();
    for r in &rows {
        if let Some(map) = r.item.as_object() {
            for k in map.keys() {
                if k != pk
                    && Some(k.as_str()) != sk
                    && k != dynamo::TYPE_ATTRIBUTE
                    && !attributes.contains(k)
                {
                    attributes.push(k.clone());
                }
            }
        }
    }
    attributes.truncate(8);
    let mut last_pk = String::new();
    let body = rows.iter().map(|r| {
        let kind = cell(r.item.get(dynamo::TYPE_ATTRIBUTE));
        let colour = entities.iter().position(|e| *e == kind).map(|i| format!("t{}", i % 8));
        let first = r.pk != last_pk;
        last_pk = r.pk.clone();
        let span = rows.iter().filter(|o| o.pk == r.pk).count();
        html! {
            <tr class={classes!(colour)} data-testid="dynamo-row">
                if first { <td rowspan={span.to_string()} class="pk">{ r.pk.clone() }</td> }
                if sk.is_some() { <td>{ r.sk.clone() }</td> }
                <td>{ kind }</td>
                { for attributes.iter().map(|a| html! { <td>{ truncate(&cell(r.item.get(a)), 40) }</td> }) }
            </tr>
        }
    });
    html! {
        <div class="scroll-x">
            <table class="grid aggregate" aria-label={title.to_string()}>
                <thead><tr>
                    <th>{ pk.to_string() }</th>
                    if let Some(sk) = sk { <th>{ sk.to_string() }</th> }
                    <th>{ dynamo::TYPE_ATTRIBUTE }</th>
                    { for attributes.iter().map(|a| html! { <th>{ a.clone() }</th> }) }
                </tr></thead>
                <tbody>{ for body }</tbody>
            </table>
            if rows.is_empty() { <p class="hint">{ "No sample item carries this index's key." }</p> }
        </div>
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(max).collect::<String>())
    }
}

fn keys(layout: &DynamoLayout) -> Html {
    html! {
        <section class="card" aria-labelledby="keys-title">
            <h3 id="keys-title">{ "Key templates" }</h3>
            <div class="scroll-x"><table class="grid">
                <thead><tr><th>{ "entity" }</th><th>{ "PK" }</th><th>{ "SK" }</th><th>{ "index keys" }</th><th>{ "item size" }</th><th>{ "why" }</th></tr></thead>
                <tbody>
                { for layout.entities.iter().map(|e| html! {
                    <tr data-testid={format!("keys-{}", e.entity)}>
                        <td>{ e.entity.clone() }</td>
                        <td><code>{ e.pk.clone() }</code></td>
                        <td><code>{ e.sk.clone() }</code></td>
                        <td>{ for e.index_keys.iter().map(|k| html! {
                            <div><code>{ format!("{}: {}{}", k.index, k.pk, k.sk.as_ref().map(|s| format!(" / {s}")).unwrap_or_default()) }</code></div>
                        }) }</td>
                        <td>{ format!("~{} B", grouped(e.average_item_bytes)) }</td>
                        <td class="reason">{ e.reason.clone() }</td>
                    </tr>
                }) }
                </tbody>
            </table></div>
        </section>
    }
}

fn indexes(layout: &DynamoLayout, design: &Design, on_action: &Callback<Action>) -> Html {
    if layout.indexes.is_empty() {
        return html! {};
    }
    html! {
        <section class="card" aria-labelledby="indexes-title">
            <h3 id="indexes-title">{ "Secondary indexes" }</h3>
            <ul class="plain">
            { for layout.indexes.iter().map(|i| html! {
                <li data-testid="dynamo-index">
                    <strong>{ i.name.clone() }</strong>
                    { format!(" ({}{}{}): {}{}", i.kind, if i.sparse { ", sparse" } else { "" }, if i.declared { ", declared" } else { ", derived" },
                        i.partition_key, i.sort_key.as_ref().map(|s| format!(" / {s}")).unwrap_or_default()) }
                    <div class="reason">{ format!("Serves {}. {}", i.serves.join(", "), i.reason) }</div>
                    <IndexProjection index={i.clone()} overridden={design.dynamo.projections.contains_key(&i.name)} on_action={on_action.clone()} />
                </li>
            }) }
            </ul>
        </section>
    }
}

fn requests(layout: &DynamoLayout) -> Html {
    html! {
        <section class="card" aria-labelledby="requests-title">
            <h3 id="requests-title">{ "Access patterns as requests" }</h3>
            { for layout.requests.iter().map(|r| html! {
                <details class="request" data-testid="dynamo-request">
                    <summary>
                        <strong>{ r.pattern.clone() }</strong>{ format!(" → {}{}", r.operation, r.index.as_ref().map(|i| format!(" on {i}")).unwrap_or_default()) }
                        if r.flag.is_some() { <span class="badge warn">{ " ⚠" }</span> }
                    </summary>
                    if let Some(flag) = &r.flag { <p class="finding warning">{ flag.clone() }</p> }
                    { super::on_delete::cleanup_list(&r.cleanup) }
                    { super::copy_form::fanout_list(&r.fanout) }
                    <div class="two-col">
                        <div><h4>{ "JSON API" }</h4><JsonTree value={r.input.clone()} open={3} /></div>
                        <div><div class="card-head"><h4>{ "AWS SDK v3" }</h4><span class="grow" />
                            <CopyButton text={r.sdk.clone()} label={format!("Copy the SDK code of {}", r.pattern)} /></div>
                            <pre class="code">{ r.sdk.clone() }</pre></div>
                    </div>
                </details>
            }) }
        </section>
    }
}
