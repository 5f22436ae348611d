// The docs page of each element (`tags: ['autodocs']` on its meta): everything about the element comes from
// custom-elements.json (summary, description, API tables), the HTML snippet from the meta's `usage`
// parameter, and the stories from the stories file with their JSDoc as descriptions.
import { Controls, Heading, Markdown, Primary, Source, Stories, Subtitle, Title, useOf } from '@storybook/addon-docs/blocks';
import { createElement as h, Fragment, type ReactNode } from 'react';
import manifest from '../custom-elements.json';
import { elementApi, type ElementApi, type Manifest } from './manifest-api.js';

/** Inline markdown (the manifest's descriptions use `code` spans and emphasis). */
const md = (text: string) => (text ? h(Markdown, { options: { forceInline: true } }, text) : null);
const code = (text: string) => (text ? h('code', null, text) : '—');

/** One API table; `section` names it for readers of the DOM (and for the test that compares it with the manifest). */
function table(section: string, headings: string[], rows: { key: string; cells: ReactNode[] }[]) {
  if (rows.length === 0) return h('p', { 'data-api': section }, 'None.');
  return h(
    'table',
    { 'data-api': section },
    h('thead', null, h('tr', null, ...headings.map((heading) => h('th', { key: heading, scope: 'col' }, heading)))),
    h('tbody', null, ...rows.map((row) => h('tr', { key: row.key, 'data-name': row.key }, ...row.cells.map((cell, i) => h('td', { key: i }, cell))))),
  );
}

function apiTables(api: ElementApi) {
  const notes = (row: ElementApi['properties'][number]) => [row.readonly && 'read-only', row.reflects && 'reflected'].filter(Boolean).join(', ');
  return h(
    Fragment,
    null,
    h(Heading, null, 'Attributes and properties'),
    table(
      'attributes',
      ['Attribute', 'Property', 'Type', 'Default', 'Description'],
      api.properties.map((row) => ({
        key: row.attribute ?? row.property ?? '',
        cells: [
          row.attribute ? h('code', { 'data-attribute': row.attribute }, row.attribute) : '— (property only)',
          code(row.property ?? ''),
          code(row.type),
          code(row.default),
          h(Fragment, null, md(row.description), notes(row) ? h('em', null, ` (${notes(row)})`) : null),
        ],
      })),
    ),
    h(Heading, null, 'Events'),
    h('p', null, 'Every event bubbles and is composed (it crosses shadow roots); listen with ', h('code', null, "addEventListener('name', …)"), '.'),
    table(
      'events',
      ['Event', 'Detail', 'Class', 'Description'],
      api.events.map((event) => ({
        key: event.name,
        cells: [h('code', { 'data-event': event.name }, event.name), code(event.detail), code(event.type), md(event.description)],
      })),
    ),
    h(Heading, null, 'Slots'),
    table(
      'slots',
      ['Slot', 'Description'],
      api.slots.map((slot) => ({ key: slot.name || '(default)', cells: [slot.name ? code(slot.name) : '(default)', md(slot.description)] })),
    ),
    h(Heading, null, 'CSS parts'),
    h('p', null, 'Style them from the page with ', h('code', null, `${api.tag}::part(name)`), '.'),
    table(
      'parts',
      ['Part', 'Description'],
      api.parts.map((part) => ({ key: part.name, cells: [h('code', { 'data-part': part.name }, part.name), md(part.description)] })),
    ),
    h(Heading, null, 'CSS custom properties'),
    table(
      'css-properties',
      ['Property', 'Default', 'Description'],
      api.cssProperties.map((prop) => ({
        key: prop.name,
        cells: [h('code', { 'data-css-property': prop.name }, prop.name), code(prop.default), md(prop.description)],
      })),
    ),
    h(Heading, null, 'Methods'),
    table(
      'methods',
      ['Method', 'Returns', 'Description'],
      api.methods.map((method) => ({
        key: method.name,
        cells: [h('code', { 'data-method': method.name }, method.signature), code(method.returns), md(method.description)],
      })),
    ),
  );
}

export function ElementDocsPage() {
  const { preparedMeta } = useOf('meta', ['meta']);
  const tag = String(preparedMeta.component ?? '');
  const api = elementApi(manifest as Manifest, tag);
  if (!api) return h('p', null, `<${tag}> is not in custom-elements.json: run npm run analyze.`);
  const usage = preparedMeta.parameters.usage as string | undefined;
  const notes = preparedMeta.parameters.docs?.description?.component as string | undefined;
  return h(
    Fragment,
    null,
    h(Title, null, `<${api.tag}>`),
    h(Subtitle, null, api.summary),
    md(api.description) && h(Markdown, null, api.description),
    h('p', null, 'Class ', h('code', null, api.className), ', registered by ', h('code', null, "import 'faceswap-elements'"), '.'),
    usage ? h(Fragment, null, h(Heading, null, 'In HTML'), h(Source, { code: usage, language: 'html', dark: true })) : null,
    h(Heading, null, 'Try it'),
    h(Primary),
    h(Controls),
    apiTables(api),
    h(Stories, { title: h(Fragment, null, h(Heading, null, 'Stories'), notes ? h(Markdown, null, notes) : null), includePrimary: false }),
  );
}
