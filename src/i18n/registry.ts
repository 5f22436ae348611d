import { ar } from './ar.js';
import { en } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';
import type { FaceswapStrings } from './strings.js';

const tables = new Map<string, FaceswapStrings>([en, es, fr, ar].map((table) => [table.lang, table]));

/** Adds or replaces the table for a language (a full table: start from `en` and spread over it). */
export function registerTranslation(table: FaceswapStrings): void {
  tables.set(table.lang.toLowerCase(), table);
}

/** The table for a BCP 47 tag: exact match, then the primary language (`es-MX` → `es`), then English. */
export function translationFor(lang: string | null | undefined): FaceswapStrings {
  const tag = (lang ?? '').trim().toLowerCase();
  return tables.get(tag) ?? tables.get(tag.split('-')[0]) ?? en;
}
