// A pg_dump imported in the playground: its indexes become access patterns, its composite key
// the DynamoDB partition and sort key, its foreign keys relationships; the migration plan from
// SQL shows in the export lists, rendered. Screenshots at 1280 and 390 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { copyFile, mkdir } from 'node:fs/promises';
import { startApp, screenshot, artifacts, repoRoot } from './harness.mjs';

let app;
let page;
before(async () => {
  app = await startApp();
  page = await app.open();
});
after(async () => { await app?.stop(); });

test('a pg_dump imports with patterns, keys and relationships, and its migration plan shows', async () => {
  await mkdir(artifacts, { recursive: true });
  const file = join(artifacts, 'shop.pg_dump.sql');
  await copyFile(join(repoRoot, 'crates/core/tests/fixtures/sql/shop.pg_dump.sql'), file);
  await page.getByTestId('view-start').waitFor();
  await page.getByTestId('import-file').setInputFiles(file);
  await page.getByTestId('import-go').click();
  await page.getByTestId('notice-info').waitFor();
  assert.match(await page.getByTestId('notice-info').textContent(), /Imported/);

  const entities = [];
  for (let i = 0; i < 3; i++) entities.push(await page.getByTestId(`entity-${i}-name`).inputValue());
  assert.deepEqual(entities, ['Customer', 'Order', 'OrderItem']);
  const patterns = [];
  for (let i = 0; i < 7; i++) patterns.push(await page.getByTestId(`pattern-${i}-name`).inputValue());
  assert.ok(patterns.includes('Get customer by email'), patterns.join(' | '));
  assert.ok(patterns.includes('List orders by customer, newest placedAt first'), patterns.join(' | '));
  assert.ok(patterns.includes('Get order item by orderId and lineNo'), patterns.join(' | '));
  assert.equal(await page.getByTestId('rel-0-field').inputValue(), 'customerId');
  assert.equal(await page.getByTestId('rel-1-field').inputValue(), 'orderId');
  await screenshot(page, 'sqlmig-design-1280');

  await page.getByTestId('nav-dynamo').click();
  const keys = await page.getByTestId('keys-OrderItem').textContent();
  assert.match(keys, /ORDER#<orderId>/);
  assert.match(keys, /LINE#<lineNo>/);
  const plan = page.getByTestId('export').filter({ hasText: 'Migration plan from SQL' });
  await plan.locator('summary').first().click();
  await page.getByTestId('migration-plan').waitFor();
  assert.equal(await page.getByTestId('migration-table').count(), 3);
  assert.equal(await page.getByTestId('migration-load').count(), 6);
  assert.match(await page.getByTestId('migration-plan').textContent(), /change-data-capture/);
  await screenshot(page, 'sqlmig-plan-1280');
  await page.getByTestId('migration-plan').screenshot({ path: join(artifacts, 'sqlmig-plan-card-1280.png') });

  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'sqlmig-plan-390');
  await page.getByTestId('migration-plan').screenshot({ path: join(artifacts, 'sqlmig-plan-card-390.png') });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px at 390 px`);
  assert.deepEqual(page.errors, []);
});
