//! Every MongoDB snippet of the user's examples (shared/examples/user-examples.md), pasted
//! verbatim: the three documents and the whole mongoose block.

mod common;

use expect_test::expect;

/// The MongoDB part of the examples file, exactly as the user wrote it.
fn snippet() -> String {
    let text = include_str!("../../../../shared/examples/user-examples.md");
    let start = text.find("// User document").unwrap_or(0);
    let end = text.find("// Single table design").unwrap_or(text.len());
    text.get(start..end).unwrap_or("").to_string()
}

#[test]
fn the_users_mongodb_examples_run_verbatim() {
    let mut host = common::seeded();
    let out = common::render(&snippet(), &mut host);
    expect![[r#"
        2: {"_id":{"$oid":"507f1f77bcf86cd799439011"},"email":"john@example.com","name":"John Doe","profile":{"age":30,"city":"NYC"},"tags":["developer","nodejs"],"createdAt":{"$date":"2024-01-01T00:00:00Z"}}
        15: {"_id":1,"title":"Post","comments":[{"author":"Alice","text":"Great!"},{"author":"Bob","text":"Thanks!"}]}
        24: warning ObjectId("...") is a documentation placeholder: the console generated ObjectId("659200805c68656d61000001") in its place (mongosh would throw BSONError: input must be a 24 character hex string, 12 byte Uint8Array, or an integer)
        24: {"_id":1,"title":"Post","authorId":{"$oid":"659200805c68656d61000001"}}
        29: -
        30: -
        40: -
        42: {"_id":{"$oid":"659200805c68656d61000002"},"email":"john@example.com","name":"John Doe","profile":{"age":30,"city":"NYC"},"tags":[],"createdAt":{"$date":"2024-01-01T00:00:00Z"},"__v":0}
        48: [{"_id":{"$oid":"507f1f77bcf86cd799439011"},"email":"ann@example.com","name":"Ann Lee","profile":{"age":41,"city":"NYC","bio":"Backend developer who loves nodejs"},"tags":["developer","nodejs"],"createdAt":{"$date":"2024-01-01T00:00:00Z"}},{"_id":{"$oid":"507f1f77bcf86cd799439012"},"email":"jane@example.com","name":"Jane Roe","profile":{"age":27,"city":"NYC","bio":"Designer"},"tags":["design"],"createdAt":{"$date":"2024-02-01T00:00:00Z"}},{"_id":{"$oid":"659200805c68656d61000002"},"email":"john@example.com","name":"John Doe","profile":{"age":30,"city":"NYC"},"tags":[],"createdAt":{"$date":"2024-01-01T00:00:00Z"},"__v":0}]
        49: {"_id":{"$oid":"659200805c68656d61000002"},"email":"john@example.com","name":"John Doe","profile":{"age":30,"city":"NYC"},"tags":[],"createdAt":{"$date":"2024-01-01T00:00:00Z"},"__v":0}
        51: {"acknowledged":true,"modifiedCount":1,"upsertedId":null,"upsertedCount":0,"matchedCount":1}
        56: {"acknowledged":true,"deletedCount":1}
        58: [{"_id":"NYC","count":2}]
        63: warning [MONGOOSE] Warning: Duplicate schema index on {"email":1} found. This is often due to declaring an index using both "index: true" and "schema.index()". Please remove the duplicate index definition.
        63: -
        65: -
        67: -
        68: [{"_id":{"$oid":"507f1f77bcf86cd799439011"},"email":"ann@example.com","name":"Ann Lee","profile":{"age":41,"city":"NYC","bio":"Backend developer who loves nodejs"},"tags":["developer","nodejs"],"createdAt":{"$date":"2024-01-01T00:00:00Z"}},{"_id":{"$oid":"507f1f77bcf86cd799439013"},"email":"bo@example.com","name":"Bo Chen","profile":{"age":35,"city":"Paris","bio":"Python developer"},"tags":["developer","python"],"createdAt":{"$date":"2024-03-01T00:00:00Z"}}]
        70: warning [MONGOOSE] Warning: Duplicate schema index on {"email":1} found. This is often due to declaring an index using both "index: true" and "schema.index()". Please remove the duplicate index definition.
        70: -
    "#]]
    .assert_eq(&out);
}

#[test]
fn the_examples_leave_the_indexes_mongoose_builds() {
    let mut host = common::seeded();
    common::render(&snippet(), &mut host);
    let out = common::render("db.users.getIndexes()\ndb.users.find({ email: 'john@example.com' }, { _id: 0, email: 1 })\nawait db.users.insertOne({ email: 'john@example.com' })", &mut host);
    expect![[r#"
        1: [{"v":2,"key":{"_id":1},"name":"_id_"},{"v":2,"key":{"email":1},"name":"email_1","unique":true},{"v":2,"key":{"profile.city":1,"createdAt":-1},"name":"profile.city_1_createdAt_-1"},{"v":2,"key":{"_fts":"text","_ftsx":1},"name":"name_text_profile.bio_text","weights":{"name":1,"profile.bio":1},"default_language":"english","language_override":"language","textIndexVersion":3}]
        2: [{"email":"john@example.com"}]
        3: ! MongoServerError[DuplicateKey]: E11000 duplicate key error collection: test.users index: email_1 dup key: { email: "john@example.com" } @3:16
    "#]]
    .assert_eq(&out);
}
