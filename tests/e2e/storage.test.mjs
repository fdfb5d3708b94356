// Storage that loses nothing: two tabs on one design follow each other and never overwrite each
// other silently; a storage that refuses to save is shown and the design survives; every saved
// design goes into one backup file and comes back from it; a long generation can be cancelled;
// a panic in the worker or on the page is recoverable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { startApp, screenshot, artifacts } from './harness.mjs';

let app;
before(async () => { app = await startApp(); });
after(async () => { await app?.stop(); });

/** Types into an input and commits it the way a person does (Tab away). */
async function type(page, testid, text) {
  const input = page.getByTestId(testid);
  await input.fill(text);
  await input.press('Tab');
}

/** Waits until the design name on `page` is `name`. */
async function nameIs(page, name) {
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid=design-name]')?.value === n, name, { timeout: 10_000 });
}

/** Makes localStorage.setItem throw as a full storage does (or stop throwing). */
async function storageFull(page, full) {
  await page.evaluate((full) => {
    if (!Storage.prototype.realSetItem) Storage.prototype.realSetItem = Storage.prototype.setItem;
    Storage.prototype.setItem = full
      ? function () { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); }
      : Storage.prototype.realSetItem;
  }, full);
}

/** A context with one saved design open in two pages. */
async function twoTabs() {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const a = await app.open({ context });
  await a.getByTestId('example-user-app').click();
  await type(a, 'design-name', 'Shared design');
  const b = await app.open({ context });
  await nameIs(b, 'Shared design');
  return { context, a, b };
}

test('two tabs on one design: an edit in one shows in the other', async () => {
  const { context, a, b } = await twoTabs();
  await type(a, 'design-name', 'Edited in A');
  await nameIs(b, 'Edited in A');
  await b.getByTestId('add-entity').click();
  const count = (page) => page.evaluate(() => JSON.parse(
    document.querySelector('[data-testid=json-text]')?.value ?? '{"entities":[]}').entities.length);
  await a.waitForFunction(
    (n) => JSON.parse(document.querySelector('[data-testid=json-text]').value).entities.length === n,
    await count(b), { timeout: 10_000 });
  // The saved list follows too.
  await a.getByTestId('nav-start').click();
  await b.getByTestId('nav-start').click();
  await type(a, 'design-name', 'Renamed in A');
  await b.getByText('Renamed in A', { exact: true }).waitFor();
  assert.equal(await b.getByTestId('notice-conflict').count(), 0);
  assert.deepEqual(a.errors, []);
  assert.deepEqual(b.errors, []);
  await context.close();
});

test('conflicting edits in two tabs show a notice; keep mine saves a copy, load theirs follows', async () => {
  const { context, a, b } = await twoTabs();
  // B cannot save: its edit stays its own, unsaved.
  await storageFull(b, true);
  await type(b, 'design-name', 'Mine in B');
  await b.getByTestId('notice-unsaved').waitFor();
  await type(a, 'design-name', 'Theirs from A');
  await b.getByTestId('notice-conflict').waitFor();
  await nameIs(b, 'Mine in B');
  await screenshot(b, 'storage-conflict');
  await b.setViewportSize({ width: 390, height: 800 });
  await screenshot(b, 'storage-conflict-390');
  await b.setViewportSize({ width: 1280, height: 800 });
  await storageFull(b, false);
  await b.getByTestId('keep-mine').click();
  await nameIs(b, 'Mine in B (my copy)');
  await b.getByTestId('notice-conflict').waitFor({ state: 'detached' });
  await b.getByTestId('notice-unsaved').waitFor({ state: 'detached', timeout: 10_000 });
  // A still has its own version; both are saved.
  await nameIs(a, 'Theirs from A');
  await b.getByTestId('nav-start').click();
  await b.getByText('Theirs from A', { exact: true }).waitFor();
  await b.getByText('Mine in B (my copy)', { exact: true }).waitFor();

  // A second conflict, on A's design again: load theirs.
  await b.getByRole('button', { name: 'Open saved design Theirs from A' }).click();
  await nameIs(b, 'Theirs from A');
  await storageFull(b, true);
  await type(b, 'design-name', 'Dropped in B');
  await b.getByTestId('notice-unsaved').waitFor();
  await type(a, 'design-name', 'Final from A');
  await b.getByTestId('notice-conflict').waitFor();
  await storageFull(b, false);
  await b.getByTestId('load-theirs').click();
  await nameIs(b, 'Final from A');
  await b.getByTestId('notice-conflict').waitFor({ state: 'detached' });
  // Both tabs follow each other again.
  await type(b, 'design-name', 'Together again');
  await nameIs(a, 'Together again');
  assert.deepEqual(a.errors, []);
  assert.deepEqual(b.errors, []);
  await context.close();
});

