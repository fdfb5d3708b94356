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
              cleanup BatchWriteItem {"RequestItems":{"app-data":[{"DeleteRequest":{"Key":{"PK":{"S":"POST#63b0cd0019a722d826000000"},"SK":{"S":"METADATA"}}}}]}} items=20 (the posts found (with their marker items), 25 keys a BatchWriteItem; what comes back in UnprocessedItems is sent again until nothing does)
            info [delete-cleanup-not-atomic] accessPatterns[8]: deleting a user takes about 23 writes (22 KB) with what goes with it, and the cleanup runs in BatchWriteItems after the delete: not atomic, a failure between them, or an insert while it runs, leaves items naming the deleted user; they fit one TransactWriteItems (23 of 100 actions): read what goes with it first, then delete everything in one transaction (a child inserted after that read still escapes it). In MongoDB, run the deleteOne and its cleanup in one session.withTransaction to make them atomic
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
              cleanup BatchWriteItem {"RequestItems":{"app-data":[{"DeleteRequest":{"Key":{"PK":{"S":"ROOM#room-1"},"SK":{"S":"MESSAGE#2025-08-11T01:11:04.000Z#message-1"}}}},{"DeleteRequest":{"Key":{"PK":{"S":"MESSAGE_MESSAGE_ID#message-1"},"SK":{"S":"MESSAGE_MESSAGE_ID#message-1"}}}}]}} items=200 (the messages found (with their marker items), 25 keys a BatchWriteItem; what comes back in UnprocessedItems is sent again until nothing does)
            info [delete-cleanup-not-atomic] accessPatterns[2]: deleting a room takes about 201 writes (19 KB) with what goes with it, and the cleanup runs in BatchWriteItems after the delete: not atomic, a failure between them, or an insert while it runs, leaves items naming the deleted room; they are more than one TransactWriteItems holds (100 actions, 4 MB), so no DynamoDB request makes them atomic: delete the children before the room, so that a cleanup that fails can be run again from the room. In MongoDB, run the deleteOne and its cleanup in one session.withTransaction to make them atomic
        "#]],
    );
}

/// Many-to-many pairs go with either side: a deleted member's id is pulled from the projects'
/// `memberIds` (MongoDB), its link items found through the inverted index and deleted
/// (DynamoDB); a deleted project's array goes with its document, its link items are in its
/// partition. The records on the other side stay.
#[test]
fn a_deleted_records_many_to_many_pairs_go_with_it() {
    let d = example("saas");
    check(
        &d,
        expect![[r#"
            mongo Remove member: db.members.deleteOne({ _id: 'member-1' })
            // then the member pairs: projects hold its id in memberIds, pulled from each (the projects stay)
            db.projects.updateMany({ memberIds: 'member-1' }, { $pull: { memberIds: 'member-1' } })
              cleanup updateMany on projects {"memberIds":"member-1"} (index memberIds_1__id_1)
            mongo Delete project: db.projects.deleteOne({ _id: 'project-1' })
            // then the tasks of the project (projectId references it)
            db.tasks.deleteMany({ projectId: 'project-1' })
            // the project pairs are in its memberIds array: they go with its document
              cleanup deleteMany on tasks {"projectId":"project-1"} (index projectId_1_dueDate_1__id_1)
            dynamo Remove member: GetItem
              cleanup Query {"TableName":"tasks","IndexName":"GSI1","KeyConditionExpression":"GSI1PK = :pk AND begins_with(GSI1SK, :sk)","ExpressionAttributeValues":{":pk":{"S":"MEMBER#member-1"},":sk":{"S":"PROJECT#"}}} items=4 (deleting a member deletes its Project/Member link items, the pairs with projects (GSI1, the inverted index of the link items, finds them by the member: a Query of it, every page through LastEvaluatedKey), then each one found; the projects stay)
              cleanup BatchWriteItem {"RequestItems":{"tasks":[{"DeleteRequest":{"Key":{"PK":{"S":"PROJECT#project-1"},"SK":{"S":"MEMBER#member-1"}}}}]}} items=4 (the Project/Member link items, 25 keys a BatchWriteItem; what comes back in UnprocessedItems is sent again until nothing does)
            dynamo Delete project: DeleteItem
              cleanup Query {"TableName":"tasks","KeyConditionExpression":"PK = :pk AND begins_with(SK, :sk)","ExpressionAttributeValues":{":pk":{"S":"PROJECT#project-1"},":sk":{"S":"TASK#"}}} items=200 (deleting a project deletes its tasks (they live in the project's item collection: a Query on its partition key, every page through LastEvaluatedKey), then each one found)
              cleanup BatchWriteItem {"RequestItems":{"tasks":[{"DeleteRequest":{"Key":{"PK":{"S":"PROJECT#project-1"},"SK":{"S":"TASK#2023-02-01T08:25:58.000Z#task-1"}}}},{"DeleteRequest":{"Key":{"PK":{"S":"TASK_TASK_ID#task-1"},"SK":{"S":"TASK_TASK_ID#task-1"}}}}]}} items=400 (the tasks found (with their marker items), 25 keys a BatchWriteItem; what comes back in UnprocessedItems is sent again until nothing does)
              cleanup Query {"TableName":"tasks","KeyConditionExpression":"PK = :pk AND begins_with(SK, :sk)","ExpressionAttributeValues":{":pk":{"S":"PROJECT#project-1"},":sk":{"S":"MEMBER#"}}} items=8 (deleting a project deletes its Project/Member link items, the pairs with members (they are in the project's partition: a Query on it, every page through LastEvaluatedKey), then each one found; the members stay)
              cleanup BatchWriteItem {"RequestItems":{"tasks":[{"DeleteRequest":{"Key":{"PK":{"S":"PROJECT#project-1"},"SK":{"S":"MEMBER#member-1"}}}}]}} items=8 (the Project/Member link items, 25 keys a BatchWriteItem; what comes back in UnprocessedItems is sent again until nothing does)
            info [delete-cleanup-not-atomic] accessPatterns[11]: deleting a member takes about 6 writes (1 KB) with what goes with it, and the cleanup runs in BatchWriteItems after the delete: not atomic, a failure between them, or an insert while it runs, leaves items naming the deleted member; they fit one TransactWriteItems (6 of 100 actions): read what goes with it first, then delete everything in one transaction (a child inserted after that read still escapes it). In MongoDB, run the deleteOne and its cleanup in one session.withTransaction to make them atomic
            info [delete-cleanup-not-atomic] accessPatterns[12]: deleting a project takes about 409 writes (72 KB) with what goes with it, and the cleanup runs in BatchWriteItems after the delete: not atomic, a failure between them, or an insert while it runs, leaves items naming the deleted project; they are more than one TransactWriteItems holds (100 actions, 4 MB), so no DynamoDB request makes them atomic: delete the children before the project, so that a cleanup that fails can be run again from the project. In MongoDB, run the deleteOne and its cleanup in one session.withTransaction to make them atomic
        "#]],
    );
}
