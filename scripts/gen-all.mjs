#!/usr/bin/env node
// `npm run gen`: regenerate everything derived from custom-elements.json (VS Code custom data, JetBrains
// web-types, the React wrappers, the Vue and Svelte typings). `--check` writes nothing and exits 1 when a
// committed output is stale.
import { readIfExists, readManifest, readPackage, resolveLiteralUnions, writeIfChanged } from './gen-common.mjs';
import { REACT_OUT, renderReact } from './gen-react.mjs';
import { SVELTE_OUT, VUE_OUT, renderSvelte, renderVue } from './gen-types.mjs';
import { renderVscodeData } from './gen-vscode-data.mjs';
import { renderWebTypes } from './gen-web-types.mjs';

/** Every generated file with its expected content for the given manifest and package.json. */
export function generatedFiles(manifest = readManifest(), pkg = readPackage()) {
  const literals = resolveLiteralUnions(manifest);
  return {
    'vscode.html-custom-data.json': renderVscodeData(manifest, literals),
    'web-types.json': renderWebTypes(manifest, pkg, literals),
    [REACT_OUT]: renderReact(manifest),
    [VUE_OUT]: renderVue(manifest),
    [SVELTE_OUT]: renderSvelte(manifest),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes('--check');
  const stale = [];
  for (const [path, content] of Object.entries(generatedFiles())) {
    if (check) {
      if (readIfExists(path) !== content) stale.push(path);
    } else if (writeIfChanged(path, content)) console.log(`wrote ${path}`);
  }
  if (stale.length) {
    console.error(`Stale generated files (run \`npm run gen\`): ${stale.join(', ')}`);
    process.exit(1);
  }
}
