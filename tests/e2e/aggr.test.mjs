// Aggregation patterns edited without the JSON view: user-app's "Count users per city" is the
// user's own `$match` + `$group` by city, shown in its grouping form; the MongoDB view shows the
// pipeline and the DynamoDB view the counter item it reads (one GetItem, see counters.test.mjs);
// a sum sorted and limited edits in the same sentence.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, screenshot } from './harness.mjs';

let app;
let page;
before(async () => {
  app = await startApp();
  page = await app.open();
  await page.getByTestId('example-user-app').click();
});
after(async () => { await app?.stop(); });

async function design() {
  await page.getByTestId('nav-design').click();
  await page.getByTestId('view-design').waitFor();
}

async function mongoShell(pattern) {
  await page.getByTestId('nav-mongo').click();
  await page.getByTestId('view-mongo').waitFor();
  return page.getByTestId('mongo-query').filter({ hasText: pattern }).textContent();
}

async function dynamoRequest(pattern) {
  await page.getByTestId('nav-dynamo').click();
  await page.getByTestId('view-dynamo').waitFor();
  return page.getByTestId('dynamo-request').filter({ hasText: pattern }).first().textContent();
}

test('the users per city are a $match + $group by city, edited in its sentence', async () => {
  await design();
  assert.equal(await page.getByTestId('pattern-3-name').inputValue(), 'Count users per city');
  assert.equal(await page.getByTestId('pattern-3-kind').inputValue(), 'aggregate');
  const id = 'pattern-3-aggregate';
  await page.getByTestId(id).waitFor();
  assert.equal(await page.getByTestId(`${id}-group-by`).inputValue(), 'profile.city');
  assert.equal(await page.getByTestId(`${id}-as-0`).inputValue(), 'count');
  // A count reads no field.
  assert.equal(await page.getByTestId(`${id}-field-0`).count(), 0);
  await screenshot(page, 'aggr-form-desktop');

  let shell = await mongoShell('Count users per city');
  assert.match(shell, /db\.users\.aggregate\(\[\{ \$match: \{ 'profile\.city': '[^']*' \} \}, \{ \$group: \{ _id: '\$profile\.city', count: \{ \$sum: 1 \} \} \}\]\)/);
  const request = await dynamoRequest('Count users per city');
  assert.match(request, /GetItem/);
  assert.match(request, /USER_STATS#CITY#/);

  // A sum of a field sorted on it, the first 5 groups.
  await design();
  await page.getByTestId(`${id}-add`).click();
  await page.getByTestId(`${id}-op-1`).selectOption('sum');
  await page.getByTestId(`${id}-field-1`).fill('balance');
  await page.getByTestId(`${id}-field-1`).press('Tab');
  await page.getByTestId(`${id}-as-1`).fill('total');
  await page.getByTestId(`${id}-as-1`).press('Tab');
  await page.getByTestId(`${id}-sort`).selectOption('total');
  await page.getByTestId(`${id}-limit`).fill('5');
  await page.getByTestId(`${id}-limit`).press('Tab');
  shell = await mongoShell('Count users per city');
  assert.match(shell, /total: \{ \$sum: '\$balance' \}/);
  assert.match(shell, /\{ \$sort: \{ total: -1, _id: 1 \} \}, \{ \$limit: 5 \}/);

  // A field the entity lacks is named where it is typed.
  await design();
  await page.getByTestId(`${id}-field-1`).fill('nope');
  await page.getByTestId(`${id}-field-1`).press('Tab');
  await page.getByText('"nope" is not a field of User').first().waitFor();
  assert.deepEqual(page.errors, []);
});

test('the grouping form fits a phone', async () => {
  const phone = await app.open({ viewport: { width: 390, height: 844 } });
  await phone.getByTestId('example-user-app').click();
  await phone.getByTestId('nav-design').click();
  await phone.getByTestId('pattern-3-kind').selectOption('aggregate');
  await phone.getByTestId('pattern-3-aggregate-add').click();
  await phone.getByTestId('pattern-3-aggregate').waitFor();
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width} px wide`);
  await screenshot(phone, 'aggr-form-phone');
});
