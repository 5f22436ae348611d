// Shared by the scripts/gen-*.mjs generators: reads custom-elements.json into a small model of the public
// API of each element (tag, class, module, attributes, settable properties, events, slots, parts, CSS
// properties) and writes generated files only when their content changes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

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

/**
 * The manifest keeps type aliases as written (`engine: EngineChoice`); editors and Storybook need the values.
 * Resolve each attribute's field type with the TypeScript checker: tag -> field -> string literals, for
 * fields whose type is a union of string literals (null and undefined aside).
 */
export function resolveLiteralUnions(manifest) {
  const classes = new Map();
  for (const mod of manifest.modules ?? []) {
    for (const decl of mod.declarations ?? []) {
      if (decl.kind === 'class' && decl.customElement && decl.tagName) classes.set(join(root, mod.path), [...(classes.get(join(root, mod.path)) ?? []), decl]);
    }
  }
  const result = new Map();
  const files = [...classes.keys()].filter((f) => existsSync(f));
  if (files.length === 0) return result;
  const parsed = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  const program = ts.createProgram(files, { ...(parsed?.options ?? {}), noEmit: true, types: [] });
  const checker = program.getTypeChecker();
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (!source) continue;
    for (const decl of classes.get(file)) {
      const node = source.statements.find((s) => ts.isClassDeclaration(s) && s.name?.text === decl.name);
      if (!node) continue;
      const fields = new Map();
      for (const member of node.members) {
        if (!ts.isPropertyDeclaration(member) || !member.name || !ts.isIdentifier(member.name)) continue;
        const type = checker.getTypeAtLocation(member);
        const parts = (type.isUnion() ? type.types : [type]).filter((t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)));
        if (parts.length > 0 && parts.every((t) => t.isStringLiteral()))
          fields.set(
            member.name.text,
            parts.map((t) => t.value),
          );
      }
      result.set(decl.tagName, fields);
    }
  }
  return result;
}

const literalText = (values) => values.map((v) => `'${v}'`).join(' | ');

/**
 * Every custom element declared in the manifest, sorted by tag, as the generators need it. `literals`
 * (from resolveLiteralUnions) fills in the values of attributes whose manifest type is an alias.
 */
export function elementsOf(manifest, literals = new Map()) {
  const elements = [];
  for (const mod of manifest.modules ?? []) {
    for (const decl of mod.declarations ?? []) {
      if (decl.kind !== 'class' || !decl.customElement || !decl.tagName) continue;
      const members = (decl.members ?? []).filter(isPublic);
      const fields = members.filter((m) => m.kind === 'field');
      const resolved = literals.get(decl.tagName) ?? new Map();
      elements.push({
        tagName: decl.tagName,
        className: decl.name,
        modulePath: mod.path,
        summary: decl.summary ?? '',
        description: decl.description ?? decl.summary ?? '',
        attributes: (decl.attributes ?? []).map((a) => ({
          name: a.name,
          fieldName: a.fieldName,
          type: resolved.has(a.fieldName) ? literalText(resolved.get(a.fieldName)) : a.type?.text,
          values: stringLiterals(a.type?.text) ?? resolved.get(a.fieldName),
          default: a.default,
          description: a.description ?? '',
          readonly: Boolean(a.readonly) || Boolean(fields.find((f) => f.name === a.fieldName)?.readonly),
        })),
        properties: fields.map((f) => ({
          name: f.name,
          attribute: f.attribute,
          type: resolved.has(f.name) ? literalText(resolved.get(f.name)) : f.type?.text,
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
