// Figures for the closing note, each with a bound it must keep: time until the page is
// interactive, and the page's main thread while 100k documents are generated in the worker
// (the page must stay responsive: issue 16's goal is no main-thread task over 50 ms).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, screenshot } from './harness.mjs';

let app;
before(async () => { app = await startApp(); });
after(async () => { await app?.stop(); });

test('time until interactive on localhost', async () => {
  const page = await app.open();
  await page.getByTestId('new-design').click();
  await page.getByTestId('view-design').waitFor();
  const ms = await page.evaluate(() => performance.now());
  const nav = await page.evaluate(() => JSON.stringify(performance.getEntriesByType('navigation')[0]?.toJSON?.() ?? {}));
  const { domContentLoadedEventEnd } = JSON.parse(nav);
  console.log(`time until interactive: ${Math.round(ms)} ms (first click handled); DOMContentLoaded at ${Math.round(domContentLoadedEventEnd)} ms`);
  // Measured 279-649 ms on the shared 2-core machine (the wasm of the page compiles on the main
  // thread); three times the slowest run leaves room for a loaded machine and still fails when
  // the page stops being interactive quickly, e.g. if it waited for the worker's wasm.
  assert.ok(ms < 2_000, `the first click was handled ${Math.round(ms)} ms after navigation`);
  assert.deepEqual(page.errors, []);
});

test('generating 100k documents keeps the main thread free', async () => {
  const page = await app.open();
  await page.getByTestId('example-user-app').click();
  await page.getByTestId('nav-query').click();
  await page.getByTestId('per-entity').fill('50000');
  await page.getByTestId('per-entity').press('Tab');
  await observeLongTasks(page);
  const now = () => page.evaluate(() => performance.now());
  const started = Date.now();
  const generateFrom = await now();
  await page.getByTestId('generate').click();
  await page.getByTestId('progress').waitFor();
  // Generation left alone for a while (or until it ends): the worker works and the page only
  // renders its progress. Nothing here may block the main thread for 50 ms.
  await Promise.race([
    page.getByTestId('data-summary').waitFor({ timeout: 600_000 }),
    page.waitForTimeout(1_500),
  ]);
  const generateTo = await now();
  // The page answers while the worker works: switch views and back.
  const clicked = Date.now();
  await page.getByTestId('nav-design').click();
  await page.getByTestId('view-design').waitFor();
  await page.getByTestId('nav-query').click();
  await page.getByTestId('progress').waitFor();
  const roundTrip = Date.now() - clicked;
  await screenshot(page, 'generating');
  await page.getByTestId('data-summary').waitFor({ timeout: 600_000 });
  const seconds = (Date.now() - started) / 1000;
  const summary = await page.getByTestId('data-summary').textContent();
  // Counts are shown grouped in thousands (100,000).
  const documents = Number(summary.match(/MongoDB: ([\d,]+) documents/)[1].replaceAll(',', ''));
  assert.ok(documents >= 100_000, summary);
  const longTasks = await page.evaluate(() => window.longTasks);
  const longest = Math.round(Math.max(0, ...longTasks.map((t) => t.duration)));
  const whileGenerating = longTasks
    .filter((t) => t.start >= generateFrom && t.start < generateTo)
    .map((t) => Math.round(t.duration));
  console.log(`generated ${summary} in ${seconds.toFixed(1)} s; view switch during generation took ${roundTrip} ms; `
    + `${longTasks.length} long tasks on the main thread, the longest ${longest} ms; `
    + `${whileGenerating.length} in the ${Math.round(generateTo - generateFrom)} ms of generation left alone`);
  // Generation itself runs in the worker: while the page only shows progress, no main-thread
  // task reaches 50 ms (issue 16's goal). This fails if generation or the engines ran on the
  // page's thread, or if rendering progress became expensive.
  assert.deepEqual(whileGenerating, [], 'main-thread tasks of 50 ms or more while generating');
  assert.ok(roundTrip < 2000, `switching views took ${roundTrip} ms during generation`);
  // The view switch renders the editor: 68-249 ms measured on the loaded machine, one task.
  // Issue 16 brings it under 50 ms; until then this bound only catches a page that freezes.
  assert.ok(longest < 500, `the longest main-thread task was ${longest} ms`);

  // And queries run on the generated data.
  await page.getByTestId('mongo-filter').fill('{"profile.city": "NYC"}');
  await page.getByTestId('mongo-limit').fill('5');
  await page.getByTestId('run').click();
  await page.getByTestId('result-table').waitFor();
  await screenshot(page, 'query-100k');
  assert.deepEqual(page.errors, []);
});

