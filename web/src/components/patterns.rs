//! Access patterns, each edited as a sentence: "list Post by authorId, newest first, 20 per
//! page, 50 per second".

use schemaplay_core::model::{
    object_fields, AccessPattern, Condition, ConditionOp, Consistency, Entity, Field, Finding,
    PatternKind, SortOrder, SortSpec, UpdateAction,
};
use yew::prelude::*;

use super::field_list::{parse_value, value_text};
use super::findings::findings_at;
use super::pattern_skew::PatternSkew;
use super::pattern_version::PatternVersion;
use super::transaction::Transaction;
use super::{checked, enum_name, input_value, parse_enum, select};
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct PatternsProps {
    pub patterns: Vec<AccessPattern>,
    pub entities: Vec<Entity>,
    /// The design's validation findings; each pattern shows those about it.
    #[prop_or_default]
    pub findings: Vec<Finding>,
    pub on_action: Callback<Action>,
}

const KIND_WORDS: [(&str, &str); 8] = [
    ("getOne", "get one"),
    ("list", "list"),
    ("count", "count"),
    ("textSearch", "search the text of"),
    ("insert", "insert"),
    ("update", "update"),
    ("delete", "delete"),
    ("aggregate", "aggregate"),
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
        let on_check = |f: fn(&mut AccessPattern, bool)| {
            let p = p.clone();
            props.on_action.reform(move |e: Event| {
                let mut pattern = p.clone();
                f(&mut pattern, checked(&e));
                Action::SetPattern { index: i, pattern }
            })
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
        let ranged = matches!(p.kind, PatternKind::List | PatternKind::Count | PatternKind::Delete | PatternKind::Update | PatternKind::Aggregate);
        let writes = p.kind.is_write();
        let updates = p.kind == PatternKind::Update;
        let actions = [("set", "set to the new value"), ("increment", "increment by an amount"), ("push", "push onto the array")]
            .map(|(v, t)| (v.to_string(), t.to_string()));
        let condition_field = p.condition.as_ref().map(|c| c.field.clone()).unwrap_or_default();
        let ops: Vec<(String, String)> = ConditionOp::NAMES
            .iter()
            .zip(["=", "≠", "<", "≤", ">", "≥", "exists", "does not exist"])
            .map(|(v, t)| (v.to_string(), t.to_string()))
            .collect();
        let op = p.condition.as_ref().map(|c| enum_name(&c.op)).unwrap_or_default();
        let needs_value = p.condition.as_ref().is_some_and(|c| !matches!(c.op, ConditionOp::Exists | ConditionOp::NotExists));
        let condition_value = p.condition.as_ref().and_then(|c| c.value.as_ref()).map(value_text).unwrap_or_default();
        let findings = findings_at(&props.findings, &format!("accessPatterns[{i}]"));
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
                    if !p.equality.is_empty() {
                        <label class="check"><input type="checkbox" checked={p.case_insensitive}
                            data-testid={format!("{id}-case")} onchange={on_check(|p, v| p.case_insensitive = v)} />{ "ignoring case" }</label>
                    }
                }
                if ranged {
                    { ", in a range of " }
                    { select("Range field", format!("{id}-range"), &field_options, p.range.as_deref().unwrap_or_default(),
                        set(|p, v| p.range = Some(v).filter(|v| !v.is_empty()))) }
                }
                if let Some(verb) = fields_verb {
                    { verb }
                    { select("First field", format!("{id}-field"), &field_options, &p.fields.first().cloned().unwrap_or_default(),
                        set(|p, v| set_slot(&mut p.fields, 0, v))) }
                    { " and " }
                    { select("Second field", format!("{id}-field2"), &field_options, &p.fields.get(1).cloned().unwrap_or_default(),
                        set(|p, v| set_slot(&mut p.fields, 1, v))) }
                    if updates {
                        { ", " }
                        { select("Update action", format!("{id}-update"), &actions, &enum_name(&p.update.unwrap_or_default()),
                            set(|p, v| p.update = parse_enum::<UpdateAction>(&v).filter(|a| *a != UpdateAction::Set))) }
                    }
                }
                if writes {
                    { ", if " }
                    { select("Condition field", format!("{id}-cond-field"), &field_options, &condition_field,
                        set(|p, v| set_condition(p, Some(v), None, None))) }
                    if p.condition.is_some() {
                        { " " }
                        { select("Condition operator", format!("{id}-cond-op"), &ops, &op,
                            set(|p, v| set_condition(p, None, parse_enum(&v), None))) }
                        if needs_value {
                            { " " }
                            <input class="short" value={condition_value} placeholder="value"
                                aria-label="Condition value" data-testid={format!("{id}-cond-value")}
                                onchange={on_input(|p, v| set_condition(p, None, None, Some(v)))} />
                        }
                    }
                    <label class="check"><input type="checkbox" checked={p.transactional}
                        data-testid={format!("{id}-transactional")} onchange={on_check(|p, v| p.transactional = v)} />{ "in a transaction" }</label>
                }
                // Only when they show something: a component that renders nothing between two
                // `if`s makes Yew 0.23 insert before a node it removed, and panic, when one
                // `if` opens as the other closes (yewstack/yew#4092): a list made an update.
                if super::pattern_version::shows(p) {
                    <PatternVersion index={i} pattern={p.clone()} entity={props.entities.iter().find(|e| e.name == p.entity).cloned()} on_action={props.on_action.clone()} />
                }
                if super::aggregate_form::shows(p) {
                    <super::aggregate_form::AggregateForm index={i} pattern={p.clone()} on_action={props.on_action.clone()} />
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
                { findings }
                if p.kind.is_write() {
                    <Transaction index={i} pattern={p.clone()} patterns={props.patterns.clone()} on_action={props.on_action.clone()} />
                }
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

/// Sets a part of the write's condition: choosing no field removes it; a new condition
/// compares with `=`; a value is read as JSON when it is (`0`, `true`), else as text.
fn set_condition(
    p: &mut AccessPattern,
    field: Option<String>,
    op: Option<ConditionOp>,
    value: Option<String>,
) {
    if field.as_deref() == Some("") {
        p.condition = None;
        return;
    }
    let current = p.condition.take();
    let Some(field) = field.or_else(|| current.as_ref().map(|c| c.field.clone())) else {
        return;
    };
    let op = op
        .or_else(|| current.as_ref().map(|c| c.op))
        .unwrap_or(ConditionOp::Eq);
    let value = match value {
        // A condition compares with one value: a number, a boolean or text.
        Some(text) => parse_value(&text).map(|v| match v {
            v @ (serde_json::Value::Number(_)
            | serde_json::Value::Bool(_)
            | serde_json::Value::String(_)) => v,
            _ => serde_json::Value::String(text.trim().to_string()),
        }),
        None => current.and_then(|c| c.value),
    };
    let value = value.filter(|_| !matches!(op, ConditionOp::Exists | ConditionOp::NotExists));
    p.condition = Some(Condition { field, op, value });
}

/// Every field path of an entity, dotted through embedded objects.
pub(crate) fn field_paths(fields: &[Field], prefix: &str, depth: usize, out: &mut Vec<String>) {
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
