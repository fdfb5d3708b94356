// Paged lists in the query console: a list pattern of the user-app example, run on MongoDB,
// pages by keyset (the next page's form shows the condition after the last row) and on DynamoDB
// by ExclusiveStartKey; each next page continues the order of the one before, and the last page
// says it is the last and offers no next page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, openWithData, screenshot } from './harness.mjs';

const PATTERN = 'List users in a city';
const LIMIT = 20;

let app;
let page;
before(async () => {
  app = await startApp();
  page = await app.open();
  await openWithData(page, 'user-app', 4000, 120_000);
});
after(async () => { await app?.stop(); });

/** The result table as one object per row, keyed by its column headers. */
async function tableRows() {
  return page.getByTestId('result-table').evaluate((table) => {
    const headers = [...table.querySelectorAll('thead th')].map((th) => th.textContent);
    return [...table.querySelectorAll('tbody tr')].map((tr) => Object.fromEntries(
      [...tr.querySelectorAll('td')].map((td, i) => [headers[i], td.title || td.textContent]),
    ));
  });
}

/** Waits until the result's stats match `pattern`, and returns them. */
async function statsMatching(pattern) {
  await page.waitForFunction(
    (source) => new RegExp(source).test(document.querySelector('[data-testid=result-stats]')?.textContent ?? ''),
    pattern.source,
  ).catch(async (e) => { await screenshot(page, 'paging-failed'); throw e; });
  return page.getByTestId('result-stats').textContent();
}

/** Each row's sort key, newest first as the pattern sorts: createdAt, then the id. */
const order = (rows, id) => rows.map((r) => [r.createdAt, r[id]]);
const later = (a, b) => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);

/** Asserts rows are in the pattern's order (createdAt descending, ties by id descending). */
function assertSorted(keys, where) {
  for (let i = 1; i < keys.length; i += 1) {
    assert.ok(!later(keys[i], keys[i - 1]), `${where}: row ${i} ${keys[i]} sorts before ${keys[i - 1]}`);
  }
}

test('MongoDB: Next page runs the keyset find after the last row, until the last page', async () => {
  await page.getByTestId('console-mongo').click();
  await page.getByTestId('mongo-pattern').selectOption(PATTERN);
  const firstFilter = JSON.parse(await page.getByTestId('mongo-filter').inputValue());
  assert.equal(firstFilter.$or, undefined);
  await page.getByTestId('run').click();
  assert.match(await statsMatching(/^20 rows.*page 1/), /page 1/);
  const first = await tableRows();
  assert.equal(first.length, LIMIT);
  assertSorted(order(first, '_id'), 'page 1');
  await screenshot(page, 'paging-mongo-page-1');

  await page.getByTestId('next-page').click();
  await statsMatching(/page 2/);
  // The form shows the next page's request: the same find with the keyset condition on
  // (createdAt, _id) after page 1's last row.
  const filter = JSON.parse(await page.getByTestId('mongo-filter').inputValue());
  const last = first[first.length - 1];
  assert.equal(filter['profile.city'], firstFilter['profile.city']);
  assert.equal(JSON.stringify(filter.$or[0].createdAt.$lt), JSON.stringify({ $date: last.createdAt }));
  const second = await tableRows();
  assert.ok(second.length > 0);
  const seen = new Set(first.map((r) => r._id));
  assert.ok(second.every((r) => !seen.has(r._id)), 'page 2 repeats no row of page 1');
  second.forEach((r) => seen.add(r._id));
  assertSorted(order([...first, ...second], '_id'), 'pages 1 and 2');
  await screenshot(page, 'paging-mongo-page-2');

  // Page on until a page shorter than the limit, which says it is the last.
  let rows = second;
  let number = 2;
  while (rows.length === LIMIT) {
    assert.equal(await page.getByTestId('last-page').count(), 0, `page ${number} is full: not the last`);
    number += 1;
    assert.ok(number < 100, 'the pages never end');
    await page.getByTestId('next-page').click();
    await statsMatching(new RegExp(`page ${number}(?!\\d)`));
    rows = await page.getByTestId('result-table').count() ? await tableRows() : [];
    rows.forEach((r) => assert.ok(!seen.has(r._id), `page ${number} repeats ${r._id}`));
    rows.forEach((r) => seen.add(r._id));
  }
  assert.ok(number > 2, `${number} pages`);
  assert.match(await page.getByTestId('last-page').textContent(), /last page/);
  assert.equal(await page.getByTestId('next-page').count(), 0, 'no next page after the last');
  await screenshot(page, 'paging-mongo-last');
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'paging-mongo-last-phone');
  await page.setViewportSize({ width: 1280, height: 800 });

  // Every page together is the whole list: as many rows as the find without its limit.
  await page.getByTestId('mongo-op').selectOption('countDocuments');
  await page.getByTestId('mongo-filter').fill(JSON.stringify(firstFilter));
  await page.getByTestId('run').click();
  assert.match(await statsMatching(/^(?!.*page \d).*count/), new RegExp(`count ${seen.size}(?!\\d)`));
  assert.equal(await page.getByTestId('next-page').count(), 0, 'an edited form is no list page');
  assert.deepEqual(page.errors, []);
});

