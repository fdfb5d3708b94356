//! What an outcome says besides its result: the lines a statement spans, the database it ran
//! an operation on, and whether its result is that operation's own answer (and of what kind).

mod common;

use expect_test::{expect, Expect};
use schemaplay_script::{run, Answer};

fn check(source: &str, expect: Expect) {
    let mut host = common::app_data();
    let lines: Vec<String> = run(source, &mut host)
        .iter()
        .map(|o| {
            let answer = match o.answer {
                None => "-".to_string(),
                Some(Answer::Mongo) => "mongo".to_string(),
                Some(Answer::MongoPlan) => "mongo plan".to_string(),
                Some(Answer::Dynamo { plain }) => format!("dynamo plain={plain}"),
            };
            let failed = if o.result.is_err() { " failed" } else { "" };
            format!(
                "{}-{}: ran on {:?}, answer {answer}{failed}",
                o.line, o.end_line, o.database
            )
        })
        .collect();
    expect.assert_eq(&lines.join("\n"));
}

#[test]
fn outcomes_say_what_ran_and_what_the_result_is() {
    check(
        r#"const TABLE = 'app-data'
db.users.insertMany([{ a: 1 }, { a: 2 }])
db.users.find({ a: { $gt: 0 } })
  .sort({ a: -1 })
  .limit(1)
db.users.find().explain()
db.users.aggregate([{ $match: {} }], { explain: true })
db.users.explain().count({ a: 1 })
const all = await db.users.find().toArray()
all.length
db.users.countDocuments()
const { DynamoDBClient, GetItemCommand } = require('@aws-sdk/client-dynamodb')
const { DynamoDBDocumentClient, GetCommand } = require('@aws-sdk/lib-dynamodb')
const low = new DynamoDBClient({})
await low.send(new GetItemCommand({ TableName: TABLE, Key: { PK: { S: 'USER#123' }, SK: { S: 'POST#456' } } }))
const doc = DynamoDBDocumentClient.from(low)
const got = await doc.send(new GetCommand({
  TableName: TABLE,
  Key: { PK: 'USER#123', SK: 'POST#456' }
}))
got.Item
aws dynamodb get-item --table-name app-data \
  --key '{"PK": {"S": "USER#123"}, "SK": {"S": "POST#456"}}'
const AWS = require('aws-sdk')
await new AWS.DynamoDB.DocumentClient().get({ TableName: TABLE, Key: { PK: 'USER#123', SK: 'POST#456' } }).promise()
await new AWS.DynamoDB().getItem({ TableName: TABLE, Key: { PK: { S: 'USER#123' }, SK: { S: 'POST#456' } } }).promise()
db.users.insertOne({ _id: 1 }); db.users.insertOne({ _id: 1 })
`a
b`;
({ a: 1,
   b: 2 })"#,
        expect![[r#"
            1-1: ran on None, answer -
            2-2: ran on Some(Mongo), answer mongo
            3-5: ran on Some(Mongo), answer mongo
            6-6: ran on Some(Mongo), answer mongo plan
            7-7: ran on Some(Mongo), answer mongo plan
            8-8: ran on Some(Mongo), answer mongo plan
            9-9: ran on Some(Mongo), answer mongo
            10-10: ran on None, answer -
            11-11: ran on Some(Mongo), answer mongo
            12-12: ran on None, answer -
            13-13: ran on None, answer -
            14-14: ran on None, answer -
            15-15: ran on Some(Dynamo), answer dynamo plain=false
            16-16: ran on None, answer -
            17-20: ran on Some(Dynamo), answer dynamo plain=true
            21-21: ran on None, answer -
            22-23: ran on Some(Dynamo), answer dynamo plain=false
            24-24: ran on None, answer -
            25-25: ran on Some(Dynamo), answer dynamo plain=true
            26-26: ran on Some(Dynamo), answer dynamo plain=false
            27-27: ran on Some(Mongo), answer mongo
            27-27: ran on None, answer - failed
            28-29: ran on None, answer -
            30-31: ran on None, answer -"#]],
    );
}
