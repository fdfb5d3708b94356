//! The fields of an entity or embedded object: name, type picker, required, unique, order.

use schemaplay_core::model::{Field, FieldType, Finding, Generator};
use yew::prelude::*;

use super::findings::findings_at;
use super::{checked, enum_name, input_value, parse_enum, select};

/// How deep the editor nests embedded objects; deeper ones are edited in the JSON view.
const MAX_EDITOR_DEPTH: usize = 3;

#[derive(Properties, PartialEq)]
pub struct FieldListProps {
    pub fields: Vec<Field>,
    /// The entity names a `ref` may point to.
    pub entities: Vec<String>,
    pub depth: usize,
    /// Prefix of the rows' test ids (`fields-0`), so nested lists stay distinct.
    pub testid: String,
    /// The dotted path of the object holding these fields followed by `.` (`profile.`), empty
    /// for an entity's own fields.
    #[prop_or_default]
    pub path: String,
    pub on_change: Callback<Vec<Field>>,
    /// A field renamed: its whole path (`profile.city`) and its new name. Renames go to the
    /// design as a whole, so everything naming the field follows.
    pub on_rename: Callback<(String, String)>,
    /// The design's validation findings, and the path of this list in the design
    /// (`entities[0].fields`), so each row shows those about its field.
    #[prop_or_default]
    pub findings: Vec<Finding>,
    #[prop_or_default]
    pub finding_path: String,
    /// The design's entities, for an entity's own fields (a copy's source is one of them);
    /// empty in nested lists, whose fields cannot be copies.
    #[prop_or_default]
    pub design_entities: Vec<schemaplay_core::model::Entity>,
}

#[function_component(FieldList)]
pub fn field_list(props: &FieldListProps) -> Html {
    let rows = props
        .fields
        .iter()
        .enumerate()
        .map(|(i, field)| field_row(props, i, field));
    let add = edit_list(props, |fields| {
        let name = (1..)
            .map(|n| format!("field{n}"))
            .find(|name| fields.iter().all(|f| &f.name != name))
            .unwrap_or_default();
        fields.push(Field::new(&name, FieldType::String));
    });
    html! {
        <div class="field-list">
            <ul>{ for rows }</ul>
            <button class="small" data-testid={format!("{}-add", props.testid)} onclick={add}>{ "+ field" }</button>
        </div>
    }
}

