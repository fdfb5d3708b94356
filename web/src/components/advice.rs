//! Warnings and cost: every finding about the design, each linked to the element it concerns,
//! the DynamoDB cost of each access pattern, and how the data would scale. All computed by
//! `schemaplay_core::analyze`.

use schemaplay_core::model::Severity;

use schemaplay_core::numbers::{grouped, grouped_decimal};

use crate::derived::Shared;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AdviceProps {
    pub analysis: Shared,
    /// Shows the element a finding's path names (`entities[2].fields[0]`).
    pub on_goto: Callback<String>,
    /// Opens the Verify view.
    pub on_verify: Callback<()>,
}

/// Dollars with their thousands grouped: `$1,234.50`; `+ 0.0` turns a negative zero into zero.
pub(crate) fn money(x: f64) -> String {
    format!("${}", grouped_decimal(x + 0.0, 2))
}

/// Capacity units: whole from 100 up, else to a tenth; thousands grouped.
fn units(x: f64) -> String {
    grouped_decimal(x, if x.abs() >= 100.0 { 0 } else { 1 })
}

#[function_component(Advice)]
pub fn advice(props: &AdviceProps) -> Html {
    let analysis = &props.analysis;
    let findings = &analysis.findings;
    let rows = findings.iter().map(|f| {
        let goto = {
            let path = f.path.clone();
            props.on_goto.reform(move |_| path.clone())
        };
        html! {
            <li class={classes!("finding", f.severity.to_string())} data-testid="finding">
                <span class="badge">{ f.severity.to_string() }</span>
                { " " }{ f.message.clone() }{ " " }
                if !f.path.is_empty() {
                    <button class="link" onclick={goto} aria-label={format!("Show {} in the editor", f.path)}>{ f.path.clone() }</button>
                }
                <span class="meta">{ format!(" ({})", f.id) }</span>
            </li>
        }
    });
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let cost = &analysis.cost;
    let scaling = &analysis.scaling;
    html! {
        <div class="advice two-col">
            <section class="card" aria-labelledby="warnings-title">
                <h3 id="warnings-title">{ "Warnings" }</h3>
                <p class="hint">{ format!("{} errors, {} warnings, {} notes.", count(Severity::Error), count(Severity::Warning), count(Severity::Info)) }</p>
                if findings.is_empty() { <p class="ok">{ "No problems found." }</p> }
                <ul class="plain findings" data-testid="findings">{ for rows }</ul>
                <p class="hint">{ "These warnings read the design. To run its layouts and compare every answer with the design, " }
                    <button class="link" onclick={props.on_verify.reform(|_| ())} data-testid="advice-verify">{ "verify the layouts" }</button>{ "." }</p>
            </section>
            <div>
                <section class="card" aria-labelledby="cost-title" data-testid="cost">
                    <h3 id="cost-title">{ "DynamoDB cost per month" }</h3>
                    <p class="stats">
                        <span>{ format!("on-demand {}", money(cost.on_demand_monthly)) }</span>
                        <span>{ format!("provisioned {}", money(cost.provisioned_monthly)) }</span>
                        <span>{ format!("storage {} GB, {}", grouped_decimal(cost.storage_gb, 1), money(cost.storage_monthly)) }</span>
                        <span>{ format!("{} RCU/s, {} WCU/s", units(cost.read_units_per_second), units(cost.write_units_per_second)) }</span>
                    </p>
                    <p class="reason">{ cost.advice.clone() }</p>
                    <div class="scroll-x"><table class="grid cost-table">
                        <thead><tr><th>{ "pattern" }</th><th>{ "request" }</th><th>{ "per second" }</th><th>{ "units each" }</th><th>{ "on-demand" }</th><th>{ "provisioned" }</th></tr></thead>
                        <tbody>{ for cost.patterns.iter().map(|p| html! {
                            <tr title={p.explanation.clone()}>
                                <td>{ p.pattern.clone() }</td><td>{ p.operation.clone() }</td>
                                <td>{ units(p.requests_per_second) }</td>
                                <td>{ if p.write_units_per_request > 0.0 { format!("{} WCU", units(p.write_units_per_request)) } else { format!("{} RCU", units(p.read_units_per_request)) } }</td>
                                <td>{ money(p.on_demand_monthly) }</td><td>{ money(p.provisioned_monthly) }</td>
                            </tr>
                        }) }</tbody>
                    </table></div>
                </section>
                <section class="card" aria-labelledby="scaling-title">
                    <h3 id="scaling-title">{ "Scaling" }</h3>
                    <p class="reason">{ format!("DynamoDB: about {} partitions. {}", grouped(scaling.dynamo.partitions), scaling.dynamo.reason) }</p>
                    { for scaling.dynamo.write_sharding.iter().map(|w| html! { <p class="finding warning">{ w.advice.clone() }</p> }) }
                    <h4>{ "MongoDB shard keys" }</h4>
                    if scaling.mongo.is_empty() { <p class="hint">{ "No collection needs sharding at these volumes." }</p> }
                    <ul class="plain">{ for scaling.mongo.iter().map(|s| html! {
                        <li><code>{ format!("{}: {}{}", s.collection, s.key, if s.hashed { " (hashed)" } else { "" }) }</code>
                            <div class="reason">{ s.reason.clone() }</div></li>
                    }) }</ul>
                </section>
            </div>
        </div>
    }
}
