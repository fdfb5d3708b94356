// The script console: the user's own examples pasted verbatim run statement by statement on
// generated data, each statement's outcome at its lines; a share link carries the script and
// shows the same results in a fresh browser; the script and its results outlast a view switch
// and a reload; a version 1 link still opens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startApp, screenshot, repoRoot } from './harness.mjs';

/** The user's examples, cut into the blocks a user would paste. */
async function snippets() {
  const text = await readFile(join(repoRoot, 'tests', 'e2e', 'fixtures', 'user-examples.md'), 'utf8');
  const code = text.slice(text.indexOf('```js\n') + 6, text.indexOf('```\n\nThe user'));
  return {
    documents: code.slice(0, code.indexOf('import mongoose')),
    mongoose: code.slice(code.indexOf('import mongoose'), code.indexOf('// Single table design')),
    sdk: code.slice(code.indexOf('import { DynamoDBClient }')),
  };
}

/** Each listed outcome as `line:status`, in order. */
async function outcomes(page) {
  return page.getByTestId('script-outcome').evaluateAll((items) =>
    items.map((li) => `${li.dataset.line}:${li.dataset.status}`));
}

/** The outcome of the statement starting on `line`. */
function outcome(page, line) {
  return page.locator(`[data-testid=script-outcome][data-line="${line}"]`);
}

/** Pastes a script into the current database's script console, runs it, waits for its outcomes. */
async function run(page, script) {
  await page.getByTestId('script-input').fill(script);
  const before = await page.getByTestId('script-summary').count();
  await page.getByTestId('script-input').press('Control+Enter');
  await page.getByTestId('running').waitFor({ state: 'detached', timeout: 60_000 }).catch(() => {});
  await page.getByTestId('script-summary').waitFor({ timeout: 60_000 });
  assert.ok(before >= 0);
  return page.getByTestId('script-summary').textContent();
}

let app;
let page;
let examples;
before(async () => {
  examples = await snippets();
  app = await startApp();
  page = await app.open();
  await page.getByTestId('example-user-app').click();
  await page.getByTestId('nav-query').click();
  await page.getByTestId('per-entity').fill('50');
  await page.getByTestId('per-entity').press('Tab');
  await page.getByTestId('generate').click();
  await page.getByTestId('data-summary').waitFor({ timeout: 60_000 });
  await page.getByTestId('mode-script').click();
});
after(async () => { await app?.stop(); });

test('the three documents show as documents, the placeholder ObjectId with its warning', async () => {
  assert.match(await run(page, examples.documents), /^3 statements, 0 failed/);
  assert.deepEqual(await outcomes(page), ['2:ok', '15:ok', '24:ok']);
  assert.match(await outcome(page, 2).textContent(), /john@example\.com/);
  assert.match(await outcome(page, 15).textContent(), /Great!/);
  assert.match(await outcome(page, 24).getByTestId('script-warning').textContent(), /documentation placeholder/);
  assert.deepEqual(page.errors, []);
});

test('the whole mongoose block runs, each statement with its answer', async () => {
  const summary = await run(page, examples.mongoose);
  await screenshot(page, 'script-mongoose');
  assert.match(summary, /^14 statements, 0 failed/);
  const listed = await outcomes(page);
  assert.ok(listed.every((o) => o.endsWith(':ok')), listed.join(' '));
  // Find, findOne: rows of the users collection.
  assert.match(await outcome(page, 20).getByTestId('result-table').textContent(), /NYC/);
  assert.match(await outcome(page, 21).getByTestId('result-table').textContent(), /john@example\.com/);
  // updateOne and deleteOne acknowledge; the aggregation groups by city.
  assert.match(await outcome(page, 23).getByTestId('result-stats').textContent(), /matchedCount 1/);
  assert.match(await outcome(page, 28).getByTestId('result-stats').textContent(), /deletedCount 1/);
  assert.match(await outcome(page, 30).textContent(), /NYC/);
  // The gutter marks every line of a statement that ran.
  const gutter = page.getByTestId('script-input-gutter');
  for (const line of [14, 18, 23, 26]) {
    assert.equal(await gutter.locator(`[data-line="${line}"]`).getAttribute('class'), 'ran');
  }
  assert.deepEqual(page.errors, []);
});

test('the whole SDK block runs; its three prose lines show their errors at their place', async () => {
  await page.getByTestId('console-dynamo').click();
  const summary = await run(page, examples.sdk);
  await screenshot(page, 'script-sdk');
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'script-sdk-phone');
  await page.setViewportSize({ width: 1280, height: 800 });
  assert.match(summary, /^13 statements, 3 failed/);
  const listed = await outcomes(page);
  assert.deepEqual(listed.filter((o) => o.endsWith(':error')), ['55:error', '56:error', '57:error']);
  assert.match(await outcome(page, 22).getByTestId('result-table').textContent(), /USER#123.*PROFILE/);
  assert.match(await outcome(page, 58).getByTestId('result-table').textContent(), /john@example\.com/);
  assert.match(await outcome(page, 56).getByTestId('script-error').textContent(), /line 56, column 11: SyntaxError: .*prose/);
  // The error's line is marked; clicking its position puts the caret there.
  const gutter = page.getByTestId('script-input-gutter');
  assert.equal(await gutter.locator('[data-line="56"]').getAttribute('class'), 'bad');
  await outcome(page, 56).getByTestId('script-error-at').click();
  const caret = await page.getByTestId('script-input').evaluate((el) => [document.activeElement === el, el.selectionStart]);
  const offset = examples.sdk.split('\n').slice(0, 55).join('\n').length + 1 + 10;
  assert.deepEqual(caret, [true, offset]);
  assert.deepEqual(page.errors, []);
});

