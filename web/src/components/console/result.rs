//! An answer under the console's form: its counts, the plan of a MongoDB query, and its rows as
//! a table (the first rows) or as JSON (all of it), with the next page of a DynamoDB read and
//! the next batch of a MongoDB cursor; a paged list's page says its number and has a next
//! page (MongoDB by keyset, DynamoDB from its `LastEvaluatedKey`) until the last page, which
//! says it is the last.

use schemaplay_playground::{More, Rows};
use serde_json::Value;
use yew::prelude::*;

use super::explain::ExplainView;
use crate::components::json_tree::JsonTree;
use crate::data::{Answer, ListPage};
use crate::derived::Shared;

/// Rows shown in the result table (ten of MongoDB's batches); the JSON view has all of them.
const TABLE_ROWS: usize = 1_010;
/// Characters of a cell shown; the cell's title has all of them.
const CELL_CHARS: usize = 80;

#[derive(Properties, PartialEq)]
pub struct ResultViewProps {
    pub answer: Shared<Answer>,
    pub as_json: bool,
    /// The DynamoDB key attributes, shown as the first columns.
    pub lead: Vec<String>,
    /// Asks for the page after a DynamoDB answer's `LastEvaluatedKey`; without it (a script's
    /// answer, whose next page is the script's to ask) the key is only reported.
    #[prop_or_default]
    pub on_next_page: Option<Callback<Value>>,
    /// The page of a paged list that a MongoDB answer is, when it is one.
    #[prop_or_default]
    pub page: Option<ListPage>,
    /// Asks for the page after a MongoDB list page's last row (given as the row); without it
    /// the page is only reported.
    #[prop_or_default]
    pub on_next_list_page: Option<Callback<Value>>,
    /// Asks for the next batch of a MongoDB answer's cursor; without it the cursor is only
    /// reported.
    #[prop_or_default]
    pub on_more: Option<Callback<More>>,
    /// Whether the next batch was asked for and is on its way.
    #[prop_or_default]
    pub loading_more: bool,
}

#[function_component(ResultView)]
pub fn result_view(props: &ResultViewProps) -> Html {
    // Whether the answer is a read, whose rows are its point even when there are none; a
    // write's acknowledgement is its counts, or its response.
    let (rows, stats, explain, next, lead, reads): (&[Value], Vec<String>, _, _, Vec<&str>, bool) =
        match &*props.answer {
            Answer::Failed(message) => {
                return html! {
                    <div class="inline-error" role="alert" data-testid="query-error">{ message.clone() }</div>
                }
            }
            Answer::Mongo(answer) => {
                let mut stats = answer.stats.clone();
                if answer.more.is_some() {
                    stats.push("more documents in the cursor".to_string());
                }
                let next = answer
                    .more
                    .clone()
                    .zip(props.on_more.clone())
                    .map(|(more, ask)| {
                        let onclick = ask.reform(move |_: MouseEvent| more.clone());
                        html! {
                            <button class="small" {onclick} disabled={props.loading_more}
                                data-testid="more-rows" title="getMore: the cursor's next batch">
                                { if props.loading_more { "Loading…" } else { "More documents" } }
                            </button>
                        }
                    });
                let next = next.or_else(|| list_page(props, answer.rows(), &mut stats));
                (
                    answer.rows(),
                    stats,
                    answer.explain.clone(),
                    next,
                    vec!["_id"],
                    answer.rows != Rows::None,
                )
            }
            Answer::Dynamo(answer) => {
                let mut stats = Vec::new();
                if let Some(n) = answer.count {
                    stats.push(format!("Count {n}"));
                }
                if let Some(n) = answer.scanned_count {
                    stats.push(format!("ScannedCount {n}"));
                }
                if let Some(units) = answer.consumed_capacity {
                    stats.push(format!("consumed {units} capacity units"));
                }
                if answer.last_evaluated_key.is_some() {
                    stats.push("more pages".to_string());
                }
                let start = answer.exclusive_start_key.as_ref().map(|key| {
                    html! { <span data-testid="start-key">{ format!("ExclusiveStartKey {key}") }</span> }
                });
                let last = answer.last_page.then(|| {
                    html! { <span data-testid="last-page">{ "last page: no LastEvaluatedKey" }</span> }
                });
                let next = answer
                    .last_evaluated_key
                    .clone()
                    .zip(props.on_next_page.clone())
                    .map(|(key, next)| {
                        let onclick = next.reform(move |_: MouseEvent| key.clone());
                        html! {
                            <button class="small" {onclick} data-testid="next-page"
                                title="The same request with ExclusiveStartKey: this LastEvaluatedKey">{ "Next page" }</button>
                        }
                    })
                    .or(last);
                let lead = props.lead.iter().map(String::as_str).collect();
                let reads = answer.count.is_some()
                    || ["Item", "Items", "Responses"]
                        .iter()
                        .any(|k| answer.response.get(k).is_some());
                let next = Some(html! { <>{ start }{ next }</> });
                (answer.rows.as_slice(), stats, None, next, lead, reads)
            }
        };
    let json = || match &*props.answer {
        Answer::Mongo(answer) => answer.json(),
        Answer::Dynamo(answer) => answer.response.clone(),
        Answer::Failed(_) => Value::Null,
    };
    let body = if props.as_json {
        html! { <JsonTree value={json()} open={3} /> }
    } else if reads || !rows.is_empty() {
        table(rows, &lead)
    } else if stats.is_empty() {
        // A write that answers no counts: its response is what there is to see.
        let value = json();
        if value.as_object().is_some_and(|o| o.is_empty()) {
            html! { <p class="hint" data-testid="no-rows">{ "Done: the response is empty." }</p> }
        } else {
            html! { <JsonTree {value} open={3} /> }
        }
    } else {
        Html::default()
    };
    html! {
        <div class="result">
            <p class="stats" data-testid="result-stats">
                if reads || !rows.is_empty() {
                    <span>{ format!("{} row{}", rows.len(), if rows.len() == 1 { "" } else { "s" }) }</span>
                }
                { for stats.into_iter().map(|s| html! { <span>{ s }</span> }) }
                { next }
            </p>
            if let Some(explain) = explain { <ExplainView {explain} /> }
            { body }
        </div>
    }
}

