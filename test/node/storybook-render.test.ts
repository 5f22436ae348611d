// Opens every story of the built Storybook in headless Chromium (fake camera) and fails on a console error,
// an uncaught exception, Storybook's error display, an empty story root, a state story that never reaches
// the state it shows, or an axe-core WCAG 2 A/AA violation in the rendered story (shadow roots included).
// Builds storybook-static/ first when it is missing or older than its sources.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, ConsoleMessage, Page } from 'puppeteer-core';
import { launchChromium, startStaticServer, type StaticServer } from '../cdn/harness.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const outDir = join(root, 'storybook-static');
const SOURCES = ['.storybook', 'stories', 'src', 'custom-elements.json', 'package.json'];
/** The face video fake camera (scripts/make-test-camera.mjs) when present: the full-flow story then swaps a real face. */
const faceVideo = join(root, 'test/fixtures/generated/face.y4m');
const axeSource = readFileSync(join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');
const AXE_RUN = `axe.run('#storybook-root', { runOnly: ['wcag2a', 'wcag2aa'] }).then((result) =>
  result.violations.map((v) => v.id + ' (' + v.impact + '): ' + v.nodes.map((n) => n.target.join(' > ')).join(', ')))`;

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

function ensureBuilt(): void {
  const index = join(outDir, 'index.json');
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  if (built > Math.max(...SOURCES.map((s) => newestMtime(join(root, s))))) return;
  const result = spawnSync(process.execPath, ['node_modules/storybook/dist/bin/dispatcher.js', 'build', '--quiet', '--disable-telemetry', '-o', 'storybook-static'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: '1' },
  });
  assert.equal(result.status, 0, `storybook build failed:\n${result.stdout}\n${result.stderr}`);
}

interface IndexEntry {
  id: string;
  title: string;
  name: string;
  type: 'story' | 'docs';
}

interface Expectation {
  /** `state`: the session's state attribute; `status`: the picker's status; `overlay`: the player's overlay; `text`: text content. */
  kind: string;
  index: number;
  want: string;
}

/**
 * Page-side source (a string, so no transpiler helper leaks into it): what the element an expectation is
 * about shows now: the session's `state`, the picker's `status`, the player's overlay (`none` without one), or
 * the holder's own text.
 */
const ACTUAL = `(({ kind, index }) => {
  const holder = document.querySelectorAll('#storybook-root [data-expect-' + kind + ']')[index];
  if (kind === 'text') return holder ? holder.textContent.trim() : null;
  const tag = kind === 'state' ? 'faceswap-session' : kind === 'status' ? 'face-source-picker' : 'faceswap-player';
  const el = holder && (holder.matches(tag) ? holder : holder.querySelector(tag));
  if (!el) return 'no <' + tag + '>';
  if (kind === 'state') return el.getAttribute('state');
  if (kind === 'status') return el.getAttribute('status');
  const overlay = el.shadowRoot && el.shadowRoot.querySelector('[part~="overlay"]');
  return overlay ? overlay.getAttribute('data-state') : 'none';
})`;

/** axe-core's WCAG 2 A/AA violations in the story. The a11y addon may be auditing the page too: wait for it. */
async function audit(page: Page): Promise<string[]> {
  if (!(await page.evaluate('typeof axe !== "undefined"'))) await page.addScriptTag({ content: axeSource });
  for (let attempt = 0; ; attempt++) {
    try {
      return (await page.evaluate(AXE_RUN)) as string[];
    } catch (error) {
      if (attempt >= 50 || !String(error).includes('already running')) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Visit one story; answers the problems found (empty when it rendered cleanly). */
async function checkStory(page: Page, origin: string, id: string): Promise<string[]> {
  const problems: string[] = [];
  const onConsole = (msg: ConsoleMessage) => {
    if (msg.type() !== 'error') return;
    const where = msg.location().url;
    problems.push(`console.error: ${msg.text()}${where ? ` (${where})` : ''}`);
  };
  const onPageError = (error: unknown) => problems.push(`uncaught: ${error instanceof Error ? error.message : String(error)}`);
  page.on('console', onConsole);
  page.on('pageerror', onPageError);
  try {
    await page.goto(`${origin}/iframe.html?id=${encodeURIComponent(id)}&viewMode=story`, { waitUntil: 'load', timeout: 30_000 });
    await page.waitForFunction(
      () => document.body.classList.contains('sb-show-main') || document.body.classList.contains('sb-show-errordisplay'),
      { timeout: 30_000 },
    );
    const shown = await page.evaluate(() => ({
      error: document.body.classList.contains('sb-show-errordisplay') ? document.querySelector('#error-message')?.textContent ?? 'error' : null,
      elements: document.querySelector('#storybook-root')?.querySelectorAll('*').length ?? 0,
      expectations: ['state', 'status', 'overlay', 'text'].flatMap((kind) =>
        [...document.querySelectorAll(`#storybook-root [data-expect-${kind}]`)].map((el, index) => ({ kind, index, want: el.getAttribute(`data-expect-${kind}`)! })),
      ),
    }));
    if (shown.error) problems.push(`Storybook error display: ${shown.error}`);
    if (shown.elements === 0) problems.push('the story root is empty');
    for (const expectation of shown.expectations as Expectation[]) {
      // State stories mark what they demonstrate; the element must get there.
      const probe = `${ACTUAL}(${JSON.stringify(expectation)})`;
      const reached = await page
        .waitForFunction(`${probe} === ${JSON.stringify(expectation.want)}`, { timeout: 30_000, polling: 100 })
        .then(() => true)
        .catch(() => false);
      if (!reached) problems.push(`expected ${expectation.kind} "${expectation.want}", found "${await page.evaluate(probe)}"`);
    }
    for (const violation of await audit(page)) problems.push(`a11y: ${violation}`);
    // Let late asynchronous failures (media, model loading) surface before judging.
    await new Promise((r) => setTimeout(r, 300));
  } finally {
    page.off('console', onConsole);
    page.off('pageerror', onPageError);
  }
  return problems;
}

test('every story renders without errors', { timeout: 600_000 }, async (t) => {
  ensureBuilt();
  const index = JSON.parse(readFileSync(join(outDir, 'index.json'), 'utf8')) as { entries: Record<string, IndexEntry> };
  const stories = Object.values(index.entries).filter((e) => e.type === 'story');
  assert.ok(stories.length > 0, 'the built Storybook has no stories');
  for (const tag of ['faceswap-session', 'faceswap-player', 'face-source-picker']) {
    assert.ok(stories.some((s) => s.title.includes(tag)), `no stories for <${tag}>`);
  }

  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await startStaticServer({ '/': outDir });
    browser = await launchChromium({ fakeVideo: existsSync(faceVideo) ? faceVideo : undefined });
    for (const story of stories) {
      await t.test(`${story.title} / ${story.name}`, async () => {
        const page = await browser!.newPage();
        try {
          const problems = await checkStory(page, server!.origin, story.id);
          assert.deepEqual(problems, [], `${story.id}:\n  ${problems.join('\n  ')}`);
        } finally {
          await page.close();
        }
      });
    }
  } finally {
    await browser?.close();
    await server?.close();
  }
});
