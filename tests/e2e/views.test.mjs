// The user's example design in the MongoDB and DynamoDB views: the layouts it teaches and the
// exports a user takes to the next tool.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, screenshot } from './harness.mjs';

let app;
let page;
before(async () => {
  app = await startApp();
  page = await app.open();
  await page.getByTestId('example-user-app').click();
});
after(async () => { await app?.stop(); });

/** Opens the export whose summary contains `title` and returns its text. */
async function exportText(title) {
  const item = page.getByTestId('export').filter({ has: page.locator('summary', { hasText: title }) });
  await item.locator('summary').click();
  return item.locator('pre').textContent();
}

test('MongoDB view: embedded comments, referenced author, the unique email index, and the exports', async () => {
  await page.getByTestId('nav-mongo').click();
  await page.getByTestId('view-mongo').waitFor();
  const view = page.getByTestId('view-mongo');
  await view.getByText('embed', { exact: false }).first().waitFor();
  const text = await view.textContent();
  assert.match(text, /comments/);
  assert.match(text, /email_1/);
  assert.match(text, /unique/);
  const mongoose = await exportText('mongoose');
  assert.match(mongoose, /new mongoose\.Schema\(/);
  assert.match(mongoose, /unique: true/);
  const schema = await exportText('$jsonSchema');
  assert.match(schema, /"bsonType"/);
  await screenshot(page, 'views-mongo-exports');
  assert.deepEqual(page.errors, []);
});

test('DynamoDB view: the app-data table, USER# keys, the EmailIndex, and CloudFormation', async () => {
  await page.getByTestId('nav-dynamo').click();
  await page.getByTestId('view-dynamo').waitFor();
  const text = await page.getByTestId('view-dynamo').textContent();
  assert.match(text, /app-data/);
  assert.match(text, /USER#/);
  assert.match(text, /EmailIndex/);
  const cfn = await exportText('CloudFormation');
  assert.match(cfn, /AWS::DynamoDB::Table/);
  assert.match(cfn, /EmailIndex/);
  const sdk = await exportText('SDK');
  assert.match(sdk, /@aws-sdk\/lib-dynamodb/);
  await screenshot(page, 'views-dynamo-exports');
  assert.deepEqual(page.errors, []);
});
