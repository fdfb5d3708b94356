//! A write pattern's multi-item transaction, edited under its sentence: "in one transaction
//! with 3 × Reserve stock". Each part is another write pattern (one without a transaction of
//! its own) and how many of its writes one transaction makes.

use schemaplay_core::model::{AccessPattern, TransactionPart};
use yew::prelude::*;

use super::{input_value, select};
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct TransactionProps {
    /// The pattern's position in the design.
    pub index: usize,
    pub pattern: AccessPattern,
    /// Every pattern of the design, the parts' candidates among them.
    pub patterns: Vec<AccessPattern>,
    pub on_action: Callback<Action>,
}

#[function_component(Transaction)]
pub fn transaction(props: &TransactionProps) -> Html {
    let i = props.index;
    let id = format!("pattern-{i}-tx");
    // Other writes without parts of their own can join (transactions do not nest).
    let candidates: Vec<(String, String)> = props
        .patterns
        .iter()
        .filter(|q| q.kind.is_write() && q.transaction.is_empty() && q.name != props.pattern.name)
        .map(|q| (q.name.clone(), q.name.clone()))
        .collect();
    // The pattern with its parts edited, as the action that sets it.
    let edited = |edit: &dyn Fn(&mut Vec<TransactionPart>)| {
        let mut pattern = props.pattern.clone();
        edit(&mut pattern.transaction);
        Action::SetPattern { index: i, pattern }
    };
    let on_action = &props.on_action;
    let parts = props.pattern.transaction.iter().enumerate().map(|(j, part)| {
        let (pattern, emit) = (props.pattern.clone(), on_action.clone());
        let on_count = Callback::from(move |e: Event| {
            let Ok(n) = input_value(&e).trim().parse::<u32>() else {
                return;
            };
            let mut pattern = pattern.clone();
            if let Some(part) = pattern.transaction.get_mut(j) {
                part.count = n.clamp(1, 100);
            }
            emit.emit(Action::SetPattern { index: i, pattern });
        });
        let (pattern, emit) = (props.pattern.clone(), on_action.clone());
        let on_name = Callback::from(move |name: String| {
            let mut pattern = pattern.clone();
            if let Some(part) = pattern.transaction.get_mut(j) {
                part.pattern = name;
            }
            emit.emit(Action::SetPattern { index: i, pattern });
        });
        let remove = {
            let action = edited(&|parts| {
                if j < parts.len() {
                    parts.remove(j);
                }
            });
            let emit = on_action.clone();
            Callback::from(move |_| emit.emit(action.clone()))
        };
        let mut options = candidates.clone();
        if !options.iter().any(|(v, _)| *v == part.pattern) {
            options.insert(0, (part.pattern.clone(), format!("{} (not a write)", part.pattern)));
        }
        html! {
            <li class="tx-part" data-testid={format!("{id}-{j}")}>
                <input type="number" min="1" max="100" class="num" value={part.count.to_string()}
                    aria-label="Writes per transaction" data-testid={format!("{id}-{j}-count")}
                    onchange={on_count} />
                { " × " }
                { select("Write in the transaction", format!("{id}-{j}-pattern"), &options, &part.pattern, on_name) }
                <button class="icon danger" aria-label={format!("Take {} out of the transaction", part.pattern)}
                    data-testid={format!("{id}-{j}-remove")} onclick={remove}>{ "✕" }</button>
            </li>
        }
    });
    let add = candidates.first().map(|(first, _)| {
        let action = edited(&|parts| parts.push(TransactionPart::new(first, 1)));
        let emit = on_action.clone();
        Callback::from(move |_| emit.emit(action.clone()))
    });
    html! {
        <div class="tx" data-testid={id.clone()}>
            if !props.pattern.transaction.is_empty() {
                { "in one transaction with " }
                <ul class="plain inline">{ for parts }</ul>
            }
            if let Some(add) = add {
                <button class="small" data-testid={format!("{id}-add")} onclick={add}
                    title="Writes that succeed or fail with this one">{ "+ write in the same transaction" }</button>
            }
        </div>
    }
}
