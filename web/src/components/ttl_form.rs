//! When an entity's items expire (its `ttl`): a date field and the seconds after it. DynamoDB
//! writes the expiry to the items' `ttl` attribute; MongoDB builds a TTL index on the field.

use schemaplay_core::model::{Entity, FieldType, Finding, Ttl};
use yew::prelude::*;

use super::findings::findings_at;
use super::{input_value, select};
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct TtlFormProps {
    /// The entity's position in the design.
    pub index: usize,
    pub entity: Entity,
    /// The design's validation findings; the form shows those about the entity's `ttl`.
    #[prop_or_default]
    pub findings: Vec<Finding>,
    pub on_action: Callback<Action>,
}

#[function_component(TtlForm)]
pub fn ttl_form(props: &TtlFormProps) -> Html {
    let i = props.index;
    let ttl = props.entity.ttl.clone();
    let current = ttl.as_ref().map(|t| t.field.clone()).unwrap_or_default();
    let mut options = vec![(String::new(), "never".to_string())];
    options.extend(
        props
            .entity
            .fields
            .iter()
            .filter(|f| f.ty == FieldType::Date)
            .map(|f| (f.name.clone(), format!("at {}", f.name))),
    );
    // A field that is no date (or no longer there) stays shown, with the finding that says so.
    if !options.iter().any(|(v, _)| *v == current) {
        options.push((current.clone(), format!("at {current}")));
    }
    let on_field = {
        let after_seconds = ttl.as_ref().map_or(0, |t| t.after_seconds);
        props.on_action.reform(move |field: String| Action::SetTtl {
            index: i,
            ttl: (!field.is_empty()).then_some(Ttl {
                field,
                after_seconds,
            }),
        })
    };
    let on_after = {
        let ttl = ttl.clone();
        let on_action = props.on_action.clone();
        Callback::from(move |e: Event| {
            let Some(mut ttl) = ttl.clone() else {
                return;
            };
            let typed = input_value(&e);
            let typed = typed.trim();
            // An empty box means no delay; anything else must be a whole number of seconds.
            let seconds = if typed.is_empty() {
                Some(0)
            } else {
                typed.parse::<u64>().ok()
            };
            if let Some(seconds) = seconds {
                ttl.after_seconds = seconds;
                on_action.emit(Action::SetTtl {
                    index: i,
                    ttl: Some(ttl),
                });
            }
        })
    };
    let id = format!("entity-{i}-ttl");
    let name = &props.entity.name;
    html! {
        <div class="field-line ttl-form" data-testid={id.clone()}>
            <label>{ "Items expire " }
                { select(&format!("Expiry field of {name}"), format!("{id}-field"), &options, &current, on_field) }
            </label>
            if let Some(ttl) = &ttl {
                <label>{ " + " }
                    <input type="number" min="0" class="num" value={ttl.after_seconds.to_string()}
                        aria-label={format!("Seconds after {} that {name} items expire", ttl.field)}
                        data-testid={format!("{id}-after")} onchange={on_after} />
                    { " seconds" }
                </label>
                <span class="hint" data-testid={format!("{id}-reads")}>{ duration(ttl.after_seconds) }</span>
            }
            { findings_at(&props.findings, &format!("entities[{i}].ttl")) }
        </div>
    }
}

/// A delay in the largest whole unit that says it exactly: `= 90 days`, `= 36 hours`; nothing
/// for no delay or a number of seconds that reads best as it is.
pub(crate) fn duration(seconds: u64) -> String {
    let units = [(86_400, "day"), (3_600, "hour"), (60, "minute")];
    let Some((size, unit)) = units
        .iter()
        .find(|(size, _)| seconds >= *size && seconds % size == 0)
    else {
        return String::new();
    };
    let n = seconds / size;
    format!(
        "= {} {unit}{}",
        schemaplay_core::numbers::grouped(n),
        if n == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::duration;

    #[test]
    fn a_delay_reads_in_its_largest_exact_unit() {
        assert_eq!(duration(7_776_000), "= 90 days");
        assert_eq!(duration(129_600), "= 36 hours");
        assert_eq!(duration(3_600), "= 1 hour");
        assert_eq!(duration(90), "");
        assert_eq!(duration(0), "");
        assert_eq!(duration(86_400_000), "= 1,000 days");
    }
}
