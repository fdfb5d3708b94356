// Counter items: user-app's "Count users per city" (the user's `$match` + `$group` by city) is
// read in DynamoDB from a counter item per city, one GetItem, kept by an ADD in the transaction
// of "Create user" and "Delete user". The DynamoDB view shows the counter and picks a read of
// the items instead (a Scan, its warning); the Alternatives view shows both with their cost, and
// using one records it in the design; undo brings the derived choice back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, screenshot } from './harness.mjs';

let app;
before(async () => { app = await startApp(); });
after(async () => { await app?.stop(); });

const pattern = 'Count users per city';
const choice = `counter:${pattern}`;
const card = (page, key) => page.getByTestId(`alt-${choice}-${key}`);

async function dynamo(page) {
  await page.getByTestId('nav-dynamo').click();
  await page.getByTestId('view-dynamo').waitFor();
}

async function request(page, name) {
  return page.getByTestId('dynamo-request').filter({ hasText: name }).first().textContent();
}

async function cost(page, key) {
  const text = await card(page, key).getByTestId('alt-cost').locator('strong').textContent();
  return Number(text.replace(/[$,]|\s*\/ month/g, ''));
}

for (const [width, height] of [[1280, 800], [390, 844]]) {
  test(`a counter item per city, or a read of the users, at ${width} px`, async () => {
    const page = await app.open({ viewport: { width, height } });
    await page.getByTestId('example-user-app').click();
    await dynamo(page);

    // The counter, its keys, what keeps it and why (the numbers of the derived choice).
    const counter = page.getByTestId('counter-3');
    assert.equal(await page.getByTestId('counter-3-keys').textContent(), 'USER_STATS#CITY#<profile.city> / COUNT_USERS_PER_CITY');
    assert.match(await counter.textContent(), /kept by Create user, Delete user/);
    assert.match(await page.getByTestId('counter-3-reason').textContent(), /a counter item pays: .* read units/);
    assert.match(await request(page, pattern), /GetItem/);
    assert.match(await request(page, 'Create user'), /ADD itemCount :itemCount/);
    assert.match(await request(page, 'Delete user'), /':itemCount': -1/);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= width, `the page is ${wide} px wide`);
    await screenshot(page, `counters-dynamo-${width}`);

    // Read the items instead: the aggregate is a Scan again, and the insert a plain write.
    await page.getByTestId('counter-3-choice').selectOption('read');
    await page.waitForFunction(() => !document.querySelector('[data-testid="counter-3-keys"]'));
    assert.match(await request(page, pattern), /Scan/);
    assert.doesNotMatch(await request(page, 'Create user'), /itemCount/);
    await page.getByTestId('counter-3-choice').selectOption('');
    await page.getByTestId('counter-3-keys').waitFor();

    // Side by side: the counter costs less than a Scan per read.
    await page.getByTestId('dynamo-alternatives').click();
    await page.getByTestId(`alt-choice-${choice}`).waitFor();
    assert.match(await card(page, 'counter').textContent(), /USER_STATS#CITY#<profile.city> \/ COUNT_USERS_PER_CITY/);
    assert.match(await card(page, 'counter').textContent(), /one item per group/);
    assert.match(await card(page, 'read').textContent(), /is a Scan/);
    const [kept, read] = [await cost(page, 'counter'), await cost(page, 'read')];
    assert.ok(kept > 0 && kept < read, `counter ${kept}, read ${read}`);
    await page.getByTestId(`alt-choice-${choice}`).scrollIntoViewIfNeeded();
    await screenshot(page, `counters-alternatives-${width}`);

    await page.getByTestId(`alt-use-${choice}-read`).click();
    await page.waitForFunction((c) => document.querySelector(`[data-testid="alt-${c}-read"]`)?.textContent.includes('in the design'), choice);
    await dynamo(page);
    assert.equal(await page.getByTestId('counter-3-choice').inputValue(), 'read');
    assert.match(await request(page, pattern), /Scan/);
    await page.keyboard.press('Control+z');
    await page.getByTestId('counter-3-keys').waitFor();
    assert.equal(await page.getByTestId('counter-3-choice').inputValue(), '');
    assert.deepEqual(page.errors, []);
  });
}
