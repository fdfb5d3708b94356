//! The sample-data card: how many records per entity, the button that generates them in the
//! worker, its progress, and what was loaded.

use schemaplay_playground::{Progress, Summary, MAX_PER_ENTITY};
use yew::prelude::*;

use crate::components::input_value;

#[derive(Properties, PartialEq)]
pub struct DataPanelProps {
    pub progress: Option<Progress>,
    pub summary: Option<Summary>,
    pub error: Option<String>,
    /// The design changed since the data was generated.
    pub stale: bool,
    pub generating: bool,
    pub per_entity: String,
    pub on_per_entity: Callback<String>,
    pub on_generate: Callback<()>,
}

#[function_component(DataPanel)]
pub fn data_panel(props: &DataPanelProps) -> Html {
    let summary = props.summary.as_ref().map(|s| {
        let collections: Vec<String> = s
            .collections
            .iter()
            .map(|(c, n)| format!("{c} ({n})"))
            .collect();
        html! {
            <>
                <p class="stats" data-testid="data-summary">
                    <span>{ format!("MongoDB: {} documents in {}", s.documents, collections.join(", ")) }</span>
                    <span>{ format!("DynamoDB: {} items in {}", s.items, s.table) }</span>
                </p>
                { for s.problems.iter().map(|p| html! { <p class="finding warning">{ p.clone() }</p> }) }
                if props.stale { <p class="finding warning">{ "The design changed since the data was generated: regenerate to query the new layout." }</p> }
            </>
        }
    });
    html! {
        <section class="card" aria-labelledby="data-title">
            <div class="card-head">
                <h3 id="data-title">{ "Sample data" }</h3>
                <label>{ "Items per entity " }
                    <input type="number" min="1" max={MAX_PER_ENTITY.to_string()} class="num" value={props.per_entity.clone()}
                        data-testid="per-entity" aria-label="Items per entity"
                        onchange={props.on_per_entity.reform(|e: Event| input_value(&e))} />
                </label>
                <button class="primary" onclick={props.on_generate.reform(|_: MouseEvent| ())} disabled={props.generating} data-testid="generate">
                    { if props.summary.is_some() { "Regenerate" } else { "Generate sample data" } }</button>
                <span class="hint">{ "Runs in a background worker; the page stays usable." }</span>
            </div>
            if let Some(Progress { done, total, stage }) = &props.progress {
                <progress class="progress" max={total.to_string()} value={done.to_string()} data-testid="progress"
                    aria-label="Generating sample data" />
                <p class="hint">{ format!("{stage}: {done} of {total}") }</p>
            }
            if let Some(error) = &props.error { <div class="inline-error" role="alert">{ error.clone() }</div> }
            { summary }
        </section>
    }
}
