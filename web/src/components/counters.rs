//! The counter items of the DynamoDB layout and, per count or aggregate pattern a counter item
//! can serve, the choice between one and a read of the items (`dynamo.counters`): derived, a
//! counter item, or a read. What each holds, which writes keep it and why it was chosen are
//! computed by `schemaplay_core::dynamo` (`DynamoLayout::counters`).

use std::rc::Rc;

use schemaplay_core::dynamo::CounterItems;
use schemaplay_core::model::counters::counter_blocker;
use schemaplay_core::model::{CounterChoice, Design, PatternKind};
use yew::prelude::*;

use super::select;
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct CountersProps {
    pub design: Rc<Design>,
    pub counters: Vec<CounterItems>,
    pub on_action: Callback<Action>,
}

#[function_component(Counters)]
pub fn counters(props: &CountersProps) -> Html {
    let eligible: Vec<(usize, &str)> = props
        .design
        .access_patterns
        .iter()
        .enumerate()
        .filter(|(_, p)| matches!(p.kind, PatternKind::Count | PatternKind::Aggregate))
        .filter(|(_, p)| counter_blocker(p).is_none())
        .map(|(i, p)| (i, p.name.as_str()))
        .collect();
    if eligible.is_empty() {
        return html! {};
    }
    let rows = eligible.into_iter().map(|(i, name)| {
        let kept = props.counters.iter().find(|c| c.pattern == name);
        let current = match props.design.dynamo.counters.get(name) {
            Some(CounterChoice::Counter) => "counter",
            Some(CounterChoice::Read) => "read",
            None => "",
        };
        let derived = if kept.is_some() { "a counter item" } else { "read the items" };
        let options = [
            ("", format!("derived ({derived})")),
            ("counter", "a counter item".to_string()),
            ("read", "read the items".to_string()),
        ]
        .map(|(v, t)| (v.to_string(), t));
        let onchange = {
            let (pattern, on_action) = (name.to_string(), props.on_action.clone());
            Callback::from(move |v: String| {
                let choice = match v.as_str() {
                    "counter" => Some(CounterChoice::Counter),
                    "read" => Some(CounterChoice::Read),
                    _ => None,
                };
                on_action.emit(Action::SetCounter {
                    pattern: pattern.clone(),
                    choice,
                });
            })
        };
        let id = format!("counter-{i}");
        html! {
            <div class="field-line" data-testid={id.clone()}>
                <strong>{ name.to_string() }</strong>{ ": " }
                { select(&format!("Counter item or read for {name}"), format!("{id}-choice"), &options, current, onchange) }
                if let Some(c) = kept {
                    <div class="mono" data-testid={format!("{id}-keys")}>{ format!("{} / {}", c.pk, c.sk) }</div>
                    <div class="hint">{ format!("read by {}; holds {}; kept by {}", c.read, c.attributes.join(", "), if c.kept_by.is_empty() { "no write pattern".to_string() } else { c.kept_by.join(", ") }) }</div>
                    <div class="reason" data-testid={format!("{id}-reason")}>{ c.reason.clone() }</div>
                } else {
                    <div class="reason" data-testid={format!("{id}-reason")}>{ "read from the items: its request below says how" }</div>
                }
            </div>
        }
    });
    html! {
        <section class="card" aria-labelledby="counters-title" data-testid="dynamo-counters">
            <div class="card-head"><h3 id="counters-title">{ "Counter items" }</h3></div>
            <p class="hint">{ "A count or a sum kept in one item per group by the writes (ADD in their transaction), or read from the items each time." }</p>
            { for rows }
        </section>
    }
}
