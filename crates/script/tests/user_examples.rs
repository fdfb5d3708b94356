//! Every snippet of the user's examples (shared/examples/user-examples.md), pasted verbatim:
//! the three documents and the whole mongoose block, and the whole lib-dynamodb block.

mod common;

use expect_test::expect;

/// The text of `text` from the first `from` up to the first `to` after it (to the end when
/// there is none).
fn between(text: &str, from: &str, to: &str) -> String {
    let start = text.find(from).unwrap_or(0);
    let end = text
        .get(start..)
        .and_then(|t| t.find(to))
        .map_or(text.len(), |i| start + i);
    text.get(start..end).unwrap_or("").to_string()
}

const EXAMPLES: &str = include_str!("../../../../shared/examples/user-examples.md");

/// The MongoDB part of the examples file, exactly as the user wrote it.
fn snippet() -> String {
    between(EXAMPLES, "// User document", "// Single table design")
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

/// The DynamoDB part of the examples file, exactly as the user wrote it: from the SDK's first
/// import to the last `client.send(...)`, the three prose lines about the GSI included.
fn dynamo_snippet() -> String {
    let from = EXAMPLES.find("import { DynamoDBClient }").unwrap_or(0);
    let last = EXAMPLES.rfind("await client.send(").unwrap_or(from);
    let end = EXAMPLES
        .get(last..)
        .and_then(|t| t.find("}))"))
        .map_or(EXAMPLES.len(), |i| last + i + 3);
    EXAMPLES.get(from..end).unwrap_or("").to_string()
}

/// The statements between two comments of the DynamoDB snippet.
fn dynamo_part(from: &str, to: &str) -> String {
    between(&dynamo_snippet(), from, to)
}

#[test]
fn the_users_dynamodb_examples_run_verbatim() {
    let mut host = common::app_data();
    let out = common::render(&dynamo_snippet(), &mut host);
    expect![[r#"
        1: -
        2: -
        9: -
        10: -
        12: {}
        22: {"Item":{"PK":"USER#123","SK":"PROFILE","email":"john@example.com","name":"John Doe"}}
        27: {"Items":[{"PK":"USER#123","SK":"POST#456","content":"First post","title":"Hello"}],"Count":1,"ScannedCount":1}
        36: {}
        44: ! ConditionalCheckFailedException: The conditional request failed @44:14
        55: ! SyntaxError: `GSI:` starts a label, and labels are outside the supported subset of JavaScript; if this line is prose, comment it out with // @55:1
        56: ! SyntaxError: Unexpected identifier 'Key': a statement cannot start with two names (`Partition Key`); if this line is prose, comment it out with // @56:11
        57: ! SyntaxError: Unexpected identifier 'Key': a statement cannot start with two names (`Sort Key`); if this line is prose, comment it out with // @57:6
        58: {"Items":[{"PK":"USER#123","SK":"PROFILE","email":"john@example.com","name":"Jane Doe"}],"Count":1,"ScannedCount":1}
    "#]]
    .assert_eq(&out);
}

#[test]
fn the_conditional_update_succeeds_once_the_balance_exists() {
    let mut host = common::app_data();
    common::render(&dynamo_snippet(), &mut host);
    let setup = dynamo_part("import { DynamoDBClient }", "// Put item");
    let conditional = dynamo_part("// Conditional update", "// Query by email");
    let script = format!(
        "{setup}
await client.send(new UpdateCommand({{ TableName: TABLE, Key: {{ PK: 'USER#123', SK: 'PROFILE' }}, UpdateExpression: 'SET balance = :zero', ExpressionAttributeValues: {{ ':zero': 0 }} }}))
{conditional}
await client.send(new GetCommand({{ TableName: TABLE, Key: {{ PK: 'USER#123', SK: 'PROFILE' }}, ProjectionExpression: 'balance' }}))"
    );
    let out = common::render(&script, &mut host);
    expect![[r#"
        1: -
        2: -
        9: -
        10: -
        12: {}
        14: {}
        25: {"Item":{"balance":100}}
    "#]]
    .assert_eq(&out);
}
