import { VERSION } from './version.js';

/** Which version of this library defined each tag, shared by every copy of the library on the page. */
const REGISTRY_KEY = Symbol.for('faceswap-elements/defined-versions');

function definedVersions(): Record<string, string> {
  const scope = globalThis as { [REGISTRY_KEY]?: Record<string, string> };
  return (scope[REGISTRY_KEY] ??= {});
}

/**
 * Defines `tag` once per page. Another copy of the same version (two bundles of one release, a define entry
 * imported next to the all-in-one) is the same element, so that stays silent; a different version or another
 * library owning the tag is a real conflict: warn once and keep the element defined first.
 */
export function define(tag: string, element: CustomElementConstructor): void {
  if (typeof customElements === 'undefined') return;
  const versions = definedVersions();
  const existing = customElements.get(tag);
  if (existing) {
    if (existing === element || versions[tag] === VERSION) return;
    const owner = versions[tag] ? `faceswap-elements ${versions[tag]}` : 'another library';
    console.warn(`[faceswap-elements] <${tag}> is already defined by ${owner}; keeping that one, not version ${VERSION}.`);
    return;
  }
  try {
    customElements.define(tag, element);
    versions[tag] = VERSION;
  } catch (error) {
    console.warn(`[faceswap-elements] could not define <${tag}>:`, error);
  }
}
