// The editor edits all of it: renames that follow (a field's patterns and index, an entity's id),
// a relationship offered from a ref field, a write condition edited in the form reaching the
// DynamoDB request, generation that says its cap, counts per part and can be cancelled, and
// every view fitting a 390 px phone with the cost table inside the desktop layout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, screenshot, typeInto, designJson } from './harness.mjs';

let app;
let page;
before(async () => {
  app = await startApp();
  page = await app.open();
  await page.getByTestId('example-user-app').click();
  await page.getByTestId('nav-design').click();
  await page.getByTestId('entity-0-name').waitFor();
});
after(async () => { await app?.stop(); });

/** Types into an input and commits it (Tab away). */
const type = (testid, text) => typeInto(page, testid, text);

/** The design as the JSON view shows it. */
const json = () => designJson(page);

/** Waits until `check(design)` holds for the JSON view's design (renders are asynchronous). */
async function until(check, what) {
  for (let i = 0; i < 50; i += 1) {
    if (check(await json())) return;
    await page.waitForTimeout(100);
  }
  assert.fail(`the design never came to ${what}: ${JSON.stringify(await json())}`);
}

test('renaming a field renames the patterns and the index using it, nested too', async () => {
  // user-app's User: userId, email, name, profile { age, city, bio }, ...
  await type('entity-0-field-1-name', 'mail');
  await until((d) => d.accessPatterns[1].equality[0] === 'mail', 'the pattern on mail');
  let d = await json();
  assert.equal(d.entities[0].fields[1].name, 'mail');
  assert.deepEqual(d.dynamo.indexes[0], { name: 'EmailIndex', partitionKey: 'mail' });
  await type('entity-0-field-3-1-name', 'town');
  await until((d) => d.accessPatterns[2].equality[0] === 'profile.town', 'the pattern on profile.town');
  d = await json();
  assert.deepEqual(d.accessPatterns[3].equality, ['profile.town']);
  assert.match(await page.getByTestId('json-findings').textContent(), /No problems found/);
  // One undo step brings the field and its patterns back together.
  await page.getByTestId('undo').click();
  await until((d) => d.accessPatterns[2].equality[0] === 'profile.city', 'profile.city again');
  assert.equal((await json()).entities[0].fields[3].type.object[1].name, 'city');
  // A name the entity already has is refused, and the card says why.
  await type('entity-0-field-1-name', 'name');
  assert.match(await page.getByTestId('entity-0-rename-problem').textContent(), /Not renamed: User already has "name"/);
  assert.equal((await json()).entities[0].fields[1].name, 'mail');
  // The next rename that works clears it.
  await type('entity-0-field-1-name', 'email');
  await page.getByTestId('entity-0-rename-problem').waitFor({ state: 'detached', timeout: 5000 });
  await until((d) => d.accessPatterns[1].equality[0] === 'email', 'the pattern on email again');
  assert.deepEqual(page.errors, []);
});

test('renaming an entity renames its id named after it and everything naming the id', async () => {
  await type('entity-0-name', 'Customer');
  await until((d) => d.entities[0].name === 'Customer', 'Customer');
  const d = await json();
  assert.equal(d.entities[0].id, 'customerId');
  assert.equal(d.entities[0].fields[0].name, 'customerId');
  assert.deepEqual(d.accessPatterns[0].equality, ['customerId']);
  assert.equal(d.accessPatterns[0].entity, 'Customer');
  assert.deepEqual(d.relationships[0].from, 'Customer');
  // Post refers to its author by a name of its own, which stays.
  assert.equal(d.relationships[0].field, 'authorId');
  assert.match(await page.getByTestId('entity-0-id').inputValue(), /^customerId$/);
  await screenshot(page, 'editor-renamed-1280');
  assert.deepEqual(page.errors, []);
});

test('a new entity gets a fresh name and id; a ref field offers its relationship', async () => {
  const before = (await json()).relationships.length;
  await page.getByTestId('add-entity').click();
  await page.getByTestId('entity-3-name').waitFor();
  assert.equal(await page.getByTestId('entity-3-name').inputValue(), 'Entity');
  await type('entity-3-name', 'Order');
  await until((d) => d.entities[3]?.fields[0]?.name === 'orderId', 'orderId');
  await page.getByTestId('entity-3-field-add').click();
  await type('entity-3-field-1-name', 'buyerId');
  await page.getByTestId('entity-3-field-1-type').selectOption('ref:Customer');
  const offer = page.getByTestId('implied-0-add');
  await offer.waitFor();
  assert.match(await page.getByTestId('implied-0').textContent(), /Order\.buyerId refers to Customer: \+ one Customer has many Order/);
  await screenshot(page, 'editor-offer-1280');
  await offer.click();
  await until((d) => d.relationships.length === before + 1, 'the offered relationship');
  const added = (await json()).relationships[before];
  assert.deepEqual({ from: added.from, to: added.to, cardinality: added.cardinality, field: added.field },
    { from: 'Customer', to: 'Order', cardinality: 'oneToMany', field: 'buyerId' });
  assert.equal(await page.getByTestId('implied-0').count(), 0);
  // The guess can be changed in the relationship's own row, and the offer undone.
  await page.getByTestId(`rel-${before}-cardinality`).selectOption('oneToFew');
  await until((d) => d.relationships[before].cardinality === 'oneToFew', 'one-to-few');
  await page.getByTestId('undo').click();
  await page.getByTestId('undo').click();
  await until((d) => d.relationships.length === before, 'the offer undone');
  await page.getByTestId('implied-0').waitFor();
  assert.deepEqual(page.errors, []);
});

