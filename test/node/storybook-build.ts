// The Storybook the story and docs tests open: built once (again only when a source is newer than the build)
// with the negative-control stories of test/storybook/ added, and served from a sub-path, as a site publishing
// it next to the package docs would. Any request outside the sub-path is recorded: the build must not need one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStaticServer, type StaticServer } from '../cdn/harness.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const outDir = join(root, '.cache/storybook-test');
const SOURCES = ['.storybook', 'stories', 'src', 'test/storybook', 'custom-elements.json', 'package.json'];
export const SUB_PATH = '/storybook/';
/** The title prefix of the stories that must fail (test/storybook/). */
export const SELF_TEST_TITLE = 'Self-test/';

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

export interface IndexEntry {
  id: string;
  title: string;
  name: string;
  type: 'story' | 'docs';
  tags?: string[];
}

/** Builds when needed; answers the built index's entries. */
export function buildStorybook(): IndexEntry[] {
  const index = join(outDir, 'index.json');
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  if (built <= Math.max(...SOURCES.map((s) => newestMtime(join(root, s))))) {
    const result = spawnSync(process.execPath, ['node_modules/storybook/dist/bin/dispatcher.js', 'build', '--quiet', '--disable-telemetry', '-o', outDir], {
      cwd: root,
      encoding: 'utf8',
      timeout: 600_000,
      env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: '1', FACESWAP_STORYBOOK_SELF_TEST: '1' },
    });
    assert.equal(result.status, 0, `storybook build failed:\n${result.stdout}\n${result.stderr}`);
  }
  return Object.values((JSON.parse(readFileSync(index, 'utf8')) as { entries: Record<string, IndexEntry> }).entries);
}

export interface SubPathServer extends StaticServer {
  /** `origin` + the sub-path. */
  base: string;
  /** Requests that went outside the sub-path (a root-relative URL in the build). */
  outside: string[];
}

export async function serveStorybook(): Promise<SubPathServer> {
  const outside: string[] = [];
  const server = await startStaticServer({ [SUB_PATH]: outDir }, (req) => {
    const path = req.url ?? '/';
    if (!path.startsWith(SUB_PATH) && path !== '/favicon.ico') outside.push(path);
    return false;
  });
  return { ...server, base: `${server.origin}${SUB_PATH}`, outside };
}
