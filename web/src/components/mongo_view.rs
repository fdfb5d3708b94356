//! The MongoDB view: collections and document shapes, sample documents, every embed/reference
//! decision with its reason, index suggestions with the patterns they serve, and each access
//! pattern's query. Everything shown is computed by `schemaplay_core::mongo`.

use std::rc::Rc;

use schemaplay_core::model::{object_fields, Design, Field, Finding};
use schemaplay_core::mongo;
use schemaplay_core::numbers::grouped;
use schemaplay_playground::derive::DerivedViews;
use yew::prelude::*;

use super::copy_button::CopyButton;
use super::json_tree::JsonTree;
use crate::derived::Shared;

#[derive(Properties, PartialEq)]
pub struct MongoViewProps {
    pub design: Rc<Design>,
    pub analysis: Shared,
    /// The sample documents and exports the worker derived with the analysis.
    pub views: Shared<DerivedViews>,
    /// Opens the Alternatives view.
    pub on_alternatives: Callback<()>,
}

#[function_component(MongoView)]
pub fn mongo_view(props: &MongoViewProps) -> Html {
    let layout = &props.analysis.mongo;
    let samples = &props.views.samples;
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
                        <thead><tr><th>{ "name" }</th><th>{ "keys" }</th><th>{ "serves" }</th></tr></thead>
                        { for c.indexes.iter().map(|ix| index_entry(ix, layout)) }
                    </table></div>
                    { for missing(&props.design, layout, &c.name).into_iter().map(|f| html! {
                        <p class="finding warning" data-testid="mongo-index-missing">{ f.message.clone() }</p>
                    }) }
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
            { super::export_list::export_list("mongo-exports-title", crate::exports::mongo(&props.views)) }
        </div>
    }
}

/// One index as two rows: its name, keys and the patterns it serves, then under them across
/// the table why it is there, a declared index's options and the advice about it, so the why
/// reads as prose on a phone instead of a column one word wide.
fn index_entry(ix: &mongo::IndexSuggestion, layout: &mongo::MongoLayout) -> Html {
    let options = ix
        .declared
        .as_ref()
        .map(declared_options)
        .unwrap_or_default();
    let advice: Vec<&Finding> = match ix.declared.as_ref().and_then(|d| d.position) {
        Some(position) => {
            let path = format!("mongo.indexes[{position}]");
            layout
                .index_findings
                .iter()
                .filter(|f| f.path == path)
                .collect()
        }
        None => Vec::new(),
    };
    html! {
        <tbody class="index-entry">
            <tr data-testid="mongo-index">
                <td>{ ix.name.clone() }{ if ix.unique { " (unique)" } else { "" } }{ if ix.case_insensitive { " (case-insensitive)" } else { "" } }</td>
                <td data-label="keys">{ ix.keys.to_string() }</td>
                <td data-label="serves">{ if ix.serves.is_empty() { "—".to_string() } else { ix.serves.join(", ") } }</td>
            </tr>
            <tr class="index-why" data-testid="mongo-index-why">
                <td colspan="3">
                    <div class="reason">{ ix.reason.clone() }</div>
                    if !options.is_empty() {
                        <div class="index-options" data-testid="mongo-index-options">{ options.join(" · ") }</div>
                    }
                    { for advice.iter().map(|f| html! {
                        <div class={format!("finding {}", f.severity)} data-testid="mongo-index-advice">{ f.message.clone() }</div>
                    }) }
                </td>
            </tr>
        </tbody>
    }
}

/// What a declared index says beyond its keys (its why says it is declared): `sparse`, `TTL: 3,600 s after the date`,
/// `partial: {"status":"pending"}`, `collation: {"locale":"en","strength":2}`, `weights: …`.
fn declared_options(d: &mongo::DeclaredOptions) -> Vec<String> {
    let mut out = Vec::new();
    if d.sparse {
        out.push("sparse".to_string());
    }
    if let Some(seconds) = d.expire_after_seconds {
        out.push(format!(
            "TTL: expires {} s after the date",
            grouped(seconds)
        ));
    }
    if let Some(filter) = &d.partial_filter_expression {
        out.push(format!("partial: {filter}"));
    }
    if let Some(collation) = &d.collation {
        out.push(format!("collation: {collation}"));
    }
    if let Some(weights) = &d.weights {
        out.push(format!("weights: {weights}"));
    }
    out
}

/// The advice that no declared index of `collection` serves a pattern that reads it.
fn missing<'a>(
    design: &Design,
    layout: &'a mongo::MongoLayout,
    collection: &str,
) -> Vec<&'a Finding> {
    layout
        .index_findings
        .iter()
        .filter(|f| f.id == "mongo-index-missing")
        .filter(|f| {
            let pattern = design
                .access_patterns
                .iter()
                .enumerate()
                .find(|(i, _)| f.path == format!("accessPatterns[{i}]"))
                .map(|(_, p)| p.name.as_str());
            layout
                .queries
                .iter()
                .any(|q| Some(q.pattern.as_str()) == pattern && q.collection == collection)
        })
        .collect()
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
