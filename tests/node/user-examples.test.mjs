// The user's own examples (shared/examples/user-examples.md), through the wasm facade as
// JavaScript calls it: the MongoDB operations, the DynamoDB requests and the first example design.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { MongoSession, DynamoSession, Design, exampleDesigns, validateDesign, importDesign } =
  require('../../target/node-pkg/schemaplay_wasm.js');

const mongo = (session, request) => JSON.parse(session.execute(JSON.stringify(request)));

function usersSession() {
  const s = new MongoSession();
  mongo(s, { op: 'createIndex', collection: 'users', key: { email: 1 }, options: { unique: true } });
  mongo(s, { op: 'createIndex', collection: 'users', key: { 'profile.city': 1, createdAt: -1 } });
  mongo(s, { op: 'createIndex', collection: 'users', key: { name: 'text', 'profile.bio': 'text' } });
  mongo(s, {
    op: 'insertMany', collection: 'users', documents: [
      { _id: { $oid: '507f1f77bcf86cd799439011' }, email: 'john@example.com', name: 'John Doe',
        profile: { age: 30, city: 'NYC' }, tags: ['developer', 'nodejs'],
        createdAt: { $date: '2024-01-01T00:00:00Z' } },
      { email: 'ann@example.com', name: 'Ann Lee', profile: { age: 41, city: 'Boston', bio: 'nodejs developer' },
        tags: ['manager'], createdAt: { $date: '2024-02-01T00:00:00Z' } },
      { email: 'raj@example.com', name: 'Raj Patel', profile: { age: 25, city: 'NYC' },
        tags: ['designer'], createdAt: { $date: '2024-03-01T00:00:00Z' } },
    ],
  });
  return s;
}

test('MongoDB: find, findOne, updateOne, deleteOne and the aggregation of the user example', () => {
  const s = usersSession();
  const nyc = mongo(s, { op: 'find', collection: 'users', filter: { 'profile.city': 'NYC' } });
  assert.deepEqual(nyc.map((d) => d.email).sort(), ['john@example.com', 'raj@example.com']);

  const john = mongo(s, { op: 'findOne', collection: 'users', filter: { email: 'john@example.com' } });
  assert.equal(john.name, 'John Doe');

  const userId = { $oid: '507f1f77bcf86cd799439011' };
  const upd = mongo(s, { op: 'updateOne', collection: 'users', filter: { _id: userId }, update: { $set: { 'profile.age': 31 } } });
  assert.equal(upd.matchedCount, 1);
  assert.equal(upd.modifiedCount, 1);
  const after = mongo(s, { op: 'findOne', collection: 'users', filter: { _id: userId } });
  assert.equal(after.profile.age, 31);

  const stats = mongo(s, { op: 'aggregate', collection: 'users', pipeline: [
    { $match: { 'profile.city': 'NYC' } },
    { $group: { _id: '$profile.city', count: { $sum: 1 } } },
  ] });
  assert.deepEqual(stats, [{ _id: 'NYC', count: 2 }]);

  const del = mongo(s, { op: 'deleteOne', collection: 'users', filter: { _id: userId } });
  assert.equal(del.deletedCount, 1);
  assert.equal(mongo(s, { op: 'countDocuments', collection: 'users', filter: {} }), 2);
});

test('MongoDB: the compound index serves the city query, the text index serves $text', () => {
  const s = usersSession();
  const plan = JSON.stringify(mongo(s, { op: 'explain', collection: 'users',
    verbosity: 'executionStats', command: { op: 'find', filter: { 'profile.city': 'NYC' }, sort: { createdAt: -1 } } }));
  assert.match(plan, /IXSCAN/);
  assert.match(plan, /profile\.city_1_createdAt_-1/);

  const found = mongo(s, { op: 'find', collection: 'users', filter: { $text: { $search: 'developer nodejs' } } });
  assert.deepEqual(found.map((d) => d.email), ['ann@example.com']);
});

test('MongoDB: a duplicate email is refused by the unique index with E11000', () => {
  const s = usersSession();
  assert.throws(
    () => s.execute(JSON.stringify({ op: 'insertOne', collection: 'users', document: { email: 'john@example.com', name: 'Again' } })),
    /E11000 duplicate key error.*email/,
  );
  assert.throws(() => s.execute('{"op": "find", '), /not valid JSON/);
});

