// The facade's Playground, built for Node (`./x node-pkg`): generate with progress, run the
// console's prefilled forms on both simulators, see errors with their position, import.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Playground, exampleDesigns } = require('../../target/node-pkg/schemaplay_wasm.js');

function userApp() {
  const example = JSON.parse(exampleDesigns()).find((e) => e.id === 'user-app');
  return new Playground(JSON.stringify(example.design));
}

test('generate reports progress and loads both simulators', () => {
  const playground = userApp();
  const steps = [];
  const summary = playground.generate(30, 1, (done, total, stage) => steps.push({ done, total, stage }));
  assert.deepEqual(summary.collections, [['users', 30], ['posts', 30]]);
  assert.equal(summary.documents, 60);
  assert.equal(summary.table, 'app-data');
  // 30 users and 30 posts, and a counter item per city of "Count users per city" (its counter is
  // derived): as many as the Scan of the USER_STATS# partitions finds.
  const counters = playground.dynamo({
    form: {
      operation: 'Scan',
      input: '{"TableName": "app-data", "FilterExpression": "begins_with(PK, :p)", "ExpressionAttributeValues": {":p": {"S": "USER_STATS#"}}}',
    },
  });
  assert.ok(counters.count > 0, 'counter items were generated');
  assert.equal(summary.items, 60 + counters.count);
  assert.deepEqual(summary.problems, []);
  assert.ok(steps.length > 2, `${steps.length} progress reports`);
  assert.deepEqual(steps.at(-1), { done: 120, total: 120, stage: 'done' });
});

test('a prefilled MongoDB form runs with its plan; a JSON mistake names its input and position', () => {
  const playground = userApp();
  playground.generate(30, 1);
  const form = playground.mongoForm('Find user by email');
  assert.equal(form.operation, 'find');
  assert.equal(form.limit, '1');
  assert.deepEqual(JSON.parse(form.inputs.find((i) => i.field === 'filter').text), { email: 'john@example.com' });
  const answer = playground.mongo(form);
  assert.equal(answer.rows, 'all');
  assert.equal(answer.result.length, 1);
  assert.equal(answer.result[0].email, 'john@example.com');
  assert.deepEqual(answer.explain.summary.Ok.stages, ['LIMIT', 'FETCH', 'IXSCAN email_1']);
  assert.equal(answer.explain.summary.Ok.keysExamined, 1);
  assert.equal(playground.mongoForm('no such pattern'), null);

  const broken = { ...form, inputs: [{ field: 'filter', text: '{"email": }' }] };
  assert.throws(() => playground.mongo(broken), { message: 'filter: line 1, column 11: expected value' });
  const unknown = { ...form, inputs: [{ field: 'filter', text: '{"email": {"$eqq": 1}}' }] };
  assert.throws(() => playground.mongo(unknown), { message: 'unknown operator: $eqq (BadValue, code 2)' });
  assert.throws(() => playground.mongo({ collection: 'users' }), /missing field `operation`/);
});

test('a prefilled DynamoDB form runs and pages on', () => {
  const playground = userApp();
  playground.generate(30, 1);
  const form = playground.dynamoForm('Get user by id');
  assert.equal(form.operation, 'GetItem');
  const got = playground.dynamo({ form });
  assert.equal(got.rows.length, 1);
  assert.equal(got.rows[0].email, 'john@example.com');
  assert.equal(got.consumedCapacity, 0.5);

  const scan = { operation: 'Scan', input: '{"TableName": "app-data", "Limit": 5}' };
  const first = playground.dynamo({ form: scan });
  assert.equal(first.count, 5);
  assert.ok(first.lastEvaluatedKey);
  const second = playground.dynamo({ form: scan, startKey: first.lastEvaluatedKey });
  assert.equal(second.count, 5);
  assert.notDeepEqual(second.rows, first.rows);
  assert.throws(() => playground.dynamo({ form: { operation: 'Query', input: '{"TableName": "app-data", "KeyConditionExpression": "PK = :pk AND"}' } }),
    /^Error: ValidationException: Invalid KeyConditionExpression/);
});

test('import converts SQL DDL into a design', () => {
  const playground = userApp();
  const { design, note } = playground.import('shop.sql', 'CREATE TABLE customers (id INT PRIMARY KEY, email TEXT NOT NULL);');
  assert.deepEqual(design.entities.map((e) => e.name), ['Customer']);
  assert.equal(note, '');
  assert.throws(() => playground.import('empty.sql', '-- nothing'), { message: 'empty.sql has no tables to import' });
  assert.throws(() => new Playground('{'), /json-syntax|invalid JSON/);
});
