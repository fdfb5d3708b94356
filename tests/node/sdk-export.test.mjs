// The SDK v3 export of every example runs under Node with the real AWS SDK
// (`@aws-sdk/client-dynamodb` and `@aws-sdk/lib-dynamodb`), its requests answered by the
// playground's DynamoDB simulator through a request handler (no network): every statement
// runs, every read finds items, and every answer is the one our own script interpreter gives
// for the same statement on a playground generated the same way (Items, Item, Responses and
// Count compared as plain values; consumed capacity and $metadata are left out).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { HttpResponse } from '@smithy/core/protocols';

const require = createRequire(import.meta.url);
const { Playground, Design, exampleDesigns } = require('../../target/node-pkg/schemaplay_wasm.js');

const TARGET_PREFIX = 'DynamoDB_20120810.';
const ERROR_PREFIX = 'com.amazonaws.dynamodb.v20120810#';

/** A header's value, whatever the case of its name. */
function header(headers, name) {
  const found = Object.keys(headers).find((h) => h.toLowerCase() === name);
  return found === undefined ? undefined : headers[found];
}

/** DynamoDB's HTTP answer to an error the simulator threw: its `__type`, `message` and the
 * fields the SDK reads into the exception (`Item`, `CancellationReasons`). */
function errorBody(error) {
  const body = { __type: ERROR_PREFIX + error.name };
  const prefix = `${error.name}: `;
  body.message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  if (error.Item !== undefined) body.Item = error.Item;
  if (error.CancellationReasons !== undefined) body.CancellationReasons = error.CancellationReasons;
  return body;
}

/**
 * A request handler for `DynamoDBClient` that answers from `playground`'s DynamoDB simulator:
 * the operation from the `x-amz-target` header, the request from the JSON body; 200 with the
 * response, or 400 with DynamoDB's error shape so the SDK throws the named exception.
 * `operations` records each operation it ran.
 */
function simulatorHandler(playground, operations = []) {
  return {
    async handle(request) {
      const target = header(request.headers, 'x-amz-target') ?? '';
      assert.ok(target.startsWith(TARGET_PREFIX), `x-amz-target: ${target}`);
      const operation = target.slice(TARGET_PREFIX.length);
      operations.push(operation);
      const input = typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body);
      let statusCode = 200;
      let body;
      try {
        body = playground.execute(operation, input);
      } catch (error) {
        statusCode = 400;
        body = JSON.stringify(errorBody(error));
      }
      const response = new HttpResponse({
        statusCode,
        headers: { 'content-type': 'application/x-amz-json-1.0' },
        body: new TextEncoder().encode(body),
      });
      return { response };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs() {
      return {};
    },
  };
}

function sdkClient(playground, operations) {
  return new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
    requestHandler: simulatorHandler(playground, operations),
  });
}

const examples = JSON.parse(exampleDesigns());

/** The playground of a design with the sample data the export's keys come from. */
function generated(designJson) {
  const playground = new Playground(designJson);
  playground.generate(10, 1);
  return playground;
}

