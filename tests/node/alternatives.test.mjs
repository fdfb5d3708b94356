// The wasm facade's layout alternatives (`./x node-pkg`): Design.alternatives() as JSON, and
// Design.applyAlternative(choice, alternative) giving a new Design with the choice recorded,
// or throwing an Error that names what is unknown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Design, exampleDesigns } = require('../../target/node-pkg/schemaplay_wasm.js');

test('alternatives of the user example, the sketch applied, and the errors', () => {
  const userApp = JSON.parse(exampleDesigns()).find((e) => e.id === 'user-app');
  const design = new Design(JSON.stringify(userApp.design));
  const choices = JSON.parse(design.alternatives());
  const placement = choices.find((c) => c.id === 'placement:Post');
  assert.deepEqual(placement.alternatives.map((a) => [a.key, a.selected, a.derived]),
    [['parent', false, false], ['parentById', false, false], ['own', true, true]]);
  const sketch = placement.alternatives[1];
  assert.ok(sketch.cost.onDemandMonthly > placement.alternatives[2].cost.onDemandMonthly);
  assert.ok(sketch.layout.some((l) => l.includes('USER#<authorId> / POST#<postId>')), sketch.layout.join('\n'));

  const picked = design.applyAlternative('placement:Post', 'parentById');
  assert.deepEqual(JSON.parse(picked.toJson()).dynamo.keyTemplates.Post, { pk: 'USER#<authorId>', sk: 'POST#<postId>' });
  const keys = JSON.parse(picked.analyze()).dynamo.entities.find((e) => e.entity === 'Post');
  assert.equal(`${keys.pk} / ${keys.sk}`, 'USER#<authorId> / POST#<postId>');

  let error;
  try { design.applyAlternative('placement:Post', 'inside'); } catch (e) { error = e; }
  assert.ok(error instanceof Error);
  assert.equal(error.message, '"placement:Post" has no alternative "inside" (it has "parent", "parentById", "own")');
});
