//! The MongoDB indexes a design declares (`mongo.indexes`): each index's entity, name, keys
//! (field, direction or text, a text key's weight), unique, sparse, TTL, partial filter and
//! collation. A collection with any declared index has exactly those; the MongoDB view says
//! which patterns each serves, and which it leaves unserved.

use std::rc::Rc;

use schemaplay_core::model::{
    Design, Entity, Finding, IndexCollation, KeyOrder, MongoIndex, MongoIndexKey,
};
use serde_json::Value;
use yew::prelude::*;

use super::findings::findings_at;
use super::patterns::field_paths;
use super::{checked, input_value, select};
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct MongoIndexesProps {
    pub design: Rc<Design>,
    /// The design's validation findings; each index shows those about it.
    #[prop_or_default]
    pub findings: Vec<Finding>,
    pub on_action: Callback<Action>,
}

#[function_component(MongoIndexes)]
pub fn mongo_indexes(props: &MongoIndexesProps) -> Html {
    let indexes = &props.design.mongo.indexes;
    let rows = indexes.iter().enumerate().map(|(i, index)| {
        let on_change = {
            let (indexes, on_action) = (indexes.clone(), props.on_action.clone());
            Callback::from(move |changed: Option<MongoIndex>| {
                let mut indexes = indexes.clone();
                match changed {
                    Some(index) => {
                        if let Some(slot) = indexes.get_mut(i) {
                            *slot = index;
                        }
                    }
                    None if i < indexes.len() => {
                        indexes.remove(i);
                    }
                    None => {}
                }
                on_action.emit(Action::SetMongoIndexes(indexes));
            })
        };
        html! {
            <MongoIndexRow key={i} {i} index={index.clone()} entities={props.design.entities.clone()}
                findings={props.findings.clone()} {on_change} />
        }
    });
    let add = {
        let (design, on_action) = (props.design.clone(), props.on_action.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(index) = new_index(&design) else {
                return;
            };
            let mut indexes = design.mongo.indexes.clone();
            indexes.push(index);
            on_action.emit(Action::SetMongoIndexes(indexes));
        })
    };
    html! {
        <>
            <h4>{ "MongoDB indexes" }</h4>
            <p class="hint">{ "Optional: a collection with declared indexes has exactly those, instead of the suggested ones." }</p>
            <ul class="plain mindexes">{ for rows }</ul>
            <button class="small" data-testid="add-mongo-index" onclick={add}
                disabled={props.design.entities.is_empty()}>{ "+ MongoDB index" }</button>
        </>
    }
}

/// A new index: on the first entity, by its first field that is not its id (else the id).
fn new_index(design: &Design) -> Option<MongoIndex> {
    let entity = design.entities.first()?;
    let id = entity.id_name();
    let field = entity
        .fields
        .iter()
        .find(|f| f.name != id)
        .map_or(id, |f| f.name.clone());
    Some(MongoIndex {
        entity: entity.name.clone(),
        name: None,
        keys: vec![MongoIndexKey {
            field,
            order: KeyOrder::Asc,
            weight: None,
        }],
        unique: false,
        sparse: false,
        partial_filter_expression: None,
        expire_after_seconds: None,
        collation: None,
    })
}

#[derive(Properties, PartialEq)]
struct MongoIndexRowProps {
    i: usize,
    index: MongoIndex,
    entities: Vec<Entity>,
    findings: Vec<Finding>,
    /// The index changed; `None`: deleted.
    on_change: Callback<Option<MongoIndex>>,
}

