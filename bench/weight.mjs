// Weight before use: the bytes (minified, and gzip -9) a page loads to define the three elements, i.e. the
// registering entry src/index.ts and its whole static import graph with Lit and @lit/context bundled in, but
// without the chunks loaded with import() when a session starts (the Agora transport + SDK, the local engine).
// Then those lazy chunks alone. Built in memory with Vite (the library's own bundler), nothing written.
// Budget (issue 7): the registering entry with Lit under 25 KB gzip. Prints JSON. Run: node bench/weight.mjs
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { minifyTemplateLiterals } from '../scripts/minify-template-literals.mjs';
import { machine, root } from './lib/common.mjs';

const BUDGET_GZIP = 25 * 1024;

const outputs = await build({
  root,
  configFile: false,
  logLevel: 'silent',
  // The same template-literal minification as the npm and CDN builds (vite.config.ts, vite.cdn.config.ts).
  plugins: [minifyTemplateLiterals()],
  build: {
    write: false,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    lib: { formats: ['es'], entry: { index: 'src/index.ts' } },
    // The engine's model runtime is fetched from asset URLs at run time, not bundled.
    rollupOptions: { external: [/^@vladmandic\//, /^@mediapipe\//, /^@tensorflow\//] },
  },
});
const chunks = (Array.isArray(outputs) ? outputs : [outputs]).flatMap((o) => o.output).filter((c) => c.type === 'chunk');
const byName = new Map(chunks.map((c) => [c.fileName, c]));
const size = (list) => {
  const code = list.map((c) => c.code).join('\n');
  return { files: list.map((c) => c.fileName).sort(), minBytes: Buffer.byteLength(code), gzipBytes: gzipSync(code, { level: 9 }).byteLength };
};
const closure = (start) => {
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name) || !byName.has(name)) return;
    seen.add(name);
    for (const next of byName.get(name).imports) visit(next);
  };
  visit(start);
  return [...seen].map((n) => byName.get(n));
};

const entry = chunks.find((c) => c.isEntry);
const initial = closure(entry.fileName);
const initialNames = new Set(initial.map((c) => c.fileName));
const lazyRoots = [...new Set(chunks.flatMap((c) => c.dynamicImports))];
const lazyGraph = (test) => {
  const root = lazyRoots.find((name) => byName.get(name)?.moduleIds.some(test));
  return root ? closure(root).filter((c) => !initialNames.has(c.fileName)) : [];
};
const agoraOwn = lazyGraph((id) => id.includes('/src/rtc/agora-transport'));
// The transport imports the SDK with import() in turn, on join.
const agoraSdk = lazyGraph((id) => id.includes('/agora-rtc-sdk-ng/')).filter((c) => !agoraOwn.includes(c));
const agoraTransport = [...agoraOwn, ...agoraSdk];
const localEngine = lazyGraph((id) => id.includes('/src/rtc/local-transport'));
// The session state machine, endpoint client and capture: loaded when a session first needs it.
const sessionCore = lazyGraph((id) => id.includes('/src/session/controller'));
const litBytes = initial.filter((c) => c.moduleIds.some((id) => /node_modules\/(lit|lit-html|lit-element|@lit)\//.test(id)));
/** Where the registering entry's bytes come from (minified, before gzip), largest first. */
const contributions = new Map();
for (const chunk of initial) {
  for (const [id, info] of Object.entries(chunk.modules)) {
    const key = id.replace(root, '').replace(/^.*node_modules\/((@[^/]+\/)?[^/]+).*$/, '$1 (package)');
    contributions.set(key, (contributions.get(key) ?? 0) + (info.renderedLength ?? 0));
  }
}
const largest = [...contributions].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([module, bytes]) => ({ module, minBytes: bytes }));

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
