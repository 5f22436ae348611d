// Everything derived from custom-elements.json (VS Code custom data, JetBrains web-types, React wrappers,
// Vue and Svelte typings) is committed current, and carries the manifest's API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string) => JSON.parse(readFileSync(`${root}${path}`, 'utf8'));
const manifest = read('custom-elements.json');
const pkg = read('package.json');

interface Declaration {
  tagName?: string;
  customElement?: boolean;
  attributes?: { name: string; type?: { text: string }; readonly?: boolean; fieldName?: string }[];
  members?: { kind: string; name: string; readonly?: boolean }[];
  events?: { name: string }[];
  cssParts?: { name: string }[];
}
const elements = (manifest.modules as { declarations?: Declaration[] }[]).flatMap((m) => m.declarations ?? []).filter((d) => d.customElement && d.tagName);

test('generated files are current (npm run gen)', () => {
  const result = spawnSync(process.execPath, ['scripts/gen-all.mjs', '--check'], { cwd: root, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
});

test('VS Code custom data lists every element and attribute, with values for enumerations', () => {
  const data = read('vscode.html-custom-data.json');
  assert.equal(data.version, 1.1);
  for (const el of elements) {
    const tag = data.tags.find((t: { name: string }) => t.name === el.tagName);
    assert.ok(tag, `<${el.tagName}>`);
    for (const event of el.events ?? []) assert.ok(tag.description.value.includes(`\`${event.name}\``), `${el.tagName} documents ${event.name}`);
    for (const attr of el.attributes ?? []) {
      const entry = tag.attributes.find((a: { name: string }) => a.name === attr.name);
      const settable = !attr.readonly && !el.members?.find((m) => m.name === attr.fieldName)?.readonly;
      assert.equal(Boolean(entry), settable, `${el.tagName}[${attr.name}]`);
    }
  }
  // `engine` is typed with an alias (EngineChoice) in the manifest; the generator resolves it to its values.
  const session = data.tags.find((t: { name: string }) => t.name === 'faceswap-session');
  const values = (name: string) =>
    session.attributes
      .find((a: { name: string }) => a.name === name)
      ?.values?.map((v: { name: string }) => v.name)
      .sort();
  assert.deepEqual(values('engine'), ['akool', 'auto', 'local']);
  assert.deepEqual(values('camera'), ['environment', 'user']);
  assert.equal(session.attributes.find((a: { name: string }) => a.name === 'auto-start')?.valueSet, 'v', 'boolean attributes take no value');
});

test('web-types describe every element with its attributes, properties, events and parts', () => {
  const webTypes = read('web-types.json');
  assert.equal(webTypes.name, pkg.name);
  assert.equal(webTypes.version, pkg.version);
  assert.equal(pkg['web-types'], './web-types.json');
  const listed = webTypes.contributions.html.elements;
  assert.deepEqual(listed.map((e: { name: string }) => e.name).sort(), elements.map((e) => e.tagName).sort());
  for (const el of elements) {
    const entry = listed.find((e: { name: string }) => e.name === el.tagName);
    assert.deepEqual(
      entry.js.events.map((e: { name: string }) => e.name),
      (el.events ?? []).map((e) => e.name),
    );
    assert.deepEqual(
      entry.css.parts.map((p: { name: string }) => p.name),
      (el.cssParts ?? []).map((p) => p.name),
    );
    assert.ok(entry.attributes.length > 0 && entry.js.properties.length > 0);
  }
});
