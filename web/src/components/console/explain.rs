//! The plan of a MongoDB answer: its stages from the top and what they examined.

use schemaplay_playground::Explain;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ExplainViewProps {
    pub explain: Explain,
}

#[function_component(ExplainView)]
pub fn explain_view(props: &ExplainViewProps) -> Html {
    let summary = match &props.explain.summary {
        Ok(summary) => summary,
        Err(error) => return html! { <p class="hint">{ format!("no explain: {error}") }</p> },
    };
    let count = |n: Option<u64>| n.map_or_else(|| "?".to_string(), |n| n.to_string());
    let plan = if summary.stages.is_empty() {
        "?".to_string()
    } else {
        summary.stages.join(" ← ")
    };
    html! {
        <div class="explain" data-testid="explain">
            <p class="stats">
                <span>{ format!("plan: {plan}") }</span>
                <span>{ format!("keys examined {}", count(summary.keys_examined)) }</span>
                <span>{ format!("documents examined {}", count(summary.docs_examined)) }</span>
                <span>{ format!("returned {}", count(summary.returned)) }</span>
            </p>
        </div>
    }
}
