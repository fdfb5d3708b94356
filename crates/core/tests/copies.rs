//! Denormalised copies (`copyOf`): reading and checking them, renames that
//! follow them, and the fan-out an update of their source becomes.

mod common;

use common::{design, read};
use expect_test::expect;
use schemaplay_core::{rename_entity, rename_field, Design};

const USER: &str = r#"{"name": "User", "id": "userId", "fields": [{"name": "userId", "type": "string", "required": true}, {"name": "name", "type": "string", "required": true}, {"name": "age", "type": "int"}], "volume": 1000}"#;

/// A user and their posts, each post holding a copy of its author's name.
fn blog(copy: &str) -> String {
    format!(
        r#"{{"formatVersion": 2, "name": "t", "entities": [{USER},
          {{"name": "Post", "id": "postId", "fields": [{{"name": "postId", "type": "string", "required": true}}, {{"name": "authorId", "type": {{"ref": "User"}}}}, {{"name": "title", "type": "string"}}, {copy}], "volume": 20000}}],
          "relationships": [{{"from": "User", "to": "Post", "cardinality": "oneToMany", "expectedCount": 20, "field": "authorId"}}],
          "accessPatterns": [{{"name": "Rename user", "entity": "User", "kind": "update", "equality": ["userId"], "fields": ["name"], "requestsPerSecond": 5}}]}}"#
    )
}

