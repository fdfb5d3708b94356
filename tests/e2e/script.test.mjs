// The script console: the user's own examples pasted verbatim run statement by statement on
// generated data, each statement's outcome at its lines; a share link carries the script and
// shows the same results in a fresh browser; the script and its results outlast a view switch
// and a reload; a version 1 link still opens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startApp, screenshot, repoRoot, runScript } from './harness.mjs';

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
const run = runScript;

/**
 * A page of its own (in a browser context of its own, unless one is passed) on the user's
 * example with `perEntity` generated records per entity, in the script console.
 */
async function openWithData(perEntity, context) {
  const own = await app.open({ context: context ?? (await app.browser.newContext({ viewport: { width: 1280, height: 800 } })) });
  await own.getByTestId('example-user-app').click();
  await own.getByTestId('nav-query').click();
  await own.getByTestId('per-entity').fill(String(perEntity));
  await own.getByTestId('per-entity').press('Tab');
  await own.getByTestId('generate').click();
  await own.getByTestId('data-summary').waitFor({ timeout: 60_000 });
  await own.getByTestId('mode-script').click();
  return own;
}

let app;
let page;
let examples;
before(async () => {
  examples = await snippets();
  app = await startApp();
  page = await openWithData(50);
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
  // User.create of john@example.com meets the generated showcase user, who has that email
  // (the example design takes the user's own values): the unique index refuses it, as MongoDB
  // does (the same outcome as `schemaplay run`). Every other statement runs.
  assert.match(summary, /^14 statements, 1 failed/);
  const listed = await outcomes(page);
  assert.deepEqual(listed.filter((o) => o.endsWith(':error')), ['14:error']);
  assert.match(await outcome(page, 14).getByTestId('script-error').textContent(), /line 14, column 25: MongoServerError: E11000 duplicate key error/);
  assert.match(await outcome(page, 35).getByTestId('script-warning').textContent(), /Duplicate schema index/);
  // Find, findOne: rows of the users collection.
  assert.match(await outcome(page, 20).getByTestId('result-table').textContent(), /NYC/);
  assert.match(await outcome(page, 21).getByTestId('result-table').textContent(), /john@example\.com/);
  // updateOne and deleteOne acknowledge; the aggregation groups by city.
  assert.match(await outcome(page, 23).getByTestId('result-stats').textContent(), /matchedCount 1/);
  assert.match(await outcome(page, 28).getByTestId('result-stats').textContent(), /deletedCount 1/);
  assert.match(await outcome(page, 30).textContent(), /NYC/);
  // The gutter marks every line of each statement: ran, failed, and the error's own line.
  const gutter = page.getByTestId('script-input-gutter');
  const marks = {};
  for (const line of [13, 14, 15, 18, 19, 23, 26]) {
    marks[line] = await gutter.locator(`[data-line="${line}"]`).getAttribute('class');
  }
  assert.deepEqual(marks, { 13: null, 14: 'bad', 15: 'failed', 18: 'failed', 19: null, 23: 'ran', 26: 'ran' });
  assert.deepEqual(page.errors, []);
});

test('the whole SDK block runs; its prose lines show their errors at their place', async () => {
  await page.getByTestId('console-dynamo').click();
  const summary = await run(page, examples.sdk);
  await screenshot(page, 'script-sdk');
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'script-sdk-phone');
  await page.setViewportSize({ width: 1280, height: 800 });
  // Besides the three prose lines, the conditional update fails its condition: the item the
  // block put has no balance, and DynamoDB refuses it just so (as `schemaplay run` says).
  assert.match(summary, /^13 statements, 4 failed/);
  const listed = await outcomes(page);
  assert.deepEqual(listed.filter((o) => o.endsWith(':error')), ['44:error', '55:error', '56:error', '57:error']);
  assert.match(await outcome(page, 44).getByTestId('script-error').textContent(), /ConditionalCheckFailedException: The conditional request failed/);
  for (const line of [12, 22, 27, 36, 58]) {
    assert.equal(await outcome(page, line).getAttribute('data-status'), 'ok', `line ${line}`);
  }
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
  const own = await openWithData(40);
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
  await own.context().close();
});

