//! Picking a layout alternative: what `apply` records in the design, and what it refuses.

use schemaplay_core::alternatives::{alternatives, apply};
use schemaplay_core::{examples, Design, Placement};

fn user_app() -> Design {
    examples::get("user-app")
        .map(|e| e.design)
        .unwrap_or_default()
}

/// The alternative of a choice marked selected, and the one marked derived.
fn marks(design: &Design, choice: &str) -> (String, String) {
    let choices = alternatives(design);
    let c = choices.iter().find(|c| c.id == choice);
    let key = |f: fn(&schemaplay_core::alternatives::Alternative) -> bool| {
        c.and_then(|c| c.alternatives.iter().find(|a| f(a)))
            .map(|a| a.key.clone())
            .unwrap_or_default()
    };
    (key(|a| a.selected), key(|a| a.derived))
}

#[test]
fn picking_records_the_choice_and_picking_the_derived_one_clears_it() {
    let design = user_app();
    assert_eq!(
        marks(&design, "placement:Post"),
        ("own".into(), "own".into())
    );
    let sketch = apply(&design, "placement:Post", "parentById").unwrap_or_default();
    let template = sketch.dynamo.key_templates.get("Post");
    assert_eq!(
        template.map(|t| (t.pk.as_str(), t.sk.as_str())),
        Some(("USER#<authorId>", "POST#<postId>"))
    );
    assert_eq!(
        marks(&sketch, "placement:Post"),
        ("parentById".into(), "own".into())
    );
    let parent = apply(&sketch, "placement:Post", "parent").unwrap_or_default();
    assert_eq!(
        parent.dynamo.placements.get("Post"),
        Some(&Placement::Parent)
    );
    assert!(parent.dynamo.key_templates.is_empty());
    let back = apply(&parent, "placement:Post", "own").unwrap_or_default();
    assert_eq!(
        back, design,
        "the derived alternative leaves no attribute behind"
    );
    let embedded = apply(&design, "embed:User/Post", "embed").unwrap_or_default();
    assert_eq!(embedded.relationships[0].embed, Some(true));
    assert_eq!(
        marks(&embedded, "embed:User/Post"),
        ("embed".into(), "reference".into())
    );
}

#[test]
fn unknown_choices_and_alternatives_are_named() {
    let design = user_app();
    assert_eq!(
        apply(&design, "placement:Post", "inside"),
        Err("\"placement:Post\" has no alternative \"inside\" (it has \"parent\", \"parentById\", \"own\")".to_string())
    );
    let err = apply(&design, "placement:Ghost", "own")
        .err()
        .unwrap_or_default();
    assert!(
        err.starts_with(
            "no choice is named \"placement:Ghost\" (this design has \"embed:User/Post\""
        ),
        "{err}"
    );
    assert_eq!(
        apply(&design, "sortIndex:List a user's posts", "local"),
        Err("\"sortIndex:List a user's posts\" has only one layout in this design: there is nothing to choose".to_string())
    );
}