/** Records every main-thread task of 50 ms or more (the Long Tasks API reports exactly those). */
async function observeLongTasks(page) {
  await page.evaluate(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        window.longTasks.push({ start: entry.startTime, duration: entry.duration });
      }
    }).observe({ type: 'longtask' });
  });
}

/** The longest main-thread task (0: none of 50 ms or more) while `action` runs. */
async function longestDuring(page, action) {
  const from = await page.evaluate(() => performance.now());
  await action();
  // Entries are delivered after their task: give the observer a frame or two.
  await page.waitForTimeout(300);
  return page.evaluate((from) => Math.round(Math.max(0, ...window.longTasks
    .filter((t) => t.start >= from).map((t) => t.duration))), from);
}

test('the longest main-thread task while switching views, querying and verifying', async () => {
  const page = await app.open();
  await page.getByTestId('example-user-app').click();
  await page.getByTestId('view-design').waitFor();
  await observeLongTasks(page);
  const longest = {};
  // Each view once (the worker's derivation included), then the editor again.
  for (const view of ['mongo', 'dynamo', 'advice', 'alternatives', 'query', 'design']) {
    longest[`switch to ${view}`] = await longestDuring(page, async () => {
      await page.getByTestId(`nav-${view}`).click();
      await page.getByTestId(`view-${view}`).waitFor();
    });
  }
  await page.getByTestId('nav-query').click();
  await page.getByTestId('per-entity').fill('20000');
  await page.getByTestId('per-entity').press('Tab');
  longest.generate = await longestDuring(page, async () => {
    await page.getByTestId('generate').click();
    await page.getByTestId('data-summary').waitFor({ timeout: 600_000 });
  });
  longest['switch to design with data'] = await longestDuring(page, async () => {
    await page.getByTestId('nav-design').click();
    await page.getByTestId('view-design').waitFor();
  });
  await page.getByTestId('nav-query').click();
  await page.getByTestId('view-query').waitFor();
  longest.query = await longestDuring(page, async () => {
    await page.getByTestId('mongo-filter').fill('{"profile.city": "NYC"}');
    await page.getByTestId('run').click();
    await page.getByTestId('result-table').waitFor();
  });
  await page.getByTestId('nav-verify').click();
  longest.verify = await longestDuring(page, async () => {
    await page.getByTestId('verify-run').click();
    await page.getByTestId('verify-summary').waitFor({ timeout: 120_000 });
  });
  console.log(`longest main-thread task per scenario (ms, 0: none of 50 ms or more): ${JSON.stringify(longest)}`);
  // Generating, querying and verifying run in the worker and the page only renders: no task
  // of 50 ms or more (issue 16's goal; none measured on the shared 2-core machine).
  for (const scenario of ['generate', 'query', 'verify']) {
    assert.equal(longest[scenario], 0, `${scenario}: a main-thread task of ${longest[scenario]} ms`);
  }
  // Switching views derives in the worker too; the editor's first build is still about the
  // budget (55 ms measured idle): this bound only catches a page that freezes.
  for (const [scenario, ms] of Object.entries(longest)) {
    assert.ok(ms < 500, `${scenario}: the longest main-thread task was ${ms} ms`);
  }
  assert.deepEqual(page.errors, []);
});
