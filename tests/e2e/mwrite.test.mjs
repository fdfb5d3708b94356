// A write pattern's multi-item transaction, edited without the JSON view: the ecommerce
// example places an order and takes the stock of three products in one transaction; the user
// changes the count, adds and removes a part, and both layouts follow.
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
  await page.getByTestId('example-ecommerce').click();
  await page.getByTestId('nav-design').click();
});
after(async () => { await app?.stop(); });

/** The design as the JSON view shows it. */
async function design() {
  return JSON.parse(await page.getByTestId('json-text').inputValue());
}

/** Waits until the design's "Place order" has the transaction `want`. */
async function placeOrderBecomes(want) {
  for (let i = 0; i < 50; i++) {
    const p = (await design()).accessPatterns.find((p) => p.name === 'Place order');
    if (JSON.stringify(p.transaction ?? []) === JSON.stringify(want)) return;
    await page.waitForTimeout(100);
  }
  const p = (await design()).accessPatterns.find((p) => p.name === 'Place order');
  assert.deepEqual(p.transaction ?? [], want);
}

test('the transaction of Place order is edited in its sentence', async () => {
  const tx = page.getByTestId('pattern-3-tx');
  await tx.waitFor();
  assert.equal(await page.getByTestId('pattern-3-name').inputValue(), 'Place order');
  assert.equal(await page.getByTestId('pattern-3-tx-0-count').inputValue(), '3');
  assert.equal(await page.getByTestId('pattern-3-tx-0-pattern').inputValue(), 'Reserve stock');
  // Reads have no transaction; another write may join one.
  assert.equal(await page.getByTestId('pattern-0-tx').count(), 0);
  await page.getByTestId('pattern-3-tx-0-count').fill('2');
  await page.getByTestId('pattern-3-tx-0-count').press('Tab');
  await placeOrderBecomes([{ pattern: 'Reserve stock', count: 2 }]);

  await page.getByTestId('pattern-3-tx-add').click();
  await page.getByTestId('pattern-3-tx-1').waitFor();
  await page.getByTestId('pattern-3-tx-1-pattern').selectOption('Ship order');
  await placeOrderBecomes([{ pattern: 'Reserve stock', count: 2 }, { pattern: 'Ship order' }]);
  await screenshot(page, 'mwrite-transaction-1280');
  await page.setViewportSize({ width: 390, height: 844 });
  // The pattern alone: a full page at 390 px is too tall to read.
  await mkdir(artifacts, { recursive: true });
  await page.getByTestId('pattern-3').screenshot({ path: join(artifacts, 'mwrite-transaction-390.png') });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width} px wide at 390`);
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.getByTestId('pattern-3-tx-1-remove').click();
  await placeOrderBecomes([{ pattern: 'Reserve stock', count: 2 }]);
  assert.match(await page.getByTestId('json-findings').textContent(), /No problems found/);
  assert.deepEqual(page.errors, []);
});

test('both layouts write the order and the stock in one transaction', async () => {
  await page.getByTestId('nav-dynamo').click();
  await page.getByTestId('view-dynamo').waitFor();
  const requests = await page.getByTestId('dynamo-request').allTextContents();
  const place = requests.find((r) => r.includes('Place order'));
  assert.match(place, /Place order → TransactWriteItems/);
  // The order and two stock updates (the count was set to 2 above).
  assert.match(place, /TransactItems: \[ 3 items \]/);
  await page.getByTestId('nav-mongo').click();
  await page.getByTestId('view-mongo').waitFor();
  const text = await page.getByTestId('view-mongo').textContent();
  assert.match(text, /session\.withTransaction/);
  await screenshot(page, 'mwrite-mongo');
  assert.deepEqual(page.errors, []);
});
