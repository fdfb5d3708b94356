//! The script console through the playground's API: each statement's outcome typed as the
//! page shows it, the `<entity>Id` names, errors at their line and column.

mod common;

use expect_test::{expect, Expect};
use schemaplay_core::examples;
use schemaplay_playground::{
    Playground, Reply, Request, ScriptAnswer, ScriptCall, ScriptResult, StatementOutcome,
};

fn user_app(per_entity: u64) -> Playground {
    let design = examples::get("user-app")
        .map(|e| e.design)
        .unwrap_or_default();
    let mut playground = Playground::new(design);
    playground.generate(per_entity, 7, &mut |_| {});
    playground
}

/// One line per statement: its lines, then what it shows in brief.
fn brief(outcome: &StatementOutcome) -> String {
    let lines = if outcome.line == outcome.end_line {
        format!("{}", outcome.line)
    } else {
        format!("{}-{}", outcome.line, outcome.end_line)
    };
    let shown = match (&outcome.result, &outcome.error) {
        (_, Some(e)) => format!("error at {}:{}: {}", e.line, e.column, e.message),
        (None, None) => "nothing".to_string(),
        (Some(ScriptResult::Mongo(a)), None) => common::mongo(a),
        (Some(ScriptResult::Dynamo(a)), None) => format!(
            "{} (first {})",
            common::dynamo(a),
            a.rows
                .first()
                .and_then(|r| r.get("PK"))
                .map_or("none".to_string(), |pk| pk.to_string())
        ),
        (Some(ScriptResult::Value(v)), None) => format!("value {v}"),
    };
    let warnings: String = outcome
        .warnings
        .iter()
        .map(|w| format!("\n    warning: {w}"))
        .collect();
    format!("{lines}: {shown}{warnings}")
}

fn show(answer: &ScriptAnswer) -> String {
    let mut out: Vec<String> = answer.outcomes.iter().map(brief).collect();
    out.push(format!("{} failed", answer.failed));
    out.join("\n")
}

fn check(playground: &mut Playground, source: &str, expect: Expect) {
    let reply = playground.handle(
        Request::Script(ScriptCall {
            source: source.to_string(),
        }),
        &mut |_| {},
    );
    match reply {
        Reply::Script(answer) => expect.assert_eq(&show(&answer)),
        other => panic!("a script is answered Script, not {other:?}"),
    }
}

#[test]
fn each_statement_has_its_typed_outcome() {
    let mut playground = user_app(10);
    check(
        &mut playground,
        r#"const TABLE = 'app-data'
db.users.find({ email: 'john@example.com' }, { email: 1 })
db.users.find({ email: 'john@example.com' }).explain('executionStats')
const n = db.users.countDocuments()
db.users.aggregate([
  { $group: { _id: null, n: { $sum: 1 } } }
]).explain()
const users = await db.users.find().toArray()
users.length
{ 'profile.city': 'NYC' }
db.users.updateOne({ _id: userId }, { $set: { 'profile.age': 31 } })
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb'
const low = new DynamoDBClient({})
const client = DynamoDBDocumentClient.from(low)
const got = await low.send(new GetItemCommand({
  TableName: TABLE,
  Key: { PK: { S: `USER#${userId}` }, SK: { S: 'PROFILE' } }
}))
const posts = await client.send(new QueryCommand({
  TableName: TABLE,
  KeyConditionExpression: 'PK = :pk',
  ExpressionAttributeValues: { ':pk': `USER#${userId}` },
  ReturnConsumedCapacity: 'TOTAL'
}))
posts.Items[0].email
aws dynamodb scan --table-name app-data --max-items 2
db.users.insertOne({ _id: userId })
nobody.find()
for (const u of users) {}"#,
        expect![[r#"
            1: nothing
            2: mongo: 1 rows []
            3: mongo: 0 rows [], plan FETCH <- IXSCAN email_1 keys Some(1) docs Some(1) returned Some(1)
            4: mongo: 0 rows ["count 10"]
            5-7: mongo: 0 rows [], plan COLLSCAN keys None docs None returned None
            8: mongo: 10 rows []
            9: value 10
            10: value {"profile.city":"NYC"}
            11: mongo: 0 rows ["matchedCount 1", "modifiedCount 1", "upsertedCount 0"]
            12: nothing
            13: nothing
            14: nothing
            15: nothing
            16-19: dynamo: 1 rows, count None, scanned None, capacity None, next page false (first "USER#507f1f77bcf86cd799439011")
            20-25: dynamo: 1 rows, count Some(1), scanned Some(1), capacity Some(0.5), next page false (first "USER#507f1f77bcf86cd799439011")
            26: value "john@example.com"
            27: dynamo: 2 rows, count Some(28), scanned Some(28), capacity None, next page false (first "POST#63b0cd0019a722d820000000")
            28: error at 28:10: MongoServerError[DuplicateKey]: E11000 duplicate key error collection: test.users index: _id_ dup key: { _id: ObjectId('507f1f77bcf86cd799439011') }
            29: error at 29:1: ReferenceError: nobody is not defined
            30: nothing
            2 failed"#]],
    );
}

#[test]
fn the_id_names_follow_the_first_document() {
    let mut playground = user_app(0);
    assert_eq!(playground.script_names(), vec![]);
    check(
        &mut playground,
        "userId\ndb.users.countDocuments()\n\
         db.users.insertOne({ _id: 7, email: 'a@b.c' })\nuserId",
        expect![[r#"
            1: error at 1:1: ReferenceError: userId is not defined: it names the _id of the first document in users, which has none yet
            2: mongo: 0 rows ["count 0"]
            3: mongo: 0 rows ["insertedId 7"]
            4: value 7
            1 failed"#]],
    );
    let mut playground = user_app(3);
    let names: Vec<String> = playground
        .script_names()
        .into_iter()
        .map(|(name, value)| format!("{name} = {value}"))
        .collect();
    expect![[r#"
        userId = {"$oid":"507f1f77bcf86cd799439011"}
        postId = {"$oid":"63b0cd0019a722d820000000"}"#]]
    .assert_eq(&names.join("\n"));
    check(
        &mut playground,
        "postId",
        expect![[r#"
        1: value {"$oid":"63b0cd0019a722d820000000"}
        0 failed"#]],
    );
}

/// A script's answer crosses the worker as a serde value and reads back as it was.
#[test]
fn a_script_answer_reads_back_as_written() {
    let mut playground = user_app(5);
    let answer = playground.run_script(
        "db.users.find().limit(2)\ndb.users.find().explain()\n\
         aws dynamodb get-item --table-name app-data --key '{\"PK\": {\"S\": \"x\"}, \"SK\": {\"S\": \"y\"}}'\n\
         1 + 1\noops(",
    );
    assert_eq!(answer.outcomes.len(), 5);
    let reply = Reply::Script(answer);
    let back = serde_json::to_value(&reply).and_then(serde_json::from_value::<Reply>);
    assert_eq!(back.ok(), Some(reply));
}
