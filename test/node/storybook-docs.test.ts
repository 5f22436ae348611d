// Each element's docs page, rendered in headless Chromium from the built Storybook (served from a sub-path):
// its API tables name exactly the attributes, events, parts, slots, custom properties and methods of
// custom-elements.json, its HTML snippet uses only attributes the manifest declares, and every story of the
// element is on the page with its own description. The manifest is read here directly, not through the page's
// own code (.storybook/manifest-api.ts), so a mistake there shows up as a difference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { launchChromium } from '../cdn/harness.js';
import { buildStorybook, root, serveStorybook, type SubPathServer } from './storybook-build.js';

interface Declaration {
  tagName?: string;
  customElement?: boolean;
  attributes?: { name: string }[];
  events?: { name: string }[];
  cssParts?: { name: string }[];
  slots?: { name: string }[];
  cssProperties?: { name: string }[];
  members?: { kind: string; name: string; static?: boolean; privacy?: string }[];
}
const manifest = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8')) as { modules: { declarations?: Declaration[] }[] };
const elements = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.customElement && d.tagName);
/** Attributes every HTML element has; a snippet may use them on any tag. */
const GLOBAL_ATTRIBUTES = new Set(['id', 'class', 'style', 'lang', 'dir', 'slot', 'hidden', 'title']);

const sorted = (names: string[]) => [...names].sort();

/** What the docs page shows (READ_PAGE). */
interface PageApi {
  attributes: string[];
  events: string[];
  parts: string[];
  slots: string[];
  cssProperties: string[];
  methods: string[];
  snippets: string[];
  /** Story ids on the page, each with the text of its description. */
  stories: Record<string, string>;
}

/** Page-side source (a string, so no transpiler helper leaks into it): what the docs page shows, from its DOM. */
const READ_PAGE = `(() => {
  const names = (section, attribute) =>
    [...document.querySelectorAll('[data-api="' + section + '"] [' + attribute + ']')].map((el) => el.getAttribute(attribute));
  const stories = {};
  for (const anchor of document.querySelectorAll('[id^="anchor--"]')) {
    const id = anchor.id.replace(/^anchor--(primary--)?/, '');
    stories[id] = [...anchor.querySelectorAll('p')].map((p) => p.textContent).join(' ').trim();
  }
  return {
    attributes: names('attributes', 'data-attribute'),
    events: names('events', 'data-event'),
    parts: names('parts', 'data-part'),
    slots: [...document.querySelectorAll('[data-api="slots"] tbody tr')].map((row) => row.getAttribute('data-name')),
    cssProperties: names('css-properties', 'data-css-property'),
    methods: names('methods', 'data-method'),
    snippets: [...document.querySelectorAll('.docblock-source pre')].map((pre) => pre.textContent),
    stories,
  };
})()`;

/**
 * Page-side source: the custom elements and attributes of an HTML snippet that the manifest does not declare
 * (`tag` or `tag[attribute]`), parsed by the browser's own HTML parser.
 */
const UNDECLARED = `((html, declared, globals) => {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  return [...doc.body.querySelectorAll('*')]
    .filter((el) => el.localName.includes('-'))
    .flatMap((el) =>
      !(el.localName in declared)
        ? [el.localName]
        : [...el.attributes].map((a) => a.name).filter((a) => !globals.includes(a) && !declared[el.localName].includes(a)).map((a) => el.localName + '[' + a + ']'),
    );
})`;

async function undeclaredInSnippet(page: Page, snippet: string): Promise<string[]> {
  const declared = Object.fromEntries(elements.map((d) => [d.tagName!, (d.attributes ?? []).map((a) => a.name)]));
  return (await page.evaluate(`${UNDECLARED}(${JSON.stringify(snippet)}, ${JSON.stringify(declared)}, ${JSON.stringify([...GLOBAL_ATTRIBUTES])})`)) as string[];
}

test('each element docs page shows the API of custom-elements.json and every story', { timeout: 900_000 }, async (t) => {
  assert.equal(elements.length, 3, 'custom-elements.json lists the three elements');
  const entries = buildStorybook();
  let server: SubPathServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await serveStorybook();
    browser = await launchChromium();
    for (const element of elements) {
      const tag = element.tagName!;
      await t.test(`<${tag}>`, async () => {
        const docsId = `elements-${tag}--docs`;
        assert.ok(
          entries.some((e) => e.id === docsId && e.type === 'docs'),
          `no docs entry ${docsId} in the index`,
        );
        const page = await browser!.newPage();
        const errors: string[] = [];
        page.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()));
        page.on('pageerror', (error) => errors.push(String(error)));
        try {
          await page.goto(`${server!.base}iframe.html?id=${docsId}&viewMode=docs`, { waitUntil: 'load', timeout: 60_000 });
          await page.waitForSelector('[data-api="methods"]', { timeout: 60_000 });
          await page.waitForFunction(() => document.querySelectorAll('[id^="anchor--"]').length > 0, { timeout: 60_000 });
          // The snippet's highlighted source renders after the tables on a loaded machine: wait for it (or the timeout).
          await page
            .waitForFunction(
              (t: string) => [...document.querySelectorAll('.docblock-source pre')].some((pre) => pre.textContent?.includes(`<${t}`)),
              { timeout: 60_000 },
              tag,
            )
            .catch(() => undefined);
          const shown = (await page.evaluate(READ_PAGE)) as PageApi;
          const methods = (element.members ?? []).filter((m) => m.kind === 'method' && !m.static && (m.privacy ?? 'public') === 'public');

          assert.deepEqual(sorted(shown.attributes), sorted((element.attributes ?? []).map((a) => a.name)), 'attributes');
          assert.deepEqual(sorted(shown.events), sorted((element.events ?? []).map((e) => e.name)), 'events');
          assert.deepEqual(sorted(shown.parts), sorted((element.cssParts ?? []).map((p) => p.name)), 'CSS parts');
          assert.deepEqual(sorted(shown.slots), sorted((element.slots ?? []).map((s) => s.name || '(default)')), 'slots');
          assert.deepEqual(sorted(shown.cssProperties), sorted((element.cssProperties ?? []).map((p) => p.name)), 'CSS custom properties');
          assert.deepEqual(sorted(shown.methods), sorted(methods.map((m) => m.name)), 'methods');

          const snippet = shown.snippets.find((code) => code.includes(`<${tag}`));
          assert.ok(snippet, `an HTML snippet with <${tag}>`);
          assert.deepEqual(await undeclaredInSnippet(page, snippet), [], 'the snippet uses only declared elements and attributes');

          const stories = entries.filter((e) => e.type === 'story' && e.title === `Elements/${tag}`);
          assert.ok(stories.length > 0);
          for (const story of stories) {
            assert.ok(story.id in shown.stories, `story ${story.id} is on the docs page`);
          }
          // The primary story opens the page under "Try it"; each other story has its own description.
          for (const story of stories.slice(1)) {
            assert.ok(shown.stories[story.id].length > 0, `story ${story.id} has a description on the docs page`);
          }
          assert.deepEqual(errors, [], 'no console error on the docs page');
        } finally {
          await page.close();
        }
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
