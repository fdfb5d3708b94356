//! The sample-data card: how many records per entity, the button that generates them in the
//! worker, its progress, and what was loaded.

use schemaplay_core::numbers::grouped;
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
    /// Stops the generation on its way.
    pub on_cancel: Callback<()>,
}

#[function_component(DataPanel)]
pub fn data_panel(props: &DataPanelProps) -> Html {
    let summary = props.summary.as_ref().map(|s| {
        let collections: Vec<String> = s
            .collections
            .iter()
            .map(|(c, n)| format!("{c} ({})", grouped(*n)))
            .collect();
        html! {
            <>
                <p class="stats" data-testid="data-summary">
                    <span>{ format!("MongoDB: {} documents in {}", grouped(s.documents), collections.join(", ")) }</span>
                    <span>{ format!("DynamoDB: {} items in {}", grouped(s.items), s.table) }</span>
                </p>
                { for s.problems.iter().map(|p| html! { <p class="finding warning">{ p.clone() }</p> }) }
                if props.stale { <p class="finding warning">{ "The design changed since the data was generated: regenerate to query the new layout." }</p> }
            </>
        }
    });
    // What a number above the cap becomes, said before it is generated.
    let typed = props.per_entity.trim().parse::<u64>().ok();
    let capped = typed.filter(|n| *n > MAX_PER_ENTITY).map(|n| {
        html! {
            <p class="finding warning" data-testid="per-entity-capped">
                { format!("{} is above the cap of {} per entity: {} of each will be generated.",
                    grouped(n), grouped(MAX_PER_ENTITY), grouped(MAX_PER_ENTITY)) }
            </p>
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
                    <span class="hint" data-testid="per-entity-cap">{ format!(" (at most {})", grouped(MAX_PER_ENTITY)) }</span>
                </label>
                <button class="primary" onclick={props.on_generate.reform(|_: MouseEvent| ())} disabled={props.generating} data-testid="generate">
                    { if props.summary.is_some() { "Regenerate" } else { "Generate sample data" } }</button>
                <span class="hint">{ "Runs in a background worker; the page stays usable." }</span>
            </div>
            { capped }
            if let Some(Progress { done, total, stage, part }) = &props.progress {
                <progress class="progress" max={total.to_string()} value={done.to_string()} data-testid="progress"
                    aria-label="Generating sample data" />
                <p class="hint progress-line">
                    if let Some(part) = part {
                        <strong data-testid="progress-part">{ format!("{}: {} / {}", part.name, grouped(part.done), grouped(part.total)) }</strong>
                        { format!(" ({stage}; {} of {} in all) ", grouped(*done), grouped(*total)) }
                    } else {
                        { format!("{stage}: {} of {} ", grouped(*done), grouped(*total)) }
                    }
                    <button class="small" onclick={props.on_cancel.reform(|_: MouseEvent| ())} data-testid="cancel-generation"
                        title="Stop generating: the design stays as it is">{ "Cancel" }</button></p>
            }
            if let Some(error) = &props.error { <div class="inline-error" role="alert">{ error.clone() }</div> }
            { summary }
        </section>
    }
}