#[function_component(MongoIndexRow)]
fn mongo_index_row(props: &MongoIndexRowProps) -> Html {
    let (i, ix) = (props.i, &props.index);
    // A partial filter that is not a JSON object is not sent; this says why, under its input.
    let filter_problem = use_state(|| None::<String>);
    let edit = |f: fn(&mut MongoIndex, String)| {
        let (ix, on_change) = (ix.clone(), props.on_change.clone());
        Callback::from(move |value: String| {
            let mut ix = ix.clone();
            f(&mut ix, value);
            on_change.emit(Some(ix));
        })
    };
    let on_text = |f: fn(&mut MongoIndex, String)| {
        let edit = edit(f);
        Callback::from(move |e: Event| edit.emit(input_value(&e).trim().to_string()))
    };
    let on_check = |f: fn(&mut MongoIndex, bool)| {
        let (ix, on_change) = (ix.clone(), props.on_change.clone());
        Callback::from(move |e: Event| {
            let mut ix = ix.clone();
            f(&mut ix, checked(&e));
            on_change.emit(Some(ix));
        })
    };
    let entity = props.entities.iter().find(|e| e.name == ix.entity);
    let mut paths = Vec::new();
    if let Some(entity) = entity {
        field_paths(&entity.fields, "", 0, &mut paths);
    }
    let mut entity_options: Vec<(String, String)> = props
        .entities
        .iter()
        .map(|e| (e.name.clone(), e.name.clone()))
        .collect();
    if entity.is_none() {
        entity_options.push((ix.entity.clone(), ix.entity.clone()));
    }
    let on_entity = {
        let (ix, on_change, entities) =
            (ix.clone(), props.on_change.clone(), props.entities.clone());
        Callback::from(move |name: String| {
            // Keys name the entity's fields: another entity starts from its own first field.
            let design = Design {
                entities: entities
                    .iter()
                    .filter(|e| e.name == name)
                    .cloned()
                    .collect(),
                ..Design::default()
            };
            let Some(fresh) = new_index(&design) else {
                return;
            };
            on_change.emit(Some(MongoIndex {
                entity: name,
                keys: fresh.keys,
                ..ix.clone()
            }));
        })
    };
    let id = format!("mindex-{i}");
    let path = format!("mongo.indexes[{i}]");
    let keys = ix
        .keys
        .iter()
        .enumerate()
        .map(|(k, key)| key_row(props, &paths, k, key, &format!("{id}-key-{k}")));
    let add_key = {
        let (ix, on_change, paths) = (ix.clone(), props.on_change.clone(), paths.clone());
        Callback::from(move |_: MouseEvent| {
            let mut ix = ix.clone();
            let unused = paths
                .iter()
                .find(|p| ix.keys.iter().all(|k| &k.field != *p))
                .cloned();
            if let Some(field) = unused {
                ix.keys.push(MongoIndexKey {
                    field,
                    order: KeyOrder::Asc,
                    weight: None,
                });
                on_change.emit(Some(ix));
            }
        })
    };
    let delete = props.on_change.reform(|_: MouseEvent| None);
    let on_ttl = edit(|ix, v| {
        ix.expire_after_seconds = if v.is_empty() {
            None
        } else {
            v.parse().ok().or(ix.expire_after_seconds)
        }
    });
    let on_filter = {
        let (ix, on_change, problem) =
            (ix.clone(), props.on_change.clone(), filter_problem.clone());
        Callback::from(move |e: Event| {
            let typed = input_value(&e);
            match partial_filter(&typed) {
                Ok(filter) => {
                    problem.set(None);
                    on_change.emit(Some(MongoIndex {
                        partial_filter_expression: filter,
                        ..ix.clone()
                    }));
                }
                Err(why) => problem.set(Some(why)),
            }
        })
    };
    let locale = ix
        .collation
        .as_ref()
        .map(|c| c.locale.clone())
        .unwrap_or_default();
    let strength = ix
        .collation
        .as_ref()
        .and_then(|c| c.strength)
        .map(|s| s.to_string())
        .unwrap_or_default();
    let strengths = [
        ("", "default (3)"),
        ("1", "1: base letters"),
        ("2", "2: and accents (ignores case)"),
        ("3", "3: and case"),
        ("4", "4: and punctuation"),
        ("5", "5: identical"),
    ]
    .map(|(v, t)| (v.to_string(), t.to_string()));
    let on_strength = edit(set_strength);
    let filter_text = ix
        .partial_filter_expression
        .as_ref()
        .map(Value::to_string)
        .unwrap_or_default();
    html! {
        <li class="mindex-row" data-testid={id.clone()}>
            <div class="field-line">
                { "Index " }
                <input class="short" value={ix.name.clone().unwrap_or_default()} placeholder={ix.index_name()}
                    aria-label="MongoDB index name" data-testid={format!("{id}-name")}
                    onchange={on_text(|ix, v| ix.name = Some(v).filter(|v| !v.is_empty()))} />
                { " on " }
                { select("Entity of the MongoDB index", format!("{id}-entity"), &entity_options, &ix.entity, on_entity) }
                <span class="grow" />
                <button class="icon danger" aria-label={format!("Delete MongoDB index {}", ix.index_name())}
                    title="Delete index" data-testid={format!("{id}-delete")} onclick={delete}>{ "✕" }</button>
            </div>
            <ul class="plain mindex-keys">{ for keys }</ul>
            <button class="small" data-testid={format!("{id}-add-key")} onclick={add_key}
                disabled={paths.len() <= ix.keys.len()}>{ "+ key" }</button>
            <div class="field-line">
                <label class="check"><input type="checkbox" checked={ix.unique} data-testid={format!("{id}-unique")}
                    onchange={on_check(|ix, v| ix.unique = v)} />{ "unique" }</label>
                <label class="check"><input type="checkbox" checked={ix.sparse} data-testid={format!("{id}-sparse")}
                    onchange={on_check(|ix, v| ix.sparse = v)} />{ "sparse" }</label>
                <label>{ "documents expire " }
                    <input type="number" min="0" class="short" placeholder="never"
                        value={ix.expire_after_seconds.map(|s| s.to_string()).unwrap_or_default()}
                        aria-label="Seconds after the date a document expires (TTL index)"
                        data-testid={format!("{id}-ttl")} onchange={Callback::from(move |e: Event| on_ttl.emit(input_value(&e).trim().to_string()))} />
                    { " seconds after the date" }
                </label>
                if let Some(seconds) = ix.expire_after_seconds {
                    <span class="hint">{ super::ttl_form::duration(seconds) }</span>
                }
            </div>
            <div class="field-line">
                <label>{ "only documents matching " }
                    <input class="filter" value={filter_text} placeholder={r#"{"status": "pending"}"#}
                        aria-label="Partial filter expression" data-testid={format!("{id}-partial")} onchange={on_filter} />
                </label>
            </div>
            if let Some(problem) = (*filter_problem).clone() {
                <p class="finding error" role="alert" data-testid={format!("{id}-partial-problem")}>
                    { format!("Not changed: {problem}") }</p>
            }
            <div class="field-line">
                <label>{ "collation " }
                    <input class="short" value={locale} placeholder="none" aria-label="Collation locale"
                        data-testid={format!("{id}-locale")} onchange={on_text(set_locale)} />
                </label>
                <label>{ " strength " }
                    { select("Collation strength", format!("{id}-strength"), &strengths, &strength, on_strength) }
                </label>
            </div>
            { findings_at(&props.findings, &path) }
        </li>
    }
}

/// The collation's locale; none: no collation.
fn set_locale(ix: &mut MongoIndex, locale: String) {
    let strength = ix.collation.as_ref().and_then(|c| c.strength);
    ix.collation = (!locale.is_empty()).then_some(IndexCollation { locale, strength });
}

/// The collation's strength (empty: the default); a strength needs a locale, English unless
/// one is named already.
fn set_strength(ix: &mut MongoIndex, typed: String) {
    let strength = typed.parse().ok();
    ix.collation = match (&ix.collation, strength) {
        (None, None) => None,
        (Some(c), strength) => Some(IndexCollation {
            locale: c.locale.clone(),
            strength,
        }),
        (None, strength) => Some(IndexCollation {
            locale: "en".to_string(),
            strength,
        }),
    };
}

/// What the user typed as a partial filter: nothing, or a JSON object (a query filter).
fn partial_filter(typed: &str) -> Result<Option<Value>, String> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    match serde_json::from_str::<Value>(typed) {
        Ok(filter @ Value::Object(_)) => Ok(Some(filter)),
        Ok(_) => Err(
            r#"a partial filter is a query document, such as {"status": "pending"}"#.to_string(),
        ),
        Err(e) => Err(format!(
            "not JSON at column {}: {}",
            e.column(),
            schemaplay_core::model::json_error_message(&e)
        )),
    }
}

