// The query console: generate sample data in the worker, run a MongoDB find and a DynamoDB Query
// and see the expected rows, see inline errors, and keep the page responsive at 100k documents.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startApp, openWithData, screenshot, artifacts } from './harness.mjs';

let app;
let page;
before(async () => {
  app = await startApp();
  page = await app.open();
  await openWithData(page, 'user-app', 300);
});
after(async () => { await app?.stop(); });

test('a MongoDB find returns the expected rows, with explain', async () => {
  assert.match(await page.getByTestId('data-summary').textContent(), /MongoDB: 600 documents in users \(300\), posts \(300\)/);
  await page.getByTestId('console-mongo').click();
  await page.getByTestId('mongo-collection').selectOption('users');
  await page.getByTestId('mongo-filter').fill('{"email": "john@example.com"}');
  await page.getByTestId('run').click();
  const stats = page.getByTestId('result-stats');
  await stats.waitFor();
  assert.match(await stats.textContent(), /^1 row/);
  const table = page.getByTestId('result-table');
  assert.match(await table.textContent(), /john@example\.com/);
  assert.match(await page.getByTestId('explain').textContent(), /IXSCAN email_1.*keys examined 1.*documents examined 1/);
  await screenshot(page, 'query-mongo');
  assert.deepEqual(page.errors, []);
});

test('a MongoDB find answers a first batch of 101 and pages through its cursor', async () => {
  await page.getByTestId('console-mongo').click();
  await page.getByTestId('mongo-collection').selectOption('users');
  await page.getByTestId('mongo-filter').fill('{}');
  await page.getByTestId('mongo-limit').fill('');
  await page.getByTestId('mongo-limit').press('Tab');
  await page.getByTestId('run').click();
  const stats = page.getByTestId('result-stats');
  await page.getByTestId('more-rows').waitFor();
  assert.match(await stats.textContent(), /^101 rows.*more documents in the cursor/);
  assert.equal(await page.locator('[data-testid=result-table] tbody tr').count(), 101);
  await page.screenshot({ path: join(artifacts, 'query-mongo-cursor.png') });
  await page.getByTestId('more-rows').click();
  await page.waitForFunction(() => /^202 rows/.test(document.querySelector('[data-testid=result-stats]')?.textContent));
  await page.getByTestId('more-rows').click();
  await page.waitForFunction(() => /^300 rows/.test(document.querySelector('[data-testid=result-stats]')?.textContent));
  assert.equal(await page.getByTestId('more-rows').count(), 0, 'the cursor is exhausted');
  assert.doesNotMatch(await stats.textContent(), /more documents/);
  const ids = await page.locator('[data-testid=result-table] tbody tr td:first-child').allTextContents();
  assert.equal(new Set(ids).size, 300, 'every user once');
  await page.getByTestId('mongo-limit').fill('20');
  await page.getByTestId('mongo-limit').press('Tab');
  assert.deepEqual(page.errors, []);
});

test('a DynamoDB Query on the user partition returns the user and pages on', async () => {
  await page.getByTestId('console-dynamo').click();
  await page.getByTestId('dynamo-op').selectOption('Query');
  await page.getByTestId('dynamo-input').fill(JSON.stringify({
    TableName: 'app-data',
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': { S: 'USER#507f1f77bcf86cd799439011' } },
  }, null, 2));
  await page.getByTestId('run').click();
  await page.getByTestId('result-table').waitFor();
  const stats = await page.getByTestId('result-stats').textContent();
  assert.match(stats, /Count 1/);
  assert.match(stats, /consumed [0-9.]+ capacity units/);
  assert.match(await page.getByTestId('result-table').textContent(), /john@example\.com/);

  // A Scan with a Limit has a next page.
  await page.getByTestId('dynamo-op').selectOption('Scan');
  await page.getByTestId('dynamo-input').fill('{"TableName": "app-data", "Limit": 5}');
  await page.getByTestId('run').click();
  await page.getByTestId('next-page').waitFor();
  assert.match(await page.getByTestId('result-stats').textContent(), /^5 rows.*ScannedCount 5/);
  const first = await page.getByTestId('result-table').textContent();
  await page.getByTestId('next-page').click();
  await page.waitForFunction((before) => document.querySelector('[data-testid=result-table]')?.textContent !== before, first);
  await screenshot(page, 'query-dynamo');
  assert.deepEqual(page.errors, []);
});

test('a malformed query shows an inline error at its position', async () => {
  await page.getByTestId('console-mongo').click();
  await page.getByTestId('mongo-filter').fill('{"email": "john@example.com",\n  "profile.city" "NYC"}');
  await page.getByTestId('run').click();
  const error = page.getByTestId('query-error-filter');
  await error.waitFor();
  assert.match(await error.textContent(), /line 2, column 18: expected `:`/);
  assert.equal(await page.getByTestId('mongo-filter').getAttribute('aria-invalid'), 'true');

  // An unknown operator is the simulator's error, shown inline too.
  await page.getByTestId('mongo-filter').fill('{"email": {"$eqq": 1}}');
  await page.getByTestId('run').click();
  const server = page.getByTestId('query-error');
  await server.waitFor();
  assert.match(await server.textContent(), /\$eqq/);

  await page.getByTestId('console-dynamo').click();
  await page.getByTestId('dynamo-op').selectOption('Query');
  await page.getByTestId('dynamo-input').fill('{"TableName": "app-data", "KeyConditionExpression": "PK = :pk AND"}');
  await page.getByTestId('run').click();
  await page.getByTestId('query-error').waitFor();
  assert.match(await page.getByTestId('query-error').textContent(), /ValidationException/);
  await screenshot(page, 'query-error');
  assert.deepEqual(page.errors, []);
});
