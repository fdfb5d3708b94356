// The editor edits the attributes that were only in the JSON view: declared MongoDB indexes
// (compound; unique with a collation of strength 2; TTL; partial), an entity's TTL and a string
// field's enum, all through the forms. The MongoDB view's index advice and the JSON view follow,
// a rename carries the index keys along, the core's findings show next to what they name, a
// reload (autosave) keeps everything, and the index table fits a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, screenshot, typeInto, designJson } from './harness.mjs';

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

async function mongoView() {
  await page.getByTestId('nav-mongo').click();
  await page.getByTestId('collection-users').waitFor();
}

/** Types into an input and commits it (Tab away). */
const type = (testid, text) => typeInto(page, testid, text);

/** The design as the JSON view shows it. */
const json = () => designJson(page);

/** The text of each index row of a collection, with the why, options and advice under it. */
async function indexes(collection) {
  return page.getByTestId(`collection-${collection}`).locator('tbody.index-entry').allTextContents();
}

test('an enum and an entity TTL are edited in the entity card', async () => {
  // User gets a status field that takes two values.
  await page.getByTestId('entity-0-field-add').click();
  await type('entity-0-field-7-name', 'status');
  await page.getByTestId('entity-0-field-7-more').click();
  await type('entity-0-field-7-enum', 'active, suspended');
  // An example outside the enum is refused next to the field, in the core's words.
  await type('entity-0-field-7-example', 'archived');
  await page.getByTestId('entity-0-field-7').getByText('"archived" is not one of the enum\'s values').waitFor();
  await type('entity-0-field-7-example', 'active');
  assert.equal(await page.getByTestId('entity-0-field-7').getByTestId('finding-here').count(), 0);
  assert.match(await page.getByTestId('entity-0-field-7-more').textContent(), /one of active, suspended/);

  // Posts expire 90 days after they are written.
  assert.equal(await page.getByTestId('entity-1-ttl-after').count(), 0);
  await page.getByTestId('entity-1-ttl-field').selectOption('createdAt');
  await type('entity-1-ttl-after', '7776000');
  assert.equal(await page.getByTestId('entity-1-ttl-reads').textContent(), '= 90 days');

  const d = await json();
  const status = d.entities[0].fields.find((f) => f.name === 'status');
  assert.deepEqual(status.enum, ['active', 'suspended']);
  assert.equal(status.example, 'active');
  assert.deepEqual(d.entities[1].ttl, { field: 'createdAt', afterSeconds: 7776000 });
  assert.deepEqual(page.errors, []);
});

test('declared MongoDB indexes: unique with collation, compound, TTL and partial', async () => {
  // 0: a unique email that ignores case (collation strength 2; the locale comes with it).
  await page.getByTestId('add-mongo-index').click();
  assert.equal(await page.getByTestId('mindex-0-entity').inputValue(), 'User');
  assert.equal(await page.getByTestId('mindex-0-key-0-field').inputValue(), 'email');
  await page.getByTestId('mindex-0-unique').check();
  await page.getByTestId('mindex-0-strength').selectOption('2');
  assert.equal(await page.getByTestId('mindex-0-locale').inputValue(), 'en');
  await type('mindex-0-name', 'email_ci');
  // The pattern reading by email ignores case, so the index serves it.
  await page.getByTestId('pattern-1-case').check();

  // 1: compound, the city then the newest first.
  await page.getByTestId('add-mongo-index').click();
  await page.getByTestId('mindex-1-key-0-field').selectOption('profile.city');
  await page.getByTestId('mindex-1-add-key').click();
  await page.getByTestId('mindex-1-key-1-field').selectOption('createdAt');
  await page.getByTestId('mindex-1-key-1-order').selectOption('-1');

  // 2: TTL, users gone a year after they joined.
  await page.getByTestId('add-mongo-index').click();
  await page.getByTestId('mindex-2-key-0-field').selectOption('createdAt');
  await type('mindex-2-ttl', '31536000');
  await page.getByTestId('mindex-2').getByText('= 365 days').waitFor();

  // 3: partial, only active users; a filter that is not JSON is refused where it is typed.
  await page.getByTestId('add-mongo-index').click();
  await page.getByTestId('mindex-3-key-0-field').selectOption('balance');
  await type('mindex-3-partial', '{status: "active"}');
  await page.getByTestId('mindex-3-partial-problem').waitFor();
  assert.match(await page.getByTestId('mindex-3-partial-problem').textContent(), /not JSON at column 2/);
  await type('mindex-3-partial', '{"status": "active"}');
  assert.equal(await page.getByTestId('mindex-3-partial-problem').count(), 0);
  // Sparse and partial together: the core's finding, next to the index.
  await page.getByTestId('mindex-3-sparse').check();
  await page.getByTestId('mindex-3').getByText('either sparse or partial').waitFor();
  await page.getByTestId('mindex-3-sparse').uncheck();
  assert.equal(await page.getByTestId('mindex-3').getByTestId('finding-here').count(), 0);
  await screenshot(page, 'editor-all-indexes-1280');

  const d = await json();
  assert.deepEqual(d.mongo.indexes, [
    { entity: 'User', name: 'email_ci', keys: [{ field: 'email', order: 1 }], unique: true,
      collation: { locale: 'en', strength: 2 } },
    { entity: 'User', keys: [{ field: 'profile.city', order: 1 }, { field: 'createdAt', order: -1 }] },
    { entity: 'User', keys: [{ field: 'createdAt', order: 1 }], expireAfterSeconds: 31536000 },
    { entity: 'User', keys: [{ field: 'balance', order: 1 }], partialFilterExpression: { status: 'active' } },
  ]);
  assert.deepEqual(page.errors, []);
});

