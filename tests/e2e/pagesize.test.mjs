// A pattern's kind changed in its sentence, every way round: the parts of the sentence that
// belong to each kind come and go without breaking the page. Yew 0.23 panicked ("failed to
// insert node before next sibling", yewstack/yew#4092) when the version choice or the
// aggregate form rendered nothing between the write clause and the list clause and a list
// pattern became an update.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, screenshot } from './harness.mjs';

let app;
before(async () => { app = await startApp(); });
after(async () => { await app?.stop(); });

const KINDS = ['getOne', 'list', 'count', 'textSearch', 'insert', 'update', 'delete', 'aggregate'];

test('a pattern changes kind every way round, and its sentence follows', async () => {
  const page = await app.open();
  await page.getByTestId('example-user-app').click();
  await page.getByTestId('view-design').waitFor();
  const kind = page.getByTestId('pattern-0-kind');
  // Every ordered pair of kinds once: from each kind to each other.
  for (const from of KINDS) {
    for (const to of KINDS) {
      if (from === to) continue;
      await kind.selectOption(from);
      await kind.selectOption(to);
      assert.equal(await kind.inputValue(), to);
      assert.deepEqual(page.errors, [], `${from} -> ${to}`);
    }
  }
  // The sentence shows what the last kind asks for and nothing of the others.
  await kind.selectOption('update');
  assert.equal(await page.getByTestId('pattern-0-update').count(), 1);
  assert.equal(await page.getByTestId('pattern-0-sort').count(), 0);
  await kind.selectOption('list');
  assert.equal(await page.getByTestId('pattern-0-update').count(), 0);
  assert.equal(await page.getByTestId('pattern-0-sort').count(), 1);
  await screenshot(page, 'pattern-kinds');
  assert.deepEqual(page.errors, []);
});
