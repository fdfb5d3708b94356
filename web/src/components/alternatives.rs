//! The Alternatives view: each layout choice of the design (embed or reference, a child in its
//! parent's partition or its own, a local or a global index) with its alternatives side by side,
//! each as `schemaplay_core::alternatives` derives it (cost, the requests each pattern takes,
//! consistency, findings), and a button that records one in the design. Picking is one
//! undoable edit; every view follows the design.

use std::rc::Rc;

use schemaplay_core::alternatives::{Alternative, Choice, Requests};
use schemaplay_core::model::Design;
use schemaplay_playground::derive::DerivedViews;
use yew::prelude::*;

use super::advice::money;
use crate::derived::Shared;
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct AlternativesViewProps {
    pub design: Rc<Design>,
    /// What the worker derived; its `alternatives` are the choices (each alternative a whole
    /// derivation), none until a derivation that asked for them has come.
    pub views: Shared<DerivedViews>,
    pub on_action: Callback<Action>,
}

#[function_component(AlternativesView)]
pub fn alternatives_view(props: &AlternativesViewProps) -> Html {
    if props.design.entities.is_empty() {
        return html! { <p class="empty">{ "Add entities and relationships in the Design view to compare their layouts." }</p> };
    }
    let Some(choices) = &props.views.alternatives else {
        return html! { <p class="empty">{ "Deriving the alternatives…" }</p> };
    };
    if choices.is_empty() {
        return html! { <p class="empty" data-testid="alternatives-none">{ "This design has no layout choice with more than one alternative: relationships and sorted patterns give them." }</p> };
    }
    html! {
        <div class="alternatives-view" data-testid="alternatives-view">
            <p class="hint">{ "Where experts choose between layouts, each alternative is derived with the choice applied: the whole design's monthly DynamoDB cost, the requests each pattern takes, what its reads can promise, the warnings it brings. Use one to record it in the design: every view, the console and the exports follow." }</p>
            { for choices.iter().map(|c| choice_card(c, &props.on_action)) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct AlternativesLinkProps {
    /// Opens the Alternatives view.
    pub on_open: Callback<()>,
    pub testid: AttrValue,
}

/// The way from a layout view to its alternatives, where a designer reviewing the layout looks.
#[function_component(AlternativesLink)]
pub fn alternatives_link(props: &AlternativesLinkProps) -> Html {
    let onclick = props.on_open.reform(|_: MouseEvent| ());
    html! {
        <p class="hint">
            { "Experts weigh other layouts here (embed or reference, a child in its parent's partition or its own, a local or a global index): " }
            <button class="link" data-testid={props.testid.clone()} {onclick}>{ "compare the alternatives side by side" }</button>
        </p>
    }
}

fn choice_card(choice: &Choice, on_action: &Callback<Action>) -> Html {
    html! {
        <section class="card alt-choice" data-testid={format!("alt-choice-{}", choice.id)}>
            <div class="card-head">
                <h3>{ &choice.title }</h3>
                <span class="meta">{ &choice.path }</span>
            </div>
            <div class="alt-grid">
                { for choice.alternatives.iter().map(|a| alternative_card(&choice.id, a, on_action)) }
            </div>
        </section>
    }
}

fn alternative_card(choice: &str, alt: &Alternative, on_action: &Callback<Action>) -> Html {
    let onclick = {
        let on_action = on_action.clone();
        let action = Action::ApplyAlternative {
            setting: alt.setting.clone(),
        };
        Callback::from(move |_| on_action.emit(action.clone()))
    };
    let cost = &alt.cost;
    html! {
        <article class={classes!("alt", alt.selected.then_some("selected"))}
            data-testid={format!("alt-{choice}-{}", alt.key)} aria-current={if alt.selected { "true" } else { "false" }}>
            <div class="alt-head">
                <h4>{ &alt.label }</h4>
                if alt.selected { <span class="badge ok">{ "in the design" }</span> }
                if alt.derived { <span class="badge">{ "derived" }</span> }
            </div>
            <p class="alt-cost" data-testid="alt-cost">
                <strong>{ format!("{} / month", money(cost.on_demand_monthly)) }</strong>
                { format!(" on demand ({} provisioned), storage {:.1} GB", money(cost.provisioned_monthly), cost.dynamo_storage_gb) }
            </p>
            <ul class="alt-layout">
                { for alt.layout.iter().map(|l| html! { <li><code>{ l }</code></li> }) }
            </ul>
            if !alt.patterns.is_empty() {
                <table class="alt-patterns">
                    <thead><tr><th>{ "pattern" }</th><th>{ "MongoDB" }</th><th>{ "DynamoDB" }</th></tr></thead>
                    <tbody>
                        { for alt.patterns.iter().map(|p| html! {
                            <tr>
                                <td>{ &p.pattern }</td>
                                <td>{ requests(&p.mongo) }</td>
                                <td>{ requests(&p.dynamo) }{ format!(" ({} / month)", money(p.dynamo.on_demand_monthly)) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
            if !alt.consistency.is_empty() {
                <ul class="alt-notes">
                    { for alt.consistency.iter().map(|n| html! { <li>{ n }</li> }) }
                </ul>
            }
            { for alt.new_findings.iter().map(|f| html! {
                <p class={classes!("alt-finding", f.severity.to_string())}>{ format!("{} [{}]: {}", f.severity, f.id, f.message) }</p>
            }) }
            { for alt.resolved_findings.iter().map(|f| html! {
                <p class="alt-finding gone">{ format!("no longer: [{}] {}", f.id, f.message) }</p>
            }) }
            <button class={classes!("small", (!alt.selected).then_some("primary"))} disabled={alt.selected}
                data-testid={format!("alt-use-{choice}-{}", alt.key)} {onclick}>
                { if alt.selected { "In use" } else { "Use this layout" } }
            </button>
        </article>
    }
}

/// `1 request: Query on GSI1` or `2 requests: GetItem, then TransactWriteItems`.
fn requests(r: &Requests) -> String {
    let count = match r.count {
        1 => "1 request".to_string(),
        n => format!("{n} requests"),
    };
    format!("{count}: {}", r.operations)
}
