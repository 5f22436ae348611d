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

const graph = (await bundleGraph()) as Record<'chunks' | 'initial', Chunk[]>;
const initialModules = graph.initial.flatMap((c) => c.moduleIds);
const initialNames = new Set(graph.initial.map((c) => c.fileName));

/** The lazily loaded parts, each named by a module only it may contain. */
const LAZY_PARTS = {
  'Agora SDK': '/agora-rtc-sdk-ng/',
  'Agora transport': '/src/rtc/agora-transport',
  'local engine': '/src/rtc/local-transport',
  'session core': '/src/session/controller',
};

/** Every chunk of the build (not only the lazy ones) holding a module whose id contains `pattern`. */
const chunksWith = (pattern: string) => graph.chunks.filter((c) => c.moduleIds.some((id) => id.includes(pattern)));

test('the page that defines the elements loads no Agora, engine or session-core code', () => {
  for (const pattern of [...Object.values(LAZY_PARTS), '/src/engine/']) {
    assert.equal(initialModules.filter((id) => id.includes(pattern)).length, 0, `${pattern} is in the initial chunk`);
  }
  assert.ok(
    initialModules.some((id) => id.includes('/src/index.ts')),
    'the registering entry itself is in the initial graph',
  );
});

test('the Agora SDK, the Agora transport, the local engine and the session core are built, each in lazy chunks of its own', () => {
  for (const [part, pattern] of Object.entries(LAZY_PARTS)) {
    const holding = chunksWith(pattern);
    assert.ok(holding.length > 0, `${part} is in the build`);
    for (const chunk of holding) {
      assert.ok(!initialNames.has(chunk.fileName), `${part} (${chunk.fileName}) is loaded with the page`);
      for (const [other, otherPattern] of Object.entries(LAZY_PARTS)) {
        if (other === part) continue;
        const shared = chunk.moduleIds.filter((id) => id.includes(otherPattern));
        assert.deepEqual(shared, [], `${part}'s chunk ${chunk.fileName} also holds the ${other}`);
      }
    }
  }
});

test(`the registering entry with Lit stays under ${BUDGET_GZIP} bytes gzip`, () => {
  const { gzipBytes } = size(graph.initial) as { gzipBytes: number };
  assert.ok(gzipBytes < BUDGET_GZIP, `${gzipBytes} B gzip`);
});

test("one element's define entry loads that element only", async () => {
  const player = (await bundleGraph('src/define/faceswap-player.ts')) as Record<'initial', Chunk[]>;
  const modules = player.initial.flatMap((c) => c.moduleIds);
  assert.ok(
    modules.some((id) => id.includes('/src/components/faceswap-player/faceswap-player.ts')),
    'the player is in it',
  );
  for (const other of ['/src/components/faceswap-session/', '/src/components/face-source-picker/']) {
    assert.deepEqual(
      modules.filter((id) => id.includes(other)),
      [],
      `${other} is loaded with the player's entry`,
    );
  }
  const { gzipBytes } = size(player.initial) as { gzipBytes: number };
  assert.ok(gzipBytes < size(graph.initial).gzipBytes, `the player alone (${gzipBytes} B gzip) is lighter than all three`);
});
