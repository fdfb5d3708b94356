//! A pattern's skew: the share of its requests on its hottest key, as a percentage
//! ("hottest key 30% of requests"); empty for traffic spread evenly.

use schemaplay_core::model::AccessPattern;
use yew::prelude::*;

use super::input_value;
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct PatternSkewProps {
    /// The pattern's position in the design.
    pub index: usize,
    pub pattern: AccessPattern,
    pub on_action: Callback<Action>,
}

#[function_component(PatternSkew)]
pub fn pattern_skew(props: &PatternSkewProps) -> Html {
    let onchange = {
        let (index, pattern, on_action) =
            (props.index, props.pattern.clone(), props.on_action.clone());
        Callback::from(move |e: Event| {
            let mut pattern = pattern.clone();
            // A percentage above 0 and at most 100; anything else is an even spread.
            pattern.hot_key_share = input_value(&e)
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|p| p.is_finite() && *p > 0.0 && *p <= 100.0)
                .map(|p| p / 100.0);
            on_action.emit(Action::SetPattern { index, pattern });
        })
    };
    let value = props
        .pattern
        .hot_key_share
        .map(|s| format!("{}", (s * 1000.0).round() / 10.0))
        .unwrap_or_default();
    html! {
        <span class="pattern-skew" title="The share of the requests on the hottest key (a celebrity, the busiest room); empty: spread evenly">
            { ", hottest key " }
            <input type="number" min="0" max="100" step="any" class="num" {value} placeholder="even"
                aria-label="Share of the requests on the hottest key, in percent"
                data-testid={format!("pattern-{}-hot", props.index)} {onchange} />
            { "% of requests" }
        </span>
    }
}
