#!/usr/bin/env node
// Builds the WordPress plugin: integrations/wordpress/faceswap-elements (PHP, block) plus the library's CDN
// drop-in and the local engine's files (from node_modules and this package's models/), into build/wordpress/faceswap-elements/ and the
// installable build/faceswap-elements-wordpress.zip (upload it under Plugins → Add New → Upload Plugin).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'integrations/wordpress/faceswap-elements');
const out = join(root, 'build/wordpress/faceswap-elements');
const zipFile = join(root, 'build/faceswap-elements-wordpress.zip');
const nodeModules = join(root, 'node_modules');

/** The local engine's files (see src/server/engine-assets.ts for the layout): only what the engine loads. */
const ENGINE_FILES = {
  'human/': ['@vladmandic/human/dist/human.esm.js'],
  'human-models/': ['blazeface', 'facemesh', 'iris'].flatMap((m) => [`@vladmandic/human/models/${m}.json`, `@vladmandic/human/models/${m}.bin`]),
  'tfjs-wasm/': ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'].map(
    (f) => `@tensorflow/tfjs-backend-wasm/dist/${f}`,
  ),
};
/** This package's own engine files (the mesh model with attention, and its README with the model's licences), by folder. */
const OWN_ENGINE_FILES = { 'mesh-model/': ['models/facemesh-attention-pinto.json', 'models/facemesh-attention-pinto.bin', 'models/README.md'] };

if (!process.argv.includes('--no-cdn-build')) {
  const build = spawnSync('npx', ['vite', 'build', '-c', 'vite.cdn.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

rmSync(out, { recursive: true, force: true });
cpSync(source, out, { recursive: true });
cpSync(join(root, 'LICENSE'), join(out, 'LICENSE'));
cpSync(join(root, 'dist/cdn'), join(out, 'assets'), { recursive: true, filter: (path) => !path.endsWith('.map') });
for (const [folder, files] of Object.entries(ENGINE_FILES)) {
  mkdirSync(join(out, 'engine', folder), { recursive: true });
  for (const file of files) cpSync(join(nodeModules, file), join(out, 'engine', folder, file.split('/').pop()));
}
for (const [folder, files] of Object.entries(OWN_ENGINE_FILES)) {
  mkdirSync(join(out, 'engine', folder), { recursive: true });
  for (const file of files) cpSync(join(root, file), join(out, 'engine', folder, file.split('/').pop()));
}

function collect(dir, acc = {}) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, acc);
    else acc[`faceswap-elements/${relative(out, path)}`] = [readFileSync(path), { level: /\.(wasm|bin|js|php|json|txt)$/.test(name) ? 9 : 0 }];
  }
  return acc;
}
mkdirSync(dirname(zipFile), { recursive: true });
writeFileSync(zipFile, zipSync(collect(out)));
console.log(`${relative(root, zipFile)}: ${(statSync(zipFile).size / 1024 / 1024).toFixed(1)} MB`);
