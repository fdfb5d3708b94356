//! `Request::Derive`: what the page's views show, derived in the worker. It must equal what the
//! core derives, cross the boundary intact (the page reads it back with `Deserialize`), and
//! leave the playground's own design and data alone.

use schemaplay_core::alternatives::{alternatives, apply};
use schemaplay_core::examples;
use schemaplay_core::model::Design;
use schemaplay_playground::derive::{derive, Derivation, Wants};
use schemaplay_playground::{Database, DeriveCall, Playground, Reply, Request};

const EVERYTHING: Wants = Wants {
    alternatives: true,
    scripts: true,
};

fn derived(playground: &mut Playground, design: &Design, seed: u64, wants: Wants) -> Derivation {
    let call = DeriveCall {
        design: Box::new(design.clone()),
        seed,
        wants,
    };
    match playground.handle(Request::Derive(call), &mut |_| {}) {
        Reply::Derived(derivation) => *derivation,
        other => panic!("derive answered {other:?}"),
    }
}

#[test]
fn every_example_derives_what_the_core_derives() {
    let mut playground = Playground::default();
    for example in examples::all() {
        let design = &example.design;
        let d = derived(&mut playground, design, 7, EVERYTHING);
        assert_eq!(
            d.analysis,
            schemaplay_core::analyze(design),
            "{}",
            example.id
        );
        assert_eq!(
            d.analysis.mongo.collections.len(),
            d.views.samples.len(),
            "{}: two samples per collection",
            example.id
        );
        assert!(
            d.views.samples.iter().all(|s| s.len() == 2),
            "{}",
            example.id
        );
        assert_eq!(d.views.mongo_exports.len(), 3, "{}", example.id);
        assert_eq!(d.views.dynamo_exports.len(), 3, "{}", example.id);
        assert_eq!(
            d.views.dynamo_exports[2].text,
            schemaplay_core::export::sdk(design, &d.analysis.dynamo),
            "{}",
            example.id
        );
        assert_eq!(
            d.views.alternatives.as_ref(),
            Some(&alternatives(design)),
            "{}",
            example.id
        );
        for pattern in &design.access_patterns {
            let name = &pattern.name;
            assert_eq!(
                d.views.script_for(Database::Mongo, name),
                schemaplay_playground::prefill_script(design, name, Database::Mongo, 7),
                "{}: {name}",
                example.id
            );
            assert_eq!(
                d.views.is_paged_list(name),
                schemaplay_playground::is_paged_list(design, name),
                "{}: {name}",
                example.id
            );
        }
    }
}

#[test]
fn a_derivation_crosses_the_boundary_intact() {
    let mut playground = Playground::default();
    for example in examples::all() {
        let d = derived(&mut playground, &example.design, 1, EVERYTHING);
        let text = serde_json::to_string(&Reply::Derived(Box::new(d.clone())))
            .unwrap_or_else(|e| panic!("{}: {e}", example.id));
        let back: Reply =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", example.id));
        assert_eq!(back, Reply::Derived(Box::new(d)), "{}", example.id);
    }
}

#[test]
fn only_the_parts_asked_for_are_derived() {
    let design = examples::get("user-app")
        .map(|e| e.design)
        .unwrap_or_default();
    let d = derive(&design, 1, Wants::default());
    assert_eq!(d.views.alternatives, None);
    assert_eq!(d.views.scripts, None);
    assert_eq!(d.views.script_for(Database::Mongo, "Get user by id"), None);
    assert!(!d.views.paged_lists.is_empty(), "user-app has a paged list");
}

#[test]
fn each_alternative_carries_what_applying_it_writes() {
    for example in examples::all() {
        let design = &example.design;
        for choice in alternatives(design) {
            for alt in &choice.alternatives {
                let mut written = design.clone();
                alt.setting.apply(&mut written);
                assert_eq!(
                    Ok(written),
                    apply(design, &choice.id, &alt.key),
                    "{}: {} {}",
                    example.id,
                    choice.id,
                    alt.key
                );
            }
        }
    }
}

#[test]
fn deriving_leaves_the_playgrounds_design_and_data_alone() {
    let user_app = examples::get("user-app")
        .map(|e| e.design)
        .unwrap_or_default();
    let chat = examples::get("chat").map(|e| e.design).unwrap_or_default();
    let mut playground = Playground::new(user_app.clone());
    playground.handle(
        Request::Generate {
            per_entity: 5,
            seed: 1,
        },
        &mut |_| {},
    );
    let before = playground.generated().cloned();
    derived(&mut playground, &chat, 1, EVERYTHING);
    assert_eq!(playground.design(), &user_app);
    assert_eq!(playground.generated().cloned(), before);
}
