//! The relationships between entities: who owns whom, how many, and whether read together.

use schemaplay_core::model::{Cardinality, Finding, Implied, Relationship};
use yew::prelude::*;

use super::{checked, enum_name, input_value, parse_enum, select};
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct RelationshipsProps {
    pub relationships: Vec<Relationship>,
    pub entities: Vec<String>,
    /// Relationships the design's `ref` fields imply and no relationship says yet.
    #[prop_or_default]
    pub implied: Vec<Implied>,
    /// The design's validation findings; each relationship shows those about it.
    #[prop_or_default]
    pub findings: Vec<Finding>,
    pub on_action: Callback<Action>,
}

#[function_component(Relationships)]
pub fn relationships(props: &RelationshipsProps) -> Html {
    let names: Vec<(String, String)> = props
        .entities
        .iter()
        .map(|e| (e.clone(), e.clone()))
        .collect();
    let cardinalities: Vec<(String, String)> = Cardinality::NAMES
        .iter()
        .zip([
            Cardinality::OneToOne,
            Cardinality::OneToFew,
            Cardinality::OneToMany,
            Cardinality::ManyToMany,
        ])
        .map(|(name, c)| (name.to_string(), c.phrase().to_string()))
        .collect();
    let rows = props.relationships.iter().enumerate().map(|(i, r)| {
        let set = |f: fn(&mut Relationship, String)| {
            let r = r.clone();
            let on_action = props.on_action.clone();
            Callback::from(move |value: String| {
                let mut relationship = r.clone();
                f(&mut relationship, value);
                on_action.emit(Action::SetRelationship { index: i, relationship });
            })
        };
        let on_count = {
            let set = set(|r, v| if let Ok(n) = v.trim().parse() { r.expected_count = n });
            Callback::from(move |e: Event| set.emit(input_value(&e)))
        };
        let on_field = {
            let set = set(|r, v| r.field = Some(v.trim().to_string()).filter(|v| !v.is_empty()));
            Callback::from(move |e: Event| set.emit(input_value(&e)))
        };
        let on_together = {
            let set = set(|r, v| r.read_together = v == "true");
            Callback::from(move |e: Event| set.emit(checked(&e).to_string()))
        };
        let delete = {
            let on_action = props.on_action.clone();
            Callback::from(move |_| on_action.emit(Action::DeleteRelationship(i)))
        };
        let embed_key = match r.embed {
            None => "auto",
            Some(true) => "embed",
            Some(false) => "reference",
        };
        let embed_options = [("auto", "decide for me"), ("embed", "always embed"), ("reference", "always reference")]
            .map(|(v, t)| (v.to_string(), t.to_string()));
        let id = format!("rel-{i}");
        html! {
            <li class="rel-row sentence" id={id.clone()} data-testid={id.clone()}>
                { "One " }
                { select("Parent entity", format!("{id}-from"), &names, &r.from, set(|r, v| r.from = v)) }
                { " has " }
                { select("Cardinality", format!("{id}-cardinality"), &cardinalities,
                    &enum_name(&r.cardinality),
                    set(|r, v| if let Some(c) = parse_enum(&v) {
                        r.cardinality = c;
                        // A many-to-many relationship has no children to delete or keep.
                        if c == Cardinality::ManyToMany { r.on_delete = None }
                    })) }
                { " " }
                { select("Child entity", format!("{id}-to"), &names, &r.to, set(|r, v| r.to = v)) }
                { ", about " }
                <input type="number" min="0" class="num" value={r.expected_count.to_string()}
                    aria-label="Expected children per parent" data-testid={format!("{id}-count")} onchange={on_count} />
                { " each, as " }
                <input class="short" value={r.field.clone().unwrap_or_default()} placeholder="field name"
                    aria-label="Field name of the relationship" data-testid={format!("{id}-field")} onchange={on_field} />
                <label class="check"><input type="checkbox" checked={r.read_together}
                    data-testid={format!("{id}-together")} onchange={on_together} />{ "read together" }</label>
                { select("MongoDB embed or reference", format!("{id}-embed"), &embed_options, embed_key,
                    set(|r, v| r.embed = match v.as_str() { "embed" => Some(true), "reference" => Some(false), _ => None })) }
                { super::on_delete::on_delete_select(&id, r, set(|r, v| r.on_delete = super::on_delete::parse(&v))) }
                <button class="icon danger" aria-label={format!("Delete relationship {} to {}", r.from, r.to)}
                    onclick={delete}>{ "✕" }</button>
                { super::findings::findings_at(&props.findings, &format!("relationships[{i}]")) }
            </li>
        }
    });
    let add = {
        let on_action = props.on_action.clone();
        Callback::from(move |_| on_action.emit(Action::AddRelationship))
    };
    let offers = props.implied.iter().enumerate().map(|(i, implied)| {
        let r = &implied.relationship;
        let offer = format!(
            "+ one {} has {} {}",
            r.from,
            r.cardinality.phrase().replace("one-to-", "").replace("many-to-", ""),
            r.to
        );
        let relationship = r.clone();
        let add = props
            .on_action
            .reform(move |_: MouseEvent| Action::AddInferredRelationship(relationship.clone()));
        html! {
            <li class="sentence implied" data-testid={format!("implied-{i}")}>
                { format!("{}.{} refers to {}: ", implied.entity, implied.field,
                    if r.to == implied.entity { &r.from } else { &r.to }) }
                <button class="small" data-testid={format!("implied-{i}-add")} onclick={add}>{ offer }</button>
                <span class="hint">{ format!(" (about {} each; change it once added)", r.expected_count) }</span>
            </li>
        }
    });
    html! {
        <section class="card" aria-labelledby="rel-title">
            <h3 id="rel-title">{ "Relationships" }</h3>
            <ul class="plain">{ for rows }</ul>
            if !props.implied.is_empty() {
                <ul class="plain offers" aria-label="Relationships the ref fields imply">{ for offers }</ul>
            }
            <button class="small" data-testid="add-relationship" onclick={add}
                disabled={props.entities.is_empty()}>{ "+ relationship" }</button>
        </section>
    }
}
