// The wasm facade, built for Node (`./x node-pkg`), through its public JavaScript API: what
// crosses the boundary (Extended JSON, DynamoDB JSON, plain document-client values), and how
// errors arrive (a JS Error with the database's code, or DynamoDB's exception as its `name`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';

const require = createRequire(import.meta.url);
const wasm = require('../../target/node-pkg/schemaplay_wasm.js');
const { MongoSession, DynamoSession, Design, exampleDesigns, validateDesign, importDesign } = wasm;

test('version() reports the workspace version', async () => {
  const manifest = await readFile(new URL('../../Cargo.toml', import.meta.url), 'utf8');
  const version = manifest.match(/\[workspace\.package\][^[]*?version = "([^"]+)"/)[1];
  assert.equal(wasm.version(), version);
});

const mongo = (session, request) => JSON.parse(session.execute(JSON.stringify(request)));

/** Calls `fn`, which must throw, and returns the thrown value. */
function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail('expected an error');
}

test('MongoSession: requests and answers are Extended JSON, dates, ids and decimals included', () => {
  const s = new MongoSession();
  const inserted = mongo(s, { op: 'insertMany', collection: 'orders', documents: [
    { _id: 1, at: { $date: '2006-03-20T12:00:00Z' }, total: { $numberDecimal: '0.10' }, n: { $numberLong: '9007199254740993' } },
    { _id: 2, at: { $date: '2012-01-15T12:00:00Z' }, total: { $numberDecimal: '0.20' }, n: 2 },
  ] });
  assert.deepEqual(inserted, { acknowledged: true, insertedIds: { 0: 1, 1: 2 } });
  const text = s.execute(JSON.stringify({ op: 'find', collection: 'orders', filter: { _id: 1 } }));
  const [first] = JSON.parse(text);
  assert.deepEqual(first.at, { $date: '2006-03-20T12:00:00Z' });
  assert.deepEqual(first.total, { $numberDecimal: '0.10' });
  // Relaxed Extended JSON writes a 64-bit integer as a plain number, every digit kept in the
  // text (JSON.parse then rounds it beyond 2^53).
  assert.match(text, /"n":9007199254740993\b/);

  // Decimal arithmetic in decimal, and named time zones with their history (the tz database is
  // in the wasm build): New York kept standard time in March 2006, Moscow was UTC+4 in 2012.
  const rows = mongo(s, { op: 'aggregate', collection: 'orders', pipeline: [
    { $group: { _id: null, sum: { $sum: '$total' } } },
  ] });
  assert.deepEqual(rows, [{ _id: null, sum: { $numberDecimal: '0.30' } }]);
  const local = mongo(s, { op: 'aggregate', collection: 'orders', pipeline: [
    { $sort: { _id: 1 } },
    { $project: { _id: 0,
      ny: { $dateToString: { date: '$at', format: '%H:%M%z', timezone: 'America/New_York' } },
      msk: { $hour: { date: '$at', timezone: 'Europe/Moscow' } } } },
  ] });
  assert.deepEqual(local, [{ ny: '07:00-0500', msk: 15 }, { ny: '07:00-0500', msk: 16 }]);

  assert.equal(s.execute(JSON.stringify({ op: 'createIndex', collection: 'orders', key: { n: 1 }, options: { unique: true } })), '"n_1"');
  const plan = mongo(s, { op: 'find', collection: 'orders', filter: { n: 2 }, explain: true });
  assert.equal(plan.queryPlanner.winningPlan.inputStage.stage, 'IXSCAN');
});

test('MongoSession: the clock set from JavaScript stamps new ObjectIds', () => {
  const s = new MongoSession();
  s.setClock(Date.UTC(2030, 0, 1));
  const { insertedId } = mongo(s, { op: 'insertOne', collection: 'c', document: { a: 1 } });
  const seconds = parseInt(insertedId.$oid.slice(0, 8), 16);
  assert.equal(seconds, Date.UTC(2030, 0, 1) / 1000);
});

