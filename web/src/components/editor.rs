//! The design editor: entities with their fields, relationships, access patterns, and the JSON.

use std::rc::Rc;

use schemaplay_core::model::Design;
use yew::prelude::*;

use super::choices::Choices;
use super::entity_card::EntityCard;
use super::json_view::JsonView;
use super::patterns::Patterns;
use super::relationships::Relationships;
use crate::hooks::progressive::use_progressive;
use crate::state::Action;

/// The editor's parts after the entity cards: relationships, patterns, choices, the JSON.
const SECTIONS_AFTER_CARDS: usize = 4;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub design: Rc<Design>,
    pub on_action: Callback<Action>,
}

#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let design = &props.design;
    let names: Vec<String> = design.entities.iter().map(|e| e.name.clone()).collect();
    // Every semantic finding, shown by the form each one concerns; once per design, not at
    // each part the view adds.
    let findings = use_memo(design.clone(), |design| {
        schemaplay_core::model::validate(design)
    });
    let findings = (*findings).clone();
    // The view appears a part at a time (one entity card, then one section, per frame).
    let shown = use_progressive(design.entities.len() + SECTIONS_AFTER_CARDS, 1, 1);
    let sections: [&dyn Fn() -> Html; SECTIONS_AFTER_CARDS - 1] = [
        &|| {
            html! {
                <Relationships relationships={design.relationships.clone()} entities={names.clone()}
                    implied={schemaplay_core::model::implied_relationships(design)}
                    on_action={props.on_action.clone()} />
            }
        },
        &|| {
            html! {
                <Patterns patterns={design.access_patterns.clone()} entities={design.entities.clone()}
                    findings={findings.clone()} on_action={props.on_action.clone()} />
            }
        },
        &|| {
            html! {
                <Choices design={design.clone()} findings={findings.clone()} on_action={props.on_action.clone()} />
            }
        },
    ];
    let sections_shown = sections
        .iter()
        .take(shown.saturating_sub(design.entities.len()))
        .map(|section| section());
    let add_entity = {
        let on_action = props.on_action.clone();
        Callback::from(move |_| on_action.emit(Action::AddEntity))
    };
    let cards = design.entities.iter().enumerate().take(shown).map(|(index, entity)| {
        html! {
            <EntityCard key={entity.name.clone()} entity={entity.clone()} {index}
                count={design.entities.len()} entities={names.clone()} findings={findings.clone()}
                on_action={props.on_action.clone()} />
        }
    });
    html! {
        <div class="editor">
            <div class="editor-forms">
                <section class="card" aria-labelledby="about-title">
                    <h3 id="about-title">{ "About this design" }</h3>
                    <textarea class="description" rows="2" value={design.description.clone()}
                        placeholder="What the application does, in a sentence or two"
                        aria-label="Description of the design" data-testid="design-description"
                        onchange={props.on_action.reform(|e: Event| Action::SetDescription(super::input_value_of_textarea(&e)))} />
                    { super::findings::findings_at(&findings, "name") }
                </section>
                <section class="entities" aria-labelledby="entities-title">
                    <div class="section-head">
                        <h3 id="entities-title">{ "Entities" }</h3>
                        <button class="small primary" data-testid="add-entity" onclick={add_entity}>{ "+ entity" }</button>
                    </div>
                    if design.entities.is_empty() {
                        <p class="empty">{ "No entities yet. Add one, or open an example from the start screen." }</p>
                    }
                    { for cards }
                </section>
                // Appended at the end of their parent: Yew 0.23 misplaces a node inserted
                // before an empty `if` (yewstack/yew#4092).
                { for sections_shown }
            </div>
            if shown >= design.entities.len() + SECTIONS_AFTER_CARDS {
                <JsonView design={design.clone()} on_action={props.on_action.clone()} />
            }
        </div>
    }
}
