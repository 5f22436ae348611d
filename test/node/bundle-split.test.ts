// The registering entry stays light: the Agora SDK, the Agora transport, the local engine and the session core are
// separate chunks loaded with import(), and what a page loads to define the elements stays within the budget.
import assert from 'node:assert/strict';
import { test } from 'node:test';
// @ts-expect-error: a plain ES module shared with bench/weight.mjs
import { BUDGET_GZIP, bundleGraph, size } from '../../scripts/bundle-graph.mjs';

interface Chunk {
  fileName: string;
  moduleIds: string[];
}

const graph = (await bundleGraph()) as Record<'initial' | 'agoraOwn' | 'agoraSdk' | 'localEngine' | 'sessionCore', Chunk[]>;
const initialModules = graph.initial.flatMap((c) => c.moduleIds);

test('the page that defines the elements loads no Agora, engine or session-core code', () => {
  for (const pattern of ['/agora-rtc-sdk-ng/', '/src/rtc/agora-transport', '/src/rtc/local-transport', '/src/engine/', '/src/session/controller']) {
    assert.equal(initialModules.filter((id) => id.includes(pattern)).length, 0, `${pattern} is in the initial chunk`);
  }
  assert.ok(initialModules.some((id) => id.includes('/src/index.ts')), 'the registering entry itself is in the initial graph');
});

test('the Agora SDK, the local engine and the session core are lazy chunks of their own', () => {
  assert.ok(graph.agoraSdk.some((c) => c.moduleIds.some((id) => id.includes('/agora-rtc-sdk-ng/'))), 'Agora SDK chunk');
  assert.ok(graph.agoraOwn.some((c) => c.moduleIds.some((id) => id.includes('/src/rtc/agora-transport'))), 'Agora transport chunk');
  assert.ok(graph.localEngine.some((c) => c.moduleIds.some((id) => id.includes('/src/rtc/local-transport'))), 'local engine chunk');
  assert.ok(graph.sessionCore.some((c) => c.moduleIds.some((id) => id.includes('/src/session/controller'))), 'session core chunk');
});

test(`the registering entry with Lit stays under ${BUDGET_GZIP} bytes gzip`, () => {
  const { gzipBytes } = size(graph.initial) as { gzipBytes: number };
  assert.ok(gzipBytes < BUDGET_GZIP, `${gzipBytes} B gzip`);
});
