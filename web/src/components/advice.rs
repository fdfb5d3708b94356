//! Warnings and cost: every finding about the design, each linked to the element it concerns.

use schemaplay_core::model::{Design, Finding, Severity};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AdviceProps {
    pub design: Design,
    /// Shows the element a finding's path names (`entities[2].fields[0]`).
    pub on_goto: Callback<String>,
}

#[function_component(Advice)]
pub fn advice(props: &AdviceProps) -> Html {
    let findings = use_memo(props.design.clone(), |design| {
        let mut all: Vec<Finding> = schemaplay_core::validate(design);
        all.sort_by_key(|f| f.severity);
        all
    });
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
                    <button class="link" onclick={goto} aria-label={format!("Show {}", f.path)}>{ f.path.clone() }</button>
                }
            </li>
        }
    });
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    html! {
        <div class="advice">
            <section class="card" aria-labelledby="warnings-title">
                <h3 id="warnings-title">{ "Warnings" }</h3>
                <p class="hint">{ format!("{} findings, {errors} of them errors.", findings.len()) }</p>
                <ul class="plain findings" data-testid="findings">{ for rows }</ul>
            </section>
        </div>
    }
}
