//! Access patterns, each edited as a sentence: "list Post by authorId, newest first, 20 per
//! page, 50 per second".

use schemaplay_core::model::{
    object_fields, AccessPattern, Consistency, Entity, Field, PatternKind, SortOrder, SortSpec,
};
use yew::prelude::*;

use super::pattern_skew::PatternSkew;
use super::{enum_name, input_value, parse_enum, select};
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct PatternsProps {
    pub patterns: Vec<AccessPattern>,
    pub entities: Vec<Entity>,
    pub on_action: Callback<Action>,
}

const KIND_WORDS: [(&str, &str); 7] = [
    ("getOne", "get one"),
    ("list", "list"),
    ("count", "count"),
    ("textSearch", "search the text of"),
    ("insert", "insert"),
    ("update", "update"),
    ("delete", "delete"),
];

#[function_component(Patterns)]
pub fn patterns(props: &PatternsProps) -> Html {
    let entity_names: Vec<(String, String)> = props
        .entities
        .iter()
        .map(|e| (e.name.clone(), e.name.clone()))
        .collect();
    let kinds: Vec<(String, String)> = KIND_WORDS
        .iter()
        .map(|(v, t)| (v.to_string(), t.to_string()))
        .collect();
    let rows = props.patterns.iter().enumerate().map(|(i, p)| {
        let set = |f: fn(&mut AccessPattern, String)| {
            let p = p.clone();
            let on_action = props.on_action.clone();
            Callback::from(move |value: String| {
                let mut pattern = p.clone();
                f(&mut pattern, value);
                on_action.emit(Action::SetPattern { index: i, pattern });
            })
        };
        let on_input = |f: fn(&mut AccessPattern, String)| {
            let set = set(f);
            Callback::from(move |e: Event| set.emit(input_value(&e)))
        };
        let mut paths = Vec::new();
        if let Some(entity) = props.entities.iter().find(|e| e.name == p.entity) {
            field_paths(&entity.fields, "", 0, &mut paths);
        }
        let mut field_options = vec![(String::new(), "—".to_string())];
        field_options.extend(paths.iter().map(|f| (f.clone(), f.clone())));
        let first = p.equality.first().cloned().unwrap_or_default();
        let second = p.equality.get(1).cloned().unwrap_or_default();
        let sort_field = p.sort.as_ref().map(|s| s.field.clone()).unwrap_or_default();
        let order = p.sort.as_ref().map(|s| s.order).unwrap_or_default();
        let orders = [("desc", "newest/highest first"), ("asc", "oldest/lowest first")]
            .map(|(v, t)| (v.to_string(), t.to_string()));
        let consistencies = [("eventual", "eventually consistent"), ("strong", "strongly consistent")]
            .map(|(v, t)| (v.to_string(), t.to_string()));
        let delete = {
            let on_action = props.on_action.clone();
            Callback::from(move |_| on_action.emit(Action::DeletePattern(i)))
        };
        let id = format!("pattern-{i}");
        let reads = !matches!(p.kind, PatternKind::Insert | PatternKind::TextSearch);
        let lists = matches!(p.kind, PatternKind::List | PatternKind::TextSearch);
        // Text search names the fields it searches, an update the fields it writes.
        let fields_verb = match p.kind {
            PatternKind::TextSearch => Some(", searching "),
            PatternKind::Update => Some(", setting "),
            _ => None,
        };
        html! {
            <li class="pattern-row sentence" id={id.clone()} data-testid={id.clone()}>
                <input class="pattern-name" value={p.name.clone()} aria-label="Pattern name"
                    data-testid={format!("{id}-name")} onchange={on_input(|p, v| if !v.trim().is_empty() { p.name = v.trim().to_string() })} />
                { ": " }
                { select("What the pattern does", format!("{id}-kind"), &kinds, &enum_name(&p.kind),
                    set(|p, v| if let Some(k) = parse_enum(&v) { p.kind = k })) }
                { " " }
                { select("Entity", format!("{id}-entity"), &entity_names, &p.entity,
                    set(|p, v| { p.entity = v; p.equality.clear(); p.range = None; p.sort = None; })) }
                if reads {
                    { " by " }
                    { select("First equality field", format!("{id}-by"), &field_options, &first,
                        set(|p, v| set_slot(&mut p.equality, 0, v))) }
                    { " and " }
                    { select("Second equality field", format!("{id}-by2"), &field_options, &second,
                        set(|p, v| set_slot(&mut p.equality, 1, v))) }
                }
                if let Some(verb) = fields_verb {
                    { verb }
                    { select("First field", format!("{id}-field"), &field_options, &p.fields.first().cloned().unwrap_or_default(),
                        set(|p, v| set_slot(&mut p.fields, 0, v))) }
                    { " and " }
                    { select("Second field", format!("{id}-field2"), &field_options, &p.fields.get(1).cloned().unwrap_or_default(),
                        set(|p, v| set_slot(&mut p.fields, 1, v))) }
                }
                if lists {
                    { ", sorted by " }
                    { select("Sort field", format!("{id}-sort"), &field_options, &sort_field,
                        set(|p, v| set_sort(p, Some(v), None))) }
                    if p.sort.is_some() {
                        { " " }
                        { select("Sort order", format!("{id}-order"), &orders, &enum_name(&order),
                            set(|p, v| set_sort(p, None, parse_enum(&v)))) }
                    }
                    { ", " }
                    <input type="number" min="1" class="num" value={p.page_size.map(|n| n.to_string()).unwrap_or_default()}
                        placeholder="all" aria-label="Page size" data-testid={format!("{id}-page")}
                        onchange={on_input(|p, v| p.page_size = v.trim().parse().ok().filter(|n| *n > 0))} />
                    { " per page" }
                }
                { ", " }
                <input type="number" min="0" step="any" class="num" value={p.requests_per_second.to_string()}
                    aria-label="Requests per second" data-testid={format!("{id}-rps")}
                    onchange={on_input(|p, v| if let Ok(n) = v.trim().parse::<f64>() { if n.is_finite() && n >= 0.0 { p.requests_per_second = n } })} />
                { " per second, " }
                { select("Consistency", format!("{id}-consistency"), &consistencies, &enum_name(&p.consistency),
                    set(|p, v| p.consistency = parse_enum(&v).unwrap_or(Consistency::Eventual))) }
                <PatternSkew index={i} pattern={p.clone()} on_action={props.on_action.clone()} />
                <button class="icon danger" aria-label={format!("Delete pattern {}", p.name)} onclick={delete}>{ "✕" }</button>
            </li>
        }
    });
    let add = {
        let on_action = props.on_action.clone();
        Callback::from(move |_| on_action.emit(Action::AddPattern))
    };
    html! {
        <section class="card" aria-labelledby="patterns-title">
            <h3 id="patterns-title">{ "Access patterns" }</h3>
            <p class="hint">{ "Describe how the application reads and writes; the layouts follow from these." }</p>
            <ul class="plain">{ for rows }</ul>
            <button class="small" data-testid="add-pattern" onclick={add}
                disabled={props.entities.is_empty()}>{ "+ access pattern" }</button>
        </section>
    }
}

