// types/vue.d.ts makes the elements, their properties and their events typed in Vue templates: vue-tsc
// checks a single-file component that uses all three; its `@vue-expect-error` lines prove a wrong attribute
// value, a wrong property type and a wrong handler type are rejected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('Vue templates type-check against types/vue.d.ts, and wrong values and handlers do not', { timeout: 120_000 }, () => {
  const result = spawnSync(process.execPath, ['node_modules/vue-tsc/bin/vue-tsc.js', '--noEmit', '-p', 'test/fixtures/typings/vue/tsconfig.json'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 110_000,
  });
  assert.equal(result.status, 0, `vue-tsc failed:\n${result.stdout}${result.stderr}`);
  const negatives = readFileSync(`${root}test/fixtures/typings/vue/App.vue`, 'utf8').match(/@vue-expect-error/g) ?? [];
  assert.ok(negatives.length >= 4, 'the fixture keeps its negative checks');
});
