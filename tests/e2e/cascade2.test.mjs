// A delete takes its many-to-many pairs with it, and says whether its cleanup is atomic. The
// task tracker (saas): "Remove member" deletes the member's Project/Member link items found
// through the inverted index (DynamoDB) and pulls its id from the projects' memberIds
// (MongoDB); "Delete project" deletes its tasks and the link items in its partition. The
// warnings say the cleanup runs after the delete, not atomic: a member's fits one
// TransactWriteItems, a project's 409 writes do not (children first). In the console, the
// Remove member script pages its Query and retries its BatchWriteItem with while loops, and
// nothing fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startApp, screenshot, artifacts, openWithData } from './harness.mjs';

let app;
let page;
before(async () => {
  app = await startApp();
  page = await app.open();
  await page.getByTestId('example-saas').click();
});
after(async () => { await app?.stop(); });

/** The request (DynamoDB) or query (MongoDB) card of a pattern, as text. */
async function card(view, testid, pattern) {
  await page.getByTestId(`nav-${view}`).click();
  await page.getByTestId(`view-${view}`).waitFor();
  return (await page.getByTestId(testid).allTextContents()).find((r) => r.includes(pattern));
}

test('a deleted member or project takes its pairs with it in both views', async () => {
  const member = await card('dynamo', 'dynamo-request', 'Remove member');
  assert.match(member, /Query on GSI1: deleting a member deletes its Project\/Member link items, the pairs with projects/);
  assert.match(member, /BatchWriteItem: the Project\/Member link items, 25 keys a BatchWriteItem/);
  const project = await card('dynamo', 'dynamo-request', 'Delete project');
  assert.match(project, /deleting a project deletes its tasks/);
  assert.match(project, /deleting a project deletes its Project\/Member link items, the pairs with members \(they are in the project's partition/);
  await screenshot(page, 'cascade2-dynamo-1280');
  await page.setViewportSize({ width: 390, height: 844 });
  await mkdir(artifacts, { recursive: true });
  const request = page.getByTestId('dynamo-request').filter({ hasText: 'Remove member' });
  await request.screenshot({ path: join(artifacts, 'cascade2-remove-member-390.png') });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width} px wide at 390`);
  await page.setViewportSize({ width: 1280, height: 800 });

  const pull = await card('mongo', 'mongo-query', 'Remove member');
  assert.match(pull, /db\.projects\.updateMany\(\{ memberIds: 'member-1' \}, \{ \$pull: \{ memberIds: 'member-1' \} \}\)/);
  const own = await card('mongo', 'mongo-query', 'Delete project');
  assert.match(own, /the project pairs are in its memberIds array: they go with its document/);

  await page.getByTestId('nav-advice').click();
  const advice = await page.locator('body').textContent();
  assert.match(advice, /deleting a member takes about 6 writes .* they fit one TransactWriteItems \(6 of 100 actions\)/);
  assert.match(advice, /deleting a project takes about 409 writes .* delete the children before the project/);
  await screenshot(page, 'cascade2-advice-1280');
  assert.deepEqual(page.errors, []);
});

test('the console fills and runs Remove member with its loops', async () => {
  // A new page: the examples are offered on the start page, which the design above replaced.
  page = await app.open();
  await openWithData(page, 'saas', 20);
  await page.getByTestId('console-dynamo').click();
  await page.getByTestId('mode-script').click();
  await page.getByTestId('script-pattern').selectOption('Remove member');
  const script = await page.getByTestId('script-input').inputValue();
  assert.match(script, /while \(removeMemberCleanup1\.LastEvaluatedKey\) \{/);
  assert.match(script, /while \(removeMemberCleanup2\.UnprocessedItems && Object\.keys\(removeMemberCleanup2\.UnprocessedItems\)\.length > 0\) \{/);
  const results = page.getByTestId('script-results');
  await page.getByTestId('script-input').press('Control+Enter');
  await results.waitFor({ timeout: 60_000 });
  assert.equal(await page.getByTestId('script-error').count(), 0, await results.textContent());
  // The statements inside the loops ran too: the GetItem, the transaction, the Query and its
  // loop, the BatchWriteItem and its loop, with none failing.
  assert.match(await page.getByTestId('script-summary').textContent(), /statements, 0 failed/);
  await screenshot(page, 'cascade2-console-1280');
  assert.deepEqual(page.errors, []);
});
