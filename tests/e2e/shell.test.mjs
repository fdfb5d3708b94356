// The app shell loads, renders data from schemaplay-core, and logs no errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startApp, screenshot, repoRoot } from './harness.mjs';

let app;
before(async () => { app = await startApp(); });
after(async () => { await app?.stop(); });

test('the shell renders the core version and switches views', async () => {
  const manifest = await readFile(join(repoRoot, 'Cargo.toml'), 'utf8');
  const version = manifest.match(/\[workspace\.package\][^[]*?version = "([^"]+)"/)[1];
  const page = await app.open();
  const badge = page.getByTestId('core-version');
  await badge.waitFor();
  assert.equal(await badge.textContent(), `core ${version}`);
  await page.getByTestId('nav-mongo').click();
  await page.getByTestId('view-mongo').waitFor();
  await screenshot(page, 'shell');
  assert.deepEqual(page.errors, []);
});
