//! A relationship's `onDelete` in its sentence: what deleting the parent does to the children
//! (core's `model::cascade` says the default and what each layout then sends).

use schemaplay_core::model::{Cardinality, OnDelete, Relationship};
use yew::prelude::*;

use super::select;

/// The select of a relationship's `onDelete` ("default", "cascade", "keep"), or, for a
/// many-to-many relationship, which has no children to delete or keep, what happens instead.
pub fn on_delete_select(id: &str, r: &Relationship, set: Callback<String>) -> Html {
    let testid = format!("{id}-on-delete");
    if r.cardinality == Cardinality::ManyToMany {
        return html! {
            <span class="hint" data-testid={testid}>{ "; deleting either side deletes its pairs" }</span>
        };
    }
    let options = [
        ("default", "on delete: the default"),
        ("cascade", "on delete: delete them too"),
        ("keep", "on delete: keep them"),
    ]
    .map(|(v, t)| (v.to_string(), t.to_string()));
    let current = r.on_delete.map_or("default", OnDelete::name);
    select("When the parent is deleted", testid, &options, current, set)
}

/// The `onDelete` a select's value stands for (None: the default).
pub fn parse(value: &str) -> Option<OnDelete> {
    match value {
        "cascade" => Some(OnDelete::Cascade),
        "keep" => Some(OnDelete::Keep),
        _ => None,
    }
}

/// A delete's cleanup in the DynamoDB view: each request after the delete with why (core's
/// `DynamoRequest::cleanup`); nothing when the delete takes no children with it.
pub fn cleanup_list(cleanup: &[schemaplay_core::dynamo::DynamoRequest]) -> Html {
    if cleanup.is_empty() {
        return Html::default();
    }
    html! {
        <div data-testid="dynamo-cleanup">
            <h4>{ "Then, the children that go with it" }</h4>
            <ol class="cleanup">
                { for cleanup.iter().map(|c| html! {
                    <li data-testid="dynamo-cleanup-request">
                        <strong>{ format!("{}{}", c.operation, c.index.as_ref().map(|i| format!(" on {i}")).unwrap_or_default()) }</strong>
                        { format!(": {}", c.flag.clone().unwrap_or_default()) }
                    </li>
                }) }
            </ol>
        </div>
    }
}