test('DynamoDB: Next page starts at the LastEvaluatedKey (ExclusiveStartKey), until the last page', async () => {
  await page.getByTestId('console-dynamo').click();
  await page.getByTestId('dynamo-pattern').selectOption(PATTERN);
  assert.equal(JSON.parse(await page.getByTestId('dynamo-input').inputValue()).Limit, LIMIT);
  await page.getByTestId('run').click();
  await statsMatching(/^20 rows.*more pages/);
  const first = await tableRows();
  assertSorted(order(first, 'userId'), 'page 1');
  await page.getByTestId('toggle-json').click();
  const response = await page.getByTestId('result').textContent();
  assert.match(response, /LastEvaluatedKey/);
  await page.getByTestId('toggle-json').click();

  const seen = new Set(first.map((r) => r.userId));
  let all = first;
  let rows = first;
  let pages = 1;
  while (await page.getByTestId('next-page').count()) {
    assert.equal(await page.getByTestId('last-page').count(), 0, `page ${pages} has a LastEvaluatedKey`);
    const before = await page.getByTestId('result').textContent();
    await page.getByTestId('next-page').click();
    await page.waitForFunction(
      (text) => document.querySelector('[data-testid=result-stats]') && document.querySelector('[data-testid=result]').textContent !== text,
      before,
    );
    pages += 1;
    assert.ok(pages < 100, 'the pages never end');
    // The page started at the LastEvaluatedKey of the one before: its last item's keys.
    const start = await page.getByTestId('start-key').textContent();
    const end = rows[rows.length - 1];
    for (const key of ['PK', 'SK', 'GSI1PK', 'GSI1SK']) assert.ok(start.includes(end[key]), `${start} has ${key} ${end[key]}`);
    rows = await page.getByTestId('result-table').count() ? await tableRows() : [];
    rows.forEach((r) => assert.ok(!seen.has(r.userId), `page ${pages} repeats ${r.userId}`));
    rows.forEach((r) => seen.add(r.userId));
    all = [...all, ...rows];
    assertSorted(order(all, 'userId'), `pages 1 to ${pages}`);
    if (pages === 2) await screenshot(page, 'paging-dynamo-page-2');
  }
  assert.ok(pages > 2, `${pages} pages`);
  assert.ok(rows.length <= LIMIT);
  assert.match(await page.getByTestId('last-page').textContent(), /last page/);
  await screenshot(page, 'paging-dynamo-last');
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'paging-dynamo-last-phone');
  await page.setViewportSize({ width: 1280, height: 800 });
  assert.deepEqual(page.errors, []);
});