const READ = /^const (\w+) = await client\.send\(/;

/** The statements `const name = await client.send(...)` of an export: `[{name, line}]`,
 * `line` counting from 1. */
function reads(source) {
  return source.split('\n').flatMap((text, i) => {
    const m = READ.exec(text);
    return m ? [{ name: m[1], line: i + 1 }] : [];
  });
}

/** The export as a module: its client built by the test (`globalThis`), and every read's
 * answer exported as `answers`. */
function asModule(source, names) {
  const original = 'new DynamoDBClient({})';
  assert.equal(source.split(original).length, 2, `the export builds one client: ${original}`);
  const replaced = source.replace(original, 'globalThis.sdkExportClient');
  return `${replaced}\nexport const answers = { ${names.join(', ')} }\n`;
}

/** The plain values of an answer compared: items, item, responses and count (consumed
 * capacity and `$metadata` are the transport's). */
function values(response) {
  const picked = {};
  for (const key of ['Items', 'Item', 'Responses', 'Count']) {
    if (response[key] !== undefined) picked[key] = response[key];
  }
  return picked;
}

/** Whether a read found something: an item, items, or a count above zero. */
function found(response) {
  return (
    response.Item !== undefined ||
    (response.Items ?? []).length > 0 ||
    (response.Count ?? 0) > 0 ||
    Object.values(response.Responses ?? {}).some((r) => (Array.isArray(r) ? r.length > 0 : r?.Item))
  );
}

/** Whether the read at `line` is a text search, which looks for words the sample need not
 * hold: the comment above a statement names its access pattern. */
function isTextSearch(design, source, line) {
  const above = source.split('\n')[line - 2] ?? '';
  const pattern = design.accessPatterns.find((p) => above === `// ${p.name}`);
  return pattern?.kind === 'textSearch';
}

const scratch = fileURLToPath(new URL('../node_modules/.cache/', import.meta.url));

for (const example of examples) {
  test(`${example.id}: the SDK export runs with the AWS SDK on the simulator and answers as the interpreter does`, async () => {
    const designJson = JSON.stringify(example.design);
    const source = new Design(designJson).exportAs('sdk');
    const statements = reads(source);
    assert.ok(statements.length >= 3, `${statements.length} reads in the export`);

    const operations = [];
    globalThis.sdkExportClient = sdkClient(generated(designJson), operations);
    // In node_modules/.cache so that the export's imports resolve to tests/node_modules.
    await mkdir(scratch, { recursive: true });
    const dir = await mkdtemp(path.join(scratch, 'sdk-export-'));
    let answers;
    try {
      const file = path.join(dir, `${example.id}.mjs`);
      await writeFile(file, asModule(source, statements.map((s) => s.name)));
      ({ answers } = await import(pathToFileURL(file).href));
    } finally {
      await rm(dir, { recursive: true, force: true });
      delete globalThis.sdkExportClient;
    }
    assert.ok(operations.length >= statements.length, `${operations.length} requests sent`);

    const interpreted = generated(designJson).runScript(source);
    assert.equal(interpreted.failed, 0, JSON.stringify(interpreted.outcomes.filter((o) => o.error)));
    const byLine = new Map(interpreted.outcomes.map((o) => [o.line, o]));
    for (const { name, line } of statements) {
      const answer = answers[name];
      const where = `${example.id} line ${line}: const ${name}`;
      if (!isTextSearch(example.design, source, line)) assert.ok(found(answer), `${where} found nothing`);
      const ours = byLine.get(line)?.result?.Dynamo;
      assert.ok(ours, `${where}: the interpreter has no DynamoDB answer`);
      assert.deepEqual(values(answer), values(ours.response), where);
    }
  });
}

/** Runs SDK code as a module with the test's client (`globalThis.sdkExportClient`), exporting
 * `names`; answers their values. */
async function runModule(source, id, names, client) {
  globalThis.sdkExportClient = client;
  await mkdir(scratch, { recursive: true });
  const dir = await mkdtemp(path.join(scratch, 'sdk-export-'));
  try {
    const file = path.join(dir, `${id}.mjs`);
    await writeFile(file, asModule(source, names));
    return (await import(pathToFileURL(file).href)).answers;
  } finally {
    await rm(dir, { recursive: true, force: true });
    delete globalThis.sdkExportClient;
  }
}

test("a paged list's SDK code reads every page with the real SDK: LastEvaluatedKey → ExclusiveStartKey", async () => {
  const userApp = examples.find((e) => e.id === 'user-app');
  const design = structuredClone(userApp.design);
  const list = design.accessPatterns.find((p) => p.name === "List a user's posts");
  list.pageSize = 2;
  const designJson = JSON.stringify(design);
  const playground = new Playground(designJson);
  playground.generate(60, 1);
  const source = playground.scriptFor(list.name, 'dynamo');
  assert.match(source, /while \(listAUserSPostsStart\) \{/);
  const operations = [];
  const answers = await runModule(
    source,
    'paged-list',
    ['listAUserSPosts', 'listAUserSPostsAll'],
    sdkClient(playground, operations),
  );

  // The whole list: the pattern's own Query without its Limit, in one request.
  const form = playground.dynamoForm(list.name);
  const whole = JSON.parse(form.input);
  delete whole.Limit;
  const items = JSON.parse(playground.execute(form.operation, JSON.stringify(whole))).Items;
  assert.ok(items.length > 2 * list.pageSize, `${items.length} posts`);
  const pages = Math.ceil(items.length / list.pageSize);
  // Each page a Query; the last full one is followed by an empty page when the list divides evenly.
  assert.ok(operations.length >= pages && operations.every((o) => o === 'Query'), operations.join(' '));
  assert.equal(answers.listAUserSPosts.Items.length, list.pageSize);
  // The items of every page, concatenated: the whole list in its order, by their keys.
  const keys = (item, text) => `${text(item.PK)} ${text(item.SK)}`;
  assert.deepEqual(
    answers.listAUserSPostsAll.map((i) => keys(i, (v) => v)),
    items.map((i) => keys(i, (v) => v.S)),
  );
});

test("a rename's fan-out updates every copy of the name with the real SDK, and in the console", async () => {
  const userApp = examples.find((e) => e.id === 'user-app');
  const designJson = JSON.stringify(userApp.design);
  const rename = 'Rename user';
  // The user's posts, read whole: the list's own Query without its Limit.
  const posts = (playground) => {
    const form = playground.dynamoForm("List a user's posts");
    const whole = JSON.parse(form.input);
    delete whole.Limit;
    return JSON.parse(playground.execute(form.operation, JSON.stringify(whole))).Items;
  };
  const withSdk = new Playground(designJson);
  withSdk.generate(60, 1);
  const before = posts(withSdk);
  assert.ok(before.length >= 20, `${before.length} posts`);
  const name = before[0].authorName.S;
  assert.ok(before.every((p) => p.authorName.S === name), 'the copies start equal to the name');
  // The rename's code with a new name: the update, then its fan-out.
  const source = withSdk.scriptFor(rename, 'dynamo').replaceAll(`'${name}'`, "'Jane Roe'");
  assert.match(source, /while \(renameUserAuthorNameCopiesAt < renameUserAuthorNameCopiesAll\.length\) \{/);
  const operations = [];
  const answers = await runModule(source, 'fan-out', ['renameUserAuthorNameCopiesAll'], sdkClient(withSdk, operations));
  assert.equal(answers.renameUserAuthorNameCopiesAll.length, before.length);
  // The user's UpdateItem, the find's Query, an UpdateItem per post.
  assert.equal(operations.filter((o) => o === 'UpdateItem').length, 1 + before.length, operations.join(' '));
  assert.ok(posts(withSdk).every((p) => p.authorName.S === 'Jane Roe'), 'every copy has the new name');

  // The console runs the same code to the same end.
  const inConsole = new Playground(designJson);
  inConsole.generate(60, 1);
  const run = inConsole.runScript(source);
  assert.equal(run.failed, 0, JSON.stringify(run.outcomes.filter((o) => o.error)));
  const after = posts(inConsole);
  assert.equal(after.length, before.length);
  assert.ok(after.every((p) => p.authorName.S === 'Jane Roe'), 'every copy has the new name');
});

test("the simulator's errors reach the SDK as DynamoDB's named exceptions, with their details", async () => {
  const userApp = examples.find((e) => e.id === 'user-app');
  const playground = generated(JSON.stringify(userApp.design));
  const client = sdkClient(playground, []);
  const key = { PK: { S: 'USER#507f1f77bcf86cd799439011' }, SK: { S: 'PROFILE' } };
  const { Item } = await client.send(new GetItemCommand({ TableName: 'app-data', Key: key }));
  assert.equal(Item.email.S, 'john@example.com');

  const again = new PutItemCommand({
    TableName: 'app-data',
    Item: key,
    ConditionExpression: 'attribute_not_exists(PK)',
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  });
  const failed = await client.send(again).then(() => assert.fail('the put overwrote the user'), (e) => e);
  assert.ok(failed instanceof ConditionalCheckFailedException, `${failed.name}: ${failed.message}`);
  assert.equal(failed.message, 'The conditional request failed');
  assert.equal(failed.$metadata.httpStatusCode, 400);
  assert.deepEqual(failed.Item, Item);

  const cancelled = await client
    .send(new TransactWriteItemsCommand({
      TransactItems: [
        { Put: again.input },
        { Delete: { TableName: 'app-data', Key: { PK: { S: 'NONE' }, SK: { S: 'NONE' } } } },
      ],
    }))
    .then(() => assert.fail('the transaction ran'), (e) => e);
  assert.ok(cancelled instanceof TransactionCanceledException, `${cancelled.name}: ${cancelled.message}`);
  assert.deepEqual(
    cancelled.CancellationReasons.map((r) => r.Code),
    ['ConditionalCheckFailed', 'None'],
  );

  const invalid = await client
    .send(new QueryCommand({
      TableName: 'app-data',
      KeyConditionExpression: 'nope = :v',
      ExpressionAttributeValues: { ':v': { S: 'x' } },
    }))
    .then(() => assert.fail('the query ran'), (e) => e);
  assert.equal(invalid.name, 'ValidationException');
  assert.equal(invalid.$fault, 'client');
});
