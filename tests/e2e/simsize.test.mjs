// The simulators' download: the worker is built without the IANA time zone database and fetches
// a zone's file (dist/tzdb/<name>.tzif) the first time a query names it, once; the answer is the
// bundled database's (New York's daylight time in July, its standard time in January), and a
// name the database does not hold is the server's error, as before.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, openWithData, screenshot, runScript } from './harness.mjs';

/** Every URL the page and its workers fetched. */
const fetched = [];
const zoneFiles = () => fetched.filter((url) => /\/tzdb\//.test(url));

const run = runScript;

/** A `$dateToString` of `iso` in `zone`, on one generated user. */
const inZone = (iso, zone) => `db.users.aggregate([{ $limit: 1 }, { $project: { _id: 0, t: { $dateToString: { date: ISODate("${iso}"), format: "%H:%M %z", timezone: "${zone}" } } } }])`;

let app;
let page;
before(async () => {
  app = await startApp();
  page = await app.open();
  page.on('request', (request) => fetched.push(request.url()));
  await openWithData(page, 'user-app', 20);
  await page.getByTestId('mode-script').click();
});
after(async () => { await app?.stop(); });

test('a named time zone is fetched when a query first names it, once, and answers as the database says', async () => {
  assert.deepEqual(zoneFiles(), [], 'a time zone file was fetched before any query named a zone');
  assert.match(await run(page, inZone('2024-07-01T12:00:00Z', 'America/New_York')), /^1 statement, 0 failed/);
  assert.match(await page.getByTestId('script-outcome').textContent(), /08:00 -0400/);
  assert.deepEqual(zoneFiles().map((url) => new URL(url).pathname), ['/tzdb/America/New_York.tzif']);

  assert.match(await run(page, inZone('2024-01-15T12:00:00Z', 'America/New_York')), /^1 statement, 0 failed/);
  assert.match(await page.getByTestId('script-outcome').textContent(), /07:00 -0500/);
  assert.equal(zoneFiles().length, 1, `the zone was fetched again: ${zoneFiles().join(' ')}`);
  await screenshot(page, 'simsize-zone');
  assert.deepEqual(page.errors, []);
});

test('a zone the database does not hold, or in another case, is the server\'s error', async () => {
  for (const zone of ['America/Nowhere', 'america/new_york']) {
    assert.match(await run(page, inZone('2024-07-01T12:00:00Z', zone)), /^1 statement, 1 failed/);
    assert.match(await page.getByTestId('script-error').textContent(),
      new RegExp(`unrecognized time zone identifier: "${zone}"`));
  }
  // The 404 of the missing zone is the browser's to log, not the app's.
  assert.deepEqual(page.errors.filter((e) => !/404|Failed to load resource/.test(e)), []);
});
