// Opens every story of the built Storybook, served from a sub-path (/storybook/), in headless Chromium (fake
// camera) and runs its play function, which asserts the state the story shows. A story fails on: a play function
// that throws or never finishes (the story stopped reaching its state), a story without one, a console error,
// an uncaught exception, Storybook's error display, an empty story root, an axe-core WCAG 2 A/AA violation in
// the rendered story (shadow roots included), or a request outside the sub-path. The stories of
// test/storybook/ have play functions broken on purpose: each must be reported as failing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, ConsoleMessage, Page } from 'puppeteer-core';
import { launchChromium } from '../cdn/harness.js';
import { buildStorybook, root, SELF_TEST_TITLE, serveStorybook, type SubPathServer } from './storybook-build.js';

/** The face video fake camera (scripts/make-test-camera.mjs) when present: the full-flow stories then swap a real face. */
const faceVideo = join(root, 'test/fixtures/generated/face.y4m');
const axeSource = readFileSync(join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');
const AXE_RUN = `axe.run('#storybook-root', { runOnly: ['wcag2a', 'wcag2aa'] }).then((result) =>
  result.violations.map((v) => v.id + ' (' + v.impact + '): ' + v.nodes.map((n) => n.target.join(' > ')).join(', ')))`;
/** A play function waits at most 45 s for a state (stories/assertions.ts); a story may chain a few waits. */
const STORY_TIMEOUT_MS = 150_000;

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

/**
 * Page-side source (a string, so no transpiler helper leaks into it), run before Storybook starts: it listens
 * on Storybook's channel as it is created for the outcome of the render and the play function (a failing play
 * function is reported on the channel and in the Interactions panel, not on the page).
 */
const LISTEN = `(() => {
  const outcome = { failures: [], finished: false };
  window.__storyOutcome = outcome;
  let channel;
  Object.defineProperty(globalThis, '__STORYBOOK_ADDONS_CHANNEL__', {
    configurable: true,
    get: () => channel,
    set: (next) => {
      channel = next;
      const fail = (what) => (error) => outcome.failures.push(what + ': ' + (error && error.message ? error.message : JSON.stringify(error)));
      next.on('playFunctionThrewException', fail('play function threw'));
      next.on('storyThrewException', fail('render threw'));
      next.on('storyErrored', fail('story errored'));
      next.on('unhandledErrorsWhilePlaying', (errors) => errors.forEach(fail('unhandled error while playing')));
      next.on('storyFinished', (event) => {
        if (event.status !== 'success') outcome.failures.push('finished with status ' + event.status);
        outcome.finished = true;
      });
    },
  });
})()`;

/** Visit one story and run its play function; answers the problems found (empty when it passed). */
async function checkStory(page: Page, base: string, id: string): Promise<string[]> {
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
    await page.evaluateOnNewDocument(LISTEN);
    await page.goto(`${base}iframe.html?id=${encodeURIComponent(id)}&viewMode=story`, { waitUntil: 'load', timeout: 60_000 });
    const finished = await page
      .waitForFunction('window.__storyOutcome.finished', { timeout: STORY_TIMEOUT_MS, polling: 200 })
      .then(() => true)
      .catch(() => false);
    if (!finished) problems.push(`the story did not finish within ${STORY_TIMEOUT_MS / 1000} s`);
    const failures = (await page.evaluate('window.__storyOutcome.failures')) as string[];
    for (const failure of failures) problems.push(`play function or render failed: ${failure}`);
    const shown = await page.evaluate(() => ({
      error: document.body.classList.contains('sb-show-errordisplay')
        ? `${document.querySelector('#error-message')?.textContent ?? ''} ${document.querySelector('#error-stack')?.textContent?.split('\n')[0] ?? ''}`.trim()
        : null,
      elements: document.querySelector('#storybook-root')?.querySelectorAll('*').length ?? 0,
      // Every story tests what it shows.
      play:
        typeof (window as unknown as { __STORYBOOK_PREVIEW__?: { currentRender?: { story?: { playFunction?: unknown } } } }).__STORYBOOK_PREVIEW__
          ?.currentRender?.story?.playFunction === 'function',
    }));
    if (shown.error !== null) problems.push(`Storybook error display: ${shown.error}`);
    if (!shown.play) problems.push('the story has no play function');
    if (shown.elements === 0) problems.push('the story root is empty');
    for (const violation of await audit(page)) problems.push(`a11y: ${violation}`);
    // Let late asynchronous failures (media, model loading) surface before judging.
    await new Promise((r) => setTimeout(r, 300));
  } finally {
    page.off('console', onConsole);
    page.off('pageerror', onPageError);
  }
  return problems;
}

test('every story reaches what it shows, served from a sub-path; broken play functions are caught', { timeout: 3_600_000 }, async (t) => {
  const entries = buildStorybook();
  // STORIES=<regular expression on the story id> narrows a local run; the negative controls always run.
  const only = process.env.STORIES ? new RegExp(process.env.STORIES) : null;
  const stories = entries.filter((e) => e.type === 'story' && !e.title.startsWith(SELF_TEST_TITLE) && (!only || only.test(e.id)));
  const broken = entries.filter((e) => e.type === 'story' && e.title.startsWith(SELF_TEST_TITLE));
  assert.ok(stories.length > 0, 'the built Storybook has no stories');
  assert.ok(broken.length >= 2, 'the negative-control stories (test/storybook/) are missing from the test build');
  for (const tag of ['faceswap-session', 'faceswap-player', 'face-source-picker']) {
    assert.ok(only || stories.some((s) => s.title.includes(tag)), `no stories for <${tag}>`);
  }

  let server: SubPathServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await serveStorybook();
    browser = await launchChromium({ fakeVideo: existsSync(faceVideo) ? faceVideo : undefined });
    const visit = async (id: string) => {
      const page = await browser!.newPage();
      try {
        return await checkStory(page, server!.base, id);
      } finally {
        await page.close();
      }
    };

    await t.test('the Storybook UI loads from the sub-path', async () => {
      const page = await browser!.newPage();
      try {
        await page.goto(`${server!.base}?path=/story/${stories[0].id}`, { waitUntil: 'load', timeout: 60_000 });
        await page.waitForSelector(`[data-item-id="${stories[0].id}"]`, { timeout: 60_000 });
      } finally {
        await page.close();
      }
    });

    for (const story of broken) {
      await t.test(`negative control: ${story.title} / ${story.name} fails`, async () => {
        const problems = await visit(story.id);
        assert.ok(
          problems.some((p) => p.startsWith('play function or render failed')),
          `a broken play function went unnoticed in ${story.id}: ${JSON.stringify(problems)}`,
        );
      });
    }

    for (const story of stories) {
      await t.test(`${story.title} / ${story.name}`, async () => {
        const problems = await visit(story.id);
        assert.deepEqual(problems, [], `${story.id}:\n  ${problems.join('\n  ')}`);
      });
    }

    await t.test('no request left the sub-path', () => {
      assert.deepEqual(server!.outside, []);
    });
  } finally {
    await browser?.close();
    await server?.close();
  }
});