test('picking an access pattern fills the script with its request, which runs and finds rows', async () => {
  const own = await openWithData(20);
  await own.getByTestId('script-input').fill('db.posts.countDocuments()');
  await own.getByTestId('script-pattern').selectOption('Find user by email');
  const mongosh = await own.getByTestId('script-input').inputValue();
  assert.match(mongosh, /db\.users\.find/);
  // The fill can be undone until the script is edited.
  await own.getByTestId('script-undo-fill').click();
  assert.equal(await own.getByTestId('script-input').inputValue(), 'db.posts.countDocuments()');
  await own.getByTestId('script-pattern').selectOption('Find user by email');
  assert.match(await run(own, mongosh), /0 failed/);
  assert.match(await own.getByTestId('script-outcome').first().getByTestId('result-stats').textContent(), /^1 row/);

  await own.getByTestId('console-dynamo').click();
  await own.getByTestId('script-pattern').selectOption('Get user by id');
  const sdk = await own.getByTestId('script-input').inputValue();
  assert.match(sdk, /new GetCommand/);
  assert.match(await run(own, sdk), /0 failed/);
  assert.match(await own.getByTestId('script-outcome').first().getByTestId('result-stats').textContent(), /^1 row/);
  await screenshot(own, 'script-prefill');
  assert.deepEqual(own.errors, []);
  await own.context().close();
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

test('the mongoose block pasted before any data runs whole: userId names the user it created', async () => {
  const fresh = await app.open();
  await fresh.getByTestId('example-user-app').click();
  await fresh.getByTestId('nav-query').click();
  await fresh.getByTestId('mode-script').click();
  assert.match(await run(fresh, examples.mongoose), /^14 statements, 0 failed/);
  for (const line of [23, 28]) {
    assert.match(await outcome(fresh, line).textContent(), /(matchedCount|deletedCount)\D*1/);
  }
  await screenshot(fresh, 'script-mongoose-fresh');
  assert.deepEqual(fresh.errors, []);
  await fresh.context().close();
});

test('a link from a form carries its pattern: it opens with the pattern\'s form run on the same data', async () => {
  const own = await openWithData(15);
  await own.getByTestId('mode-form').click();
  await own.getByTestId('mongo-pattern').selectOption('Find user by email');
  await own.getByTestId('run').click();
  await own.getByTestId('result-stats').waitFor();
  const stats = await own.getByTestId('result-stats').textContent();
  const table = await own.getByTestId('result-table').textContent();
  await own.getByTestId('copy-link').click();
  const link = await own.getByTestId('share-link').inputValue();
  const other = await app.open({ hash: link.slice(link.indexOf('#')) });
  await other.getByTestId('result-table').waitFor({ timeout: 60_000 });
  assert.equal(await other.getByTestId('mongo-pattern').inputValue(), 'Find user by email');
  assert.equal(await other.getByTestId('result-stats').textContent(), stats);
  assert.equal(await other.getByTestId('result-table').textContent(), table);
  assert.deepEqual(other.errors, []);
  await other.context().close();
  await own.context().close();
});

test('a link whose console part is damaged opens the design and says what was lost', async () => {
  await page.getByTestId('copy-link').click();
  const link = await page.getByTestId('share-link').inputValue();
  const hash = link.slice(link.indexOf('#'));
  const damaged = hash.slice(0, hash.indexOf('.') + 1) + 'garbage-part';
  const other = await app.open({ hash: damaged });
  await other.getByTestId('view-design').waitFor();
  assert.equal(await other.getByTestId('design-name').inputValue(), 'Users and posts');
  assert.match(await other.getByTestId('notice-error').textContent(), /opened, but the console part of the share link .* is damaged/);
  await screenshot(other, 'script-share-damaged');
  assert.deepEqual(other.errors, []);
  await other.context().close();
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