test('a storage that refuses to save is shown; the design survives and is saved once it works', async () => {
  const page = await app.open();
  await page.getByTestId('example-user-app').click();
  await type(page, 'design-name', 'Saved first');
  await storageFull(page, true);
  await type(page, 'design-name', 'Only in memory');
  const notice = page.getByTestId('notice-unsaved');
  await notice.waitFor();
  assert.match(await notice.textContent(), /NOT saved: this browser's storage for this page is full/);
  assert.equal(await page.getByTestId('save-status').textContent(), 'not saved yet');
  await screenshot(page, 'storage-full');
  await page.setViewportSize({ width: 390, height: 800 });
  await screenshot(page, 'storage-full-390');
  await page.setViewportSize({ width: 1280, height: 800 });
  // The design stays, and can still be exported.
  await nameIs(page, 'Only in memory');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
  const path = join(artifacts, 'storage-full-export.json');
  await mkdir(artifacts, { recursive: true });
  await download.saveAs(path);
  assert.equal(JSON.parse(await readFile(path, 'utf8')).name, 'Only in memory');
  // Storage works again: the retry saves the design, and a reload shows it.
  await storageFull(page, false);
  await notice.waitFor({ state: 'detached', timeout: 10_000 });
  await page.reload();
  await nameIs(page, 'Only in memory');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a backup of every saved design restores them after storage is cleared', async () => {
  const page = await app.open();
  await page.getByTestId('example-user-app').click();
  await type(page, 'design-name', 'Backup one');
  await page.getByTestId('nav-query').click();
  await page.getByTestId('mode-script').click();
  await page.getByTestId('script-input').fill('db.users.find({})');
  await page.getByTestId('nav-start').click();
  await page.getByTestId('new-design').click();
  await type(page, 'design-name', 'Backup two');
  await page.getByTestId('nav-start').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('backup-export').click()]);
  assert.match(download.suggestedFilename(), /^schemaplay-backup-\d{4}-\d\d-\d\d\.json$/);
  const path = join(artifacts, 'storage-backup.json');
  await mkdir(artifacts, { recursive: true });
  await download.saveAs(path);
  const backup = JSON.parse(await readFile(path, 'utf8'));
  assert.equal(backup.format, 'schemaplay-backup');
  assert.deepEqual(backup.designs.map((d) => d.name).sort(), ['Backup one', 'Backup two']);
  assert.equal(backup.designs.find((d) => d.name === 'Backup one').console.mongoScript, 'db.users.find({})');

  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.getByTestId('view-start').waitFor();
  assert.equal(await page.getByTestId('saved-design').count(), 0);

  // A malformed file names what is wrong and where, and restores nothing.
  const broken = join(artifacts, 'storage-backup-broken.json');
  const damaged = structuredClone(backup);
  damaged.designs[1].design.entities = [{ name: 'X', fields: [{ name: 'a', type: 'strng' }] }];
  await writeFile(broken, JSON.stringify({ ...damaged, designs: 'none' }));
  await page.getByTestId('backup-file').setInputFiles(broken);
  const error = page.getByTestId('notice-error');
  await error.waitFor();
  assert.match(await error.textContent(), /storage-backup-broken\.json: "designs": expected a list of designs, found text\. Nothing was restored\./);
  await error.getByRole('button', { name: 'Dismiss' }).click();
  // One broken design is left out, named by its place; the other comes back.
  await writeFile(broken, JSON.stringify(damaged));
  await page.getByTestId('backup-file').setInputFiles(broken);
  await error.waitFor();
  assert.match(await error.textContent(), /restored 1 design\. Left out: designs\[1\]\.design: entities\[0\]\.fields\[0\]\.type: unknown type "strng"/);
  await error.getByRole('button', { name: 'Dismiss' }).click();

  await page.getByTestId('backup-file').setInputFiles(path);
  const info = page.getByTestId('notice-info');
  await info.waitFor();
  assert.match(await info.textContent(), /restored 1 design; 1 already saved here\./);
  assert.equal(await page.getByTestId('saved-design').count(), 2);
  await screenshot(page, 'storage-restored');
  await page.getByRole('button', { name: 'Open saved design Backup one' }).click();
  await nameIs(page, 'Backup one');
  await page.getByTestId('nav-query').click();
  assert.equal(await page.getByTestId('script-input').inputValue(), 'db.users.find({})');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a big generation can be cancelled, then a query works', async () => {
  const page = await app.open();
  await page.getByTestId('example-user-app').click();
  await page.getByTestId('nav-query').click();
  await page.getByTestId('per-entity').fill('200000');
  await page.getByTestId('per-entity').press('Tab');
  await page.getByTestId('generate').click();
  await page.getByTestId('progress').waitFor();
  await page.getByTestId('cancel-generation').click();
  await page.getByText(/Generation cancelled/).waitFor();
  assert.equal(await page.getByTestId('progress').count(), 0);
  await screenshot(page, 'storage-cancelled');
  await page.getByTestId('per-entity').fill('50');
  await page.getByTestId('per-entity').press('Tab');
  await page.getByTestId('generate').click();
  await page.getByTestId('data-summary').waitFor({ timeout: 60_000 });
  assert.match(await page.getByTestId('data-summary').textContent(), /MongoDB: 100 documents/);
  await page.getByTestId('console-mongo').click();
  await page.getByTestId('mongo-collection').selectOption('users');
  await page.getByTestId('mongo-filter').fill('{}');
  await page.getByTestId('run').click();
  await page.getByTestId('result-stats').waitFor();
  assert.match(await page.getByTestId('result-stats').textContent(), /^20 rows/);
  assert.deepEqual(page.errors, []);

  // A panic in the worker: the page says so, and the next run works on the same data.
  await page.evaluate(() => window.wasmBindings.schemaplayPanicForTests('worker'));
  const notice = page.getByTestId('notice-error');
  await notice.waitFor();
  assert.match(await notice.textContent(), /worker that runs the simulators stopped .*Your design is intact/);
  await page.getByTestId('run').click();
  await page.waitForFunction(() => /^20 rows/.test(document.querySelector('[data-testid=result-stats]')?.textContent ?? ''));
  assert.match(await page.getByTestId('data-summary').textContent(), /MongoDB: 100 documents/);

  // A panic on the page: a message over it, and a reload brings the design back.
  await type(page, 'design-name', 'Before the panic');
  page.errors.length = 0;
  await page.evaluate(() => { try { window.wasmBindings.schemaplayPanicForTests('page'); } catch {} });
  const crash = page.getByTestId('crash');
  await crash.waitFor();
  assert.match(await crash.textContent(), /Your design is saved in this browser: reload/);
  await screenshot(page, 'storage-panic');
  await page.getByTestId('crash-reload').click();
  await nameIs(page, 'Before the panic');
  assert.equal(await page.getByTestId('crash').count(), 0);
  await page.context().close();
});