test('a share link with the script opens in a fresh browser, regenerates, runs and shows the same', async () => {
  const summary = await page.getByTestId('script-summary').textContent();
  const listed = await outcomes(page);
  await page.getByTestId('copy-link').click();
  const link = await page.getByTestId('share-link').inputValue();
  const hash = link.slice(link.indexOf('#'));
  assert.ok(hash.startsWith('#design=2'), hash.slice(0, 20));
  console.log(`share link with the SDK block: ${link.length} characters`);

  const other = await app.open({ hash });
  await other.getByTestId('view-query').waitFor();
  await other.getByTestId('script-summary').waitFor({ timeout: 60_000 });
  assert.equal(await other.getByTestId('script-summary').textContent(), summary);
  assert.deepEqual(await outcomes(other), listed);
  assert.equal(await other.getByTestId('script-input').inputValue(), examples.sdk);
  assert.match(await other.getByTestId('data-summary').textContent(), /MongoDB: 100 documents/);
  assert.match(await other.getByTestId('notice-info').textContent(), /query runs/);
  await screenshot(other, 'script-share-opened');
  assert.deepEqual(other.errors, []);
  await other.context().close();
});

test('the script and its results outlast a view switch and a reload', async () => {
  // A browser of its own, whose data no other test's script has changed, so the run after
  // the reload (on the same data, generated again) shows what the run before it showed.
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const own = await app.open({ context });
  await own.getByTestId('example-user-app').click();
  await own.getByTestId('nav-query').click();
  await own.getByTestId('per-entity').fill('40');
  await own.getByTestId('per-entity').press('Tab');
  await own.getByTestId('generate').click();
  await own.getByTestId('data-summary').waitFor({ timeout: 60_000 });
  await own.getByTestId('mode-script').click();
  const script = "db.users.find({ 'profile.city': 'NYC' }).sort({ createdAt: -1 }).limit(2)\ndb.users.countDocuments()";
  const summary = await run(own, script);
  assert.match(summary, /^2 statements, 0 failed/);
  const table = await outcome(own, 1).getByTestId('result-table').textContent();
  const count = await outcome(own, 2).textContent();
  assert.match(count, /40/);
  await own.getByTestId('nav-design').click();
  await own.getByTestId('view-design').waitFor();
  await own.getByTestId('nav-query').click();
  assert.equal(await own.getByTestId('script-input').inputValue(), script);
  assert.equal(await own.getByTestId('script-summary').textContent(), summary);
  assert.equal(await outcome(own, 1).getByTestId('result-table').textContent(), table);

  await own.reload();
  await own.getByTestId('nav-query').click();
  assert.equal(await own.getByTestId('script-input').inputValue(), script);
  await own.getByTestId('script-summary').waitFor({ timeout: 60_000 });
  assert.equal(await own.getByTestId('script-summary').textContent(), summary);
  assert.equal(await outcome(own, 1).getByTestId('result-table').textContent(), table);
  assert.equal(await outcome(own, 2).textContent(), count);
  assert.match(await own.getByTestId('data-summary').textContent(), /MongoDB: 80 documents/);
  assert.deepEqual(own.errors, []);
  await context.close();
});

test('a script runs before any data is generated, on the design\'s empty layouts', async () => {
  const fresh = await app.open();
  await fresh.getByTestId('example-user-app').click();
  await fresh.getByTestId('nav-query').click();
  await fresh.getByTestId('mode-script').click();
  await fresh.getByTestId('console-dynamo').click();
  const script = "aws dynamodb put-item --table-name app-data --item '{\"PK\": {\"S\": \"USER#1\"}, \"SK\": {\"S\": \"PROFILE\"}}'\n"
    + "aws dynamodb get-item --table-name app-data --key '{\"PK\": {\"S\": \"USER#1\"}, \"SK\": {\"S\": \"PROFILE\"}}'";
  assert.match(await run(fresh, script), /^2 statements, 0 failed/);
  assert.match(await outcome(fresh, 2).textContent(), /USER#1/);
  assert.deepEqual(fresh.errors, []);
  await fresh.context().close();
});

test('a link made before links carried the console still opens', async () => {
  const fragment = (await readFile(join(repoRoot, 'crates', 'core', 'tests', 'fixtures', 'share-link-v1.txt'), 'utf8')).trim();
  const old = await app.open({ hash: `#design=${fragment}` });
  await old.getByTestId('view-design').waitFor();
  assert.equal(await old.getByTestId('design-name').inputValue(), 'Format version 1 fixture');
  assert.equal(await old.getByTestId('notice-error').count(), 0);
  assert.deepEqual(old.errors, []);
  await old.context().close();
});
