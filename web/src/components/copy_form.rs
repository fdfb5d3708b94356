//! A field kept as a denormalised copy of another entity's field (its `copyOf`): a checkbox
//! marks it, then the source entity, the source field and `via` (the field of this entity that
//! holds the source's id) are picked. Shown for an entity's own top-level fields; what the core
//! finds wrong with the choice (validation, at `…copyOf`) shows under the row.

use schemaplay_core::dynamo::DynamoFanout;
use schemaplay_core::model::{CopyOf, Entity, Field, FieldType};
use yew::prelude::*;

use super::{checked, select};

#[derive(Properties, PartialEq)]
pub struct CopyFormProps {
    pub field: Field,
    /// The fields of the entity the field belongs to (`via` is one of them).
    pub own_fields: Vec<Field>,
    /// The design's entities (a copy's source is one of them).
    pub entities: Vec<Entity>,
    /// The field row's test id (`entity-1-field-4`); the form's are `<testid>-copy…`.
    pub testid: String,
    /// The field's new `copyOf`; None: not a copy.
    pub on_change: Callback<Option<CopyOf>>,
}

#[function_component(CopyForm)]
pub fn copy_form(props: &CopyFormProps) -> Html {
    let field = &props.field;
    let id = &props.testid;
    let on_mark = {
        let (field, own, entities) = (
            field.clone(),
            props.own_fields.clone(),
            props.entities.clone(),
        );
        props
            .on_change
            .reform(move |e: Event| checked(&e).then(|| first_copy(&field, &own, &entities)))
    };
    let mark = html! {
        <label class="check"><input type="checkbox" checked={field.copy_of.is_some()}
            aria-label={format!("Field {} is a copy of another entity's field", field.name)}
            data-testid={format!("{id}-copy")} onchange={on_mark} />{ "a copy of" }</label>
    };
    let Some(copy) = &field.copy_of else {
        return mark;
    };
    let edit = |change: fn(&mut CopyOf, String, &[Entity]), entities: Vec<Entity>| {
        let copy = copy.clone();
        props.on_change.reform(move |v: String| {
            let mut copy = copy.clone();
            change(&mut copy, v, &entities);
            Some(copy)
        })
    };
    let entities: Vec<(String, String)> = props
        .entities
        .iter()
        .map(|e| (e.name.clone(), e.name.clone()))
        .collect();
    let source = props.entities.iter().find(|e| e.name == copy.entity);
    let fields = with_current(source.map_or(Vec::new(), source_fields), &copy.field);
    let vias = with_current(
        props
            .own_fields
            .iter()
            .filter(|f| f.name != field.name)
            .map(|f| f.name.clone())
            .collect(),
        &copy.via,
    );
    let on_entity = edit(
        |c, v, entities| {
            c.field = entities
                .iter()
                .find(|e| e.name == v)
                .and_then(|e| source_fields(e).into_iter().next())
                .unwrap_or_default();
            c.entity = v;
        },
        props.entities.clone(),
    );
    let on_field = edit(|c, v, _| c.field = v, Vec::new());
    let on_via = edit(|c, v, _| c.via = v, Vec::new());
    let label = |what: &str| format!("{what} of the copy {}", field.name);
    html! {
        <span class="copy-form" data-testid={format!("{id}-copy-form")}>
            { mark }
            { select(&label("Source entity"), format!("{id}-copy-entity"), &entities, &copy.entity, on_entity) }
            { "." }
            { select(&label("Source field"), format!("{id}-copy-field"), &fields, &copy.field, on_field) }
            <label>{ " via " }
                { select(&label("Via"), format!("{id}-copy-via"), &vias, &copy.via, on_via) }
            </label>
        </span>
    }
}

