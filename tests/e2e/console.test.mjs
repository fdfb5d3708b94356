// The console as components: forms start from the design's own requests (the aggregate's
// pipeline, the first read's key names), and the console's query and answer outlast a visit
// to another view.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, screenshot } from './harness.mjs';

// A design whose one read joins referenced children: MongoDB answers it with an aggregation.
const invoices = {
  formatVersion: 1,
  name: 'Invoices',
  entities: [
    { name: 'Invoice', fields: [{ name: 'invoiceId', type: 'string' }], volume: 10 },
    { name: 'Line', fields: [{ name: 'amount', type: 'decimal' }], volume: 50 },
  ],
  relationships: [{ from: 'Invoice', to: 'Line', cardinality: 'oneToMany', expectedCount: 5, readTogether: true }],
  accessPatterns: [{ name: 'Invoice with lines', entity: 'Invoice', kind: 'getOne', equality: ['invoiceId'], requestsPerSecond: 1 }],
};

let app;
let page;
before(async () => {
  app = await startApp();
  page = await app.open();
  await page.getByTestId('import-file').setInputFiles({
    name: 'invoices.schemaplay.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(invoices)),
  });
  await page.getByTestId('notice-info').waitFor();
  await page.getByTestId('nav-query').click();
  await page.getByTestId('per-entity').fill('20');
  await page.getByTestId('per-entity').press('Tab');
  await page.getByTestId('generate').click();
  await page.getByTestId('data-summary').waitFor({ timeout: 60_000 });
});
after(async () => { await app?.stop(); });

test('the aggregate pattern prefills its pipeline; query and answer outlast a visit to the design', async () => {
  await page.getByTestId('mongo-op').selectOption('aggregate');
  assert.deepEqual(JSON.parse(await page.getByTestId('mongo-pipeline').inputValue()), [{ $match: {} }]);
  await page.getByTestId('mongo-pattern').selectOption('Invoice with lines');
  const pipeline = JSON.parse(await page.getByTestId('mongo-pipeline').inputValue());
  assert.deepEqual(pipeline, [
    { $match: { _id: 'invoice-1' } },
    { $lookup: { from: 'lines', localField: '_id', foreignField: 'invoiceId', as: 'lines' } },
  ]);
  await page.getByTestId('run').click();
  await page.getByTestId('result-table').waitFor();
  const stats = await page.getByTestId('result-stats').textContent();
  assert.match(stats, /^1 row/);
  assert.match(await page.getByTestId('result-table').textContent(), /invoice-1/);
  assert.match(await page.getByTestId('explain').textContent(), /IDHACK|FETCH|IXSCAN/);

  await page.getByTestId('nav-design').click();
  await page.getByTestId('view-design').waitFor();
  await page.getByTestId('nav-query').click();
  assert.deepEqual(JSON.parse(await page.getByTestId('mongo-pipeline').inputValue()), pipeline);
  assert.equal(await page.getByTestId('mongo-op').inputValue(), 'aggregate');
  assert.equal(await page.getByTestId('result-stats').textContent(), stats);
  assert.match(await page.getByTestId('data-summary').textContent(), /MongoDB: 40 documents/);
  await screenshot(page, 'console-aggregate');

  // A switch of database drops the answer, which belongs to the MongoDB query.
  await page.getByTestId('console-dynamo').click();
  assert.equal(await page.getByTestId('result-stats').count(), 0);
  // A failed run drops it too.
  await page.getByTestId('console-mongo').click();
  await page.getByTestId('run').click();
  await page.getByTestId('result-stats').waitFor();
  await page.getByTestId('mongo-pipeline').fill('[{"$bogus": 1}]');
  await page.getByTestId('run').click();
  await page.getByTestId('query-error').waitFor();
  assert.equal(await page.getByTestId('result-stats').count(), 0);
  assert.deepEqual(page.errors, []);
});

test('the DynamoDB form starts from the design\'s first read, with its key names', async () => {
  await page.getByTestId('console-dynamo').click();
  assert.equal(await page.getByTestId('dynamo-op').inputValue(), 'Query');
  const input = JSON.parse(await page.getByTestId('dynamo-input').inputValue());
  assert.deepEqual(input, {
    TableName: 'app-data',
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': { S: 'INVOICE#invoice-1' } },
  });
  await page.getByTestId('run').click();
  await page.getByTestId('result-table').waitFor();
  assert.match(await page.getByTestId('result-stats').textContent(), /Count [1-9]/);
  assert.match(await page.getByTestId('result-table').textContent(), /INVOICE#invoice-1/);
  await screenshot(page, 'console-dynamo-first-read');

  // Another design's console starts from that design's own first read.
  await page.getByTestId('nav-start').click();
  await page.getByTestId('example-user-app').click();
  await page.getByTestId('nav-query').click();
  await page.getByTestId('console-dynamo').click();
  assert.equal(await page.getByTestId('dynamo-op').inputValue(), 'GetItem');
  assert.deepEqual(JSON.parse(await page.getByTestId('dynamo-input').inputValue()).Key, {
    PK: { S: 'USER#507f1f77bcf86cd799439011' }, SK: { S: 'PROFILE' },
  });
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'console-phone');
  await page.setViewportSize({ width: 1280, height: 800 });
  assert.deepEqual(page.errors, []);
});

test('a 64-bit integer and nested documents cross the worker exactly', async () => {
  await page.getByTestId('console-mongo').click();
  await page.getByTestId('mongo-collection').selectOption('users');
  await page.getByTestId('mongo-op').selectOption('insertOne');
  await page.getByTestId('mongo-document').fill(
    '{"_id": "big", "n": {"$numberLong": "9007199254740993"}, "deep": {"a": {"b": [1, {"c": "nested"}]}}}');
  await page.getByTestId('run').click();
  await page.getByTestId('result-stats').waitFor();
  assert.match(await page.getByTestId('result-stats').textContent(), /insertedId "big"/);
  await page.getByTestId('mongo-op').selectOption('find');
  await page.getByTestId('mongo-filter').fill('{"n": {"$numberLong": "9007199254740993"}}');
  await page.getByTestId('run').click();
  await page.getByTestId('result-table').waitFor();
  const row = await page.getByTestId('result-table').textContent();
  // As a JavaScript number it would have come back as 9007199254740992.
  assert.match(row, /9007199254740993/);
  assert.match(row, /\{"a":\{"b":\[1,\{"c":"nested"\}\]\}\}/);
  assert.deepEqual(page.errors, []);
});