test('MongoSession: errors are JS Errors with MongoDB\'s message, code name and code', () => {
  const s = new MongoSession();
  mongo(s, { op: 'insertOne', collection: 'c', document: { _id: 1 } });
  const duplicate = thrown(() => s.execute(JSON.stringify({ op: 'insertOne', collection: 'c', document: { _id: 1 } })));
  assert.ok(duplicate instanceof Error);
  assert.match(duplicate.message, /^E11000 duplicate key error collection: .*c index: _id_ dup key: \{ _id: 1 \} \(DuplicateKey, code 11000\)$/);
  const badOperator = thrown(() => s.execute(JSON.stringify({ op: 'find', collection: 'c', filter: { a: { $bogus: 1 } } })));
  assert.match(badOperator.message, /unknown operator: \$bogus \(BadValue, code 2\)/);
  const badZone = thrown(() => s.execute(JSON.stringify({ op: 'aggregate', collection: 'c', pipeline: [
    { $project: { h: { $hour: { date: '$$NOW', timezone: 'Mars/Olympus' } } } }] })));
  assert.match(badZone.message, /unrecognized time zone identifier: "Mars\/Olympus" \(Location40485, code 40485\)/);
  assert.match(thrown(() => s.execute('{"op": "find", ')).message, /not valid JSON/);
});

const TABLE = 'things';
function table() {
  const d = new DynamoSession();
  const created = JSON.parse(d.execute('CreateTable', JSON.stringify({
    TableName: TABLE,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
    BillingMode: 'PAY_PER_REQUEST',
  })));
  assert.equal(created.TableDescription.TableName, TABLE);
  return d;
}
const low = (d, op, input) => JSON.parse(d.execute(op, JSON.stringify(input)));

test('DynamoSession: execute speaks DynamoDB JSON: numbers as normalized strings, binary as base64, sets', () => {
  const d = table();
  low(d, 'PutItem', { TableName: TABLE, Item: {
    pk: { S: 'a' }, sk: { N: '1.50' }, big: { N: '12345678901234567890123456789012345678' },
    blob: { B: 'AAEC/w==' }, tags: { SS: ['y', 'x'] }, m: { M: { ok: { BOOL: true }, none: { NULL: true } } },
  } });
  const { Item } = low(d, 'GetItem', { TableName: TABLE, Key: { pk: { S: 'a' }, sk: { N: '1.5' } } });
  assert.deepEqual(Item.sk, { N: '1.5' });
  assert.deepEqual(Item.big, { N: '12345678901234567890123456789012345678' });
  assert.deepEqual(Item.blob, { B: 'AAEC/w==' });
  assert.deepEqual([...Item.tags.SS].sort(), ['x', 'y']);
  assert.deepEqual(Item.m, { M: { ok: { BOOL: true }, none: { NULL: true } } });

  const updated = low(d, 'UpdateItem', { TableName: TABLE, Key: { pk: { S: 'a' }, sk: { N: '1.5' } },
    UpdateExpression: 'ADD n :x', ExpressionAttributeValues: { ':x': { N: '0.1' } }, ReturnValues: 'UPDATED_NEW' });
  assert.deepEqual(updated.Attributes, { n: { N: '0.1' } });
  const again = low(d, 'UpdateItem', { TableName: TABLE, Key: { pk: { S: 'a' }, sk: { N: '1.5' } },
    UpdateExpression: 'ADD n :x', ExpressionAttributeValues: { ':x': { N: '0.2' } }, ReturnValues: 'UPDATED_NEW' });
  assert.deepEqual(again.Attributes, { n: { N: '0.3' } });
});

test('DynamoSession: executeDocument takes and returns plain values, as @aws-sdk/lib-dynamodb', () => {
  const d = table();
  const doc = (op, input) => JSON.parse(d.executeDocument(op, JSON.stringify(input)));
  doc('PutItem', { TableName: TABLE, Item: { pk: 'u', sk: 1, name: 'Ann', score: 2.5, tags: ['a', 'b'], nested: { ok: true } } });
  doc('PutItem', { TableName: TABLE, Item: { pk: 'u', sk: 2, name: 'Raj', score: 7 } });
  const got = doc('GetItem', { TableName: TABLE, Key: { pk: 'u', sk: 1 } });
  assert.deepEqual(got.Item, { pk: 'u', sk: 1, name: 'Ann', score: 2.5, tags: ['a', 'b'], nested: { ok: true } });
  const q = doc('Query', { TableName: TABLE, KeyConditionExpression: 'pk = :p AND sk > :s',
    ExpressionAttributeValues: { ':p': 'u', ':s': 1 } });
  assert.equal(q.Count, 1);
  assert.deepEqual(q.Items.map((i) => i.name), ['Raj']);
});

