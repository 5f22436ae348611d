// The public API of one element as the docs page shows it, read from custom-elements.json (the JSDoc contract):
// nothing here is written by hand, so the page cannot drift from the manifest.

interface TypeRef {
  text: string;
}
interface Named {
  name: string;
  description?: string;
  summary?: string;
}
interface ManifestAttribute extends Named {
  fieldName?: string;
  type?: TypeRef;
  default?: string;
}
interface ManifestMember extends Named {
  kind: 'field' | 'method';
  static?: boolean;
  privacy?: 'public' | 'private' | 'protected';
  readonly?: boolean;
  reflects?: boolean;
  attribute?: string;
  type?: TypeRef;
  default?: string;
  parameters?: { name: string; type?: TypeRef; optional?: boolean }[];
  return?: { type?: TypeRef };
}
interface ManifestCssProperty extends Named {
  default?: string;
}
interface ManifestDeclaration extends Named {
  kind: string;
  customElement?: boolean;
  tagName?: string;
  attributes?: ManifestAttribute[];
  members?: ManifestMember[];
  events?: (Named & { type?: TypeRef })[];
  slots?: Named[];
  cssParts?: Named[];
  cssProperties?: ManifestCssProperty[];
}
export interface Manifest {
  modules: { path: string; declarations?: ManifestDeclaration[] }[];
}

export interface PropertyRow {
  property: string | null;
  attribute: string | null;
  type: string;
  default: string;
  readonly: boolean;
  reflects: boolean;
  description: string;
}
export interface EventRow {
  name: string;
  /** The `detail` shape the JSDoc `@fires` line states ("detail `{state, previous}`"). */
  detail: string;
  /** The event class (exported, and typed in `GlobalEventHandlersEventMap`). */
  type: string;
  description: string;
}
export interface MethodRow {
  name: string;
  signature: string;
  returns: string;
  description: string;
}
export interface ElementApi {
  tag: string;
  className: string;
  module: string;
  summary: string;
  description: string;
  properties: PropertyRow[];
  events: EventRow[];
  slots: { name: string; description: string }[];
  parts: { name: string; description: string }[];
  cssProperties: { name: string; default: string; description: string }[];
  methods: MethodRow[];
}

const isPublic = (member: ManifestMember) => !member.static && (member.privacy ?? 'public') === 'public';

/** The declaration of `tag`, or null when the manifest has no such element. */
export function elementApi(manifest: Manifest, tag: string): ElementApi | null {
  for (const mod of manifest.modules) {
    const declaration = mod.declarations?.find((d) => d.customElement && d.tagName === tag);
    if (!declaration) continue;
    const members = declaration.members ?? [];
    const fields = members.filter((m) => m.kind === 'field' && isPublic(m));
    const attributes = declaration.attributes ?? [];
    const properties: PropertyRow[] = fields.map((field) => ({
      property: field.name,
      attribute: field.attribute ?? null,
      type: field.type?.text ?? '',
      default: field.default ?? '',
      readonly: !!field.readonly,
      reflects: !!field.reflects,
      description: field.description ?? '',
    }));
    // Attributes without a property of their own (none today, but the manifest allows them).
    for (const attribute of attributes) {
      if (properties.some((row) => row.attribute === attribute.name)) continue;
      properties.push({
        property: null,
        attribute: attribute.name,
        type: attribute.type?.text ?? '',
        default: attribute.default ?? '',
        readonly: false,
        reflects: false,
        description: attribute.description ?? '',
      });
    }
    return {
      tag,
      className: declaration.name,
      module: mod.path,
      summary: declaration.summary ?? '',
      description: declaration.description ?? '',
      properties,
      events: (declaration.events ?? []).map((event) => ({
        name: event.name,
        detail: /detail `([^`]+)`/.exec(event.description ?? '')?.[1] ?? '',
        type: event.type?.text ?? 'CustomEvent',
        description: event.description ?? '',
      })),
      slots: (declaration.slots ?? []).map((slot) => ({ name: slot.name, description: slot.description ?? '' })),
      parts: (declaration.cssParts ?? []).map((part) => ({ name: part.name, description: part.description ?? '' })),
      cssProperties: (declaration.cssProperties ?? []).map((prop) => ({ name: prop.name, default: prop.default ?? '', description: prop.description ?? '' })),
      methods: members
        .filter((m) => m.kind === 'method' && isPublic(m))
        .map((method) => ({
          name: method.name,
          signature: `${method.name}(${(method.parameters ?? []).map((p) => `${p.name}${p.optional ? '?' : ''}: ${p.type?.text ?? 'unknown'}`).join(', ')})`,
          returns: method.return?.type?.text ?? 'void',
          description: method.description ?? '',
        })),
    };
  }
  return null;
}
