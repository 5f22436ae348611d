// Builds the registering entry in memory with Vite (the library's own bundler, the same template-literal
// minification as the npm and CDN builds) and splits the output into what a page loads to define the elements
// (the entry's static import graph) and the chunks loaded with import() later. Used by bench/weight.mjs and by
// the bundle-split test.
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { minifyTemplateLiterals } from './minify-template-literals.mjs';

export const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * The budget for the registering entry with Lit: 29.5 KiB since the player's notice (why the record button could not
 * start, its English strings in the entry; 29,812 B measured then); 29 KiB after the read-only state, the renamed
 * picker event with its deprecated alias, the network-quality indicator and the status colour tokens joined the
 * elements (29,262 B); 28 KiB after the AI-disclosure label, the consent checkbox and the queued state; 25 KiB before.
 */
export const BUDGET_GZIP = 29.5 * 1024;

export function size(list) {
  const code = list.map((c) => c.code).join('\n');
  return { files: list.map((c) => c.fileName).sort(), minBytes: Buffer.byteLength(code), gzipBytes: gzipSync(code, { level: 9 }).byteLength };
}

/** @param entry The registering entry to build: the all-in-one, or one element's define entry. */
export async function bundleGraph(entry = 'src/index.ts') {
  const outputs = await build({
    root,
    configFile: false,
    logLevel: 'silent',
    plugins: [minifyTemplateLiterals()],
    build: {
      write: false,
      target: 'es2022',
      minify: true,
      sourcemap: false,
      lib: { formats: ['es'], entry: { index: entry } },
      // The engine's model runtime is fetched from asset URLs at run time, not bundled.
      rollupOptions: { external: [/^@vladmandic\//, /^@mediapipe\//, /^@tensorflow\//] },
    },
  });
  const chunks = (Array.isArray(outputs) ? outputs : [outputs]).flatMap((o) => o.output).filter((c) => c.type === 'chunk');
  const byName = new Map(chunks.map((c) => [c.fileName, c]));
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

  const entryChunk = chunks.find((c) => c.isEntry);
  const initial = closure(entryChunk.fileName);
  const initialNames = new Set(initial.map((c) => c.fileName));
  const lazyRoots = [...new Set(chunks.flatMap((c) => c.dynamicImports))];
  const lazyGraph = (test) => {
    const start = lazyRoots.find((name) => byName.get(name)?.moduleIds.some(test));
    return start ? closure(start).filter((c) => !initialNames.has(c.fileName)) : [];
  };
  const agoraOwn = lazyGraph((id) => id.includes('/src/rtc/agora-transport'));
  // The transport imports the SDK with import() in turn, on join.
  const agoraSdk = lazyGraph((id) => id.includes('/agora-rtc-sdk-ng/')).filter((c) => !agoraOwn.includes(c));
  return {
    /** Every chunk of the build. */
    chunks,
    initial,
    agoraOwn,
    agoraSdk,
    localEngine: lazyGraph((id) => id.includes('/src/rtc/local-transport')),
    // The session state machine, endpoint client and capture: loaded when a session first needs it.
    sessionCore: lazyGraph((id) => id.includes('/src/session/controller')),
  };
}
