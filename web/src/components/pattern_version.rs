//! An update pattern's version field (optimistic locking): ", versioned on version". Offered
//! are the entity's whole-number fields (core's `model::version::candidates`); the update then
//! writes only while the item holds the version the client read, and adds one to it. Shown for
//! updates (and for another kind still holding one, so it can be removed).

use schemaplay_core::model::version::candidates;
use schemaplay_core::model::{AccessPattern, Entity, PatternKind};
use yew::prelude::*;

use super::select;
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct PatternVersionProps {
    /// The pattern's position in the design.
    pub index: usize,
    pub pattern: AccessPattern,
    /// The pattern's entity, when the design has it.
    pub entity: Option<Entity>,
    pub on_action: Callback<Action>,
}

/// Whether [`PatternVersion`] shows anything for `p`: an update's version, or one left from an
/// update (shown, to be removed); another kind keeps no version. The sentence renders the
/// component only then (see `patterns.rs`).
pub fn shows(p: &AccessPattern) -> bool {
    p.kind == PatternKind::Update || p.version.is_some()
}

#[function_component(PatternVersion)]
pub fn pattern_version(props: &PatternVersionProps) -> Html {
    let p = &props.pattern;
    if !shows(p) {
        return html! {};
    }
    let mut options = vec![(String::new(), "no version".to_string())];
    if let Some(entity) = &props.entity {
        options.extend(
            candidates(entity)
                .into_iter()
                .map(|f| (f.to_string(), format!("versioned on {f}"))),
        );
    }
    // A version the entity lacks stays visible, so the finding that names it can be fixed here.
    let current = p.version.clone().unwrap_or_default();
    if !options.iter().any(|(v, _)| *v == current) {
        options.push((
            current.clone(),
            format!("versioned on {current} (not a whole-number field)"),
        ));
    }
    let onchange = {
        let (pattern, index, on_action) = (p.clone(), props.index, props.on_action.clone());
        Callback::from(move |field: String| {
            let mut pattern = pattern.clone();
            pattern.version = Some(field).filter(|f| !f.is_empty());
            on_action.emit(Action::SetPattern { index, pattern });
        })
    };
    html! {
        <span class="pattern-version" title="Optimistic locking: the update writes only while the item holds the version the client read, and adds one to it">
            { ", " }
            { select("Version field (optimistic locking)", format!("pattern-{}-version", props.index), &options, &current, onchange) }
        </span>
    }
}
