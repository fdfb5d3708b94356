// The console runs the code tutorials write: a snippet in the style of the MongoDB Node
// driver's quick start (an async function with try/catch/finally, arrows as callbacks, if,
// a template literal), and a transaction whose callback throws: the error shows at the
// throw's line and column, and nothing the transaction wrote stays.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, screenshot, openWithData } from './harness.mjs';

/** Pastes a script into the current database's script console, runs it, waits for its outcomes. */
async function run(page, script) {
  await page.getByTestId('script-input').fill(script);
  const results = page.getByTestId('script-results');
  const previous = (await results.count()) ? await results.getAttribute('data-run') : null;
  await page.getByTestId('script-input').press('Control+Enter');
  await page.waitForFunction((before) => {
    const run = document.querySelector('[data-testid=script-results]')?.dataset.run;
    return run !== undefined && run !== before;
  }, previous, { timeout: 60_000 });
  return page.getByTestId('script-summary').textContent();
}

/** The outcome of the statement starting on `line`. */
function outcome(page, line) {
  return page.locator(`[data-testid=script-outcome][data-line="${line}"]`);
}

const TUTORIAL = `const { MongoClient } = require('mongodb')
const client = new MongoClient('mongodb://localhost:27017')
async function run() {
  try {
    await client.connect()
    const users = client.db().collection('users')
    const docs = await users.find({ email: { $exists: true } }).limit(5).toArray()
    if (docs.length === 0) {
      throw new Error('no users yet')
    } else {
      const names = docs.map(d => d.name).filter((n) => n.length > 0)
      console.log(\`found \${names.length} users\`)
    }
  } catch (err) {
    console.log('failed:', err.message)
  } finally {
    await client.close()
  }
}
run().catch(console.dir)`;

const TRANSACTION = `db.stock.insertOne({ _id: 'p1', qty: 0 })
const session = db.getMongo().startSession()
session.withTransaction(() => {
  const tx = session.getDatabase(db.getName())
  tx.orders.insertOne({ _id: 'o1' })
  if (tx.stock.updateOne({ _id: 'p1', qty: { $gte: 1 } }, { $inc: { qty: -1 } }).matchedCount !== 1) throw new Error('p1: out of stock')
})
db.orders.countDocuments()`;

let app;
let page;
before(async () => {
  app = await startApp();
  page = await app.open({ viewport: { width: 1280, height: 800 } });
  await openWithData(page, 'user-app', 20);
  await page.getByTestId('mode-script').click();
});
after(async () => { await app?.stop(); });

test('a tutorial snippet with an async function, arrows, if and try/catch runs', async () => {
  const summary = await run(page, TUTORIAL);
  await screenshot(page, 'script-lang-tutorial');
  assert.match(summary, /0 failed/);
  assert.match(await outcome(page, 20).textContent(), /found \d+ users/);
  assert.deepEqual(page.errors, []);
});

test('a throw inside a transaction callback aborts it and shows at its place', async () => {
  const summary = await run(page, TRANSACTION);
  assert.match(summary, /1 failed/);
  assert.match(await outcome(page, 3).getByTestId('script-error').textContent(), /line 6, column 102: Error: p1: out of stock/);
  assert.match(await outcome(page, 8).textContent(), /\b0\b/);
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 800 });
    await screenshot(page, `script-lang-transaction-${width}`);
  }
  assert.deepEqual(page.errors, []);
});