/// Sets one of the first two names of a list (an empty name removes it), keeping the rest.
fn set_slot(list: &mut Vec<String>, slot: usize, field: String) {
    let mut first: Vec<String> = list.iter().take(2).cloned().collect();
    while first.len() <= slot {
        first.push(String::new());
    }
    if let Some(place) = first.get_mut(slot) {
        *place = field;
    }
    let rest: Vec<String> = list.iter().skip(2).cloned().collect();
    *list = first
        .into_iter()
        .chain(rest)
        .filter(|f| !f.is_empty())
        .collect();
}

fn set_sort(p: &mut AccessPattern, field: Option<String>, order: Option<SortOrder>) {
    let current = p.sort.clone();
    let field = field
        .or_else(|| current.as_ref().map(|s| s.field.clone()))
        .unwrap_or_default();
    if field.is_empty() {
        p.sort = None;
        return;
    }
    let order = order
        .or_else(|| current.map(|s| s.order))
        .unwrap_or(SortOrder::Desc);
    p.sort = Some(SortSpec { field, order });
}

/// Every field path of an entity, dotted through embedded objects.
fn field_paths(fields: &[Field], prefix: &str, depth: usize, out: &mut Vec<String>) {
    if depth > 4 {
        return;
    }
    for f in fields {
        let path = format!("{prefix}{}", f.name);
        out.push(path.clone());
        if let Some(inner) = object_fields(&f.ty) {
            field_paths(inner, &format!("{path}."), depth + 1, out);
        }
    }
}
