import { ContextRoot } from '@lit/context';

let attached = false;

/**
 * Keeps unanswered context requests until a provider appears, so a player or picker that upgrades before
 * its `<faceswap-session>` (scripts loaded in any order, as on CMS pages) still connects. Attached once,
 * the first time an element of the library is created, never at import.
 */
export function ensureContextRoot(): void {
  if (attached || typeof document === 'undefined') return;
  attached = true;
  new ContextRoot().attach(document.documentElement);
}