test('the MongoDB view shows the declared indexes with their options and advice', async () => {
  await mongoView();
  const users = await indexes('users');
  const row = (start) => users.find((t) => t.startsWith(start)) ?? assert.fail(`${start} in\n${users.join('\n')}`);
  assert.match(row('email_ci (unique) (case-insensitive)'), /Find user by email/);
  assert.match(row('email_ci'), /collation: \{"locale":"en","strength":2\}/);
  assert.match(row('profile.city_1_createdAt_-1'), /List users in a city/);
  assert.match(row('createdAt_1'), /TTL: expires 31,536,000 s after the date/);
  assert.match(row('balance_1'), /partial: \{"status":"active"\}/);
  assert.match(row('balance_1'), /serves no access pattern/);
  // What no declared index serves is said under the table, with the index that would.
  const missing = await page.getByTestId('collection-users').getByTestId('mongo-index-missing').allTextContents();
  assert.ok(missing.some((t) => t.includes('Search users by name or bio')), missing.join('\n'));
  // Posts declare nothing: the suggestions, and the TTL index of the entity's ttl.
  const posts = await indexes('posts');
  assert.ok(posts.some((t) => t.startsWith('createdAt_1') && t.includes("the entity's ttl")), posts.join('\n'));
  await screenshot(page, 'editor-all-mongo-1280');
  assert.deepEqual(page.errors, []);
});

test('renaming a field carries the index keys and the TTL along', async () => {
  await design();
  await type('entity-0-field-1-name', 'mail');
  assert.equal(await page.getByTestId('mindex-0-key-0-field').inputValue(), 'mail');
  await type('entity-1-field-5-name', 'postedAt');
  assert.equal(await page.getByTestId('entity-1-ttl-field').inputValue(), 'postedAt');
  const d = await json();
  assert.deepEqual(d.mongo.indexes[0].keys, [{ field: 'mail', order: 1 }]);
  assert.deepEqual(d.entities[1].ttl, { field: 'postedAt', afterSeconds: 7776000 });
  assert.deepEqual(page.errors, []);
});

test("a relationship and the database choices show the core's findings next to them", async () => {
  await type('rel-0-field', 'posts.author');
  await page.getByTestId('rel-0').getByText('"posts.author" is not a valid field name').waitFor();
  await type('rel-0-field', 'authorId');
  assert.equal(await page.getByTestId('rel-0').getByTestId('finding-here').count(), 0);
  const sortKey = page.getByLabel('Sort key attribute', { exact: true });
  await sortKey.fill('PK');
  await sortKey.press('Tab');
  await page.getByTestId('finding-here').filter({ hasText: 'the sort key must differ from the partition key' }).waitFor();
  await sortKey.fill('SK');
  await sortKey.press('Tab');
  const collection = page.getByLabel('Collection name of User', { exact: true });
  await collection.fill('system.users');
  await collection.press('Tab');
  await page.getByTestId('finding-here').filter({ hasText: '"system.users" is not a valid collection name' }).waitFor();
  await collection.fill('');
  await collection.press('Tab');
  const d = await json();
  assert.equal(d.relationships[0].field, 'authorId');
  assert.equal(d.dynamo.sortKey, 'SK');
  assert.equal(d.mongo.collections, undefined);
  assert.deepEqual(page.errors, []);
});

test('a reload finds every attribute autosaved', async () => {
  const before = await json();
  await page.reload();
  await page.getByTestId('view-design').waitFor();
  assert.deepEqual(await json(), before);
  assert.equal(await page.getByTestId('mindex-0-unique').isChecked(), true);
  assert.equal(await page.getByTestId('mindex-0-strength').inputValue(), '2');
  assert.equal(await page.getByTestId('mindex-2-ttl').inputValue(), '31536000');
  assert.equal(await page.getByTestId('mindex-3-partial').inputValue(), '{"status":"active"}');
  assert.equal(await page.getByTestId('entity-1-ttl-after').inputValue(), '7776000');
  assert.equal(await page.getByTestId('entity-0-field-7-enum').inputValue(), 'active, suspended');
  assert.deepEqual(page.errors, []);
});

test('the index forms and the index table fit a phone', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await design();
  await page.getByTestId('mindex-1').scrollIntoViewIfNeeded();
  let width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the editor is ${width} px wide at 390`);
  await screenshot(page, 'editor-all-indexes-390');
  await mongoView();
  width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the MongoDB view is ${width} px wide at 390`);
  // The why is a block under its index as wide as the card, not a column of a few words.
  const why = await page.getByTestId('collection-users').getByTestId('mongo-index-why').first().boundingBox();
  assert.ok(why && why.width > 250, `the why is ${why?.width} px wide`);
  await screenshot(page, 'editor-all-mongo-390');
  await page.setViewportSize({ width: 1280, height: 800 });
  assert.deepEqual(page.errors, []);
});
