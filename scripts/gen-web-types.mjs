// JetBrains web-types (https://github.com/JetBrains/web-types) from custom-elements.json: tag, attribute,
// property, event, slot and CSS completion in WebStorm and other IntelliJ IDEs.
import { elementsOf } from './gen-common.mjs';

export function renderWebTypes(manifest, pkg, literals) {
  const elements = elementsOf(manifest, literals).map((el) => {
    const element = {
      name: el.tagName,
      description: el.description || el.summary,
      'doc-url': `https://www.npmjs.com/package/${pkg.name}#${el.tagName}`,
      attributes: el.attributes
        .filter((a) => !a.readonly)
        .map((a) => {
          const attr = { name: a.name, description: a.description, value: { type: a.type ?? 'string' } };
          if (a.default !== undefined) attr.value.default = a.default;
          if (a.type === 'boolean') attr.value.required = false;
          if (a.values) attr.values = a.values.map((name) => ({ name }));
          return attr;
        }),
      js: {
        properties: el.properties.map((p) => ({
          name: p.name,
          description: p.description,
          value: { type: p.type ?? 'unknown' },
          ...(p.readonly ? { 'read-only': true } : {}),
        })),
        events: el.events.map((e) => ({ name: e.name, description: e.description, ...(e.type ? { value: { type: e.type } } : {}) })),
      },
      slots: el.slots.map((s) => ({ name: s.name, description: s.description })),
      css: {
        parts: el.cssParts.map((p) => ({ name: p.name, description: p.description })),
        properties: el.cssProperties.map((p) => ({ name: p.name, description: p.description })),
      },
    };
    return element;
  });
  const webTypes = {
    $schema: 'https://raw.githubusercontent.com/JetBrains/web-types/master/schema/web-types.json',
    name: pkg.name,
    version: pkg.version,
    'description-markup': 'markdown',
    'js-types-syntax': 'typescript',
    contributions: { html: { elements } },
  };
  return `${JSON.stringify(webTypes, null, 2)}\n`;
}