/** The DynamoDB view's request of a pattern, as text. */
async function dynamoRequest(name) {
  await page.getByTestId('nav-dynamo').click();
  const requests = page.getByTestId('dynamo-request').filter({ hasText: name });
  await requests.first().waitFor();
  return requests.first().textContent();
}

test('a write condition edited in the form changes the DynamoDB ConditionExpression', async () => {
  const before = await dynamoRequest('Add to balance');
  assert.match(before, /ConditionExpression[^\n]*>=/, before);
  await page.getByTestId('nav-design').click();
  // "Add to balance" is the eighth pattern: balance >= 0.
  assert.equal(await page.getByTestId('pattern-7-cond-field').inputValue(), 'balance');
  await page.getByTestId('pattern-7-cond-op').selectOption('gt');
  await type('pattern-7-cond-value', '5');
  await until((d) => d.accessPatterns[7].condition.op === 'gt' && d.accessPatterns[7].condition.value === 5, 'balance > 5');
  const after = await dynamoRequest('Add to balance');
  assert.doesNotMatch(after, /ConditionExpression[^\n]*>=/, after);
  assert.match(after, /ConditionExpression[^\n]*>/, after);
  assert.match(after, /\b5\b/, after);
  // A condition on a field that is gone shows its finding next to the pattern.
  await page.getByTestId('nav-design').click();
  await page.getByTestId('json-text').waitFor();
  assert.equal(await page.getByTestId('pattern-7').getByTestId('finding-here').count(), 0);
  assert.deepEqual(page.errors, []);
});

test('generation says its cap, counts per part and can be cancelled', async () => {
  await page.getByTestId('nav-query').click();
  assert.match(await page.getByTestId('per-entity-cap').textContent(), /at most 200,000/);
  await page.getByTestId('per-entity').fill('3000000');
  await page.getByTestId('per-entity').press('Tab');
  assert.match(await page.getByTestId('per-entity-capped').textContent(),
    /3,000,000 is above the cap of 200,000 per entity: 200,000 of each will be generated/);
  await page.getByTestId('generate').click();
  const part = page.getByTestId('progress-part');
  await part.waitFor({ timeout: 60_000 });
  assert.match(await part.textContent(), /^\w+: \d{1,3}(,\d{3})* \/ 200,000$/);
  await screenshot(page, 'editor-generating-1280');
  await page.getByTestId('cancel-generation').click();
  await page.getByText(/Generation cancelled/).waitFor();
  assert.equal(await page.getByTestId('progress').count(), 0);
  await page.getByTestId('per-entity').fill('1500');
  await page.getByTestId('per-entity').press('Tab');
  assert.equal(await page.getByTestId('per-entity-capped').count(), 0);
  await page.getByTestId('generate').click();
  await page.getByTestId('data-summary').waitFor({ timeout: 60_000 });
  assert.match(await page.getByTestId('data-summary').textContent(), /MongoDB: 4,500 documents in customers \(1,500\), posts \(1,500\), orders \(1,500\)/);
  assert.deepEqual(page.errors, []);
});

const VIEWS = ['start', 'design', 'diagram', 'mongo', 'dynamo', 'query', 'advice', 'verify'];

test('every view fits a 390 px phone; the cost table fits the desktop layout', async () => {
  await page.getByTestId('nav-advice').click();
  await page.getByTestId('cost').waitFor();
  const clipped = await page.evaluate(() => {
    const table = document.querySelector('[data-testid=cost] table');
    return table.scrollWidth - table.parentElement.clientWidth;
  });
  assert.ok(clipped <= 0, `the cost table is ${clipped}px wider than its card at 1280 px`);
  await screenshot(page, 'editor-advice-1280');
  await page.getByTestId('nav-mongo').click();
  await screenshot(page, 'editor-mongo-1280');

  await page.setViewportSize({ width: 390, height: 844 });
  for (const view of VIEWS) {
    await page.getByTestId(`nav-${view}`).click();
    await page.getByTestId(`view-${view}`).waitFor();
    await page.waitForTimeout(150);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    await screenshot(page, `editor-${view}-390`);
    assert.ok(width <= 390, `the ${view} view is ${width}px wide on a 390 px phone`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  assert.deepEqual(page.errors, []);
});
