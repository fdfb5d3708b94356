// Building a design from scratch by clicking and typing, seeing its MongoDB and DynamoDB
// layouts, undo and redo, the JSON view's errors, autosave across a reload, themes and widths.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFile, mkdir } from 'node:fs/promises';
import { startApp, screenshot, artifacts } from './harness.mjs';

let app;
let page;
/** Every URL the page and its workers fetched. */
const fetched = [];
before(async () => {
  app = await startApp();
  page = await app.open();
  page.on('request', (request) => fetched.push(request.url()));
});
after(async () => { await app?.stop(); });

/** Types into an input and commits it the way a person does (Tab away). */
async function type(testid, text) {
  const input = page.getByTestId(testid);
  await input.fill(text);
  await input.press('Tab');
}

test('build users and posts with two access patterns by clicking and typing', async () => {
  await page.getByTestId('view-start').waitFor();
  await screenshot(page, 'start');
  await page.getByTestId('new-design').click();
  await page.getByTestId('view-design').waitFor();
  await type('design-name', 'Blog');

  await page.getByTestId('add-entity').click();
  await type('entity-0-name', 'User');
  await type('entity-0-field-0-name', 'userId');
  await page.getByTestId('entity-0-field-add').click();
  await type('entity-0-field-1-name', 'email');
  await page.getByTestId('entity-0-field-1-required').check();
  await page.getByTestId('entity-0-field-1-unique').check();
  await page.getByTestId('entity-0-field-add').click();
  await type('entity-0-field-2-name', 'name');

  await page.getByTestId('add-entity').click();
  await type('entity-1-name', 'Post');
  await type('entity-1-field-0-name', 'postId');
  await page.getByTestId('entity-1-field-add').click();
  await type('entity-1-field-1-name', 'authorId');
  await page.getByTestId('entity-1-field-1-type').selectOption('ref:User');
  await page.getByTestId('entity-1-field-add').click();
  await type('entity-1-field-2-name', 'title');
  await page.getByTestId('entity-1-field-add').click();
  await type('entity-1-field-3-name', 'createdAt');
  await page.getByTestId('entity-1-field-3-type').selectOption('date');
  await type('entity-1-volume', '50000');

  await page.getByTestId('add-relationship').click();
  await type('rel-0-count', '20');
  await type('rel-0-field', 'authorId');

  await page.getByTestId('add-pattern').click();
  await type('pattern-0-name', 'get user by email');
  await page.getByTestId('pattern-0-by').selectOption('email');
  await type('pattern-0-rps', '100');

  await page.getByTestId('add-pattern').click();
  await type('pattern-1-name', 'list posts by user');
  await page.getByTestId('pattern-1-kind').selectOption('list');
  await page.getByTestId('pattern-1-entity').selectOption('Post');
  await page.getByTestId('pattern-1-by').selectOption('authorId');
  await page.getByTestId('pattern-1-sort').selectOption('createdAt');
  await page.getByTestId('pattern-1-order').selectOption('desc');
  await type('pattern-1-page', '20');
  await type('pattern-1-rps', '50');

  const json = JSON.parse(await page.getByTestId('json-text').inputValue());
  assert.equal(json.name, 'Blog');
  assert.deepEqual(json.entities.map((e) => e.name), ['User', 'Post']);
  assert.deepEqual(json.entities[1].fields.map((f) => `${f.name}:${JSON.stringify(f.type)}`),
    ['postId:"string"', 'authorId:{"ref":"User"}', 'title:"string"', 'createdAt:"date"']);
  assert.deepEqual(json.relationships, [{ from: 'User', to: 'Post', cardinality: 'oneToMany', expectedCount: 20, field: 'authorId' }]);
  assert.deepEqual(json.accessPatterns[1], {
    name: 'list posts by user', entity: 'Post', kind: 'list', equality: ['authorId'],
    sort: { field: 'createdAt', order: 'desc' }, pageSize: 20, requestsPerSecond: 50, consistency: 'eventual',
  });
  assert.match(await page.getByTestId('json-findings').textContent(), /No problems found/);
  assert.equal(await page.getByTestId('save-status').textContent(), 'saved in this browser');
  await screenshot(page, 'design-editor');
  assert.deepEqual(page.errors, []);
});