/// An update's fan-out in the DynamoDB view: each copy it rewrites, how its items are found
/// and what each costs (core's `DynamoFanout`); nothing for a request without one.
pub fn fanout_list(fanout: &[DynamoFanout]) -> Html {
    if fanout.is_empty() {
        return Html::default();
    }
    html! {
        <div data-testid="dynamo-fanout">
            <h4>{ "Then, the copies of what it changes" }</h4>
            <ol class="cleanup">
                { for fanout.iter().map(|f| {
                    let find = match (&f.scan, &f.index) {
                        (Some(why), _) => format!("a Scan: {why}"),
                        (None, Some(index)) => format!("a Query of {index} by {}", f.via),
                        (None, None) => format!("a Query of the table by {}", f.via),
                    };
                    html! {
                        <li data-testid="dynamo-fanout-copy">
                            <strong>{ format!("{} (a copy of {})", f.copy, f.source) }</strong>
                            { format!(": found by {find}, every page; then an UpdateItem of each, about {} a time", schemaplay_core::numbers::grouped(f.copies.round() as u64)) }
                        </li>
                    }
                }) }
            </ol>
        </div>
    }
}

/// The fields of an entity a copy can take: top-level, not its id, not copies themselves.
fn source_fields(entity: &Entity) -> Vec<String> {
    let id = entity.id_name();
    entity
        .fields
        .iter()
        .filter(|f| f.name != id && f.copy_of.is_none())
        .map(|f| f.name.clone())
        .collect()
}

/// A picker's options, with the current value kept (the core's finding says what is wrong
/// with one that is not among them).
fn with_current(mut names: Vec<String>, current: &str) -> Vec<(String, String)> {
    if !names.iter().any(|n| n == current) {
        names.insert(0, current.to_string());
    }
    names.into_iter().map(|n| (n.clone(), n)).collect()
}

/// The copy a field becomes when marked: through the first field of its entity referencing
/// another entity (`authorId`, a `ref User`), of that entity's first field of the same type
/// (else its first field); without such a reference, of the first other entity.
fn first_copy(field: &Field, own: &[Field], entities: &[Entity]) -> CopyOf {
    let reference = own.iter().find_map(|f| match &f.ty {
        FieldType::Ref(target) if f.name != field.name => Some((f.name.clone(), target.clone())),
        _ => None,
    });
    let (via, entity) = match reference {
        Some(found) => found,
        None => (
            String::new(),
            entities
                .iter()
                .find(|e| !e.fields.iter().any(|f| f == field))
                .map(|e| e.name.clone())
                .unwrap_or_default(),
        ),
    };
    let source = entities.iter().find(|e| e.name == entity);
    let candidates = source.map_or(Vec::new(), source_fields);
    let same_type = source.and_then(|e| {
        candidates
            .iter()
            .find(|n| e.field(n).is_some_and(|f| f.ty == field.ty))
            .cloned()
    });
    CopyOf {
        field: same_type
            .or_else(|| candidates.into_iter().next())
            .unwrap_or_default(),
        entity,
        via,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity(name: &str, fields: Vec<Field>) -> Entity {
        Entity {
            name: name.into(),
            fields,
            ..Entity::default()
        }
    }

    #[test]
    fn a_marked_field_copies_the_entity_its_reference_names() {
        let user = entity(
            "User",
            vec![
                Field::new("userId", FieldType::ObjectId),
                Field::new("age", FieldType::Int),
                Field::new("name", FieldType::String),
            ],
        );
        let own = vec![
            Field::new("postId", FieldType::ObjectId),
            Field::new("authorId", FieldType::Ref("User".into())),
            Field::new("authorName", FieldType::String),
        ];
        let post = entity("Post", own.clone());
        let copy = first_copy(&own[2], &own, &[user, post]);
        assert_eq!(
            copy,
            CopyOf {
                entity: "User".into(),
                field: "name".into(),
                via: "authorId".into()
            }
        );
    }

    #[test]
    fn the_current_choice_stays_among_the_options() {
        let options = with_current(vec!["a".into()], "gone");
        assert_eq!(options.first().map(|o| o.0.as_str()), Some("gone"));
        assert_eq!(with_current(vec!["a".into()], "a").len(), 1);
    }
}