/// A MongoDB list page's number in `stats`, and what follows it: a "Next page" button asking
/// for the page after its last row, or the note that it is the last page (shorter than its
/// limit).
fn list_page(props: &ResultViewProps, rows: &[Value], stats: &mut Vec<String>) -> Option<Html> {
    let page = props.page.as_ref()?;
    stats.insert(0, format!("page {}", page.number));
    if page.last {
        return Some(html! {
            <span data-testid="last-page">{ "last page: fewer rows than the limit" }</span>
        });
    }
    let ask = props.on_next_list_page.clone()?;
    let last = rows.last()?.clone();
    let onclick = ask.reform(move |_: MouseEvent| last.clone());
    Some(html! {
        <button class="small" {onclick} data-testid="next-page"
            title="The same find with a keyset condition after this page's last row">{ "Next page" }</button>
    })
}

/// A cell's text: strings as they are, `{"$oid": ...}` and friends as their inner value.
fn cell(value: Option<&Value>) -> String {
    match value {
        None => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Object(o)) if o.len() == 1 => match o.iter().next() {
            Some((k, Value::String(s))) if k.starts_with('$') => s.clone(),
            _ => Value::Object(o.clone()).to_string(),
        },
        Some(v) => v.to_string(),
    }
}

/// Rows as a table whose columns are the union of their keys, the `lead` columns (the key
/// attributes) first, as a reader of a table looks for them.
fn table(rows: &[Value], lead: &[&str]) -> Html {
    if rows.is_empty() {
        return html! { <p class="hint" data-testid="no-rows">{ "No rows." }</p> };
    }
    let shown = &rows[..rows.len().min(TABLE_ROWS)];
    let present = |name: &str| shown.iter().any(|r| r.get(name).is_some());
    let mut columns: Vec<String> = lead
        .iter()
        .filter(|name| present(name))
        .map(|name| name.to_string())
        .collect();
    for row in shown {
        if let Some(map) = row.as_object() {
            for k in map.keys() {
                if !columns.contains(k) {
                    columns.push(k.clone());
                }
            }
        }
    }
    html! {
        <div class="scroll-x">
            <table class="grid" data-testid="result-table">
                <thead><tr>{ for columns.iter().map(|c| html! { <th>{ c.clone() }</th> }) }</tr></thead>
                <tbody>
                { for shown.iter().map(|row| html! {
                    <tr>{ for columns.iter().map(|c| {
                        let text = cell(row.get(c));
                        let short: String = text.chars().take(CELL_CHARS).collect();
                        html! { <td title={(short.len() < text.len()).then(|| text.clone())}>{ short }</td> }
                    }) }</tr>
                }) }
                </tbody>
            </table>
            if rows.len() > TABLE_ROWS { <p class="hint">{ format!("Showing {TABLE_ROWS} of {} rows; the JSON view has all.", rows.len()) }</p> }
        </div>
    }
}