fn copy_field(copy_of: &str) -> String {
    format!(r#"{{"name": "authorName", "type": "string", "copyOf": {copy_of}}}"#)
}

#[test]
fn a_copy_reads_and_writes_back_unchanged() {
    let json = blog(&copy_field(
        r#"{"entity": "User", "field": "name", "via": "authorId"}"#,
    ));
    let d = Design::from_json(&json).unwrap_or_else(|f| panic!("{f:?}"));
    let copy = d.copies().next().map(|c| {
        (
            c.entity.name.clone(),
            c.field.name.clone(),
            c.source.clone(),
        )
    });
    expect![[r#"
        Some(
            (
                "Post",
                "authorName",
                CopyOf {
                    entity: "User",
                    field: "name",
                    via: "authorId",
                },
            ),
        )
    "#]]
    .assert_debug_eq(&copy);
    let again = Design::from_json(&d.to_json()).unwrap_or_else(|f| panic!("{f:?}"));
    assert_eq!(again, d);
    // One post per user's 20 posts, as the relationship says.
    let per = d.copies().next().map(|c| d.copies_per_source(c));
    assert_eq!(per, Some(20.0));
}

#[test]
fn a_copy_names_a_source_that_exists_through_a_path_that_leads_to_it() {
    let cases = [
        r#"{"entity": "Ghost", "field": "name", "via": "authorId"}"#,
        r#"{"entity": "User", "field": "nick", "via": "authorId"}"#,
        r#"{"entity": "User", "field": "age", "via": "authorId"}"#,
        r#"{"entity": "User", "field": "userId", "via": "authorId"}"#,
        r#"{"entity": "User", "field": "name", "via": "title"}"#,
        r#"{"entity": "User", "field": "name", "via": "editorId"}"#,
        r#"{"entity": "User", "field": "name", "via": "authorName"}"#,
        r#"{"entity": "Post", "field": "authorName", "via": "postId"}"#,
    ];
    let text: String = cases.iter().map(|c| read(&blog(&copy_field(c)))).collect();
    expect![[r#"
        [unknown-entity] entities[1].fields[3].copyOf.entity: no entity is named "Ghost"
        [unknown-field] entities[1].fields[3].copyOf.field: User has no field "nick"
        [invalid-copy] entities[1].fields[3].copyOf: "authorName" has type string and User.age type int: a copy has its source's type
        [invalid-copy] entities[1].fields[3].copyOf.field: "userId" is User's id, which never changes: copy it through "authorId" itself
        [invalid-copy] entities[1].fields[3].copyOf.via: "title" does not lead from a User to a Post: name a field of Post that references User (type ref User) or the reference of a relationship from User
        [invalid-copy] entities[1].fields[3].copyOf.via: "editorId" does not lead from a User to a Post: name a field of Post that references User (type ref User) or the reference of a relationship from User
        [invalid-copy] entities[1].fields[3].copyOf.via: "authorName" cannot say which User it copies: it is the copy
        [invalid-copy] entities[1].fields[3].copyOf.field: Post.authorName is a copy itself: copy its source instead
        [invalid-copy] entities[1].fields[3].copyOf: "authorName" cannot be a copy of itself
        [invalid-copy] entities[1].fields[3].copyOf.via: "postId" does not lead from a Post to a Post: name a field of Post that references Post (type ref Post) or the reference of a relationship from Post
    "#]]
    .assert_eq(&text);
    let bad =
        blog(r#"{"name": "authorName", "type": "string", "copyOf": {"entity": 3, "colour": 1}}"#);
    expect![[r#"
        [schema] entities[1].fields[3].copyOf.colour: unknown key "colour" (expected one of "entity", "field", "via")
        [schema] entities[1].fields[3].copyOf.entity: expected a string, found the number 3
        [schema] entities[1].fields[3].copyOf.field: missing
        [schema] entities[1].fields[3].copyOf.via: missing
    "#]]
    .assert_eq(&read(&bad));
    let nested = blog(
        r#"{"name": "meta", "type": {"object": [{"name": "by", "type": "string", "copyOf": {"entity": "User", "field": "name", "via": "authorId"}}]}}"#,
    );
    expect![[r#"
        [invalid-copy] entities[1].fields[3].type.object[0].copyOf: "by" is inside an object: only a top-level field can be a copy
    "#]]
    .assert_eq(&read(&nested));
}

#[test]
fn a_relationship_reference_is_a_path_too() {
    // No declared `authorId`: the relationship's implicit reference `userId` leads from the user.
    let post = r#"{"name": "Post", "id": "postId", "fields": [{"name": "postId", "type": "string"}, {"name": "by", "type": "string", "copyOf": {"entity": "User", "field": "name", "via": "userId"}}], "volume": 100}"#;
    let d = design(
        &format!("{USER}, {post}"),
        r#"{"from": "User", "to": "Post", "cardinality": "oneToMany", "expectedCount": 5}"#,
        "",
    );
    assert_eq!(d.copies().count(), 1);
    let per = d.copies().next().map(|c| d.copies_per_source(c));
    assert_eq!(per, Some(5.0));
}

#[test]
fn renames_follow_the_copy() {
    let json = blog(&copy_field(
        r#"{"entity": "User", "field": "name", "via": "authorId"}"#,
    ));
    let d = Design::from_json(&json).unwrap_or_else(|f| panic!("{f:?}"));
    let source = |d: &Design| d.copies().map(|c| c.source.clone()).next();
    let d = rename_field(&d, "User", "name", "fullName").unwrap_or_else(|e| panic!("{e}"));
    let d = rename_field(&d, "Post", "authorId", "writerId").unwrap_or_else(|e| panic!("{e}"));
    let d = rename_entity(&d, "User", "Member").unwrap_or_else(|e| panic!("{e}"));
    expect![[r#"
        Some(
            CopyOf {
                entity: "Member",
                field: "fullName",
                via: "writerId",
            },
        )
    "#]]
    .assert_debug_eq(&source(&d));
    assert!(
        schemaplay_core::validate(&d).is_empty(),
        "{:?}",
        schemaplay_core::validate(&d)
    );
    // A field of the same name in another entity is not the source.
    let d = rename_field(&d, "Post", "title", "name").unwrap_or_else(|e| panic!("{e}"));
    let d = rename_field(&d, "Post", "name", "heading").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(source(&d).map(|s| s.field), Some("fullName".to_string()));
}

/// The update's MongoDB mongosh and its DynamoDB fan-out, as the layouts render them.
fn fanout(d: &Design, pattern: &str) -> String {
    let analysis = schemaplay_core::analyze(d);
    let mut text = String::new();
    for q in analysis
        .mongo
        .queries
        .iter()
        .filter(|q| q.pattern == pattern)
    {
        text.push_str(&format!("{}\n", q.shell));
        for f in &q.fanout {
            text.push_str(&format!("request: {}\n", f.request()));
        }
    }
    for f in analysis.findings.iter().filter(|f| f.id.contains("copy")) {
        text.push_str(&format!("{} [{}] {f}\n", f.severity, f.id));
    }
    for c in analysis
        .cost
        .patterns
        .iter()
        .filter(|c| c.pattern == pattern)
    {
        text.push_str(&format!(
            "cost: {} write units: {}\n",
            c.write_units_per_request, c.explanation
        ));
    }
    for r in analysis
        .dynamo
        .requests
        .iter()
        .filter(|r| r.pattern == pattern)
    {
        for f in &r.fanout {
            text.push_str(&format!("find: {}\nupdate: {}\n", f.find, f.update));
        }
        text.push_str(&format!("{}\n", r.sdk));
    }
    text
}

#[test]
fn an_update_of_the_source_fans_out_to_the_copies() {
    let json = blog(&copy_field(r#"{"entity": "User", "field": "name", "via": "authorId"}"#))
        .replace(
            r#""requestsPerSecond": 5}]"#,
            r#""requestsPerSecond": 5}, {"name": "List posts by author", "entity": "Post", "kind": "list", "equality": ["authorId"], "pageSize": 10, "requestsPerSecond": 5}]"#,
        );
    let d = Design::from_json(&json).unwrap_or_else(|f| panic!("{f:?}"));
    expect![[r#"
        db.users.updateOne({ _id: 'user-1' }, { $set: { name: 'Quinn Ivanova' } })
        // The copies of User.name in posts (Post.authorName), found by authorId
        db.posts.updateMany({ authorId: 'user-1' }, { $set: { authorName: 'Quinn Ivanova' } })
        request: {"op":"updateMany","collection":"posts","filter":{"authorId":"user-1"},"update":{"$set":{"authorName":"Quinn Ivanova"}}}
        info [copy-fanout] accessPatterns[0].fields: "Rename user" changes User.name, which Post.authorName copies: each update also rewrites the copies in about 20 posts (MongoDB one updateMany on authorId; DynamoDB the items found by authorId, each updated), about 100 copy writes a second at its rate
        cost: 21 write units: an item of 70 bytes: 1 unit(s): 1 write unit(s); then the copies Post.authorName: a Query of 2180 bytes, 0.5 read unit(s), and about 20 UpdateItem(s) of 109 bytes, 1 unit(s) each: 20 write unit(s)
        find: {"operation":"Query","input":{"TableName":"app-data","KeyConditionExpression":"PK = :pk AND begins_with(SK, :sk)","ExpressionAttributeValues":{":pk":{"S":"USER#user-1"},":sk":{"S":"POST#"}}}}
        update: {"operation":"UpdateItem","input":{"TableName":"app-data","UpdateExpression":"SET authorName = :copy","ConditionExpression":"authorId = :id","ExpressionAttributeValues":{":copy":{"S":"Quinn Ivanova"},":id":{"S":"user-1"}}}}
        // Rename user
        await client.send(new UpdateCommand({
          TableName: TABLE,
          Key: { PK: 'USER#user-1', SK: 'METADATA' },
          UpdateExpression: 'SET #name = :name',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: { '#name': 'name' },
          ExpressionAttributeValues: { ':name': 'Quinn Ivanova' }
        }))

        // Fan-out: the copies of User.name in posts (Post.authorName, about 20 per user) take its new value
        // Found by authorId in the table's item collection
        const renameUserAuthorNameCopies = await client.send(new QueryCommand({
          TableName: TABLE,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
          ExpressionAttributeValues: { ':pk': 'USER#user-1', ':sk': 'POST#' }
        }))
        let renameUserAuthorNameCopiesAll = renameUserAuthorNameCopies.Items
        let renameUserAuthorNameCopiesStart = renameUserAuthorNameCopies.LastEvaluatedKey
        while (renameUserAuthorNameCopiesStart) {
          const page = await client.send(new QueryCommand({
            TableName: TABLE,
            KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
            ExpressionAttributeValues: { ':pk': 'USER#user-1', ':sk': 'POST#' },
            ExclusiveStartKey: renameUserAuthorNameCopiesStart
          }))
          renameUserAuthorNameCopiesAll = [...renameUserAuthorNameCopiesAll, ...page.Items]
          renameUserAuthorNameCopiesStart = page.LastEvaluatedKey
        }
        // then each copy found takes the new value, on the condition that it still names this user
        let renameUserAuthorNameCopiesAt = 0
        while (renameUserAuthorNameCopiesAt < renameUserAuthorNameCopiesAll.length) {
          const item = renameUserAuthorNameCopiesAll[renameUserAuthorNameCopiesAt]
          await client.send(new UpdateCommand({
            TableName: TABLE,
            Key: { PK: item.PK, SK: item.SK },
            UpdateExpression: 'SET authorName = :copy',
            ConditionExpression: 'authorId = :id',
            ExpressionAttributeValues: { ':copy': 'Quinn Ivanova', ':id': 'user-1' }
          }))
          renameUserAuthorNameCopiesAt = renameUserAuthorNameCopiesAt + 1
        }
    "#]].assert_eq(&fanout(&d, "Rename user"));
}

#[test]
fn sample_copies_equal_their_source() {
    let json = blog(&copy_field(
        r#"{"entity": "User", "field": "name", "via": "authorId"}"#,
    ));
    let d = Design::from_json(&json).unwrap_or_else(|f| panic!("{f:?}"));
    let ctx = schemaplay_core::sample::SampleContext {
        design: &d,
        seed: 7,
        max_per_entity: 40,
    };
    let (Some(user), Some(post)) = (d.entity("User"), d.entity("Post")) else {
        panic!("the design has its entities");
    };
    let users: Vec<_> = (0..ctx.count("User"))
        .map(|i| schemaplay_core::sample::Val::Object(ctx.record(user, i)))
        .collect();
    let mut checked = 0;
    for i in 0..ctx.count("Post") {
        let post = schemaplay_core::sample::Val::Object(ctx.record(post, i));
        let author = post
            .get("authorId")
            .and_then(|id| users.iter().find(|u| u.get("userId") == Some(id)));
        match author {
            Some(u) => {
                assert_eq!(post.get("authorName"), u.get("name"), "post {i}");
                checked += 1;
            }
            None => assert_eq!(post.get("authorName"), None, "post {i} has no author"),
        }
    }
    assert!(checked > 30, "{checked} posts had an author");
}
