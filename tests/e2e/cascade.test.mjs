// A relationship's on-delete choice, edited in its sentence: the user app's "Delete user"
// deletes the user's posts (the default: a post must name its author), shown as cleanup
// requests in both views; kept, the cleanup goes and the warnings say the posts stay.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startApp, screenshot, artifacts } from './harness.mjs';

let app;
let page;
before(async () => {
  app = await startApp();
  page = await app.open();
  await page.getByTestId('example-user-app').click();
  await page.getByTestId('nav-design').click();
});
after(async () => { await app?.stop(); });

/** The design as the JSON view shows it. */
async function design() {
  return JSON.parse(await page.getByTestId('json-text').inputValue());
}

/** Waits until the first relationship's onDelete is `want` (undefined: the default). */
async function onDeleteBecomes(want) {
  for (let i = 0; i < 50; i++) {
    if ((await design()).relationships[0].onDelete === want) return;
    await page.waitForTimeout(100);
  }
  assert.equal((await design()).relationships[0].onDelete, want);
}

/** "Delete user" in the DynamoDB view and in the MongoDB view, as text. */
async function deleteUser() {
  await page.getByTestId('nav-dynamo').click();
  await page.getByTestId('view-dynamo').waitFor();
  const dynamo = (await page.getByTestId('dynamo-request').allTextContents())
    .find((r) => r.includes('Delete user'));
  await page.getByTestId('nav-mongo').click();
  await page.getByTestId('view-mongo').waitFor();
  const mongo = (await page.getByTestId('mongo-query').allTextContents())
    .find((r) => r.includes('Delete user'));
  await page.getByTestId('nav-design').click();
  return { dynamo, mongo };
}

test('deleting a user deletes their posts in both layouts, until the posts are kept', async () => {
  const select = page.getByTestId('rel-0-on-delete');
  await select.waitFor();
  assert.equal(await select.inputValue(), 'default');
  // Many-to-many relationships have pairs, not children: the user app has none, but the
  // comments of a post (one-to-few) have the choice too.
  assert.equal(await page.getByTestId('rel-1-on-delete').inputValue(), 'default');

  let { dynamo, mongo } = await deleteUser();
  assert.match(dynamo, /Then, the children that go with it/);
  assert.match(dynamo, /Query on GSI1: deleting a user deletes its posts/);
  assert.match(dynamo, /BatchWriteItem: the posts found \(with their marker items\), 25 keys a BatchWriteItem/);
  assert.match(mongo, /db\.posts\.deleteMany\(\{ authorId: ObjectId\('507f1f77bcf86cd799439011'\) \}\)/);
  assert.match(mongo, /their comments are inside them and go with them/);

  await select.selectOption('keep');
  await onDeleteBecomes('keep');
  await screenshot(page, 'cascade-keep-1280');
  await page.setViewportSize({ width: 390, height: 844 });
  await mkdir(artifacts, { recursive: true });
  await page.getByTestId('rel-0').screenshot({ path: join(artifacts, 'cascade-keep-390.png') });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width} px wide at 390`);
  await page.setViewportSize({ width: 1280, height: 800 });

  ({ dynamo, mongo } = await deleteUser());
  assert.doesNotMatch(dynamo, /BatchWriteItem/);
  assert.doesNotMatch(dynamo, /children that go with it/);
  assert.doesNotMatch(mongo, /deleteMany/);
  await page.getByTestId('nav-advice').click();
  const advice = await page.locator('body').textContent();
  assert.match(advice, /deleting a user leaves its posts behind on purpose/);
  await page.getByTestId('nav-design').click();

  await page.getByTestId('rel-0-on-delete').selectOption('cascade');
  await onDeleteBecomes('cascade');
  ({ dynamo, mongo } = await deleteUser());
  assert.match(dynamo, /BatchWriteItem/);
  assert.match(mongo, /deleteMany/);
  await screenshot(page, 'cascade-cascade-1280');
  assert.match(await page.getByTestId('json-findings').textContent(), /No problems found/);
  assert.deepEqual(page.errors, []);
});
