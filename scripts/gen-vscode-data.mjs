// VS Code HTML custom data (https://github.com/microsoft/vscode-custom-data) from custom-elements.json:
// tag and attribute completion with descriptions and enumerated values in any HTML file.
import { elementsOf } from './gen-common.mjs';

/** Markdown for a tag's hover: summary, then events, slots, parts and custom properties. */
export function describeElement(el) {
  const lines = [el.description || el.summary];
  const section = (title, items, fmt) => {
    if (items.length) lines.push('', `**${title}**`, ...items.map(fmt));
  };
  section('Events', el.events, (e) => `- \`${e.name}\`${e.description ? `: ${e.description}` : ''}`);
  section('Slots', el.slots, (s) => `- ${s.name ? `\`${s.name}\`` : '(default)'}${s.description ? `: ${s.description}` : ''}`);
  section('CSS parts', el.cssParts, (p) => `- \`::part(${p.name})\`${p.description ? `: ${p.description}` : ''}`);
  section(
    'CSS custom properties',
    el.cssProperties,
    (p) => `- \`${p.name}\`${p.description ? `: ${p.description}` : ''}${p.default ? ` (default \`${p.default}\`)` : ''}`,
  );
  return lines.join('\n').trim();
}

export function renderVscodeData(manifest, literals) {
  const tags = elementsOf(manifest, literals).map((el) => ({
    name: el.tagName,
    description: { kind: 'markdown', value: describeElement(el) },
    attributes: el.attributes
      .filter((a) => !a.readonly)
      .map((a) => {
        const attr = { name: a.name, description: [a.description, a.default !== undefined ? `Default: \`${a.default}\`.` : ''].filter(Boolean).join(' ') };
        if (a.values) attr.values = a.values.map((name) => ({ name }));
        else if (a.type === 'boolean') attr.valueSet = 'v';
        return attr;
      }),
  }));
  return `${JSON.stringify({ version: 1.1, tags }, null, 2)}\n`;
}
