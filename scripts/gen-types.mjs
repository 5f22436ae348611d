// Template typings from custom-elements.json: Vue (`GlobalComponents`, checked by vue-tsc / Volar) and Svelte
// (`SvelteHTMLElements`, checked by svelte-check). Only names come from the manifest; every type is taken
// from the element classes (HTMLElementTagNameMap) and the events (GlobalEventHandlersEventMap), so the
// typings cannot drift from the source.
import { GENERATED_NOTE, elementsOf } from './gen-common.mjs';

export const VUE_OUT = 'types/vue.d.ts';
export const SVELTE_OUT = 'types/svelte.d.ts';

const settable = (el) => el.properties.filter((p) => !p.readonly);
const keyUnion = (names) => (names.length ? names.map((n) => `'${n}'`).join(' | ') : 'never');
const comment = (text, indent) => (text ? `${indent}/** ${text.replace(/\*\//g, '*\\/').replace(/\n+/g, ' ')} */\n` : '');

const HELPERS = `/** The event type of \`name\`, as declared in GlobalEventHandlersEventMap. */
type EventOf<K extends string> = K extends keyof GlobalEventHandlersEventMap ? GlobalEventHandlersEventMap[K] : CustomEvent<unknown>;
/** The settable properties of an element, typed from its class. */
type PropsOf<Tag extends keyof HTMLElementTagNameMap, K extends keyof HTMLElementTagNameMap[Tag]> = Partial<Pick<HTMLElementTagNameMap[Tag], K>>;`;

export function renderVue(manifest) {
  const elements = elementsOf(manifest);
  const out = [
    `// ${GENERATED_NOTE}`,
    '// Types the elements, their properties and their events in Vue templates (vue-tsc, Volar).',
    '// Use: `/// <reference types="faceswap-elements/vue" />` (or import type {} from \'faceswap-elements/vue\'),',
    "// and tell the Vue compiler they are custom elements: compilerOptions.isCustomElement: (tag) => tag.startsWith('face').",
    '// Bind objects, functions and booleans with the camelCase property name (:tokenProvider, :autoStart): Vue sets a',
    '// binding as a property only when the element has a property of that exact name, otherwise as an attribute.',
    "import type { DefineComponent } from 'vue';",
    "import type {} from 'faceswap-elements';",
    '',
    HELPERS,
    '',
  ];
  for (const el of elements) {
    out.push(`type ${el.className}VueProps = PropsOf<'${el.tagName}', ${keyUnion(settable(el).map((p) => p.name))}> & {`);
    for (const ev of el.events) out.push(`${comment(ev.description, '  ')}  ${ev.handler}?: (event: EventOf<'${ev.name}'>) => void;`);
    out.push('};');
  }
  out.push('', "declare module 'vue' {", '  interface GlobalComponents {');
  for (const el of elements) out.push(`${comment(el.summary || el.description, '    ')}    '${el.tagName}': DefineComponent<${el.className}VueProps>;`);
  out.push('  }', '}', '', 'export {};');
  return `${out.join('\n')}\n`;
}

export function renderSvelte(manifest) {
  const elements = elementsOf(manifest);
  const out = [
    `// ${GENERATED_NOTE}`,
    '// Types the elements, their properties, attributes and events in Svelte markup (svelte-check).',
    '// Use: `/// <reference types="faceswap-elements/svelte" />` in src/app.d.ts. Events: onfaceswap-state-change={...}',
    '// (Svelte 5) or on:faceswap-state-change={...} (legacy syntax).',
    "import type { HTMLAttributes } from 'svelte/elements';",
    "import type {} from 'faceswap-elements';",
    '',
    HELPERS,
    '',
  ];
  for (const el of elements) {
    out.push(`type ${el.className}SvelteAttributes = HTMLAttributes<HTMLElementTagNameMap['${el.tagName}']> &`);
    out.push(`  PropsOf<'${el.tagName}', ${keyUnion(settable(el).map((p) => p.name))}> & {`);
    for (const attr of el.attributes.filter((a) => !a.readonly && a.name !== a.fieldName && a.fieldName)) {
      // Svelte writes a value it cannot set as a property as an attribute, and `false` as the text "false",
      // which a boolean attribute reads as present: such attributes take only "present" or null.
      const type = attr.type === 'boolean' ? "true | ''" : `HTMLElementTagNameMap['${el.tagName}']['${attr.fieldName}']`;
      out.push(`${comment(attr.description, '    ')}    '${attr.name}'?: ${type} | null;`);
    }
    for (const ev of el.events) {
      out.push(`${comment(ev.description, '    ')}    'on${ev.name}'?: (event: EventOf<'${ev.name}'>) => void;`);
      out.push(`    'on:${ev.name}'?: (event: EventOf<'${ev.name}'>) => void;`);
    }
    out.push('  };');
  }
  out.push('', "declare module 'svelte/elements' {", '  interface SvelteHTMLElements {');
  for (const el of elements) out.push(`${comment(el.summary || el.description, '    ')}    '${el.tagName}': ${el.className}SvelteAttributes;`);
  out.push('  }', '}', '', 'export {};');
  return `${out.join('\n')}\n`;
}
