// The Verify panel: a gallery example verified in the worker with its numbers and the gap a
// text search on DynamoDB is, a clean report, a design that diverges shown with its answers
// side by side, links that select the pattern in the editor, and a report older than the design.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startApp, screenshot, repoRoot } from './harness.mjs';

/** Notes retexted by their tag, a field no key holds: today the DynamoDB layout's update does
 * not reach the note, so "Get note" then reads its old text there (a derivation fault; should
 * it be fixed, this fixture needs another divergence). */
const ambiguous = JSON.parse(await readFile(join(repoRoot, 'tests', 'e2e', 'fixtures', 'tagged-notes.schemaplay.json'), 'utf8'));
/** The same notes without the update: nothing to diverge on. */
const notes = { ...ambiguous, name: 'Notes', accessPatterns: ambiguous.accessPatterns.filter((p) => p.kind !== 'update') };

let app;
before(async () => { app = await startApp(); });
after(async () => { await app?.stop(); });

async function importDesign(page, design) {
  await page.getByTestId('import-file').setInputFiles({
    name: 'design.schemaplay.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(design)),
  });
  await page.getByTestId('notice-info').waitFor();
}

/** Runs the panel's verification with the steps shown and waits for its report; `onTheWay`
 * looks at the page while it runs. */
async function runVerify(page, onTheWay = async () => {}) {
  await page.getByTestId('nav-verify').click();
  await page.getByTestId('verify-run').click();
  await onTheWay();
  await page.getByTestId('verify-summary').waitFor({ timeout: 120_000 });
  return page.getByTestId('verify-summary').textContent();
}

/** Clicks a report's pattern link and checks the editor shows that pattern, highlighted. */
async function assertSelects(page, link, index) {
  await link.click();
  await page.getByTestId('view-design').waitFor();
  const row = page.locator(`#pattern-${index}`);
  await page.waitForFunction((i) => document.getElementById(`pattern-${i}`)?.classList.contains('flash'), index);
  const box = await row.boundingBox();
  const viewport = page.viewportSize();
  // Scrolled to the top, a row may sit a fraction of a pixel above it (sub-pixel layout).
  assert.ok(box && box.y > -1 && box.y < viewport.height, `pattern-${index} in view: ${JSON.stringify(box)}`);
}

test('a gallery example verifies with its numbers; the DynamoDB text search is a gap that links to its pattern', async () => {
  const page = await app.open();
  await page.getByTestId('example-user-app').click();
  // The warnings point to the panel.
  await page.getByTestId('nav-advice').click();
  await page.getByTestId('advice-verify').click();
  assert.equal(await page.getByTestId('verify-steps').inputValue(), '1000');
  assert.equal(await page.getByTestId('verify-seed').inputValue(), '1');
  // 1,000 steps of this design take seconds: the bar moves, and Run waits for the report.
  const summary = await runVerify(page, async () => {
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=verify-progress]')?.value) > 0);
    assert.equal(await page.getByTestId('verify-progress').getAttribute('max'), '1000');
    assert.ok(await page.getByTestId('verify-run').isDisabled());
  });
  assert.equal(await page.getByTestId('verify-progress').count(), 0);
  const [, d] = summary.match(/^verify: 13 patterns, 1000 steps, (\d+) divergences$/) ?? [];
  assert.ok(d !== undefined, summary);
  assert.equal(await page.getByTestId('divergence').count(), Number(d));
  const stats = await page.getByTestId('verify-report').textContent();
  assert.match(stats, /MongoDB: \d+ reads compared/);
  const gap = page.getByTestId('gap');
  assert.equal(await gap.count(), 1);
  const text = await gap.textContent();
  assert.match(text, /unservable/);
  assert.match(text, /“Search users by name or bio” on DynamoDB: .*Scan/);
  await screenshot(page, 'verify-user-app-1280');
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'verify-user-app-390');
  await page.setViewportSize({ width: 1280, height: 800 });
  await assertSelects(page, gap.getByTestId('verify-pattern'), 4);
  assert.deepEqual(page.errors, []);
});

test('a design with nothing to diverge on verifies clean', async () => {
  const page = await app.open();
  await importDesign(page, notes);
  assert.equal(await runVerify(page), 'verify: 2 patterns, 1000 steps, 0 divergences');
  assert.match(await page.getByTestId('verify-clean').textContent(), /Every read answered as the design says/);
  assert.equal(await page.getByTestId('divergence').count(), 0);
  assert.equal(await page.getByTestId('gap').count(), 0);
  assert.deepEqual(page.errors, []);
});

test('a divergence shows its steps and the three answers side by side, and links to its pattern', async () => {
  const page = await app.open();
  await importDesign(page, ambiguous);
  await page.getByTestId('nav-verify').click();
  await page.getByTestId('verify-steps').fill('1500');
  await page.getByTestId('verify-steps').press('Tab');
  await page.getByTestId('verify-seed').fill('3');
  await page.getByTestId('verify-seed').press('Tab');
  const summary = await runVerify(page);
  assert.match(summary, /^verify: 3 patterns, 1500 steps, [1-9]\d* divergences$/);
  assert.match(await page.getByTestId('verify-report').textContent(), /seed 3/);
  const first = page.getByTestId('divergence').filter({ hasText: '“Get note”' }).first();
  assert.match(await first.locator('h4').textContent(), /^“Get note” on (MongoDB|DynamoDB)$/);
  assert.ok((await first.getByTestId('divergence-why').textContent()).length > 0);
  const steps = first.getByTestId('divergence-steps').locator('li');
  assert.ok(await steps.count() >= 2);
  assert.match(await steps.last().textContent(), /"Get note"/);
  const answers = await first.getByTestId('divergence-answers').textContent();
  assert.match(answers, /Expected \(the design\)/);
  assert.match(answers, /MongoDB/);
  assert.match(answers, /DynamoDB · differs|MongoDB · differs/);
  assert.match(answers, /1 record|no record/);
  await screenshot(page, 'verify-divergence-1280');
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'verify-divergence-390');
  await page.setViewportSize({ width: 1280, height: 800 });
  await assertSelects(page, first.getByTestId('verify-pattern'), 1);

  // An edit makes the report older than the design: it says so, and still links by name.
  await page.getByTestId('pattern-0-name').fill('Write a note');
  await page.getByTestId('pattern-0-name').press('Tab');
  await page.getByTestId('nav-verify').click();
  assert.match(await page.getByTestId('verify-stale').textContent(), /The design changed since this run/);
  await assertSelects(page, page.getByTestId('divergence').first().getByTestId('verify-pattern'), 1);
  assert.deepEqual(page.errors, []);
});

test('a design with errors is not verified, and the panel says why', async () => {
  const page = await app.open();
  await importDesign(page, { ...notes, accessPatterns: [{ name: 'Get ghost', entity: 'Ghost', kind: 'getOne' }] });
  await page.getByTestId('nav-verify').click();
  await page.getByTestId('verify-run').click();
  const error = page.getByTestId('verify-error');
  await error.waitFor({ timeout: 60_000 });
  assert.match(await error.textContent(), /cannot be verified while it has errors: accessPatterns\[0\]\.entity: no entity is named "Ghost"/);
  assert.deepEqual(page.errors, []);
});
