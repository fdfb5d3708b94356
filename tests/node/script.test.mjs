// The script console through the wasm facade, built for Node (`./x node-pkg`): a script on a
// playground's generated data, each statement's typed outcome; a pattern's prefilled script;
// a run with no design.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Playground, exampleDesigns, runScript } = require('../../target/node-pkg/schemaplay_wasm.js');

function userApp() {
  const example = JSON.parse(exampleDesigns()).find((e) => e.id === 'user-app');
  const playground = new Playground(JSON.stringify(example.design));
  playground.generate(10, 1);
  return playground;
}

test('a script runs statement by statement, each outcome typed', () => {
  const playground = userApp();
  const answer = playground.runScript([
    "const TABLE = 'app-data'",
    "db.users.find({ email: 'john@example.com' }, { email: 1, _id: 0 })",
    'db.users.find({ email: \'john@example.com\' }).explain("executionStats")',
    "import { DynamoDBClient } from '@aws-sdk/client-dynamodb'",
    "import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb'",
    'const client = DynamoDBDocumentClient.from(new DynamoDBClient({}))',
    'const got = await client.send(new GetCommand({',
    '  TableName: TABLE,',
    '  Key: { PK: `USER#${userId}`, SK: \'PROFILE\' }',
    '}))',
    "{ 'profile.city': 'NYC' }",
    'nobody.find()',
  ].join('\n'));
  assert.equal(answer.outcomes.length, 9);
  assert.equal(answer.failed, 1);
  const [table, find, explain, , , , got, pasted, failed] = answer.outcomes;
  assert.equal(table.result, null);
  assert.deepEqual(find.result.Mongo.result, [{ email: 'john@example.com' }]);
  assert.equal(find.result.Mongo.rows, 'all');
  assert.deepEqual(explain.result.Mongo.explain.summary.Ok.stages, ['FETCH', 'IXSCAN email_1']);
  assert.equal(got.line, 7);
  assert.equal(got.endLine, 10);
  assert.equal(got.result.Dynamo.rows[0].email, 'john@example.com');
  assert.equal(got.result.Dynamo.response.Item.name, 'John Doe');
  assert.deepEqual(pasted.result, { Value: { 'profile.city': 'NYC' } });
  assert.deepEqual(failed.error, { message: 'ReferenceError: nobody is not defined', line: 12, column: 1 });
  assert.deepEqual(failed.warnings, []);
});

test("a pattern's prefilled script runs on the generated data and finds its keys", () => {
  const playground = userApp();
  const mongo = playground.scriptFor('Find user by email', 'mongo');
  assert.equal(mongo, "// Find user by email\ndb.users.findOne({ email: 'john@example.com' })\n");
  const dynamo = playground.scriptFor('Find user by email', 'dynamo');
  assert.match(dynamo, /^import \{ DynamoDBClient \} from '@aws-sdk\/client-dynamodb'/);
  for (const script of [mongo, dynamo]) {
    const answer = playground.runScript(script);
    assert.equal(answer.failed, 0);
    const last = answer.outcomes.at(-1).result;
    const rows = last.Mongo ? last.Mongo.result : last.Dynamo.rows;
    assert.equal([rows].flat()[0].email, 'john@example.com');
  }
  assert.equal(playground.scriptFor('no such pattern', 'mongo'), null);
  assert.throws(() => playground.scriptFor('Find user by email', 'oracle'), /unknown variant `oracle`/);
});

test('a script runs with no design on empty databases', () => {
  const answer = runScript("db.notes.insertOne({ _id: 1, text: 'hi' })\ndb.notes.find()\naws dynamodb list-tables");
  assert.equal(answer.failed, 0);
  assert.deepEqual(answer.outcomes[1].result.Mongo.result, [{ _id: 1, text: 'hi' }]);
  assert.deepEqual(answer.outcomes[2].result.Dynamo.response, { TableNames: [] });
});
