// The Alternatives view: the user's example offers its own sketched DynamoDB layout (posts in
// the user's partition, USER#<id> / POST#<id>) beside the derived one (posts in their own
// partition with a GSI), each with its cost; using the sketch records it in the design, the
// DynamoDB view then shows it (keys and items), and undo brings the derived layout back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, screenshot } from './harness.mjs';

let app;
before(async () => { app = await startApp(); });
after(async () => { await app?.stop(); });

const choice = 'placement:Post';
const card = (page, key) => page.getByTestId(`alt-${choice}-${key}`);

/** The DynamoDB view's key templates of Post: "PK SK". */
async function postKeys(page) {
  await page.getByTestId('nav-dynamo').click();
  const cells = page.getByTestId('keys-Post').locator('td');
  return `${await cells.nth(1).textContent()} ${await cells.nth(2).textContent()}`;
}

/** A card's monthly on-demand cost in dollars. */
async function cost(page, key) {
  const text = await card(page, key).getByTestId('alt-cost').locator('strong').textContent();
  return Number(text.replace(/[$,]|\s*\/ month/g, ''));
}

for (const [width, height] of [[1280, 800], [390, 844]]) {
  test(`the user example's sketched layout beside the derived one, picked at ${width} px`, async () => {
    const page = await app.open({ viewport: { width, height } });
    await page.getByTestId('example-user-app').click();
    assert.equal(await postKeys(page), 'POST#<postId> METADATA');

    // The DynamoDB view (where the layout is reviewed) leads to its alternatives.
    await page.getByTestId('dynamo-alternatives').click();
    await page.getByTestId('alternatives-view').waitFor();
    assert.equal(await page.getByTestId('nav-alternatives').getAttribute('class'), 'nav-item active');
    const derived = card(page, 'own');
    const sketch = card(page, 'parentById');
    assert.match(await derived.textContent(), /in the design/);
    assert.match(await derived.textContent(), /POST#<postId> \/ METADATA; GSI1: USER#<authorId> \/ POST#<createdAt>/);
    assert.match(await sketch.textContent(), /USER#<authorId> \/ POST#<postId>/);
    assert.doesNotMatch(await sketch.textContent(), /in the design/);
    // Both computed by the derivation: the sketch needs one more global index, so it costs more.
    const [own, sketched] = [await cost(page, 'own'), await cost(page, 'parentById')];
    assert.ok(own > 0 && sketched > own, `own ${own}, sketch ${sketched}`);
    if (width < 500) {
      // Stacked on a narrow screen: the sketch is below the derived layout, not beside it.
      const [a, b] = [await card(page, 'parentById').boundingBox(), await card(page, 'own').boundingBox()];
      assert.ok(a.width <= width && Math.abs(a.x - b.x) < 2, JSON.stringify([a, b]));
    } else {
      const [a, b] = [await card(page, 'parentById').boundingBox(), await card(page, 'own').boundingBox()];
      assert.ok(Math.abs(a.y - b.y) < 2 && a.x < b.x, JSON.stringify([a, b]));
    }
    await screenshot(page, `altern-${width}`);

    await page.getByTestId(`alt-use-${choice}-parentById`).click();
    await page.waitForFunction((c) => document.querySelector(`[data-testid="alt-${c}-parentById"]`)?.textContent.includes('in the design'), choice);
    assert.equal(await page.getByTestId(`alt-use-${choice}-parentById`).isDisabled(), true);
    // With posts in the user's partition, the sort by date can take a local index: offered now.
    await page.getByTestId("alt-choice-sortIndex:List a user's posts").waitFor();

    assert.equal(await postKeys(page), 'USER#<authorId> POST#<postId>');
    // The aggregate view groups a user's posts under the user's partition.
    const rows = await page.getByTestId('dynamo-row').allTextContents();
    assert.ok(rows.some((r) => /^USER#\w+POST#\w+Post/.test(r)), rows.join('\n'));
    await screenshot(page, `altern-dynamo-${width}`);

    await page.keyboard.press('Control+z');
    assert.equal(await postKeys(page), 'POST#<postId> METADATA');
    assert.deepEqual(page.errors, []);
  });
}