const TABLE = 'app-data';
function appData() {
  const d = new DynamoSession();
  d.execute('CreateTable', JSON.stringify({
    TableName: TABLE,
    KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }, { AttributeName: 'SK', KeyType: 'RANGE' }],
    AttributeDefinitions: [
      { AttributeName: 'PK', AttributeType: 'S' }, { AttributeName: 'SK', AttributeType: 'S' },
      { AttributeName: 'email', AttributeType: 'S' },
    ],
    GlobalSecondaryIndexes: [{ IndexName: 'EmailIndex', KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'ALL' } }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
  return d;
}
const doc = (d, op, input) => JSON.parse(d.executeDocument(op, JSON.stringify(input)));

test('DynamoDB: the user example requests, verbatim, through the document client', () => {
  const d = appData();
  doc(d, 'PutItem', { TableName: TABLE, Item: { PK: 'USER#123', SK: 'PROFILE', email: 'john@example.com', name: 'John Doe' } });
  doc(d, 'PutItem', { TableName: TABLE, Item: { PK: 'USER#123', SK: 'POST#456', title: 'Hello', content: 'First post' } });
  doc(d, 'PutItem', { TableName: TABLE, Item: { PK: 'POST#456', SK: 'METADATA', title: 'Hello', authorId: '123' } });

  const got = doc(d, 'GetItem', { TableName: TABLE, Key: { PK: 'USER#123', SK: 'PROFILE' } });
  assert.deepEqual(got.Item, { PK: 'USER#123', SK: 'PROFILE', email: 'john@example.com', name: 'John Doe' });

  const posts = doc(d, 'Query', { TableName: TABLE, KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
    ExpressionAttributeValues: { ':pk': 'USER#123', ':sk': 'POST#' } });
  assert.equal(posts.Count, 1);
  assert.equal(posts.Items[0].title, 'Hello');

  doc(d, 'UpdateItem', { TableName: TABLE, Key: { PK: 'USER#123', SK: 'PROFILE' }, UpdateExpression: 'SET #name = :name',
    ExpressionAttributeNames: { '#name': 'name' }, ExpressionAttributeValues: { ':name': 'Jane Doe' } });
  assert.equal(doc(d, 'GetItem', { TableName: TABLE, Key: { PK: 'USER#123', SK: 'PROFILE' } }).Item.name, 'Jane Doe');

  const byEmail = doc(d, 'Query', { TableName: TABLE, IndexName: 'EmailIndex', KeyConditionExpression: 'email = :email',
    ExpressionAttributeValues: { ':email': 'john@example.com' } });
  assert.deepEqual(byEmail.Items.map((i) => i.SK), ['PROFILE']);
});

test('DynamoDB: the conditional balance update fails without a balance, then succeeds', () => {
  const d = appData();
  doc(d, 'PutItem', { TableName: TABLE, Item: { PK: 'USER#123', SK: 'PROFILE', email: 'john@example.com', name: 'John Doe' } });
  const update = { TableName: TABLE, Key: { PK: 'USER#123', SK: 'PROFILE' }, UpdateExpression: 'SET balance = balance + :amount',
    ConditionExpression: 'balance >= :min', ExpressionAttributeValues: { ':amount': 100, ':min': 0 } };
  assert.throws(() => d.executeDocument('UpdateItem', JSON.stringify(update)),
    (e) => e.name === 'ConditionalCheckFailedException' && /conditional request failed/i.test(e.message));
  doc(d, 'UpdateItem', { TableName: TABLE, Key: { PK: 'USER#123', SK: 'PROFILE' }, UpdateExpression: 'SET balance = :zero',
    ExpressionAttributeValues: { ':zero': 0 } });
  doc(d, 'UpdateItem', update);
  assert.equal(doc(d, 'GetItem', { TableName: TABLE, Key: { PK: 'USER#123', SK: 'PROFILE' } }).Item.balance, 100);
});

test('design: the first example derives both layouts, and a bad design names every error', () => {
  const examples = JSON.parse(exampleDesigns());
  assert.ok(examples.length >= 5);
  const first = examples[0];
  const design = new Design(JSON.stringify(first.design));
  const analysis = JSON.parse(design.analyze());
  const text = JSON.stringify(analysis);
  assert.match(text, /app-data/);
  assert.match(text, /EmailIndex/);
  assert.match(text, /USER#/);
  for (const format of ['workbench', 'cloudformation', 'mongosh', 'mongoose', 'jsonschema', 'sdk']) {
    assert.ok(design.exportAs(format).length > 100, format);
  }
  assert.throws(() => new Design('{"entities": ['), /line 1/);
});

test('design: SQL CREATE TABLE imports as entities and a relationship; an unsupported statement names its line', () => {
  const sql = [
    'CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(200) NOT NULL UNIQUE, name TEXT);',
    'CREATE TABLE posts (id INT PRIMARY KEY, author_id INT NOT NULL REFERENCES users(id), title TEXT);',
    'DROP TABLE legacy;',
  ].join('\n');
  const imported = JSON.parse(importDesign(sql, 'sql'));
  const text = JSON.stringify(imported);
  assert.match(text, /"users"|"User"/i);
  assert.match(text, /posts|Post/i);
  assert.match(text, /line 3/);
  const findings = JSON.parse(validateDesign('{"formatVersion": 1, "name": "t", "entities": [{"name": "A", "fields": [{"name": "x", "type": "strng"}]}]}'));
  assert.match(JSON.stringify(findings), /strng/);
});

test('DynamoDB: a failed condition carries the old item when asked, a cancelled transaction its reasons', () => {
  const d = appData();
  doc(d, 'PutItem', { TableName: TABLE, Item: { PK: 'USER#123', SK: 'PROFILE', balance: 5 } });
  const failed = { TableName: TABLE, Key: { PK: { S: 'USER#123' }, SK: { S: 'PROFILE' } },
    UpdateExpression: 'SET balance = balance - :amount', ConditionExpression: 'balance >= :amount',
    ExpressionAttributeValues: { ':amount': { N: '10' } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' };
  assert.throws(() => d.execute('UpdateItem', JSON.stringify(failed)), (e) =>
    e.name === 'ConditionalCheckFailedException' && e.Item?.balance?.N === '5');
  const tx = { TransactItems: [
    { Put: { TableName: TABLE, Item: { PK: { S: 'USER#9' }, SK: { S: 'PROFILE' } } } },
    { ConditionCheck: { TableName: TABLE, Key: { PK: { S: 'USER#123' }, SK: { S: 'PROFILE' } },
      ConditionExpression: 'balance > :big', ExpressionAttributeValues: { ':big': { N: '100' } } } },
  ] };
  assert.throws(() => d.execute('TransactWriteItems', JSON.stringify(tx)), (e) =>
    e.name === 'TransactionCanceledException' &&
    e.CancellationReasons?.map((r) => r.Code).join(',') === 'None,ConditionalCheckFailed');
  assert.equal(doc(d, 'GetItem', { TableName: TABLE, Key: { PK: 'USER#9', SK: 'PROFILE' } }).Item, undefined);
});
