// Comments and docs cite only files inside the repository: a contributor or user has no design notes, reference
// folder or issue tracker of the team that wrote it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const FOLDERS = ['src', 'test', 'bench', 'stories', 'demo', 'scripts', 'docs', '.storybook'];
const SKIP = new Set(['node_modules', 'fixtures', 'generated']);

/** References to documents outside the repository. */
const OUTSIDE =
  /\.\.\/shared\/|\/work\/shared|reference\/[a-z-]+\.md|\b(?:agora|akool-api|design|anchors|toolchain|browsers|local-engine|face-detection)\.md\b|design section \d|§\s*\d|\b[Ii]ssue \d+\b/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name)) return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.(ts|mjs|js|md|html|css)$/.test(name) ? [path] : [];
  });
}

/** `file:line: text` for every line that points outside the repository. */
function outsideReferences(paths: string[], read = (path: string) => readFileSync(path, 'utf8')): string[] {
  return paths.flatMap((path) =>
    read(path)
      .split('\n')
      .flatMap((line, index) => (OUTSIDE.test(line) ? [`${relative(root, path)}:${index + 1}: ${line.trim()}`] : [])),
  );
}

const THIS_FILE = fileURLToPath(import.meta.url);

test('no comment or document cites a file outside the repository', () => {
  const paths = [...FOLDERS.flatMap((folder) => files(join(root, folder))), join(root, 'README.md'), join(root, 'CONVENTIONS.md')];
  assert.deepEqual(outsideReferences(paths.filter((path) => path !== THIS_FILE)), []);
});

test('negative control: each kind of outside reference is caught', () => {
  const lines = ['// see design section 4', '// (agora.md §9.2)', '/* reference/akool-api.md */', '// Budget (issue 7)', 'read ../shared/design.md'];
  const found = outsideReferences(['x.ts'], () => lines.join('\n'));
  assert.equal(found.length, lines.length, found.join('\n'));
  assert.deepEqual(
    outsideReferences(['y.ts'], () => '// see src/core/errors.ts and docs/elements.md'),
    [],
  );
});
