//! Shared by the integration tests: runs a script and renders every outcome on one line.
// Each test binary uses part of this module.
#![allow(dead_code)]

use schemaplay_script::{run, Host};

/// One line per statement: `L: result`, `L: -` (shows nothing) or `L: ! message @line:col`,
/// with warnings on their own lines.
pub fn render(source: &str, host: &mut Host) -> String {
    let mut out = String::new();
    for o in run(source, host) {
        for w in &o.warnings {
            out.push_str(&format!("{}: warning {w}\n", o.line));
        }
        match o.result {
            Ok(Some(v)) => out.push_str(&format!("{}: {v}\n", o.line)),
            Ok(None) => out.push_str(&format!("{}: -\n", o.line)),
            Err(e) => out.push_str(&format!(
                "{}: ! {} @{}:{}\n",
                o.line, e.message, e.line, e.column
            )),
        }
    }
    out
}

/// The user's example users, as the playground would have generated them.
pub fn seeded() -> Host {
    let mut host = Host::default();
    let seed = r#"
db.users.insertMany([
  { _id: ObjectId("507f1f77bcf86cd799439011"), email: "ann@example.com", name: "Ann Lee",
    profile: { age: 41, city: "NYC", bio: "Backend developer who loves nodejs" },
    tags: ["developer", "nodejs"], createdAt: ISODate("2024-01-01T00:00:00Z") },
  { _id: ObjectId("507f1f77bcf86cd799439012"), email: "jane@example.com", name: "Jane Roe",
    profile: { age: 27, city: "NYC", bio: "Designer" },
    tags: ["design"], createdAt: ISODate("2024-02-01T00:00:00Z") },
  { _id: ObjectId("507f1f77bcf86cd799439013"), email: "bo@example.com", name: "Bo Chen",
    profile: { age: 35, city: "Paris", bio: "Python developer" },
    tags: ["developer", "python"], createdAt: ISODate("2024-03-01T00:00:00Z") }
])
"#;
    let out = run(seed, &mut host);
    assert!(out.iter().all(|o| o.result.is_ok()), "{out:?}");
    host.define(
        "userId",
        bson::Bson::ObjectId(
            bson::oid::ObjectId::parse_str("507f1f77bcf86cd799439012").unwrap_or_default(),
        ),
    );
    host
}

/// A host whose DynamoDB has the user's single table: `app-data` with `PK`/`SK` and the
/// `EmailIndex` GSI on `email`, made by the SDK's CreateTable, and one post of user 123.
pub fn app_data() -> Host {
    let mut host = Host::default();
    let setup = r#"
import { DynamoDBClient, CreateTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
const ddb = new DynamoDBClient({})
await ddb.send(new CreateTableCommand({
  TableName: 'app-data',
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'PK', AttributeType: 'S' },
    { AttributeName: 'SK', AttributeType: 'S' },
    { AttributeName: 'email', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'PK', KeyType: 'HASH' },
    { AttributeName: 'SK', KeyType: 'RANGE' },
  ],
  GlobalSecondaryIndexes: [{
    IndexName: 'EmailIndex',
    KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }],
    Projection: { ProjectionType: 'ALL' },
  }],
}))
await ddb.send(new PutItemCommand({
  TableName: 'app-data',
  Item: { PK: { S: 'USER#123' }, SK: { S: 'POST#456' }, title: { S: 'Hello' }, content: { S: 'First post' } },
}))
"#;
    let out = run(setup, &mut host);
    assert!(out.iter().all(|o| o.result.is_ok()), "{out:?}");
    host
}
