// Index projections, a pattern's hottest-key share and what they change: chat's username
// index projects only its keys (so touching last seen writes no index), a projection set by
// hand changes the cost and the design file, and a busy room's share makes a hot partition.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, screenshot } from './harness.mjs';

let app;
let page;
before(async () => {
  app = await startApp();
  page = await app.open();
  await page.getByTestId('example-chat').click();
});
after(async () => { await app?.stop(); });

/** Types into an input and commits it the way a person does (Tab away). */
async function type(testid, text) {
  const input = page.getByTestId(testid);
  await input.fill(text);
  await input.press('Tab');
}

/** The design file as the JSON view shows it. */
async function designJson() {
  await page.getByTestId('nav-design').click();
  await page.getByTestId('view-design').waitFor();
  return JSON.parse(await page.getByTestId('json-text').inputValue());
}

/** The cost table's text. */
async function costText() {
  await page.getByTestId('nav-advice').click();
  return page.getByTestId('cost').textContent();
}

test('an index projection: derived with its reason, set by hand, back to derived', async () => {
  await page.getByTestId('nav-dynamo').click();
  await page.getByTestId('view-dynamo').waitFor();
  const kind = page.getByTestId('projection-GSI1-kind');
  assert.equal(await kind.inputValue(), '');
  assert.match(await kind.locator('option:checked').textContent(), /derived \(KEYS_ONLY\)/);
  assert.match(await page.getByTestId('projection-GSI1-reason').textContent(), /"Touch last seen" changes no key of it/);
  await screenshot(page, 'dproj-projection-1280');
  await page.setViewportSize({ width: 390, height: 800 });
  await screenshot(page, 'dproj-projection-390');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width} px wide at 390`);
  await page.setViewportSize({ width: 1280, height: 800 });
  assert.match(await costText(), /Touch last seen[^$]*\$492\.75/);

  await page.getByTestId('nav-dynamo').click();
  await page.getByTestId('projection-GSI1-kind').selectOption('all');
  // The worker derives the edited design: the view is current again once it has answered.
  await page.getByTestId('view-dynamo').waitFor();
  assert.match(await page.getByTestId('projection-GSI1-reason').textContent(), /set in the design/);
  assert.match(await costText(), /Touch last seen[^$]*\$985\.50/);

  await page.getByTestId('nav-dynamo').click();
  await page.getByTestId('projection-GSI1-kind').selectOption('include');
  await type('projection-GSI1-include', 'displayName, lastSeenAt');
  assert.deepEqual((await designJson()).dynamo.projections, { GSI1: { include: ['displayName', 'lastSeenAt'] } });
  // lastSeenAt is projected now: touching it writes the index again.
  assert.match(await costText(), /Touch last seen[^$]*\$985\.50/);

  await page.getByTestId('nav-dynamo').click();
  await page.getByTestId('projection-GSI1-kind').selectOption('');
  assert.equal((await designJson()).dynamo.projections, undefined);
  assert.deepEqual(page.errors, []);
});

test("a pattern's hottest-key share: in the design file and the hot-partition findings", async () => {
  await page.getByTestId('nav-design').click();
  const hot = page.getByTestId('pattern-3-hot');
  assert.equal(await hot.inputValue(), '30');
  await page.getByTestId('pattern-3').scrollIntoViewIfNeeded();
  await screenshot(page, 'dproj-pattern-1280');
  await type('pattern-3-hot', '90');
  const pattern = (await designJson()).accessPatterns[3];
  assert.equal(pattern.name, 'Latest messages in a room');
  assert.equal(pattern.hotKeyShare, 0.9);
  await page.getByTestId('nav-advice').click();
  const findings = await page.getByTestId('findings').textContent();
  assert.match(findings, /the hottest ROOM#<roomId> value, with 90% of the requests/);

  await page.getByTestId('nav-design').click();
  await type('pattern-3-hot', '');
  assert.equal((await designJson()).accessPatterns[3].hotKeyShare, undefined);
  await page.setViewportSize({ width: 390, height: 800 });
  await page.getByTestId('pattern-3').scrollIntoViewIfNeeded();
  await screenshot(page, 'dproj-pattern-390');
  await page.setViewportSize({ width: 1280, height: 800 });
  assert.deepEqual(page.errors, []);
});
