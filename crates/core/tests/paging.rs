//! The next page of a list in both layouts, rendered from the page before
//! (`MongoContext::next_page`, `DynamoContext::next_page`): keyset paging on
//! the sort field and `_id`, and the same Query from the `LastEvaluatedKey`.

mod common;

use common::{example as design, pattern, record, text};
use expect_test::{expect, Expect};
use schemaplay_core::dynamo::DynamoContext;
use schemaplay_core::mongo::{Args, MongoContext};
use schemaplay_core::sample::Val;
use schemaplay_core::Design;
use serde_json::{json, Value};

fn check_mongo(d: &Design, name: &str, args: &Val, last: Value, expect: Expect) {
    let ctx = MongoContext::new(d);
    let out = match ctx.next_page(&pattern(d, name), Args::new(args), &last) {
        Some(q) => format!(
            "filter: {}\nsort: {}\nlimit: {:?}\nindex: {:?}\n{}",
            q.filter,
            q.sort.unwrap_or_default(),
            q.limit,
            q.index,
            q.shell
        ),
        None => "none".to_string(),
    };
    expect.assert_eq(&out);
}

fn author() -> Val {
    record(&[("authorId", text("u-1"))])
}

#[test]
fn mongo_the_first_page_of_a_paged_list_sorts_on_id_too() {
    let d = design("user-app");
    let q =
        MongoContext::new(&d).query_for(&pattern(&d, "List a user's posts"), Args::new(&author()));
    let out = q.map(|q| format!("{}\n{}", q.sort.unwrap_or_default(), q.shell));
    expect![[r#"
        {"createdAt":-1,"_id":-1}
        db.posts.find({ authorId: 'u-1' }).sort({ createdAt: -1, _id: -1 }).limit(20)"#]]
    .assert_eq(&out.unwrap_or_default());
}

#[test]
fn mongo_descending_next_page_starts_after_the_last_document() {
    let d = design("user-app");
    let last =
        json!({"_id": "p-9", "authorId": "u-1", "createdAt": {"$date": "2026-01-02T00:00:00Z"}});
    check_mongo(
        &d,
        "List a user's posts",
        &author(),
        last,
        expect![[r#"
            filter: {"authorId":"u-1","$or":[{"createdAt":{"$lt":{"$date":"2026-01-02T00:00:00Z"}}},{"createdAt":{"$date":"2026-01-02T00:00:00Z"},"_id":{"$lt":"p-9"}},{"createdAt":null}]}
            sort: {"createdAt":-1,"_id":-1}
            limit: Some(20)
            index: Some("authorId_1_createdAt_-1__id_-1")
            db.posts.find({ authorId: 'u-1', $or: [{ createdAt: { $lt: last.createdAt } }, { createdAt: last.createdAt, _id: { $lt: last._id } }, { createdAt: null }] }).sort({ createdAt: -1, _id: -1 }).limit(20)"#]],
    );
}

#[test]
fn mongo_after_a_missing_sort_value_only_the_nulls_are_left_in_descending_order() {
    let d = design("user-app");
    check_mongo(
        &d,
        "List a user's posts",
        &author(),
        json!({"_id": "p-9", "authorId": "u-1"}),
        expect![[r#"
            filter: {"authorId":"u-1","createdAt":null,"_id":{"$lt":"p-9"}}
            sort: {"createdAt":-1,"_id":-1}
            limit: Some(20)
            index: Some("authorId_1_createdAt_-1__id_-1")
            db.posts.find({ authorId: 'u-1', createdAt: null, _id: { $lt: last._id } }).sort({ createdAt: -1, _id: -1 }).limit(20)"#]],
    );
}

#[test]
fn mongo_ascending_with_a_range_on_the_sort_field_keeps_both() {
    let d = design("iot");
    let args = record(&[("deviceId", text("d-1")), ("ts", text("2026-01-01"))]);
    check_mongo(
        &d,
        "Readings of a device in a time range",
        &args,
        json!({"_id": 7, "ts": 5}),
        expect![[r#"
            filter: {"deviceId":"d-1","ts":{"$gte":"2026-01-01"},"$or":[{"ts":{"$gt":5}},{"ts":5,"_id":{"$gt":7}}]}
            sort: {"ts":1,"_id":1}
            limit: Some(500)
            index: Some("deviceId_1_ts_-1__id_-1")
            db.readings.find({ deviceId: 'd-1', ts: { $gte: '2026-01-01' }, $or: [{ ts: { $gt: last.ts } }, { ts: last.ts, _id: { $gt: last._id } }] }).sort({ ts: 1, _id: 1 }).limit(500)"#]],
    );
}

#[test]
fn mongo_an_unsorted_paged_list_pages_on_id() {
    let d = design("saas");
    check_mongo(
        &d,
        "Members of a tenant",
        &record(&[("tenantId", text("t-1"))]),
        json!({"_id": "m-3", "tenantId": "t-1"}),
        expect![[r#"
            filter: {"tenantId":"t-1","_id":{"$gt":"m-3"}}
            sort: {"_id":1}
            limit: Some(100)
            index: Some("tenantId_1__id_1")
            db.members.find({ tenantId: 't-1', _id: { $gt: last._id } }).sort({ _id: 1 }).limit(100)"#]],
    );
}

#[test]
fn mongo_no_next_page_for_other_patterns_or_without_an_id() {
    let d = design("user-app");
    let ctx = MongoContext::new(&d);
    let r = record(&[("email", text("a@b.c"))]);
    let get = ctx.next_page(
        &pattern(&d, "Find user by email"),
        Args::new(&r),
        &json!({"_id": "u"}),
    );
    let no_id = ctx.next_page(
        &pattern(&d, "List a user's posts"),
        Args::new(&author()),
        &json!({}),
    );
    assert_eq!((get, no_id), (None, None));
}

#[test]
fn dynamo_next_page_is_the_same_query_from_the_last_evaluated_key() {
    let d = design("user-app");
    let ctx = DynamoContext::new(&d);
    let p = pattern(&d, "List a user's posts");
    let lek = json!({"PK": {"S": "USER#u-1"}, "SK": {"S": "POST#2026#p-9"}});
    let next = ctx.next_page(
        &p,
        Args::new(&author()),
        &json!({"Items": [], "LastEvaluatedKey": lek}),
    );
    let first = ctx.request_for(&p, Args::new(&author()));
    let (Some(next), Some(first)) = (next, first) else {
        panic!("no request");
    };
    let mut without = next.input.clone();
    if let Some(input) = without["input"].as_object_mut() {
        input.remove("ExclusiveStartKey");
    }
    assert_eq!(without, first.input, "the next page is the same Query");
    expect![[r#"
        {"PK":{"S":"USER#u-1"},"SK":{"S":"POST#2026#p-9"}}
        // List a user's posts
        const listAUserSPosts = await client.send(new QueryCommand({
          TableName: TABLE,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :sk)',
          ExpressionAttributeValues: { ':pk': 'USER#u-1', ':sk': 'POST#' },
          ScanIndexForward: false,
          Limit: 20,
          ExclusiveStartKey: { PK: 'USER#u-1', SK: 'POST#2026#p-9' }
        }))"#]]
    .assert_eq(&format!(
        "{}\n{}",
        next.input["input"]["ExclusiveStartKey"], next.sdk
    ));
}

#[test]
fn dynamo_no_next_page_after_the_last_or_for_other_patterns() {
    let d = design("user-app");
    let ctx = DynamoContext::new(&d);
    let p = pattern(&d, "List a user's posts");
    let last = ctx.next_page(&p, Args::new(&author()), &json!({"Items": []}));
    let r = record(&[("email", text("a@b.c"))]);
    let lek = json!({"LastEvaluatedKey": {"PK": {"S": "x"}}});
    let get = ctx.next_page(&pattern(&d, "Find user by email"), Args::new(&r), &lek);
    assert_eq!((last.is_none(), get.is_none()), (true, true));
}

#[test]
fn mongosh_of_a_paged_list_reads_the_next_page_after_the_last_document() {
    let d = design("user-app");
    let script = schemaplay_core::export::mongosh_pattern(&d, "List a user's posts", 1);
    expect![[r#"
        // List a user's posts
        const page = db.posts.find({ authorId: ObjectId('507f1f77bcf86cd799439011') }).sort({ createdAt: -1, _id: -1 }).limit(20).toArray()
        // the next page: keyset on the index, after the last document of this one; a page of fewer than 20 is the last
        const last = page[page.length - 1]
        page.length < 20 ? `no next page: this page holds ${page.length} of 20 documents, it is the last` : db.posts.find({ authorId: ObjectId('507f1f77bcf86cd799439011'), $or: [{ createdAt: { $lt: last.createdAt } }, { createdAt: last.createdAt, _id: { $lt: last._id } }, { createdAt: null }] }).sort({ createdAt: -1, _id: -1 }).limit(20)
    "#]].assert_eq(&script.unwrap_or_default());
    let get = schemaplay_core::export::mongosh_pattern(&d, "Find user by email", 1);
    assert!(get.is_some_and(|s| !s.contains("last")));
}
