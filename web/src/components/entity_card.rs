//! One entity in the design editor: its name, volume, order and fields.

use schemaplay_core::model::{field_rename_problem, Entity, Field, Finding};
use yew::prelude::*;

use super::field_list::FieldList;
use super::findings::findings_at;
use super::{input_value, select};
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct EntityCardProps {
    pub entity: Entity,
    pub index: usize,
    pub count: usize,
    pub entities: Vec<String>,
    /// The design's validation findings; the card shows those about its entity.
    #[prop_or_default]
    pub findings: Vec<Finding>,
    /// The design's entities, for the fields' copy forms (a copy's source is one of them).
    #[prop_or_default]
    pub design_entities: Vec<Entity>,
    pub on_action: Callback<Action>,
}

#[function_component(EntityCard)]
pub fn entity_card(props: &EntityCardProps) -> Html {
    let i = props.index;
    let on = |make: fn(usize, &Event) -> Option<Action>| {
        let on_action = props.on_action.clone();
        Callback::from(move |e: Event| {
            if let Some(action) = make(i, &e) {
                on_action.emit(action);
            }
        })
    };
    let emit = |action: Action| {
        let on_action = props.on_action.clone();
        Callback::from(move |_: MouseEvent| on_action.emit(action.clone()))
    };
    let on_fields = props
        .on_action
        .reform(move |fields: Vec<Field>| Action::SetFields { index: i, fields });
    // A rename the design would refuse (a taken or invalid name) says why under the fields
    // instead of being sent; the next rename that works clears it.
    let rename_problem = use_state(|| None::<String>);
    let on_rename = {
        let on_action = props.on_action.clone();
        let entity = props.entity.clone();
        let rename_problem = rename_problem.clone();
        Callback::from(move |(path, name): (String, String)| {
            match field_rename_problem(&entity, &path, name.trim()) {
                Some(problem) => rename_problem.set(Some(problem.to_string())),
                None => {
                    rename_problem.set(None);
                    on_action.emit(Action::RenameField {
                        entity: i,
                        path,
                        name,
                    });
                }
            }
        })
    };
    let name = &props.entity.name;
    let mut id_options = vec![(
        String::new(),
        format!("automatic ({})", props.entity.id_name()),
    )];
    id_options.extend(
        props
            .entity
            .fields
            .iter()
            .map(|f| (f.name.clone(), f.name.clone())),
    );
    let on_id = props
        .on_action
        .reform(move |id: String| Action::SetEntityId {
            index: i,
            id: Some(id).filter(|id| !id.is_empty()),
        });
    let path = format!("entities[{i}]");
    html! {
        <section class="card entity-card" id={format!("entity-{i}")} data-testid={format!("entity-{i}")}
            aria-label={format!("Entity {name}")}>
            <div class="card-head">
                <input class="entity-name" value={name.clone()} aria-label="Entity name"
                    data-testid={format!("entity-{i}-name")}
                    onchange={on(|index, e| Some(Action::RenameEntity { index, name: input_value(e) }))} />
                <label class="volume">{ "about " }
                    <input type="number" min="0" value={props.entity.volume.to_string()}
                        aria-label={format!("Expected number of {name} items")}
                        data-testid={format!("entity-{i}-volume")}
                        onchange={on(|index, e| input_value(e).trim().parse().ok()
                            .map(|volume| Action::SetVolume { index, volume }))} />
                    { " items" }
                </label>
                <label class="id-choice">{ "id " }
                    { select(&format!("Id field of {name}"), format!("entity-{i}-id"), &id_options,
                        props.entity.id.as_deref().unwrap_or_default(), on_id) }
                </label>
                <span class="row-tools">
                    <button class="icon" aria-label={format!("Move {name} up")} title="Move up"
                        disabled={i == 0} onclick={emit(Action::MoveEntity { index: i, by: -1 })}>{ "↑" }</button>
                    <button class="icon" aria-label={format!("Move {name} down")} title="Move down"
                        disabled={i + 1 == props.count} onclick={emit(Action::MoveEntity { index: i, by: 1 })}>{ "↓" }</button>
                    <button class="icon danger" aria-label={format!("Delete entity {name}")} title="Delete entity"
                        data-testid={format!("entity-{i}-delete")} onclick={emit(Action::DeleteEntity(i))}>{ "✕" }</button>
                </span>
            </div>
            <FieldList fields={props.entity.fields.clone()} entities={props.entities.clone()} depth={0}
                testid={format!("entity-{i}-field")} on_change={on_fields} on_rename={on_rename}
                findings={props.findings.clone()} finding_path={format!("{path}.fields")}
                design_entities={props.design_entities.clone()} />
            <super::ttl_form::TtlForm index={i} entity={props.entity.clone()} findings={props.findings.clone()} on_action={props.on_action.clone()} />
            if let Some(problem) = (*rename_problem).clone() {
                <p class="finding error" role="alert" data-testid={format!("entity-{i}-rename-problem")}>
                    { format!("Not renamed: {problem}") }</p>
            }
            { findings_at(&props.findings, &format!("{path}.name")) }
            { findings_at(&props.findings, &format!("{path}.id")) }
        </section>
    }
}
