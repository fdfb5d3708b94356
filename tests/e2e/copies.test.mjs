// A denormalised copy, marked in the field's form: the user app's Post.authorName is unmarked,
// then marked again through the form (source entity, field and via), and "Rename user" fans
// out to the posts in both views (DynamoDB: the Query of GSI1 by authorId and an UpdateItem per
// post; MongoDB: an updateMany on authorId), with its cost; a reload keeps it, and a console
// run of the rename's SDK code with a new name changes every post's copy.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startApp, screenshot, artifacts, designJson, openWithData } from './harness.mjs';

let app;
let page;
before(async () => {
  app = await startApp();
  page = await app.open();
  await page.getByTestId('example-user-app').click();
  await design();
});
after(async () => { await app?.stop(); });

async function design() {
  await page.getByTestId('nav-design').click();
  await page.getByTestId('view-design').waitFor();
}

/** Post's field authorName: its row's test id. */
const ROW = 'entity-1-field-4';

/** Waits until Post.authorName's copyOf in the JSON view is `want` (undefined: none). */
async function copyBecomes(want) {
  const copy = async () => (await designJson(page)).entities[1].fields[4].copyOf;
  for (let i = 0; i < 50 && JSON.stringify(await copy()) !== JSON.stringify(want); i++) {
    await page.waitForTimeout(100);
  }
  assert.deepEqual(await copy(), want);
}

/** "Rename user" in the DynamoDB view and in the MongoDB view, as text. */
async function renameUser() {
  await page.getByTestId('nav-dynamo').click();
  await page.getByTestId('view-dynamo').waitFor();
  const dynamo = (await page.getByTestId('dynamo-request').allTextContents())
    .find((r) => r.includes('Rename user'));
  await page.getByTestId('nav-mongo').click();
  await page.getByTestId('view-mongo').waitFor();
  const mongo = (await page.getByTestId('mongo-query').allTextContents())
    .find((r) => r.includes('Rename user'));
  await page.getByTestId('nav-advice').click();
  const cost = await page.getByTestId('cost').textContent();
  await design();
  return { dynamo, mongo, cost };
}

test('a copy marked in the form fans out in both views, with its cost, and a reload keeps it', async () => {
  const wanted = { entity: 'User', field: 'name', via: 'authorId' };
  assert.equal(await page.getByTestId(`${ROW}-name`).inputValue(), 'authorName');
  await copyBecomes(wanted);

  // Unmarked: the rename is a lone UpdateItem.
  await page.getByTestId(`${ROW}-more`).click();
  await page.getByTestId(`${ROW}-copy`).uncheck();
  await copyBecomes(undefined);
  let { dynamo, mongo, cost } = await renameUser();
  assert.doesNotMatch(dynamo, /the copies of what it changes/);
  assert.doesNotMatch(mongo, /updateMany/);
  // The cost table: the rename alone is its UpdateItem's 3 write units.
  assert.match(cost, /Rename userUpdateItem5\.03\.0 WCU/);

  // Marked again through the form: the reference authorId leads to User; the name is picked.
  await page.getByTestId(`${ROW}-more`).click();
  await page.getByTestId(`${ROW}-copy`).check();
  assert.equal(await page.getByTestId(`${ROW}-copy-entity`).inputValue(), 'User');
  assert.equal(await page.getByTestId(`${ROW}-copy-via`).inputValue(), 'authorId');
  await page.getByTestId(`${ROW}-copy-field`).selectOption('name');
  await copyBecomes(wanted);
  assert.equal(await page.getByTestId(ROW).getByTestId('finding-here').count(), 0);
  await screenshot(page, 'copies-form-1280');
  await page.setViewportSize({ width: 390, height: 844 });
  await mkdir(artifacts, { recursive: true });
  await page.getByTestId(ROW).screenshot({ path: join(artifacts, 'copies-form-390.png') });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width} px wide at 390`);
  await page.setViewportSize({ width: 1280, height: 800 });

  ({ dynamo, mongo, cost } = await renameUser());
  assert.match(dynamo, /Then, the copies of what it changes/);
  assert.match(dynamo, /Post\.authorName \(a copy of User\.name\): found by a Query of GSI1 by authorId/);
  assert.match(dynamo, /while \(renameUserAuthorNameCopiesAt < renameUserAuthorNameCopiesAll\.length\)/);
  assert.match(mongo, /db\.posts\.updateMany\(\{ authorId: ObjectId\('507f1f77bcf86cd799439011'\) \}, \{ \$set: \{ authorName: /);
  // With the fan-out: a Query's 3 read units and about 20 UpdateItems of 2 units on top.
  assert.match(cost, /Rename userUpdateItem5\.043\.0 WCU\$358\.07/);

  // A reload (the autosave) keeps the copy.
  await page.reload();
  await design();
  await copyBecomes(wanted);
  assert.deepEqual(page.errors, []);
});

test("a console run of the rename's code changes every copy of the name", async () => {
  const own = await app.open();
  await openWithData(own, 'user-app', 60);
  await own.getByTestId('mode-script').click();
  await own.getByTestId('console-dynamo').click();
  // The rename, to a name no user has, then its fan-out, as the DynamoDB view gives them.
  await own.getByTestId('nav-dynamo').click();
  await own.getByTestId('view-dynamo').waitFor();
  const code = await own.getByTestId('dynamo-request').filter({ hasText: 'Rename user' })
    .locator('pre.code').textContent();
  assert.match(code, /renameUserAuthorNameCopiesAll/);
  await own.getByTestId('nav-query').click();
  await own.getByTestId('mode-script').click();
  await own.getByTestId('console-dynamo').click();
  const script = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
const client = DynamoDBDocumentClient.from(new DynamoDBClient({}))
const TABLE = 'app-data'
${code.replaceAll("'John Doe'", "'Jane Roe'")}
const posts = await client.send(new QueryCommand({
  TableName: TABLE,
  IndexName: 'GSI1',
  KeyConditionExpression: 'GSI1PK = :pk',
  ExpressionAttributeValues: { ':pk': 'USER#507f1f77bcf86cd799439011' }
}))
posts.Items.length
renameUserAuthorNameCopiesAll.length
posts.Items`;
  await own.getByTestId('script-input').fill(script);
  await own.getByTestId('script-input').press('Control+Enter');
  await own.getByTestId('script-summary').waitFor({ timeout: 60_000 });
  assert.match(await own.getByTestId('script-summary').textContent(), /0 failed/);
  const last = own.getByTestId('script-outcome').last();
  const text = await last.textContent();
  assert.match(text, /Jane Roe/);
  assert.doesNotMatch(text, /John Doe/);
  await screenshot(own, 'copies-console-1280');
  assert.deepEqual(own.errors, []);
});
