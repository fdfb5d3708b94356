// The facade's Playground.verify, built for Node (`./x node-pkg`): a report with its numbers
// and gaps, progress on the way, divergences named by pattern, and the generated data untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const { Playground, exampleDesigns } = require('../../target/node-pkg/schemaplay_wasm.js');

function example(id) {
  const found = JSON.parse(exampleDesigns()).find((e) => e.id === id);
  return new Playground(JSON.stringify(found.design));
}

test('verify reports its numbers and gaps, with progress, and leaves the generated data alone', () => {
  const playground = example('user-app');
  playground.generate(20, 7);
  const scan = { form: { operation: 'Scan', input: '{"TableName": "app-data"}' } };
  const before = playground.dynamo(scan).rows;
  const steps = [];
  const report = playground.verify(1, 300, (done, total, stage) => steps.push({ done, total, stage }));
  assert.equal(report.patterns, 13);
  assert.equal(report.steps, 300);
  assert.equal(report.summary, `verify: 13 patterns, 300 steps, ${report.divergences.length} divergences`);
  assert.equal(report.clean, report.divergences.length === 0);
  assert.ok(report.comparedMongo > 50 && report.comparedDynamo > 50, JSON.stringify(report));
  assert.deepEqual(report.gaps.map(({ pattern, patternIndex, database, kind }) => ({ pattern, patternIndex, database, kind })), [
    { pattern: 'Search users by name or bio', patternIndex: 4, database: 'dynamo', kind: 'unservable' },
  ]);
  assert.match(report.gaps[0].why, /Scan/);
  assert.ok(steps.length > 2, `${steps.length} progress reports`);
  assert.deepEqual(steps.at(-1), { done: 300, total: 300, stage: 'verifying' });
  assert.deepEqual(playground.dynamo(scan).rows, before);
});

test('a divergence names its pattern and shows the expected, MongoDB and DynamoDB answers', () => {
  // Notes retexted by their tag, a field no key holds: today the DynamoDB layout's update does not
  // reach the note, so "Get note" then reads its old text there.
  const notes = JSON.parse(readFileSync(join(here, '..', 'e2e', 'fixtures', 'tagged-notes.schemaplay.json'), 'utf8'));
  const report = new Playground(JSON.stringify(notes)).verify(1, 1000);
  assert.equal(report.clean, false);
  const [first] = report.divergences;
  assert.equal(first.pattern, 'Get note');
  assert.equal(first.patternIndex, 1);
  assert.ok(['mongo', 'dynamo'].includes(first.database));
  assert.match(first.steps.at(-1), /"Get note"/);
  for (const answer of [first.expected, first.mongo, first.dynamo]) {
    assert.ok(answer === 'Nothing' || typeof answer.One === 'string', JSON.stringify(answer));
  }
  assert.notDeepEqual(first[first.database], first.expected);
  assert.ok(first.requests.length > 0);

  const broken = { ...notes, accessPatterns: [{ name: 'Get ghost', entity: 'Ghost', kind: 'getOne' }] };
  assert.throws(() => new Playground(JSON.stringify(broken)).verify(1, 10),
    { message: 'the design cannot be verified while it has errors: accessPatterns[0].entity: no entity is named "Ghost"' });
});
