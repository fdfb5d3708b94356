// A SQL import with the tables' row counts: the import dialog of a SQL file takes a volumes
// file (or `table=rows` typed in), the entities' volumes are those counts (over the dump's
// `-- rows:` comments) and the cost follows them. Screenshots of the dialog at 1280 and 390 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { startApp, screenshot, artifacts, repoRoot } from './harness.mjs';

let app;
let page;
const sql = join(artifacts, 'leftovers-shop.mysqldump.sql');
const volumes = join(artifacts, 'leftovers-shop.volumes.txt');

before(async () => {
  await mkdir(artifacts, { recursive: true });
  await copyFile(join(repoRoot, 'crates/core/tests/fixtures/sql/shop.mysqldump.sql'), sql);
  await writeFile(volumes, '# rows per table\ncustomers=5000\norders = 250,000\norder_items=900_000\n');
  app = await startApp();
  page = await app.open();
  await page.getByTestId('view-start').waitFor();
});
after(async () => { await app?.stop(); });

/** The volumes of the design's entities, as the editor shows them. */
async function entityVolumes() {
  await page.getByTestId('nav-design').click();
  const out = [];
  for (let i = 0; i < 3; i++) out.push(await page.getByTestId(`entity-${i}-volume`).inputValue());
  return out;
}

/** The storage the cost card counts (`storage 1.2 GB, $0.30`). */
async function storage() {
  await page.getByTestId('nav-advice').click();
  const text = await page.getByTestId('cost').textContent();
  const m = text.match(/storage ([\d.,]+) GB/);
  assert.ok(m, text);
  return Number(m[1].replace(/,/g, ''));
}

/** Imports the SQL file, waiting for its dialog and then for the import's notice. */
async function importSql(fill) {
  const notices = await page.getByTestId('notice-info').count();
  await page.getByTestId('import-file').setInputFiles(sql);
  await page.getByTestId('import-dialog').waitFor();
  assert.match(await page.getByTestId('import-dialog').textContent(), /Import leftovers-shop\.mysqldump\.sql/);
  await fill();
  await page.getByTestId('import-go').click();
  await page.getByTestId('import-dialog').waitFor({ state: 'detached' });
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="notice-info"]').length > n
    || /Imported/.test(document.querySelector('[data-testid="notice-info"]')?.textContent ?? ''), notices);
  assert.match(await page.getByTestId('notice-info').last().textContent(), /Imported/);
}

test('without volumes, the dump\'s -- rows: comments are the volumes', async () => {
  await importSql(async () => {});
  assert.deepEqual(await entityVolumes(), ['120000', '1200000', '3600000']);
  const gb = await storage();
  assert.ok(gb > 0, `storage ${gb}`);
  assert.deepEqual(page.errors, []);
});

test('a volumes file in the import dialog sets the entities\' volumes, and the cost follows', async () => {
  const before = await storage();
  await importSql(async () => {
    await page.getByTestId('import-volumes-file').setInputFiles(volumes);
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="import-volumes"]')?.value.includes('order_items=900_000'));
    await screenshot(page, 'leftovers-import-dialog-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'leftovers-import-dialog-390');
    // The dialog fits the phone's width, its contents inside it.
    const box = await page.getByTestId('import-dialog').locator('.card').boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 390, `the dialog spans ${box.x} to ${box.x + box.width} px at 390 px`);
    const inside = await page.getByTestId('import-dialog').locator('.card')
      .evaluate((card) => card.scrollWidth - card.clientWidth);
    assert.ok(inside <= 0, `the dialog's contents scroll sideways by ${inside}px`);
    await page.setViewportSize({ width: 1280, height: 800 });
  });
  assert.deepEqual(await entityVolumes(), ['5000', '250000', '900000']);
  const after = await storage();
  assert.ok(after < before, `storage ${after} GB with the volumes file, ${before} GB with the dump's counts`);
  await screenshot(page, 'leftovers-cost-1280');
  assert.deepEqual(page.errors, []);
});

test('rows typed in the dialog count too; a table the file lacks is said; Cancel imports nothing', async () => {
  await importSql(async () => {
    await page.getByTestId('import-volumes').fill('{"customers": 42, "invoices": 7}');
  });
  assert.equal((await entityVolumes())[0], '42');
  assert.match(await page.getByTestId('notice-info').last().textContent(), /invoices, which is not created here/);

  const saved = async () => { await page.getByTestId('nav-start').click(); return page.getByTestId('saved-design').count(); };
  const count = await saved();
  await page.getByTestId('import-file').setInputFiles(sql);
  await page.getByTestId('import-dialog').waitFor();
  await page.getByTestId('import-cancel').click();
  await page.getByTestId('import-dialog').waitFor({ state: 'detached' });
  assert.equal(await saved(), count);
  assert.deepEqual(page.errors, []);
});
