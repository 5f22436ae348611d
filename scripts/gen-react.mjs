// React wrappers (`faceswap-elements/react`) from custom-elements.json: one `@lit/react` createComponent per
// element, with the element's properties as typed props and each `@fires` event as a typed `onXxx` callback.
import { posix } from 'node:path';
import { GENERATED_NOTE, elementsOf } from './gen-common.mjs';

export const REACT_OUT = 'src/react/index.ts';

const jsdoc = (text, indent = '') => (text ? `${indent}/** ${text.replace(/\*\//g, '*\\/').replace(/\n+/g, ' ')} */\n` : '');

export function renderReact(manifest) {
  const elements = elementsOf(manifest);
  const fromDir = posix.dirname(REACT_OUT);
  const importPath = (modulePath) => {
    const rel = posix.relative(fromDir, modulePath).replace(/\.ts$/, '.js');
    return rel.startsWith('.') ? rel : `./${rel}`;
  };
  const out = [`// ${GENERATED_NOTE}`, "import * as React from 'react';", "import { createComponent, type EventName } from '@lit/react';"];
  out.push('// Registers the elements; a tag another copy already defined is skipped with a warning.', "import '../index.js';");
  for (const el of elements) out.push(`import { ${el.className} as ${el.className}Element } from '${importPath(el.modulePath)}';`);
  out.push(
    '',
    '/** The DOM event type of `name`, as declared in GlobalEventHandlersEventMap. */',
    'type EventOf<K extends string> = K extends keyof GlobalEventHandlersEventMap ? GlobalEventHandlersEventMap[K] : CustomEvent<unknown>;',
  );
  for (const el of elements) {
    out.push('', jsdoc(`\`<${el.tagName}>\`: ${el.summary || el.description}`).trimEnd());
    out.push(`export const ${el.className} = createComponent({`);
    out.push(`  tagName: '${el.tagName}',`, `  elementClass: ${el.className}Element,`, '  react: React,', `  displayName: '${el.className}',`);
    out.push('  events: {');
    for (const ev of el.events) out.push(`${jsdoc(ev.description, '    ')}    ${ev.handler}: '${ev.name}' as EventName<EventOf<'${ev.name}'>>,`);
    out.push('  },', '});');
  }
  if (elements.length) out.push('', `export type { ${elements.map((el) => `${el.className}Element`).join(', ')} };`);
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}