test('the layouts follow from the access patterns', async () => {
  await page.getByTestId('nav-mongo').click();
  await page.getByTestId('collection-users').waitFor();
  await page.getByTestId('collection-posts').waitFor();
  const indexes = await page.getByTestId('mongo-index').allTextContents();
  assert.ok(indexes.some((t) => t.startsWith('email_1 (unique)')), indexes.join('\n'));
  assert.ok(indexes.some((t) => t.includes('{"authorId":1,"createdAt":-1,"_id":-1}') && t.includes('list posts by user')), indexes.join('\n'));
  assert.match(await page.getByTestId('mongo-decision').textContent(), /reference User → Post as posts\.authorId/);
  await screenshot(page, 'mongo');

  await page.getByTestId('nav-dynamo').click();
  await page.getByTestId('keys-User').waitFor();
  assert.match(await page.getByTestId('keys-User').textContent(), /USER#<userId>/);
  const requests = await page.getByTestId('dynamo-request').allTextContents();
  assert.equal(requests.length, 2);
  assert.match(requests[1], /list posts by user → Query/);
  assert.ok((await page.getByTestId('dynamo-row').count()) > 0);
  await screenshot(page, 'dynamo');

  // The table's name is the user's choice.
  await page.getByTestId('nav-design').click();
  await type('table-name', 'blog-data');
  await page.getByTestId('nav-dynamo').click();
  assert.match(await page.locator('#aggregate-title + .meta').textContent(), /^blog-data: partition key PK, sort key SK/);

  await page.getByTestId('nav-diagram').click();
  await page.getByTestId('box-User').waitFor();
  await screenshot(page, 'diagram');
  await page.getByTestId('nav-advice').click();
  await page.getByTestId('cost').waitFor();
  await screenshot(page, 'advice');
  assert.deepEqual(page.errors, []);
});

/** Waits until the page has `n` elements with the test id (renders are asynchronous). */
async function count(testid, n) {
  await page.waitForFunction(([id, n]) => document.querySelectorAll(`[data-testid="${id}"]`).length === n, [testid, n], { timeout: 5000 });
}

test('undo and redo with the keyboard; the diagram keeps dragged positions', async () => {
  await page.getByTestId('nav-design').click();
  await page.getByTestId('add-entity').click();
  await count('entity-2', 1);
  await page.locator('body').click({ position: { x: 5, y: 700 } });
  await page.keyboard.press('Control+z');
  await count('entity-2', 0);
  await page.keyboard.press('Control+Shift+z');
  await count('entity-2', 1);
  await page.getByTestId('undo').click();
  await count('entity-2', 0);

  await page.getByTestId('nav-diagram').click();
  const box = page.getByTestId('box-Post');
  const before = await box.boundingBox();
  await page.mouse.move(before.x + 40, before.y + 12);
  await page.mouse.down();
  await page.mouse.move(before.x + 340, before.y + 60, { steps: 5 });
  await page.mouse.up();
  const after = await box.boundingBox();
  assert.ok(Math.abs(after.x - before.x - 300) < 2, `moved by ${after.x - before.x}`);
  await page.getByTestId('nav-design').click();
  const json = JSON.parse(await page.getByTestId('json-text').inputValue());
  assert.ok(json.positions.Post.x > 300);
  assert.deepEqual(page.errors, []);
});

test('the JSON view shows each error at its line', async () => {
  const area = page.getByTestId('json-text');
  const text = await area.inputValue();
  const broken = text.replace('"type": "date"', '"type": "datetime"');
  await area.fill(broken);
  const findings = page.getByTestId('json-findings');
  const line = broken.split('\n').findIndex((l) => l.includes('"datetime"')) + 1;
  await page.waitForFunction(() => /error/.test(document.querySelector('[data-testid=json-findings]').textContent));
  assert.match(await findings.textContent(), new RegExp(`line ${line} error: entities\\[1\\]\\.fields\\[3\\]\\.type`));
  assert.equal(await page.getByTestId('json-apply').isDisabled(), true);
  await area.fill(broken.replace('"datetime"', '"date"').replace('"name": "Blog"', '"name": "Blog 2"'));
  await page.getByTestId('json-apply').click();
  assert.equal(await page.getByTestId('design-name').inputValue(), 'Blog 2');
  await area.fill('{\n  "formatVersion": 1,\n  "name": "x",\n  "entities": [,]\n}');
  await page.waitForFunction(() => /line 4/.test(document.querySelector('[data-testid=json-findings]').textContent));
  await screenshot(page, 'json-errors');
  await page.getByTestId('json-revert').click();
  assert.deepEqual(page.errors, []);
});

test('a reload finds the autosaved work, and the saved designs list has it', async () => {
  await page.reload();
  await page.getByTestId('view-design').waitFor();
  assert.equal(await page.getByTestId('design-name').inputValue(), 'Blog 2');
  assert.equal(await page.getByTestId('entity-1-name').inputValue(), 'Post');
  await page.getByTestId('nav-start').click();
  assert.match(await page.getByTestId('saved-list').textContent(), /Blog 2/);
  assert.deepEqual(page.errors, []);
});

test('import of SQL DDL makes a new saved design', async () => {
  await mkdir(artifacts, { recursive: true });
  const file = join(artifacts, 'shop.sql');
  await writeFile(file, 'CREATE TABLE customers (id INT PRIMARY KEY, email VARCHAR(200) NOT NULL UNIQUE);\n'
    + 'CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT REFERENCES customers(id), placed_at TIMESTAMP);\n');
  const importer = (url) => /schemaplay-importer[^/]*\.wasm$/.test(url);
  assert.equal(fetched.filter(importer).length, 0, 'the importer is fetched before any import');
  await page.getByTestId('import-file').setInputFiles(file);
  // A SQL file opens the import dialog (the tables' rows): imported as it is.
  await page.getByTestId('import-go').click();
  await page.getByTestId('notice-info').waitFor();
  assert.equal(fetched.filter(importer).length, 1, `the importer was not fetched once: ${fetched.join(' ')}`);
  assert.match(await page.getByTestId('notice-info').textContent(), /Imported/);
  assert.equal(await page.getByTestId('entity-0-name').inputValue(), 'Customer');
  await page.getByTestId('nav-start').click();
  assert.equal(await page.getByTestId('saved-design').count(), 2);
  assert.deepEqual(page.errors, []);
});

test('dark theme and tablet width', async () => {
  await page.getByTestId('theme').click();
  await page.getByTestId('nav-design').click();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  await screenshot(page, 'design-dark');
  await page.setViewportSize({ width: 820, height: 1180 });
  await screenshot(page, 'design-tablet');
  await page.getByTestId('nav-dynamo').click();
  await screenshot(page, 'dynamo-tablet-dark');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px at tablet width`);
  assert.deepEqual(page.errors, []);
});
