// Versions (optimistic locking) edited without the JSON view: saas's "Move task" is versioned
// on its tasks' `version` field; the pattern's sentence offers the entity's whole-number
// fields, and choosing one (or none) changes the MongoDB update (the version in the filter,
// `$inc`, the matched-count check) and the DynamoDB UpdateItem (`version = :expected`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startApp, screenshot, artifacts } from './harness.mjs';

let app;
let page;
before(async () => {
  app = await startApp();
  page = await app.open();
  await page.getByTestId('example-saas').click();
});
after(async () => { await app?.stop(); });

/** The mongosh line the MongoDB view shows for a pattern. */
async function mongoShell(pattern) {
  await page.getByTestId('nav-mongo').click();
  await page.getByTestId('view-mongo').waitFor();
  const row = page.getByTestId('mongo-query').filter({ hasText: pattern });
  return row.textContent();
}

/** The text of the DynamoDB view's request for a pattern. */
async function dynamoRequest(pattern) {
  await page.getByTestId('nav-dynamo').click();
  await page.getByTestId('view-dynamo').waitFor();
  const request = page.getByTestId('dynamo-request').filter({ hasText: pattern });
  return request.textContent();
}

async function versionSelect() {
  await page.getByTestId('nav-design').click();
  await page.getByTestId('view-design').waitFor();
  return page.getByTestId('pattern-10-version');
}

test('a versioned update is edited in its sentence and changes both layouts', async () => {
  const select = await versionSelect();
  assert.equal(await page.getByTestId('pattern-10-name').inputValue(), 'Move task');
  assert.equal(await select.inputValue(), 'version');
  // Only the entity's whole-number fields are offered, besides none.
  const options = await select.locator('option').allTextContents();
  assert.deepEqual(options, ['no version', 'versioned on version']);
  // Reads and inserts have no version to choose.
  assert.equal(await page.getByTestId('pattern-8-version').count(), 0);
  assert.equal(await page.getByTestId('pattern-9-version').count(), 0);
  await screenshot(page, 'apat-version-desktop');

  let shell = await mongoShell('Move task');
  assert.match(shell, /version: 1 \}/);
  assert.match(shell, /\$inc: \{ version: 1 \}/);
  assert.match(shell, /matchedCount === 1/);
  let request = await dynamoRequest('Move task');
  assert.match(request, /version = version \+ :one/);
  assert.match(request, /version = :expected/);

  // No version: a plain update in both layouts.
  await (await versionSelect()).selectOption('');
  shell = await mongoShell('Move task');
  assert.doesNotMatch(shell, /\$inc/);
  assert.doesNotMatch(shell, /matchedCount/);
  request = await dynamoRequest('Move task');
  assert.doesNotMatch(request, /:expected/);

  // And back, as undo restores it.
  await page.getByTestId('undo').click();
  assert.equal(await (await versionSelect()).inputValue(), 'version');
  shell = await mongoShell('Move task');
  assert.match(shell, /matchedCount === 1/);
  assert.deepEqual(page.errors, []);
});

test('the version choice fits a phone', async () => {
  const phone = await app.open({ viewport: { width: 390, height: 844 } });
  await phone.getByTestId('example-saas').click();
  await phone.getByTestId('nav-design').click();
  const select = phone.getByTestId('pattern-10-version');
  await select.scrollIntoViewIfNeeded();
  const box = await select.boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `inside the screen: ${JSON.stringify(box)}`);
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `page ${width} px wide`);
  await screenshot(phone, 'apat-version-phone');
  await phone.locator('#pattern-10').screenshot({ path: join(artifacts, 'apat-version-phone-row.png') });
  assert.deepEqual(phone.errors, []);
});
