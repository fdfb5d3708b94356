//! Cascades: what a parent's delete does to its children in both layouts,
//! with the requests that clean up, and the finding when they stay.

mod common;

use common::{design, example};
use expect_test::{expect, Expect};
use schemaplay_core::{analyze, Design, OnDelete};

/// Prints each delete pattern's requests in both layouts, cleanup included,
/// then the findings about deletes.
fn check(d: &Design, expect: Expect) {
    let analysis = analyze(d);
    let mut text = String::new();
    for q in &analysis.mongo.queries {
        if !q.operation.starts_with("delete") {
            continue;
        }
        text.push_str(&format!("mongo {}: {}\n", q.pattern, q.shell));
        for c in &q.cleanup {
            text.push_str(&format!(
                "  cleanup {} on {} {} (index {})\n",
                c.operation,
                c.collection,
                c.filter,
                c.index.as_deref().unwrap_or("none")
            ));
        }
    }
    for r in &analysis.dynamo.requests {
        if !d
            .access_patterns
            .iter()
            .any(|p| p.name == r.pattern && p.kind == schemaplay_core::PatternKind::Delete)
        {
            continue;
        }
        text.push_str(&format!("dynamo {}: {}\n", r.pattern, r.operation));
        for c in &r.cleanup {
            text.push_str(&format!(
                "  cleanup {} {} items={} ({})\n",
                c.operation,
                c.input["input"],
                c.items,
                c.flag.as_deref().unwrap_or("")
            ));
        }
    }
    for f in analysis
        .findings
        .iter()
        .filter(|f| f.id.starts_with("delete-"))
    {
        text.push_str(&format!("{} [{}] {f}\n", f.severity, f.id));
    }
    expect.assert_eq(&text);
}

#[test]
fn deleting_a_user_deletes_their_posts_in_both_layouts() {
    let d = example("user-app");
    check(
        &d,
        expect![[r#"
            mongo Delete user: db.users.deleteOne({ _id: ObjectId('507f1f77bcf86cd799439011') })
            // then the posts of the user (authorId references it; their comments are inside them and go with them)
            db.posts.deleteMany({ authorId: ObjectId('507f1f77bcf86cd799439011') })
              cleanup deleteMany on posts {"authorId":{"$oid":"507f1f77bcf86cd799439011"}} (index authorId_1_createdAt_-1__id_-1)
            dynamo Delete user: GetItem
              cleanup Query {"TableName":"app-data","IndexName":"GSI1","KeyConditionExpression":"GSI1PK = :pk AND begins_with(GSI1SK, :sk)","ExpressionAttributeValues":{":pk":{"S":"USER#507f1f77bcf86cd799439011"},":sk":{"S":"POST#"}}} items=20 (deleting a user deletes its posts (GSI1 finds them by their user: a Query of it, every page through LastEvaluatedKey), then each one found)
              cleanup BatchWriteItem {"RequestItems":{"app-data":[{"DeleteRequest":{"Key":{"PK":{"S":"POST#63b0cd0019a722d826000000"},"SK":{"S":"METADATA"}}}}]}} items=20 (the posts found, 25 keys a BatchWriteItem (with their marker items); what comes back in UnprocessedItems is sent again until nothing does)
        "#]],
    );
}

#[test]
fn a_kept_relationship_cleans_up_nothing_and_says_so() {
    let mut d = example("user-app");
    d.relationships[0].on_delete = Some(OnDelete::Keep);
    check(
        &d,
        expect![[r#"
            mongo Delete user: db.users.deleteOne({ _id: ObjectId('507f1f77bcf86cd799439011') })
            dynamo Delete user: GetItem
            info [delete-keeps-children] accessPatterns[8]: deleting a user leaves its posts behind on purpose (relationships[0] keeps them): they still name the deleted user; say onDelete "cascade" to delete them with it
        "#]],
    );
}

#[test]
fn children_in_their_parents_item_collection_are_found_by_its_key() {
    let d = design(
        r#"{"name": "Room", "fields": [{"name": "roomId", "type": "string", "required": true}, {"name": "title", "type": "string"}], "volume": 1000},
           {"name": "Message", "fields": [{"name": "messageId", "type": "string", "required": true}, {"name": "roomId", "type": {"ref": "Room"}, "required": true}, {"name": "sentAt", "type": "date"}], "volume": 100000}"#,
        r#"{"from": "Room", "to": "Message", "cardinality": "oneToMany", "expectedCount": 100, "field": "roomId"}"#,
        r#"{"name": "Get room", "entity": "Room", "kind": "getOne", "equality": ["roomId"], "requestsPerSecond": 1},
           {"name": "Messages of a room", "entity": "Message", "kind": "list", "equality": ["roomId"], "sort": {"field": "sentAt", "order": "desc"}, "requestsPerSecond": 1},
           {"name": "Delete room", "entity": "Room", "kind": "delete", "equality": ["roomId"], "requestsPerSecond": 1}"#,
    );
    check(
        &d,
        expect![[r#"
        mongo Delete room: db.rooms.deleteOne({ _id: 'room-1' })
        // then the messages of the room (roomId references it)
        db.messages.deleteMany({ roomId: 'room-1' })
          cleanup deleteMany on messages {"roomId":"room-1"} (index roomId_1_sentAt_-1)
        dynamo Delete room: DeleteItem
          cleanup Query {"TableName":"app-data","KeyConditionExpression":"PK = :pk AND begins_with(SK, :sk)","ExpressionAttributeValues":{":pk":{"S":"ROOM#room-1"},":sk":{"S":"MESSAGE#"}}} items=100 (deleting a room deletes its messages (they live in the room's item collection: a Query on its partition key, every page through LastEvaluatedKey), then each one found)
          cleanup BatchWriteItem {"RequestItems":{"app-data":[{"DeleteRequest":{"Key":{"PK":{"S":"ROOM#room-1"},"SK":{"S":"MESSAGE#2025-08-11T01:11:04.000Z#message-1"}}}},{"DeleteRequest":{"Key":{"PK":{"S":"MESSAGE_MESSAGE_ID#message-1"},"SK":{"S":"MESSAGE_MESSAGE_ID#message-1"}}}}]}} items=200 (the messages found, 25 keys a BatchWriteItem (with their marker items); what comes back in UnprocessedItems is sent again until nothing does)
    "#]],
    );
}
