//! The design editor: entities with their fields, relationships, access patterns, and the JSON.

use std::rc::Rc;

use schemaplay_core::model::Design;
use yew::prelude::*;

use super::choices::Choices;
use super::entity_card::EntityCard;
use super::json_view::JsonView;
use super::patterns::Patterns;
use super::relationships::Relationships;
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub design: Rc<Design>,
    pub on_action: Callback<Action>,
}

#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let design = &props.design;
    let names: Vec<String> = design.entities.iter().map(|e| e.name.clone()).collect();
    // Every semantic finding, shown by the form each one concerns.
    let findings = schemaplay_core::model::validate(design);
    let add_entity = {
        let on_action = props.on_action.clone();
        Callback::from(move |_| on_action.emit(Action::AddEntity))
    };
    let cards = design.entities.iter().enumerate().map(|(index, entity)| {
        html! {
            <EntityCard key={entity.name.clone()} entity={entity.clone()} {index}
                count={design.entities.len()} entities={names.clone()} findings={findings.clone()}
                design_entities={design.entities.clone()} on_action={props.on_action.clone()} />
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
                <Relationships relationships={design.relationships.clone()} entities={names.clone()}
                    implied={schemaplay_core::model::implied_relationships(design)}
                    findings={findings.clone()} on_action={props.on_action.clone()} />
                <Patterns patterns={design.access_patterns.clone()} entities={design.entities.clone()}
                    findings={findings.clone()} on_action={props.on_action.clone()} />
                <Choices design={design.clone()} findings={findings.clone()} on_action={props.on_action.clone()} />
            </div>
            <JsonView design={design.clone()} on_action={props.on_action.clone()} />
        </div>
    }
}
