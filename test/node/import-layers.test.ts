// The folders under src/ form layers and every import goes one way, down towards src/core (the shared leaf).
// Static imports, `export … from` and import() all count; a type-only import counts as well, because it still
// couples the folders. Test files beside the code (`*.test.ts`) are the top layer: they may import any folder and
// the shared kit in test/support, nothing may import them, and no other file of src/ may reach outside src/.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../../src/', import.meta.url));

/** What each folder may import besides itself. Anything not listed is a wrong direction. */
const ALLOWED: Record<string, readonly string[]> = {
  core: [],
  i18n: ['core'],
  events: ['core', 'internal'],
  engine: ['core'],
  rtc: ['core', 'engine'],
  session: ['core', 'rtc'],
  server: ['core'],
  // The doctor's browser page (src/server/doctor-agora.ts serves it): the client's Agora transport, nothing above.
  doctor: ['core', 'rtc'],
  internal: ['core'],
  controllers: ['core', 'events', 'i18n', 'internal', 'session'],
  components: ['controllers', 'core', 'events', 'i18n', 'internal', 'session'],
  define: ['components', 'internal'],
  // The generated wrappers import the all-in-one entry.
  react: ['.', 'components'],
  // src/index.ts, the all-in-one entry.
  '.': ['components', 'core', 'define', 'events', 'i18n', 'session'],
};

/** The pseudo-folder of every `*.test.ts` under src/, and of the shared test kit outside it. */
const TESTS = 'tests';
const TEST_KIT = 'test/support';
const LAYERS: Record<string, readonly string[]> = { ...ALLOWED, [TESTS]: [...Object.keys(ALLOWED), TEST_KIT] };

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const testKit = fileURLToPath(new URL('../support/', import.meta.url));

const folderOf = (file: string) => {
  if (/\.test\.[jt]s$/.test(file)) return TESTS;
  if (file.startsWith(testKit)) return TEST_KIT;
  const parts = relative(src, file).split(sep);
  return parts.length === 1 ? '.' : parts[0];
};

/** Folder-to-folder import edges of a set of files: `from` -> `to` with an example file. */
function folderEdges(sources: Map<string, string>): Map<string, string> {
  const edges = new Map<string, string>();
  const specifier = /(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g;
  for (const [file, text] of sources) {
    for (const [, spec] of text.matchAll(specifier)) {
      const target = resolve(dirname(file), spec);
      const from = folderOf(file);
      const to = folderOf(target);
      if (from !== to && !edges.has(`${from} -> ${to}`)) edges.set(`${from} -> ${to}`, relative(src, file));
    }
  }
  return edges;
}

/** Edges a layer table does not allow. */
function violations(edges: Map<string, string>, allowed: Record<string, readonly string[]>): string[] {
  return [...edges]
    .filter(([edge]) => {
      const [from, to] = edge.split(' -> ');
      return !(allowed[from] ?? []).includes(to);
    })
    .map(([edge, file]) => `${edge} (${file})`);
}

/** A cycle among folders, as a path, or null. */
function findCycle(edges: Iterable<string>): string[] | null {
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    const [from, to] = edge.split(' -> ');
    next.set(from, [...(next.get(from) ?? []), to]);
  }
  const state = new Map<string, 'open' | 'done'>();
  const visit = (node: string, path: string[]): string[] | null => {
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
    if (state.get(node) === 'done') return null;
    state.set(node, 'open');
    for (const to of next.get(node) ?? []) {
      const cycle = visit(to, [...path, node]);
      if (cycle) return cycle;
    }
    state.set(node, 'done');
    return null;
  };
  for (const node of next.keys()) {
    const cycle = visit(node, []);
    if (cycle) return cycle;
  }
  return null;
}

const sources = new Map(files(src).map((file) => [file, readFileSync(file, 'utf8')]));
const edges = folderEdges(sources);

test('every import between folders of src/ goes down the layers (core is the leaf)', () => {
  assert.deepEqual(violations(edges, LAYERS), []);
});

test('no import cycle between folders of src/', () => {
  assert.equal(findCycle(edges.keys()), null);
});

test('the layer table itself has no cycle, so following it keeps one direction', () => {
  const tableEdges = Object.entries(LAYERS).flatMap(([from, tos]) => tos.map((to) => `${from} -> ${to}`));
  assert.equal(findCycle(tableEdges), null);
});

test('negative control: a core file importing the session, and a cycle, are both caught', () => {
  const bad = new Map(sources);
  bad.set(join(src, 'core', 'leaky.ts'), "import type { SessionSnapshot } from '../session/session-api.js';");
  bad.set(join(src, 'rtc', 'leaky.ts'), "const m = import('../session/controller.js');");
  bad.set(join(src, 'internal', 'leaky.ts'), "import { until } from '../../test/support/until.js';");
  bad.set(join(src, 'session', 'leaky.ts'), "import { SOURCE } from '../components/faceswap-player/faceswap-player.test.js';");
  const badEdges = folderEdges(bad);
  assert.deepEqual(violations(badEdges, LAYERS).sort(), [
    'core -> session (core/leaky.ts)',
    'internal -> test/support (internal/leaky.ts)',
    'rtc -> session (rtc/leaky.ts)',
    'session -> tests (session/leaky.ts)',
  ]);
  assert.notEqual(findCycle(badEdges.keys()), null);
});
