//! Relationships inferred from `ref` fields: offered once, with a cardinality guessed from the
//! field and the volumes, and no longer once the design says it.

use expect_test::{expect, Expect};
use schemaplay_core::model::{implied_relationships, Design};

fn check(json: &str, expect: Expect) {
    let design = match Design::from_json(json) {
        Ok(design) => design,
        Err(findings) => panic!("the test design does not read: {findings:?}"),
    };
    let actual: String = implied_relationships(&design)
        .iter()
        .map(|i| {
            let r = &i.relationship;
            format!(
                "{}.{}: {} -> {} {} ~{} field={:?}\n",
                i.entity,
                i.field,
                r.from,
                r.to,
                r.cardinality.phrase(),
                r.expected_count,
                r.field
            )
        })
        .collect();
    expect.assert_eq(&actual);
}

fn design(rest: &str) -> String {
    format!(
        r#"{{"formatVersion": 2, "name": "t", "entities": [
        {{"name": "User", "volume": 1000, "fields": [{{"name": "userId", "type": "string"}}]}},
        {{"name": "Tag", "volume": 0, "fields": [{{"name": "label", "type": "string"}}]}},
        {{"name": "Post", "volume": 50000, "fields": [
            {{"name": "postId", "type": "string"}},
            {{"name": "authorId", "type": {{"ref": "User"}}}},
            {{"name": "editorId", "type": {{"ref": "User"}}, "unique": true}},
            {{"name": "tags", "type": {{"array": {{"ref": "Tag"}}}}}},
            {{"name": "title", "type": "string"}}]}},
        {{"name": "Badge", "volume": 10, "fields": [{{"name": "tagId", "type": {{"ref": "Tag"}}}}]}}
    ]{rest}}}"#
    )
}

#[test]
fn each_ref_field_offers_its_relationship() {
    check(
        &design(""),
        expect![[r#"
            Post.authorId: User -> Post one-to-many ~50 field=Some("authorId")
            Post.editorId: User -> Post one-to-one ~1 field=Some("editorId")
            Post.tags: Post -> Tag many-to-many ~5 field=Some("tags")
            Badge.tagId: Tag -> Badge one-to-many ~10 field=Some("tagId")
        "#]],
    );
}

#[test]
fn a_relationship_the_design_says_is_not_offered_again() {
    check(
        &design(
            r#", "relationships": [
            {"from": "User", "to": "Post", "cardinality": "oneToMany", "field": "authorId"},
            {"from": "Post", "to": "Tag", "cardinality": "manyToMany", "field": "tags"},
            {"from": "Tag", "to": "Badge", "cardinality": "oneToMany"}]"#,
        ),
        expect![[r#"
            Post.editorId: User -> Post one-to-one ~1 field=Some("editorId")
        "#]],
    );
}
