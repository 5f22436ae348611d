// Server-side rendering with Lit SSR, then hydration in Chromium, as a Next.js, Astro or Eleventy site using
// @lit-labs/ssr would do it: the three elements are rendered to declarative shadow DOM in Node, the page loads
// @lit-labs/ssr-client's hydrate support before the elements, and every element must take over the server's DOM
// (the same nodes, no "Hydration value mismatch", no error) and then behave as a client-rendered one.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { render } from '@lit-labs/ssr';
import { collectResult } from '@lit-labs/ssr/lib/render-result.js';
import { build } from 'esbuild';
import { html } from 'lit';
import type { Browser } from 'puppeteer-core';
import { launchChromium, startStaticServer, type StaticServer } from '../cdn/harness.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TAGS = ['faceswap-session', 'face-source-picker', 'faceswap-player'] as const;

let server: StaticServer;
let browser: Browser;
let clientBundle: string;

/** The three elements as a page would place them, rendered by Lit SSR in this Node process. */
async function serverRendered(): Promise<string> {
  await import('../../src/index.js');
  return collectResult(
    render(html`<faceswap-session engine="local" token-endpoint="/api/faceswap">
      <face-source-picker><img src="/faces/ada.jpg" alt="Ada" /></face-source-picker>
      <faceswap-player preview stats network-quality></faceswap-player>
    </faceswap-session>`),
  );
}

/**
 * The app's client bundle: hydrate support first, then the elements, in one bundle so there is one Lit (what
 * Vite, Next.js or any bundler makes of the two imports).
 */
async function bundleClient(): Promise<string> {
  const result = await build({
    stdin: {
      contents: `import '@lit-labs/ssr-client/lit-element-hydrate-support.js';\nimport './src/index.ts';\n`,
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'error',
    // The lazy engine and Agora chunks are not needed to hydrate.
    external: ['agora-rtc-sdk-ng', '@mediapipe/*', '@tensorflow/*'],
    tsconfig: join(root, 'tsconfig.json'),
  });
  return result.outputFiles[0]!.text;
}

/**
 * The page: server HTML, a classic script that remembers each shadow root's first node before any module runs
 * (to prove hydration kept them), then the client bundle.
 */
function page(body: string, hydrate: boolean): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>SSR</title>
<script>
  window.ssrErrors = [];
  window.addEventListener('error', (event) => window.ssrErrors.push(String(event.message)));
  window.addEventListener('unhandledrejection', (event) => window.ssrErrors.push(String(event.reason && event.reason.message || event.reason)));
</script></head><body>${body}
<script>
  window.serverNodes = ${JSON.stringify(TAGS)}.map((tag) => document.querySelector(tag).shadowRoot.querySelector('[part~="base"]'));
</script>
${hydrate ? '<script type="module" src="/client.js"></script>' : ''}
</body></html>`;
}

before(async () => {
  const [body, client] = await Promise.all([serverRendered(), bundleClient()]);
  clientBundle = client;
  const pages: Record<string, string> = { '/': page(body, true), '/no-client': page(body, false) };
  server = await startStaticServer({ '/faces/': join(root, 'stories/assets/faces') }, (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/client.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(clientBundle);
      return true;
    }
    if (path === '/api/faceswap/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"engine":"local"}');
      return true;
    }
    const html = pages[path];
    if (html === undefined) return false;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    return true;
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('Lit SSR renders each element into declarative shadow DOM with its parts', async () => {
  const tab = await browser.newPage();
  try {
    await tab.goto(`${server.origin}/no-client`);
    const parts = await tab.evaluate(
      (tags) => tags.map((tag) => [...(document.querySelector(tag)!.shadowRoot?.querySelectorAll('[part]') ?? [])].map((node) => node.getAttribute('part'))),
      [...TAGS],
    );
    for (const [index, tag] of TAGS.entries()) assert.ok(parts[index]!.length > 0, `${tag} has a server-rendered shadow root with parts`);
    assert.ok(parts[2]!.includes('video'), 'the player rendered its video');
  } finally {
    await tab.close();
  }
});

test('each element hydrates the server DOM without a mismatch or an error, then runs as on the client', async () => {
  const tab = await browser.newPage();
  const consoleErrors: string[] = [];
  tab.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  tab.on('pageerror', (error) => consoleErrors.push(String(error)));
  try {
    await tab.goto(server.origin);
    await tab.waitForFunction((tags) => tags.every((tag) => customElements.get(tag)), { timeout: 30_000 }, [...TAGS]);
    const outcome = await tab.evaluate(
      async (tags) => {
        const elements = tags.map((tag) => document.querySelector(tag) as HTMLElement & { updateComplete: Promise<boolean>; hasUpdated: boolean });
        await Promise.all(elements.map((element) => element.updateComplete));
        await new Promise((resolve) => setTimeout(resolve, 200));
        await Promise.all(elements.map((element) => element.updateComplete));
        const w = window as unknown as { serverNodes: Element[]; ssrErrors: string[] };
        return {
          errors: w.ssrErrors,
          updated: elements.map((element) => element.hasUpdated),
          keptServerNodes: elements.map((element, index) => element.shadowRoot!.querySelector('[part~="base"]') === w.serverNodes[index]),
          fullscreenButton: !!elements[2]!.shadowRoot!.querySelector('[part~="fullscreen-button"]'),
          recordButton: !!elements[2]!.shadowRoot!.querySelector('[part~="record-button"]'),
          playerState: elements[2]!.getAttribute('state'),
          galleryOptions: elements[1]!.shadowRoot!.querySelectorAll('[part~="thumbnail"]').length,
        };
      },
      [...TAGS],
    );
    assert.deepEqual([...outcome.errors, ...consoleErrors], [], 'no hydration mismatch and no error');
    assert.deepEqual(outcome.updated, [true, true, true], 'every element updated on the client');
    assert.deepEqual(outcome.keptServerNodes, [true, true, true], 'each element kept the server-rendered nodes (hydrated, not re-created)');
    assert.ok(outcome.fullscreenButton, 'the full screen button appears once the browser says full screen is available');
    assert.ok(outcome.recordButton, 'the record button appears once the browser says it can record');
    assert.equal(outcome.playerState, 'idle');
    assert.ok(outcome.galleryOptions >= 1, 'the picker shows the slotted gallery face');
  } finally {
    await tab.close();
  }
});