test('a long script can be cancelled; the next one runs on a new worker', async () => {
  const page = await app.open();
  await page.getByTestId('example-user-app').click();
  await page.getByTestId('nav-query').click();
  await page.getByTestId('mode-script').click();
  const count = async () => {
    await page.getByTestId('script-input').fill('db.users.countDocuments({})');
    await page.getByTestId('run').click();
    await page.waitForFunction(() => /^1 statement, 0 failed/.test(
      document.querySelector('[data-testid=script-summary]')?.textContent ?? ''));
  };
  // The worker is up and answering before the long run.
  await count();
  // Each of 20,000 unwound elements compared with 20,000 more in a correlated $lookup (400
  // million comparisons): far longer than the second the test waits.
  const elements = Array.from({ length: 20_000 }, (_, i) => i).join(', ');
  await page.getByTestId('script-input').fill(
    `db.big.insertOne({ _id: 1, a: [${elements}] })\n` +
    'db.big.aggregate([{ $unwind: "$a" }, { $lookup: { from: "big", let: { v: "$a" }, pipeline: ['
    + '{ $unwind: "$a" }, { $match: { $expr: { $lt: ["$a", "$$v"] } } }, { $count: "n" }], as: "x" } }, { $count: "n" }])');
  await page.getByTestId('run').click();
  await page.getByTestId('running').waitFor();
  // Still busy a second later: the cancel stops a worker at work.
  await page.waitForTimeout(1000);
  assert.equal(await page.getByTestId('running').count(), 1);
  await page.getByTestId('cancel').click();
  const failed = page.getByTestId('script-failed');
  await failed.waitFor();
  assert.equal(await failed.textContent(), 'Cancelled.');
  assert.equal(await page.getByTestId('running').count(), 0);
  await screenshot(page, 'storage-script-cancelled');
  await count();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