/// The row of key `k`: its field, its direction or text, a text key's weight, and its tools.
fn key_row(
    props: &MongoIndexRowProps,
    paths: &[String],
    k: usize,
    key: &MongoIndexKey,
    id: &str,
) -> Html {
    let edit_keys = |f: fn(&mut Vec<MongoIndexKey>, usize, String)| {
        let (ix, on_change) = (props.index.clone(), props.on_change.clone());
        Callback::from(move |value: String| {
            let mut ix = ix.clone();
            f(&mut ix.keys, k, value);
            on_change.emit(Some(ix));
        })
    };
    let mut fields: Vec<(String, String)> = paths.iter().map(|p| (p.clone(), p.clone())).collect();
    if !paths.contains(&key.field) {
        fields.push((key.field.clone(), key.field.clone()));
    }
    let orders = [
        ("1", "ascending (1)"),
        ("-1", "descending (-1)"),
        ("text", "text"),
    ]
    .map(|(v, t)| (v.to_string(), t.to_string()));
    let on_field = edit_keys(|keys, k, field| {
        if let Some(key) = keys.get_mut(k) {
            key.field = field;
        }
    });
    let on_order = edit_keys(|keys, k, order| {
        if let Some(key) = keys.get_mut(k) {
            key.order = match order.as_str() {
                "-1" => KeyOrder::Desc,
                "text" => KeyOrder::Text,
                _ => KeyOrder::Asc,
            };
            if key.order != KeyOrder::Text {
                key.weight = None;
            }
        }
    });
    let on_weight = {
        let set = edit_keys(|keys, k, weight| {
            if let Some(key) = keys.get_mut(k) {
                key.weight = weight.trim().parse().ok();
            }
        });
        Callback::from(move |e: Event| set.emit(input_value(&e)))
    };
    let up = edit_keys(|keys, k, _| {
        if k > 0 && k < keys.len() {
            keys.swap(k, k - 1);
        }
    });
    let remove = edit_keys(|keys, k, _| {
        if k < keys.len() && keys.len() > 1 {
            keys.remove(k);
        }
    });
    let count = props.index.keys.len();
    html! {
        <li class="field-line" data-testid={id.to_string()}>
            { if k == 0 { "by " } else { "then " } }
            { select(&format!("Field of key {}", k + 1), format!("{id}-field"), &fields, &key.field, on_field) }
            { select(&format!("Order of key {}", k + 1), format!("{id}-order"), &orders, &key.order.to_string(), on_order) }
            if key.order == KeyOrder::Text {
                <label>{ " weight " }
                    <input type="number" min="1" max="99999" class="num" placeholder="1"
                        value={key.weight.map(|w| w.to_string()).unwrap_or_default()}
                        aria-label={format!("Weight of text key {}", key.field)}
                        data-testid={format!("{id}-weight")} onchange={on_weight} />
                </label>
            }
            <span class="row-tools">
                <button class="icon" aria-label={format!("Move key {} up", key.field)} title="Move up"
                    disabled={k == 0} onclick={up.reform(|_: MouseEvent| String::new())}>{ "↑" }</button>
                <button class="icon danger" aria-label={format!("Remove key {}", key.field)} title="Remove key"
                    disabled={count < 2} data-testid={format!("{id}-remove")}
                    onclick={remove.reform(|_: MouseEvent| String::new())}>{ "✕" }</button>
            </span>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_partial_filter_is_a_json_object() {
        assert_eq!(partial_filter("  "), Ok(None));
        assert_eq!(
            partial_filter(r#"{"status": "pending"}"#),
            Ok(Some(json!({ "status": "pending" })))
        );
        assert!(partial_filter("[1]").is_err_and(|e| e.contains("query document")));
        assert!(partial_filter("{status: 1}").is_err_and(|e| e.starts_with("not JSON at column 2")));
    }

    #[test]
    fn a_strength_brings_a_locale_and_no_locale_no_collation() {
        let mut ix = MongoIndex {
            collation: None,
            ..new_index(&Design {
                entities: vec![Entity {
                    name: "User".into(),
                    ..Entity::default()
                }],
                ..Design::default()
            })
            .unwrap_or_else(|| unreachable!("an entity makes an index"))
        };
        set_strength(&mut ix, "2".into());
        assert_eq!(
            ix.collation,
            Some(IndexCollation {
                locale: "en".into(),
                strength: Some(2)
            })
        );
        set_locale(&mut ix, "fr".into());
        assert_eq!(
            ix.collation,
            Some(IndexCollation {
                locale: "fr".into(),
                strength: Some(2)
            })
        );
        set_strength(&mut ix, String::new());
        assert_eq!(
            ix.collation,
            Some(IndexCollation {
                locale: "fr".into(),
                strength: None
            })
        );
        set_locale(&mut ix, String::new());
        assert_eq!(ix.collation, None);
        set_strength(&mut ix, String::new());
        assert_eq!(ix.collation, None);
    }
}
