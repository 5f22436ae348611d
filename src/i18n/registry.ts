import { en } from './en.js';
import type { FaceswapStrings } from './strings.js';

/** English is built in; the other bundled languages load on first use, so pages pay only for what they show. */
const tables = new Map<string, FaceswapStrings>([['en', en]]);
const loaders = new Map<string, () => Promise<FaceswapStrings>>([
  ['es', () => import('./es.js').then((module) => module.es)],
  ['fr', () => import('./fr.js').then((module) => module.fr)],
  ['ar', () => import('./ar.js').then((module) => module.ar)],
]);
const loading = new Map<string, Promise<void>>();

function candidates(lang: string | null | undefined): string[] {
  const tag = (lang ?? '').trim().toLowerCase();
  const primary = tag.split('-')[0];
  return primary && primary !== tag ? [tag, primary] : [tag];
}

/** Adds or replaces the table for a language (a full table: start from `en` and spread over it). */
export function registerTranslation(table: FaceswapStrings): void {
  tables.set(table.lang.toLowerCase(), table);
}

/** The loaded table for a BCP 47 tag: exact match, then the primary language (`es-MX` → `es`), then English. */
export function translationFor(lang: string | null | undefined): FaceswapStrings {
  for (const key of candidates(lang)) {
    const table = tables.get(key);
    if (table) return table;
  }
  return en;
}

/** Whether a bundled table serves this language but has not been loaded yet. */
export function isTranslationPending(lang: string | null | undefined): boolean {
  for (const key of candidates(lang)) {
    if (tables.has(key)) return false;
    if (loaders.has(key)) return true;
  }
  return false;
}

/**
 * Loads the bundled table for a language if it is not loaded yet. Resolves `true` when a table became
 * available (callers then re-render), `false` when there is nothing to load.
 */
export async function loadTranslation(lang: string | null | undefined): Promise<boolean> {
  for (const key of candidates(lang)) {
    if (tables.has(key)) return false;
    const loader = loaders.get(key);
    if (!loader) continue;
    let pending = loading.get(key);
    if (!pending) {
      pending = loader().then((table) => {
        if (!tables.has(key)) tables.set(key, table);
      });
      loading.set(key, pending);
    }
    await pending;
    return true;
  }
  return false;
}
