//! The MongoDB view: collections and document shapes, sample documents, every embed/reference
//! decision with its reason, index suggestions with the patterns they serve, and each access
//! pattern's query. Everything shown is computed by `schemaplay_core::mongo`.

use std::rc::Rc;

use schemaplay_core::model::{object_fields, Design, Field};
use schemaplay_core::mongo;
use schemaplay_core::numbers::grouped;
use yew::prelude::*;

use super::copy_button::CopyButton;
use super::json_tree::JsonTree;
use crate::derived::Shared;

#[derive(Properties, PartialEq)]
pub struct MongoViewProps {
    pub design: Rc<Design>,
    pub analysis: Shared,
    /// Opens the Alternatives view.
    pub on_alternatives: Callback<()>,
}

#[function_component(MongoView)]
pub fn mongo_view(props: &MongoViewProps) -> Html {
    let layout = &props.analysis.mongo;
    let samples = use_memo(props.analysis.clone(), |analysis| {
        analysis
            .mongo
            .collections
            .iter()
            .map(|c| mongo::sample_documents(&props.design, &c.name, 2, 1))
            .collect::<Vec<_>>()
    });
    if props.design.entities.is_empty() {
        return html! { <p class="empty">{ "Add entities in the Design view to see their MongoDB layout." }</p> };
    }
    let collections = layout.collections.iter().enumerate().map(|(i, c)| {
        let docs = samples.get(i).cloned().unwrap_or_default();
        html! {
            <section class="card" data-testid={format!("collection-{}", c.name)} aria-label={format!("Collection {}", c.name)}>
                <div class="card-head">
                    <h3>{ format!("db.{}", c.name) }</h3>
                    <span class="meta">{ format!("{} entity · about {} documents · about {} bytes each", c.entity, grouped(c.documents), grouped(c.average_document_bytes)) }</span>
                </div>
                if !c.embedded.is_empty() {
                    <p class="reason">{ format!("Embeds: {}", c.embedded.join(", ")) }</p>
                }
                <div class="two-col">
                    <div>
                        <h4>{ "Document shape" }</h4>
                        <ul class="shape">{ shape(&c.shape, 0) }</ul>
                    </div>
                    <div>
                        <h4>{ "Sample documents" }</h4>
                        { for docs.into_iter().map(|d| html! { <JsonTree value={d} open={1} /> }) }
                    </div>
                </div>
                <h4>{ "Indexes" }</h4>
                if c.indexes.is_empty() {
                    <p class="hint">{ "Only the default _id index." }</p>
                } else {
                    <div class="scroll-x"><table class="grid index-table">
                        <thead><tr><th>{ "name" }</th><th>{ "keys" }</th><th>{ "serves" }</th><th>{ "why" }</th></tr></thead>
                        <tbody>
                        { for c.indexes.iter().map(|ix| html! {
                            <tr data-testid="mongo-index">
                                <td>{ ix.name.clone() }{ if ix.unique { " (unique)" } else { "" } }{ if ix.case_insensitive { " (case-insensitive)" } else { "" } }</td>
                                <td>{ ix.keys.to_string() }</td>
                                <td>{ ix.serves.join(", ") }</td>
                                <td class="reason">{ ix.reason.clone() }</td>
                            </tr>
                        }) }
                        </tbody>
                    </table></div>
                }
            </section>
        }
    });
    let decisions = layout.decisions.iter().map(|d| html! {
        <li data-testid="mongo-decision">
            <span class={classes!("badge", if d.embed { "embed" } else { "reference" })}>{ if d.embed { "embed" } else { "reference" } }</span>
            { format!(" {} → {} as ", d.from, d.to) }<code>{ d.path.clone() }</code>
            <div class="reason">{ d.reason.clone() }</div>
        </li>
    });
    let queries = layout.queries.iter().map(|q| {
        html! {
            <tr data-testid="mongo-query">
                <td>{ q.pattern.clone() }</td>
                <td><code>{ q.shell.clone() }</code></td>
                <td>{ q.index.clone().unwrap_or_else(|| "collection scan".to_string()) }</td>
            </tr>
        }
    });
    let shell_script = layout
        .queries
        .iter()
        .map(|q| q.shell.clone())
        .collect::<Vec<_>>()
        .join("\n");
    html! {
        <div class="mongo-view">
            <section class="card" aria-labelledby="decisions-title">
                <h3 id="decisions-title">{ "Embed or reference" }</h3>
                if layout.decisions.is_empty() {
                    <p class="hint">{ "No relationships: every entity is its own collection." }</p>
                }
                <ul class="plain decisions">{ for decisions }</ul>
                <super::alternatives::AlternativesLink on_open={props.on_alternatives.clone()} testid="mongo-alternatives" />
            </section>
            { for collections }
            <section class="card" aria-labelledby="queries-title">
                <div class="card-head">
                    <h3 id="queries-title">{ "Access patterns as queries" }</h3>
                    <span class="grow" />
                    <CopyButton text={shell_script} label="Copy every query as mongosh" testid="copy-mongosh" />
                </div>
                <div class="scroll-x">
                    <table class="grid">
                        <thead><tr><th>{ "pattern" }</th><th>{ "mongosh" }</th><th>{ "index" }</th></tr></thead>
                        <tbody>{ for queries }</tbody>
                    </table>
                </div>
            </section>
            { super::export_list::export_list("mongo-exports-title", crate::exports::mongo(&props.design, &props.analysis)) }
        </div>
    }
}

/// A document shape as a nested list: `name: type`, required fields marked.
fn shape(fields: &[Field], depth: usize) -> Html {
    html! {
        { for fields.iter().map(|f| html! {
            <li>
                <code>{ f.name.clone() }</code>{ format!(": {}{}", f.ty, if f.required { "" } else { " (optional)" }) }
                if let Some(inner) = object_fields(&f.ty).filter(|_| depth < 8) {
                    <ul class="shape">{ shape(inner, depth + 1) }</ul>
                }
            </li>
        }) }
    }
}