test('DynamoSession: errors carry the exception as their name, and DynamoDB\'s message', () => {
  const d = table();
  const missing = thrown(() => d.execute('GetItem', JSON.stringify({ TableName: 'nope', Key: { pk: { S: 'a' }, sk: { N: '1' } } })));
  assert.ok(missing instanceof Error);
  assert.equal(missing.name, 'ResourceNotFoundException');
  assert.match(missing.message, /^ResourceNotFoundException: Requested resource not found/);

  const digits = thrown(() => d.execute('PutItem', JSON.stringify({ TableName: TABLE,
    Item: { pk: { S: 'a' }, sk: { N: '123456789012345678901234567890123456789' } } })));
  assert.equal(digits.name, 'ValidationException');
  assert.match(digits.message, /Attempting to store more than 38 significant digits in a Number/);

  const base64 = thrown(() => d.execute('PutItem', JSON.stringify({ TableName: TABLE,
    Item: { pk: { S: 'a' }, sk: { N: '1' }, b: { B: 'not base64!' } } })));
  assert.equal(base64.name, 'ValidationException');
  assert.match(base64.message, /Invalid Base64 value in AttributeValue: not base64!/);

  const json = thrown(() => d.execute('PutItem', '{'));
  assert.equal(json.name, 'SerializationException');

  low(d, 'PutItem', { TableName: TABLE, Item: { pk: { S: 'a' }, sk: { N: '1' }, stock: { N: '1' } } });
  const tx = thrown(() => d.execute('TransactWriteItems', JSON.stringify({ TransactItems: [
    { Put: { TableName: TABLE, Item: { pk: { S: 'b' }, sk: { N: '1' } } } },
    { Update: { TableName: TABLE, Key: { pk: { S: 'a' }, sk: { N: '1' } }, UpdateExpression: 'SET stock = stock - :one',
      ConditionExpression: 'stock > :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
  ] })));
  assert.equal(tx.name, 'TransactionCanceledException');
  assert.deepEqual(tx.CancellationReasons.map((r) => r.Code), ['None', 'ConditionalCheckFailed']);
  // Nothing of a cancelled transaction is written.
  assert.equal(low(d, 'GetItem', { TableName: TABLE, Key: { pk: { S: 'b' }, sk: { N: '1' } } }).Item, undefined);
});

test('Design: reads, derives, exports, samples in ranges; the free functions validate, import and list examples', () => {
  const examples = JSON.parse(exampleDesigns());
  const userApp = examples.find((e) => e.id === 'user-app');
  assert.ok(userApp, examples.map((e) => e.id).join(', '));
  const design = new Design(JSON.stringify(userApp.design));
  assert.deepEqual(JSON.parse(design.toJson()), JSON.parse(new Design(design.toJson()).toJson()));

  const analysis = JSON.parse(design.analyze());
  assert.equal(analysis.dynamo.tableName, 'app-data');
  assert.ok(analysis.mongo.collections.some((c) => c.name === 'users'));

  assert.match(design.exportAs('mongoose'), /^import mongoose from 'mongoose'/);
  assert.match(thrown(() => design.exportAs('yaml')).message, /yaml/);

  // Sample data: ranges concatenate to the whole, and the items load into the simulator.
  const docs = JSON.parse(design.sampleDocuments('users', 6, 7));
  assert.equal(docs.length, 6);
  const parts = [0, 2, 4].flatMap((start) => JSON.parse(design.sampleDocumentsRange('users', start, start + 2, 6, 7)));
  assert.deepEqual(parts, docs);
  const sources = JSON.parse(design.sampleSources());
  const items = JSON.parse(design.sampleItems(3, 7));
  const ranged = sources.flatMap((source) => JSON.parse(design.sampleItemsRange(source, 0, 3, 3, 7)));
  assert.deepEqual(ranged, items);

  // A Workbench export imports back to the same entities.
  const back = JSON.parse(importDesign(design.exportAs('workbench'), 'workbench'));
  assert.deepEqual(back.design.entities.map((e) => e.name), userApp.design.entities.map((e) => e.name));

  // Reading errors name where they are; validateDesign lists findings and never throws.
  assert.match(thrown(() => new Design('{"entities": [')).message, /line 1/);
  const findings = JSON.parse(validateDesign('not json at all'));
  assert.ok(findings.length >= 1);
  assert.match(thrown(() => importDesign('x', 'cobol')).message, /cobol/);
});
