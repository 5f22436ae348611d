// Configuration picked up by every `cem analyze` run in this folder (npm run analyze, the freshness check).
// - packagejson: false: the analyzer must not rewrite package.json (a run with a temporary --outdir would
//   point its `customElements` field at that folder).
// - Events: `dispatchEvent(new FaceswapStateChangeEvent(...))` makes the analyzer add an event with a type
//   and no name next to the one documented with `@fires`. The schema requires both name and type, so the
//   nameless entries are dropped and each documented event gets the class that src/events/ constructs it
//   with (`super('<name>', ...)`).
// - Modules are sorted by path: the analyzer lists them in the order the file system returns them, which
//   differs between clones, and the freshness check compares the text.
import { readdirSync, readFileSync } from 'node:fs';

function eventClasses() {
  const byName = new Map();
  for (const file of readdirSync(new URL('./src/events/', import.meta.url))) {
    if (!file.endsWith('.ts')) continue;
    const text = readFileSync(new URL(`./src/events/${file}`, import.meta.url), 'utf8');
    for (const match of text.matchAll(/class (\w+) extends CustomEvent\b[\s\S]*?super\('([a-z][a-z0-9-]*)'/g)) byName.set(match[2], match[1]);
  }
  return byName;
}

function typedEvents() {
  return {
    name: 'faceswap-typed-events',
    packageLinkPhase({ customElementsManifest }) {
      const classes = eventClasses();
      for (const mod of customElementsManifest.modules ?? []) {
        for (const declaration of mod.declarations ?? []) {
          if (!declaration.events) continue;
          declaration.events = declaration.events
            .filter((event) => event.name)
            .map((event) => (event.type || !classes.has(event.name) ? event : { ...event, type: { text: classes.get(event.name) } }));
        }
      }
    },
  };
}

function sortedModules() {
  return {
    name: 'faceswap-sorted-modules',
    packageLinkPhase({ customElementsManifest }) {
      customElementsManifest.modules?.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    },
  };
}

export default {
  packagejson: false,
  plugins: [typedEvents(), sortedModules()],
};