/// The row of field `i`: its name, type, flags and tools, and the editor of its nested fields.
fn field_row(props: &FieldListProps, i: usize, field: &Field) -> Html {
    let path = format!("{}{}", props.path, field.name);
    let on_name = {
        let path = path.clone();
        props
            .on_rename
            .reform(move |e: Event| (path.clone(), input_value(&e).trim().to_string()))
    };
    let on_type = edit_field(props, i, |f, key: String| {
        f.ty = parse_type_key(&key, &f.ty)
    });
    let on_required = edit_field(props, i, |f, e: Event| f.required = checked(&e));
    let on_generator = edit_field(props, i, |f, v: String| {
        f.generator = parse_enum::<Generator>(&v)
    });
    let on_example = edit_field(props, i, |f, e: Event| {
        f.example = parse_value(&input_value(&e))
    });
    let on_default = edit_field(props, i, |f, e: Event| {
        f.default = parse_value(&input_value(&e))
    });
    let on_enum = edit_field(props, i, |f, values| f.enum_values = values);
    let on_copy = edit_field(props, i, |f, copy| f.copy_of = copy);
    let mut generators = vec![(String::new(), "by its name and type".to_string())];
    generators.extend(
        Generator::NAMES
            .iter()
            .map(|n| (n.to_string(), n.to_string())),
    );
    let generator = field.generator.as_ref().map(enum_name).unwrap_or_default();
    // The closed summary says what is set, so the row stays one line until it is opened.
    let set_parts: Vec<String> = [
        field
            .generator
            .as_ref()
            .map(|g| format!("generator {}", enum_name(g))),
        field
            .example
            .as_ref()
            .map(|v| format!("example {}", value_text(v))),
        field
            .default
            .as_ref()
            .map(|v| format!("default {}", value_text(v))),
        (!field.enum_values.is_empty())
            .then(|| format!("one of {}", super::enum_form::enum_text(&field.enum_values))),
        field
            .copy_of
            .as_ref()
            .map(|c| format!("copy of {}.{} via {}", c.entity, c.field, c.via)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let summary = if set_parts.is_empty() && super::enum_form::shows_enum(field) {
        "sample data, default and values".to_string()
    } else if set_parts.is_empty() {
        "sample data and default".to_string()
    } else {
        set_parts.join(" · ")
    };
    let row_path = format!("{}[{i}]", props.finding_path);
    let nested_path = match &field.ty {
        FieldType::Array(_) => format!("{row_path}.type.array.object"),
        _ => format!("{row_path}.type.object"),
    };
    let on_unique = edit_field(props, i, |f, e: Event| f.unique = checked(&e));
    let up = edit_list(props, move |fs| {
        if i > 0 && i < fs.len() {
            fs.swap(i, i - 1);
        }
    });
    let down = edit_list(props, move |fs| {
        if i + 1 < fs.len() {
            fs.swap(i, i + 1);
        }
    });
    let delete = edit_list(props, move |fs| {
        if i < fs.len() {
            fs.remove(i);
        }
    });
    let nested = nested_fields(&field.ty).filter(|_| props.depth < MAX_EDITOR_DEPTH);
    let nested_editor = nested.map(|inner| {
        let on_inner = edit_field(props, i, |f, inner: Vec<Field>| {
            set_nested_fields(&mut f.ty, inner)
        });
        html! {
            <div class="nested">
                <FieldList fields={inner.clone()} entities={props.entities.clone()}
                    depth={props.depth + 1} testid={format!("{}-{i}", props.testid)}
                    path={format!("{path}.")} on_change={on_inner} on_rename={props.on_rename.clone()}
                    findings={props.findings.clone()} finding_path={nested_path.clone()} />
            </div>
        }
    });
    let options = type_options(&field.ty, &props.entities);
    let id = format!("{}-{i}", props.testid);
    let label = |what: &str| format!("{what} of field {}", field.name);
    html! {
        <li class="field-row" data-testid={id.clone()}>
            <div class="field-line">
                <input class="field-name" value={field.name.clone()} aria-label={label("Name")}
                    data-testid={format!("{id}-name")} onchange={on_name} />
                { select(&label("Type"), format!("{id}-type"), &options, &type_key(&field.ty), on_type) }
                <label class="check"><input type="checkbox" checked={field.required}
                    data-testid={format!("{id}-required")} onchange={on_required} />{ "required" }</label>
                <label class="check"><input type="checkbox" checked={field.unique}
                    data-testid={format!("{id}-unique")} onchange={on_unique} />{ "unique" }</label>
                <span class="row-tools">
                    <button class="icon" aria-label={label("Move up")} title="Move up"
                        disabled={i == 0} onclick={up}>{ "↑" }</button>
                    <button class="icon" aria-label={label("Move down")} title="Move down"
                        disabled={i + 1 == props.fields.len()} onclick={down}>{ "↓" }</button>
                    <button class="icon danger" aria-label={label("Delete")} title="Delete field"
                        data-testid={format!("{id}-delete")} onclick={delete}>{ "✕" }</button>
                </span>
            </div>
            <details class="field-more">
                <summary data-testid={format!("{id}-more")}>{ summary }</summary>
                <div class="field-line">
                    <label>{ "generator " }
                        { select(&label("Generator"), format!("{id}-generator"), &generators, &generator, on_generator) }
                    </label>
                    <label>{ "example " }
                        <input class="short" value={field.example.as_ref().map(value_text).unwrap_or_default()}
                            aria-label={label("Example")} data-testid={format!("{id}-example")} onchange={on_example} />
                    </label>
                    <label>{ "default " }
                        <input class="short" value={field.default.as_ref().map(value_text).unwrap_or_default()}
                            placeholder={if field.ty == FieldType::Date { "now" } else { "" }}
                            aria-label={label("Default")} data-testid={format!("{id}-default")} onchange={on_default} />
                    </label>
                    <super::enum_form::EnumForm field={field.clone()} testid={id.clone()} on_change={on_enum} />
                    if !props.design_entities.is_empty() {
                        <super::copy_form::CopyForm field={field.clone()} own_fields={props.fields.clone()}
                            entities={props.design_entities.clone()} testid={id.clone()} on_change={on_copy} />
                    }
                </div>
            </details>
            { findings_at(&props.findings, &row_path) }
            { nested_editor }
        </li>
    }
}

/// A callback that edits field `i` with what it hears, then gives the list to `on_change`.
fn edit_field<T: 'static>(
    props: &FieldListProps,
    i: usize,
    edit: impl Fn(&mut Field, T) + 'static,
) -> Callback<T> {
    let fields = props.fields.clone();
    let on_change = props.on_change.clone();
    Callback::from(move |value: T| {
        let mut fields = fields.clone();
        if let Some(f) = fields.get_mut(i) {
            edit(f, value);
        }
        on_change.emit(fields);
    })
}

/// A button's callback that edits the whole list, then gives it to `on_change`.
fn edit_list(
    props: &FieldListProps,
    edit: impl Fn(&mut Vec<Field>) + 'static,
) -> Callback<MouseEvent> {
    let fields = props.fields.clone();
    let on_change = props.on_change.clone();
    Callback::from(move |_| {
        let mut fields = fields.clone();
        edit(&mut fields);
        on_change.emit(fields);
    })
}

/// The fields inside an object type or an array of objects.
fn nested_fields(ty: &FieldType) -> Option<&Vec<Field>> {
    match ty {
        FieldType::Object(fields) => Some(fields),
        FieldType::Array(item) => match item.as_ref() {
            FieldType::Object(fields) => Some(fields),
            _ => None,
        },
        _ => None,
    }
}

fn set_nested_fields(ty: &mut FieldType, inner: Vec<Field>) {
    match ty {
        FieldType::Object(fields) => *fields = inner,
        FieldType::Array(item) => {
            if let FieldType::Object(fields) = item.as_mut() {
                *fields = inner;
            }
        }
        _ => {}
    }
}

/// The picker's value for a type: `string`, `array:string`, `object`, `array:object`, `ref:User`.
pub fn type_key(ty: &FieldType) -> String {
    match ty {
        FieldType::Array(item) => format!("array:{}", type_key(item)),
        FieldType::Object(_) => "object".to_string(),
        FieldType::Ref(entity) => format!("ref:{entity}"),
        scalar => scalar.to_string(),
    }
}

/// The type a picker value stands for; switching between object kinds keeps the inner fields.
pub fn parse_type_key(key: &str, old: &FieldType) -> FieldType {
    if let Some(item) = key.strip_prefix("array:") {
        let old_item = match old {
            FieldType::Array(item) => item.as_ref().clone(),
            other => other.clone(),
        };
        return FieldType::Array(Box::new(parse_type_key(item, &old_item)));
    }
    if let Some(entity) = key.strip_prefix("ref:") {
        return FieldType::Ref(entity.to_string());
    }
    if key == "object" {
        return FieldType::Object(nested_fields(old).cloned().unwrap_or_default());
    }
    FieldType::scalar(key).unwrap_or(FieldType::String)
}

fn type_options(current: &FieldType, entities: &[String]) -> Vec<(String, String)> {
    let mut options: Vec<(String, String)> = Vec::new();
    for s in FieldType::SCALARS {
        options.push((s.to_string(), s.to_string()));
    }
    options.push(("object".into(), "object { … }".into()));
    for e in entities {
        options.push((format!("ref:{e}"), format!("ref → {e}")));
    }
    for s in FieldType::SCALARS {
        options.push((format!("array:{s}"), format!("array of {s}")));
    }
    options.push(("array:object".into(), "array of objects".into()));
    for e in entities {
        options.push((format!("array:ref:{e}"), format!("array of ref → {e}")));
    }
    let key = type_key(current);
    if !options.iter().any(|(v, _)| *v == key) {
        options.push((key, current.to_string()));
    }
    options
}

/// What the user typed as a value: JSON when it reads as JSON (`3`, `true`, `["a"]`), else
/// the text itself; nothing when empty.
pub fn parse_value(text: &str) -> Option<serde_json::Value> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    Some(
        serde_json::from_str::<serde_json::Value>(text)
            .unwrap_or_else(|_| serde_json::Value::String(text.to_string())),
    )
}

/// A value as the user types it back: text unquoted, anything else as JSON.
pub fn value_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
