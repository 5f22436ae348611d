// Shared by the scripts/gen-*.mjs generators: reads custom-elements.json into a small model of the public
// API of each element (tag, class, module, attributes, settable properties, events, slots, parts, CSS
// properties) and writes generated files only when their content changes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

export function readManifest(path = join(root, 'custom-elements.json')) {
  if (!existsSync(path)) return { schemaVersion: '1.0.0', modules: [] };
  return JSON.parse(readFileSync(path, 'utf8'));
}

export function readPackage() {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
}

const isPublic = (member) =>
  !member.static && (member.privacy === undefined || member.privacy === 'public') && !member.name.startsWith('_') && !member.name.startsWith('#');

/** `'a' | 'b' | "c"` -> ['a', 'b', 'c']; undefined when the type is not a union of string literals only. */
export function stringLiterals(typeText) {
  if (!typeText) return undefined;
  const parts = typeText
    .split('|')
    .map((p) => p.trim())
    .filter((p) => p !== 'undefined' && p !== 'null');
  if (parts.length === 0 || !parts.every((p) => /^(['"]).*\1$/.test(p))) return undefined;
  return parts.map((p) => p.slice(1, -1));
}

/** `faceswap-state-change` -> `onFaceswapStateChange` (the React and Vue handler prop name). */
export function handlerName(eventName) {
  return `on${eventName
    .split(/[-:.]/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('')}`;
}

/** Every custom element declared in the manifest, sorted by tag, as the generators need it. */
export function elementsOf(manifest) {
  const elements = [];
  for (const mod of manifest.modules ?? []) {
    for (const decl of mod.declarations ?? []) {
      if (decl.kind !== 'class' || !decl.customElement || !decl.tagName) continue;
      const members = (decl.members ?? []).filter(isPublic);
      const fields = members.filter((m) => m.kind === 'field');
      elements.push({
        tagName: decl.tagName,
        className: decl.name,
        modulePath: mod.path,
        summary: decl.summary ?? '',
        description: decl.description ?? decl.summary ?? '',
        attributes: (decl.attributes ?? []).map((a) => ({
          name: a.name,
          fieldName: a.fieldName,
          type: a.type?.text,
          values: stringLiterals(a.type?.text),
          default: a.default,
          description: a.description ?? '',
          readonly: Boolean(a.readonly) || Boolean(fields.find((f) => f.name === a.fieldName)?.readonly),
        })),
        properties: fields.map((f) => ({
          name: f.name,
          attribute: f.attribute,
          type: f.type?.text,
          default: f.default,
          description: f.description ?? '',
          readonly: Boolean(f.readonly),
        })),
        methods: members
          .filter((m) => m.kind === 'method')
          .map((m) => ({
            name: m.name,
            description: m.description ?? '',
            parameters: (m.parameters ?? []).map((p) => ({ name: p.name, type: p.type?.text, optional: Boolean(p.optional) })),
            returnType: m.return?.type?.text,
          })),
        events: (decl.events ?? [])
          .filter((e) => e.name)
          .map((e) => ({ name: e.name, type: e.type?.text, description: e.description ?? '', handler: handlerName(e.name) })),
        slots: (decl.slots ?? []).map((s) => ({ name: s.name ?? '', description: s.description ?? '' })),
        cssParts: (decl.cssParts ?? []).map((p) => ({ name: p.name, description: p.description ?? '' })),
        cssProperties: (decl.cssProperties ?? []).map((p) => ({
          name: p.name,
          description: p.description ?? '',
          default: p.default,
          syntax: p.syntax,
        })),
      });
    }
  }
  return elements.sort((a, b) => a.tagName.localeCompare(b.tagName));
}

/** Write `content` to `path` (relative to the repo root) unless it is already there; returns whether it changed. */
export function writeIfChanged(path, content) {
  const abs = join(root, path);
  if (existsSync(abs) && readFileSync(abs, 'utf8') === content) return false;
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, content);
  return true;
}

export function readIfExists(path) {
  const abs = join(root, path);
  return existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
}

export const GENERATED_NOTE = 'Generated from custom-elements.json by scripts/gen-all.mjs (npm run gen); do not edit.';
