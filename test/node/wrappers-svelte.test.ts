// types/svelte.d.ts makes the elements, their properties and their events typed in Svelte markup:
// svelte-check passes on a component using all three (Svelte 5 and legacy event syntax) and reports exactly
// one error on each line of a component with a wrong attribute value, property type or handler type, or
// `false` for a boolean attribute (Svelte would write the text "false", which reads as present).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = `${root}test/fixtures/typings/svelte`;

interface Diagnostic {
  kind: string;
  file: string;
  line: number;
  message: string;
}

function svelteCheck(dir: string): { status: number | null; diagnostics: Diagnostic[]; output: string } {
  const result = spawnSync(
    process.execPath,
    ['node_modules/svelte-check/bin/svelte-check', '--tsconfig', `${dir}/tsconfig.json`, '--workspace', dir, '--output', 'machine', '--fail-on-warnings'],
    { cwd: root, encoding: 'utf8', timeout: 110_000 },
  );
  // Machine output: `<time> ERROR "<file>" <line>:<column> "<message>"`.
  const diagnostics = [...result.stdout.matchAll(/^\d+ (ERROR|WARNING) "([^"]+)" (\d+):\d+ "(.*)"$/gm)].map((m) => ({
    kind: m[1],
    file: m[2],
    line: Number(m[3]),
    message: m[4],
  }));
  return { status: result.status, diagnostics, output: result.stdout + result.stderr };
}

test('Svelte markup type-checks against types/svelte.d.ts', { timeout: 120_000 }, () => {
  const { status, output } = svelteCheck(`${fixtures}/good`);
  assert.equal(status, 0, `svelte-check failed:\n${output}`);
  assert.match(output, /COMPLETED \d+ FILES 0 ERRORS 0 WARNINGS/);
});

test('wrong values, property types and handlers are errors in Svelte markup', { timeout: 120_000 }, () => {
  const { status, diagnostics, output } = svelteCheck(`${fixtures}/bad`);
  assert.notEqual(status, 0);
  const source = readFileSync(`${fixtures}/bad/App.svelte`, 'utf8').split('\n');
  const markupLines = source
    .map((text, i) => ({ text, line: i + 1 }))
    .filter(({ text }) => /^<(faceswap|face)-/.test(text))
    .map(({ line }) => line);
  assert.equal(markupLines.length, 5);
  assert.deepEqual(
    diagnostics.map((d) => d.line).sort((a, b) => a - b),
    markupLines,
    `expected one error on each of lines ${markupLines.join(', ')}:\n${output}`,
  );
  assert.ok(diagnostics.every((d) => d.kind === 'ERROR' && d.file === 'App.svelte'));
});
