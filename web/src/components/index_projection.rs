//! What a DynamoDB secondary index copies from the items (its projection): the derived
//! choice with its reason, or the design's own: all, keys only, or the keys and some
//! attributes.

use schemaplay_core::dynamo::DynamoIndex;
use schemaplay_core::model::Projection;
use yew::prelude::*;

use super::{input_value, select};
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct IndexProjectionProps {
    pub index: DynamoIndex,
    /// Whether the design sets this index's projection (else it is derived).
    pub overridden: bool,
    pub on_action: Callback<Action>,
}

#[function_component(IndexProjection)]
pub fn index_projection(props: &IndexProjectionProps) -> Html {
    let i = &props.index;
    let id = format!("projection-{}", i.name);
    let current = if props.overridden {
        match &i.projection {
            Projection::All => "all",
            Projection::KeysOnly => "keysOnly",
            Projection::Include(_) => "include",
        }
    } else {
        ""
    };
    let options = [
        ("", format!("derived ({})", i.projection.type_name())),
        ("all", "ALL".to_string()),
        ("keysOnly", "KEYS_ONLY".to_string()),
        ("include", "INCLUDE".to_string()),
    ]
    .map(|(v, t)| (v.to_string(), t));
    let included = match &i.projection {
        Projection::Include(names) => names.join(", "),
        _ => String::new(),
    };
    let on_kind = {
        let (name, on_action, included) =
            (i.name.clone(), props.on_action.clone(), included.clone());
        Callback::from(move |v: String| {
            let projection = match v.as_str() {
                "all" => Some(Projection::All),
                "keysOnly" => Some(Projection::KeysOnly),
                "include" => Some(Projection::Include(names(&included))),
                _ => None,
            };
            on_action.emit(Action::SetProjection {
                index: name.clone(),
                projection,
            });
        })
    };
    let on_names = {
        let (name, on_action) = (i.name.clone(), props.on_action.clone());
        Callback::from(move |e: Event| {
            let projection = Some(Projection::Include(names(&input_value(&e))));
            on_action.emit(Action::SetProjection {
                index: name.clone(),
                projection,
            });
        })
    };
    html! {
        <div class="field-line" data-testid={id.clone()}>
            { "Projects " }
            { select(&format!("Projection of {}", i.name), format!("{id}-kind"), &options, current, on_kind) }
            if matches!(i.projection, Projection::Include(_)) {
                { " " }
                <input class="short" value={included} placeholder="name, city" aria-label={format!("Attributes {} includes", i.name)}
                    data-testid={format!("{id}-include")} onchange={on_names} />
            }
            <div class="reason" data-testid={format!("{id}-reason")}>{ i.projection_reason.clone() }</div>
        </div>
    }
}

/// The attribute names of a comma-separated list, without blanks.
fn names(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}
