// The wasm facade, built for Node (`./x node-pkg`), through its public JavaScript API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';

const require = createRequire(import.meta.url);
const wasm = require('../../target/node-pkg/schemaplay_wasm.js');

test('version() reports the workspace version', async () => {
  const manifest = await readFile(new URL('../../Cargo.toml', import.meta.url), 'utf8');
  const version = manifest.match(/\[workspace\.package\][^[]*?version = "([^"]+)"/)[1];
  assert.equal(wasm.version(), version);
});
