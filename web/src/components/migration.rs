//! The migration plan of a design imported from SQL, readable: each table's targets, each
//! backfill (its SELECT and loading code, folded), the change capture, the verification
//! queries, cutover and rollback. The plan is computed by the core
//! (`schemaplay_core::export::migration`); this only renders it.

use schemaplay_core::export::migration::{MigrationPlan, Target};
use yew::prelude::*;

/// The plan as HTML, for the export list's "Migration plan" entry.
pub fn migration_plan(plan: &MigrationPlan) -> Html {
    let tables = plan.tables.iter().map(|t| {
        html! {
            <tr data-testid="migration-table">
                <td><code>{ t.table.clone() }</code></td>
                <td>{ t.rows }</td>
                <td>{ t.becomes.clone() }</td>
                <td>{ t.mongo.clone() }</td>
                <td><code>{ t.dynamo.clone() }</code></td>
                <td>{ t.index_keys.join("; ") }</td>
            </tr>
        }
    });
    let loads = plan.loads.iter().map(|l| {
        let db = match l.target {
            Target::Mongodb => "MongoDB",
            Target::Dynamodb => "DynamoDB",
        };
        html! {
            <details class="request" data-testid="migration-load">
                <summary>{ format!("{db}: {}", l.name) }<span class="meta">
                    { format!(" · {} rows, {} per batch, {} batches", l.rows, l.batch_size, l.batches) }</span></summary>
                <pre class="code">{ l.select.clone() }</pre>
                <pre class="code">{ l.code.clone() }</pre>
            </details>
        }
    });
    let list = |items: &[String]| {
        html! { <ol>{ for items.iter().map(|s| html! { <li>{ s.clone() }</li> }) }</ol> }
    };
    let checks = plan.verification.iter().map(|c| {
        html! {
            <li data-testid="migration-check"><strong>{ c.what.clone() }</strong>
                <div><span class="meta">{ "SQL " }</span><code>{ c.sql.clone() }</code></div>
                <div><span class="meta">{ "MongoDB " }</span><code>{ c.mongosh.clone() }</code></div>
                <div><span class="meta">{ "DynamoDB " }</span><code>{ c.dynamodb.clone() }</code></div>
            </li>
        }
    });
    html! {
        <div class="migration-plan" data-testid="migration-plan">
            <h4>{ "1. Tables and their targets" }</h4>
            <div class="scroll-x">
                <table class="grid">
                    <thead><tr><th>{ "table" }</th><th>{ "rows" }</th><th>{ "becomes" }</th>
                        <th>{ "MongoDB" }</th><th>{ "DynamoDB" }</th><th>{ "index keys" }</th></tr></thead>
                    <tbody>{ for tables }</tbody>
                </table>
            </div>
            <h4>{ "2. Backfill" }</h4>
            { for loads }
            <details class="request"><summary>{ "Helpers the loading code uses" }</summary>
                <pre class="code">{ plan.mongosh_helpers.clone() }</pre>
                <pre class="code">{ plan.sdk_helpers.clone() }</pre>
            </details>
            <h4>{ format!("3. Writes during the backfill: {}", plan.sync.method) }</h4>
            <p>{ plan.sync.why.clone() }</p>
            { list(&plan.sync.steps) }
            <h4>{ "4. Verification" }</h4>
            <ul class="plain">{ for checks }</ul>
            <h4>{ "5. Cutover" }</h4>
            { list(&plan.cutover) }
            <h4>{ "Rollback" }</h4>
            { list(&plan.rollback) }
            if !plan.notes.is_empty() {
                <h4>{ "Not covered" }</h4>
                <ul>{ for plan.notes.iter().map(|n| html! { <li>{ n.clone() }</li> }) }</ul>
            }
        </div>
    }
}
