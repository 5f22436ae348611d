// custom-elements.json is valid against the published Custom Elements Manifest schema (the npm package
// `custom-elements-manifest`, pinned, so this runs offline) and describes the public API the design promises.
// The analyzer stamps schemaVersion 1.0.0 but writes the fields of later versions (customElement, cssStates);
// schema 1.0.0 as published does not describe elements at all, so the newest schema (2.1.0, a superset) is
// used. Its module `declarations` are an anyOf in which a plain class matches first, which would leave
// attributes and events unchecked: each element is also validated against CustomElementDeclaration itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';

const root = fileURLToPath(new URL('../..', import.meta.url));
const manifest = JSON.parse(readFileSync(`${root}custom-elements.json`, 'utf8'));
const schema = JSON.parse(readFileSync(`${root}node_modules/custom-elements-manifest/schema.json`, 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addSchema(schema, 'cem');
const validate = ajv.compile({ $ref: 'cem#' });
const validateElement = ajv.compile({ $ref: 'cem#/definitions/CustomElementDeclaration' });

interface Declaration {
  kind: string;
  name: string;
  tagName?: string;
  customElement?: boolean;
  summary?: string;
  description?: string;
  attributes?: { name: string; fieldName?: string }[];
  members?: { kind: string; name: string; privacy?: string; static?: boolean }[];
  events?: { name: string; description?: string }[];
  cssParts?: { name: string }[];
  cssProperties?: { name: string }[];
}
const elements = (manifest.modules as { declarations?: Declaration[] }[]).flatMap((m) => m.declarations ?? []).filter((d) => d.customElement && d.tagName);
const byTag = new Map(elements.map((el) => [el.tagName!, el]));

test('custom-elements.json validates against the published schema', () => {
  assert.ok(validate(manifest), JSON.stringify(validate.errors, null, 2));
  assert.equal(elements.length, 3);
  for (const el of elements) assert.ok(validateElement(el), `<${el.tagName}>: ${JSON.stringify(validateElement.errors, null, 2)}`);
});

test('the schema checks reject a malformed manifest and a malformed element', () => {
  const broken = structuredClone(manifest);
  delete broken.modules[0].kind;
  assert.equal(validate(broken), false);
  assert.ok(validate.errors?.some((e) => e.instancePath === '/modules/0'));
  const element = structuredClone(elements[0]);
  element.events = [{ description: 'an event without a name' } as never];
  assert.equal(validateElement(element), false);
});

test('the manifest lists the three elements with their documented API', () => {
  assert.deepEqual([...byTag.keys()].sort(), ['face-source-picker', 'faceswap-player', 'faceswap-session']);
  for (const el of elements) {
    assert.ok(el.summary && el.description, `<${el.tagName}> has a summary and a description`);
    assert.ok((el.cssParts ?? []).length > 0, `<${el.tagName}> documents its parts`);
    assert.ok(
      (el.cssProperties ?? []).every((p) => p.name.startsWith('--faceswap-')),
      `<${el.tagName}> custom properties use --faceswap-*`,
    );
    for (const event of el.events ?? []) {
      // The one exception is the picker's former event name, kept for one minor version and documented as deprecated.
      const deprecatedAlias = el.tagName === 'face-source-picker' && event.name === 'face-source-change' && /^Deprecated alias/.test(event.description ?? '');
      if (!deprecatedAlias) assert.match(event.name, /^faceswap-[a-z]+(-[a-z]+)*$/, `${event.name} is faceswap- prefixed kebab-case`);
    }
    for (const attr of el.attributes ?? []) assert.match(attr.name, /^[a-z]+(-[a-z]+)*$/, 'attributes are kebab-case');
  }
  const session = byTag.get('faceswap-session')!;
  const attrs = new Set(session.attributes?.map((a) => a.name));
  for (const name of ['token-endpoint', 'engine', 'camera', 'mic', 'video-preset', 'auto-start']) assert.ok(attrs.has(name), `session attribute ${name}`);
  const methods = new Set(session.members?.filter((m) => m.kind === 'method' && !m.privacy).map((m) => m.name));
  for (const name of ['start', 'stop', 'setSource', 'switchCamera', 'setMicEnabled', 'snapshot']) assert.ok(methods.has(name), `session method ${name}()`);
  const events = new Set(session.events?.map((e) => e.name));
  for (const name of ['faceswap-state-change', 'faceswap-error', 'faceswap-live', 'faceswap-ended', 'faceswap-token-will-expire']) {
    assert.ok(events.has(name), `session event ${name}`);
  }
  assert.ok(byTag.get('face-source-picker')!.events?.some((e) => e.name === 'faceswap-source-change'));
});

/**
 * The part names an element's templates set (`part="button start-button"`, or `iconButton({ part: 'mic-button'`,
 * which adds the shared `button` part), from the files of its folder.
 */
function partsInTemplates(tag: string): Set<string> {
  const folder = `${root}src/components/${tag}/`;
  const sources = readdirSync(folder)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.styles.ts'))
    .map((name) => readFileSync(folder + name, 'utf8'));
  return new Set(
    sources.flatMap((source) => [
      ...[...source.matchAll(/\bpart="([^"$]+)"/g)].flatMap((match) => match[1].split(/\s+/)),
      ...[...source.matchAll(/\biconButton\(\{\s*part: '([^']+)'/g)].flatMap((match) => ['button', match[1]]),
    ]),
  );
}

test('every part an element renders is in the manifest, and every part in the manifest is rendered', () => {
  for (const [tag, element] of byTag) {
    const rendered = partsInTemplates(tag);
    assert.ok(rendered.size > 3, `<${tag}>: parts found in its templates`);
    const documented = new Set((element.cssParts ?? []).map((part) => part.name));
    assert.deepEqual(
      [...rendered].filter((name) => !documented.has(name)),
      [],
      `<${tag}> parts missing from the manifest`,
    );
    assert.deepEqual(
      [...documented].filter((name) => !rendered.has(name)),
      [],
      `<${tag}> manifest parts no template renders`,
    );
  }
  // Negative control: a picker manifest without the camera view's buttons is caught.
  const picker = byTag.get('face-source-picker')!;
  const withoutCapture = new Set((picker.cssParts ?? []).map((part) => part.name).filter((name) => name !== 'capture-button'));
  assert.ok([...partsInTemplates('face-source-picker')].some((name) => !withoutCapture.has(name)));
});
