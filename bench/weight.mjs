// Weight before use: the bytes (minified, and gzip -9) a page loads to define the three elements, i.e. the
// registering entry src/index.ts and its whole static import graph with Lit and @lit/context bundled in, but
// without the chunks loaded with import() when a session starts (the Agora transport + SDK, the local engine).
// Then those lazy chunks alone. Built in memory with Vite (the library's own bundler), nothing written.
// Budget: the registering entry with Lit under BUDGET_GZIP (scripts/bundle-graph.mjs). Prints JSON. Run: node bench/weight.mjs
import { BUDGET_GZIP, bundleGraph, size } from '../scripts/bundle-graph.mjs';
import { machine, root } from './lib/common.mjs';

const { initial, agoraOwn, agoraSdk, localEngine, sessionCore } = await bundleGraph();
const agoraTransport = [...agoraOwn, ...agoraSdk];
const litBytes = initial.filter((c) => c.moduleIds.some((id) => /node_modules\/(lit|lit-html|lit-element|@lit)\//.test(id)));
/** Where the registering entry's bytes come from (minified, before gzip), largest first. */
const contributions = new Map();
for (const chunk of initial) {
  for (const [id, info] of Object.entries(chunk.modules)) {
    const key = id.replace(root, '').replace(/^.*node_modules\/((@[^/]+\/)?[^/]+).*$/, '$1 (package)');
    contributions.set(key, (contributions.get(key) ?? 0) + (info.renderedLength ?? 0));
  }
}
const largest = [...contributions]
  .sort((a, b) => b[1] - a[1])
  .slice(0, 12)
  .map(([module, bytes]) => ({ module, minBytes: bytes }));

const registering = size(initial);
const output = {
  benchmark: 'weight',
  registeringEntry: {
    description: 'src/index.ts and its static imports, Lit and @lit/context included: what defines the three elements',
    ...registering,
    budgetGzipBytes: BUDGET_GZIP,
    withinBudget: registering.gzipBytes < BUDGET_GZIP,
    litIncluded: litBytes.length > 0 || initial.some((c) => c.code.includes('lit-html')),
    largestContributions: largest,
  },
  agoraChunk: {
    description: 'loaded with import() when an akool session starts: the Agora transport and the agora-rtc-sdk-ng SDK',
    ...size(agoraTransport),
    transportOnly: size(agoraOwn),
    sdkOnly: size(agoraSdk),
  },
  sessionCoreChunk: {
    description: 'loaded with import() when a session first needs it (start, source, mic, camera): SessionController, endpoint client, capture',
    ...size(sessionCore),
  },
  localEngineChunk: {
    description: 'loaded with import() when a local session starts (its models and wasm are fetched separately)',
    ...size(localEngine),
  },
  bundler: 'vite (rolldown), minify on, gzip level 9',
  machine: machine(),
};
console.log(JSON.stringify(output, null, 2));
