// Share links: the design travels in the URL fragment, opens in a fresh browser, never
// overwrites saved designs, and hostile links end in a clear message with no script run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { startApp, screenshot } from './harness.mjs';

let app;
before(async () => { app = await startApp(); });
after(async () => { await app?.stop(); });

/** A fragment as schemaplay writes it: version 1, raw deflate, base64url without padding. */
function fragmentOf(bytes) {
  return '#design=1' + deflateRawSync(bytes, { level: 9 }).toString('base64url');
}

/** Asserts the page shows an error notice matching `pattern` and still works. */
async function assertUsable(page, pattern, name) {
  const notice = page.getByTestId('notice-error');
  await notice.waitFor();
  assert.match(await notice.textContent(), pattern);
  await screenshot(page, name);
  await page.getByTestId('nav-start').click();
  await page.getByTestId('new-design').click();
  await page.getByTestId('add-entity').click();
  await page.getByTestId('entity-0').waitFor();
  assert.deepEqual(page.errors, []);
}

test('copy link, open it in a fresh browser context, see the same design', async () => {
  const page = await app.open();
  await page.getByTestId('example-user-app').click();
  await page.getByTestId('copy-link').click();
  const link = await page.getByTestId('share-link').inputValue();
  const fragment = link.slice(link.indexOf('#design=') + '#design='.length);
  assert.ok(fragment.length <= 1100, `the user's example design takes ${fragment.length} characters`);
  const original = JSON.parse(await page.getByTestId('json-text').inputValue());

  const other = await app.open({ hash: link.slice(link.indexOf('#')) });
  await other.getByTestId('view-design').waitFor();
  assert.match(await other.getByTestId('notice-info').textContent(), /shared design, “Users and posts”/);
  assert.deepEqual(JSON.parse(await other.getByTestId('json-text').inputValue()), original);
  await screenshot(other, 'share-opened');
  assert.deepEqual(page.errors, []);
  assert.deepEqual(other.errors, []);
  console.log(`share link of the user's example design: ${fragment.length} characters`);
});

test('opening a link never overwrites a saved design; editing saves it as a new one', async () => {
  const context = await app.browser.newContext();
  const page = await app.open({ context });
  await page.getByTestId('new-design').click();
  await page.getByTestId('design-name').fill('Mine');
  await page.getByTestId('design-name').press('Tab');
  await page.getByTestId('add-entity').click();
  await page.getByTestId('copy-link').click();
  const link = await page.getByTestId('share-link').inputValue();

  // The same design name arrives by link in the same browser, and is edited there.
  const shared = await app.open({ context, hash: link.slice(link.indexOf('#')) });
  await shared.getByTestId('notice-info').waitFor();
  await shared.getByTestId('add-entity').click();
  await shared.getByTestId('entity-1').waitFor();
  await shared.waitForFunction(() => document.querySelector('[data-testid=save-status]').textContent === 'saved in this browser');
  assert.equal(new URL(shared.url()).hash, '', 'the fragment is dropped once the design is saved');
  await shared.getByTestId('nav-start').click();
  assert.equal(await shared.getByTestId('saved-design').count(), 2);
  // The original still has one entity.
  await shared.getByTestId('saved-design').nth(1).getByRole('button', { name: /Open saved design Mine/ }).click();
  await shared.getByTestId('entity-0').waitFor();
  assert.equal(await shared.getByTestId('entity-1').count(), 0);
  assert.deepEqual(shared.errors, []);
  await context.close();
});

test('an entity named like markup shows as text and runs nothing', async () => {
  const name = '<img src=x onerror=alert(1)>';
  const design = { formatVersion: 1, name: '<script>alert(2)</script>', entities: [{ name, fields: [{ name: 'id', type: 'string' }] }] };
  const context = await app.browser.newContext();
  const dialogs = [];
  context.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  const page = await app.open({ context, hash: fragmentOf(Buffer.from(JSON.stringify(design))) });
  await page.getByTestId('entity-0-name').waitFor();
  assert.equal(await page.getByTestId('entity-0-name').inputValue(), name);
  for (const view of ['diagram', 'mongo', 'dynamo', 'advice']) {
    await page.getByTestId(`nav-${view}`).click();
    await page.getByTestId(`view-${view}`).waitFor();
  }
  await page.waitForTimeout(300);
  assert.equal(await page.locator('img').count(), 0, 'no <img> element was created');
  assert.deepEqual(dialogs, []);
  await screenshot(page, 'share-markup-name');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a truncated link ends in a clear message and the page still works', async () => {
  const good = fragmentOf(Buffer.from(JSON.stringify({ formatVersion: 1, name: 'cut', entities: [{ name: 'A long enough entity name', fields: [] }] })));
  const cut = good.slice(0, '#design=1'.length + Math.floor((good.length - 9) / 8) * 4);
  const page = await app.open({ hash: cut });
  await assertUsable(page, /cut off/, 'share-truncated');
});

test('a garbage link ends in a clear message and the page still works', async () => {
  const page = await app.open({ hash: '#design=1%%%not-base64%%%' });
  await assertUsable(page, /could not be opened/, 'share-garbage');
  const other = await app.open({ hash: '#design=1garbage-fragment' });
  await assertUsable(other, /damaged/, 'share-garbage-2');
});

test('a link that would inflate to 100 MB is refused quickly', async () => {
  const bomb = fragmentOf(Buffer.alloc(100 * 1024 * 1024, 0x20));
  assert.ok(bomb.length < 200_000, `bomb fragment is ${bomb.length} characters`);
  const started = Date.now();
  const page = await app.open({ hash: bomb });
  await assertUsable(page, /more than 1048576 bytes/, 'share-bomb');
  assert.ok(Date.now() - started < 10_000);
});
