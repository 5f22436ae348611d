// The generated React wrappers (src/react/index.ts, `faceswap-elements/react`) compile in a TSX app with
// typed props and typed event callbacks; the fixture's `@ts-expect-error` lines prove wrong props and wrong
// callback types are rejected (an accepted one leaves its directive unused, which fails the compile).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('the React wrappers type-check in TSX, and wrong props and callbacks do not', { timeout: 120_000 }, () => {
  const result = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'test/fixtures/typings/react/tsconfig.json'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 110_000,
  });
  assert.equal(result.status, 0, `tsc failed:\n${result.stdout}${result.stderr}`);
  const negatives = readFileSync(`${root}test/fixtures/typings/react/app.tsx`, 'utf8').match(/@ts-expect-error/g) ?? [];
  assert.ok(negatives.length >= 5, 'the fixture keeps its negative checks');
});

test('every element of the manifest has a wrapper with every event as an onXxx callback', () => {
  const manifest = JSON.parse(readFileSync(`${root}custom-elements.json`, 'utf8'));
  const source = readFileSync(`${root}src/react/index.ts`, 'utf8');
  const declarations = manifest.modules.flatMap((m: { declarations?: unknown[] }) => m.declarations ?? []) as {
    customElement?: boolean;
    tagName?: string;
    name: string;
    events?: { name: string }[];
  }[];
  const elements = declarations.filter((d) => d.customElement && d.tagName);
  assert.ok(elements.length >= 3);
  for (const el of elements) {
    assert.match(source, new RegExp(`export const ${el.name} = createComponent\\(\\{\\s+tagName: '${el.tagName}'`));
    for (const event of el.events ?? []) assert.ok(source.includes(`: '${event.name}' as EventName<`), `${el.tagName}: ${event.name} is wired`);
  }
});
