//! Declared MongoDB indexes in the playground: the ecommerce example declares a
//! case-insensitive unique index on the customers' e-mail (collation strength 2).
//! Generating builds it; a second customer whose e-mail differs only in case is
//! refused with MongoDB's E11000; "Sign in by email" is planned on it.

mod common;

use schemaplay_core::examples;
use schemaplay_playground::{prefill_mongo, Error, MongoField, MongoForm, MongoOp, Playground};

fn ecommerce() -> Playground {
    let design = examples::get("ecommerce")
        .map(|e| e.design)
        .unwrap_or_default();
    let mut playground = Playground::new(design);
    playground.generate(20, 1, &mut |_| {});
    playground
}

#[test]
fn a_case_insensitive_unique_email_works_end_to_end() {
    let mut playground = ecommerce();
    let find = MongoForm::new("customers")
        .with_operation(MongoOp::Find)
        .with_input(MongoField::Filter, "{}".to_string());
    let first = playground
        .run_mongo(&find)
        .map(|a| a.rows().first().cloned());
    let email = match first {
        Ok(Some(row)) => row["email"].as_str().unwrap_or_default().to_string(),
        other => panic!("no customer: {other:?}"),
    };
    assert!(!email.is_empty() && email != email.to_uppercase());

    let insert = MongoForm::new("customers")
        .with_operation(MongoOp::InsertOne)
        .with_input(
            MongoField::Document,
            format!(r#"{{"email": "{}", "name": "Twin"}}"#, email.to_uppercase()),
        );
    match playground.run_mongo(&insert) {
        Err(Error::Message(m)) => assert!(
            m.contains("E11000 duplicate key error collection: ")
                && m.contains("index: email_ci collation: { locale: \"en\"")
                && m.contains("strength: 2"),
            "{m}"
        ),
        other => panic!("the duplicate was not refused: {other:?}"),
    }

    let analysis = playground.analysis().clone();
    let Some(query) = analysis
        .mongo
        .queries
        .iter()
        .find(|q| q.pattern == "Sign in by email")
    else {
        panic!("no Sign in by email");
    };
    assert_eq!(query.index.as_deref(), Some("email_ci"));
    let form = prefill_mongo(query);
    let upper = form.input(MongoField::Filter).to_uppercase();
    let answer =
        playground.run_mongo(&form.with_input(MongoField::Filter, upper.replace("EMAIL", "email")));
    let shown = match &answer {
        Ok(a) => common::mongo(a),
        Err(e) => format!("{e}"),
    };
    assert!(
        shown.contains("IXSCAN email_ci")
            && !shown.contains("COLLSCAN")
            && shown.contains("returned Some(1)"),
        "{shown}"
    );
}
