import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { isTranslationPending, loadTranslation, translationFor } from '../i18n/registry.js';
import { formatString, mergeStrings, type FaceswapStringOverrides, type FaceswapStrings } from '../i18n/strings.js';

type Host = ReactiveControllerHost & HTMLElement;
type TextKey = Exclude<{ [K in keyof FaceswapStrings]: FaceswapStrings[K] extends string ? K : never }[keyof FaceswapStrings], 'lang' | 'dir'>;

/** Written right to left, whether or not their table is loaded yet. */
const RTL_LANGUAGES = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'sd', 'yi', 'dv', 'ckb']);

const connectedControllers = new Set<LocalizeController>();
let documentObserver: MutationObserver | null = null;

/** One observer for the whole page: a `lang` or `dir` change anywhere in the light DOM re-resolves every element. */
function watchDocument(controller: LocalizeController): void {
  connectedControllers.add(controller);
  if (documentObserver) return;
  documentObserver = new MutationObserver(() => {
    for (const each of connectedControllers) each.refresh();
  });
  documentObserver.observe(document.documentElement, { attributes: true, subtree: true, attributeFilter: ['lang', 'dir'] });
}

function unwatchDocument(controller: LocalizeController): void {
  connectedControllers.delete(controller);
  if (connectedControllers.size === 0) {
    documentObserver?.disconnect();
    documentObserver = null;
  }
}

/** The element itself or its nearest ancestor, crossing out of shadow roots. */
function parentAcrossShadow(element: Element): Element | null {
  if (element.parentElement) return element.parentElement;
  const root = element.getRootNode();
  return root instanceof ShadowRoot ? root.host : null;
}

function readDir(element: Element): 'ltr' | 'rtl' | null {
  const dir = element.getAttribute('dir')?.toLowerCase();
  return dir === 'ltr' || dir === 'rtl' ? dir : null;
}

export interface LocalizeOptions {
  /** Override layers, weakest first (for example the session's `strings`, then the element's own). */
  overrides: () => (FaceswapStringOverrides | null | undefined)[];
}

/**
 * Resolves the language of an element from the nearest `lang` (the element, its ancestors across shadow
 * roots, then `<html>`, then the browser), and the direction from the nearest `dir` at or inside that
 * language's element, else the language's own direction. Re-renders the host when either changes.
 */
export class LocalizeController implements ReactiveController {
  private readonly host: Host;
  private readonly options: LocalizeOptions;
  private resolvedLang = '';
  private resolvedDir: 'ltr' | 'rtl' = 'ltr';
  private table: FaceswapStrings = translationFor('en');
  private merged: FaceswapStrings = this.table;

  constructor(host: Host, options: LocalizeOptions) {
    this.host = host;
    this.options = options;
    host.addController(this);
  }

  /** The resolved language tag (as written on the page, e.g. `es-MX`). */
  get lang(): string {
    return this.resolvedLang;
  }

  get dir(): 'ltr' | 'rtl' {
    return this.resolvedDir;
  }

  /** Every string, with overrides applied. */
  get strings(): FaceswapStrings {
    return this.merged;
  }

  /** A string by key, with `{placeholders}` filled in (bound, so templates can take `const term = localize.term`). */
  readonly term = (key: TextKey, values: Record<string, string | number> = {}): string => formatString(this.merged[key], values);

  hostConnected(): void {
    watchDocument(this);
    this.resolve();
  }

  hostDisconnected(): void {
    unwatchDocument(this);
  }

  hostUpdate(): void {
    this.resolve();
  }

  /** Re-resolves language and direction; re-renders only when they (or the table for them) changed. */
  refresh(): void {
    const { resolvedLang, resolvedDir, table } = this;
    this.resolve();
    if (resolvedLang !== this.resolvedLang || resolvedDir !== this.resolvedDir || table !== this.table) this.host.requestUpdate();
  }

  /** Resolves once the table for the current language is loaded and applied (English at once). */
  async ready(): Promise<void> {
    if (await loadTranslation(this.resolvedLang)) this.refresh();
  }

  /**
   * Calls `use` with the strings of the element's current language: at once when its table is loaded (the
   * usual case), otherwise once it has loaded (English if it cannot load).
   */
  withStrings(use: (strings: FaceswapStrings) => void): void {
    this.refresh();
    if (!isTranslationPending(this.resolvedLang)) return use(this.strings);
    void this.ready()
      .catch(() => undefined)
      .then(() => use(this.strings));
  }

  private resolve(): void {
    let lang = '';
    let dir: 'ltr' | 'rtl' | null = null;
    for (let node: Element | null = this.host; node; node = parentAcrossShadow(node)) {
      dir ??= readDir(node);
      const value = node.getAttribute('lang');
      if (value) {
        lang = value;
        break;
      }
    }
    if (!lang) lang = document.documentElement.lang || navigator.language || 'en';
    const changed = lang !== this.resolvedLang;
    this.table = translationFor(lang);
    this.resolvedLang = lang;
    this.resolvedDir = dir ?? (RTL_LANGUAGES.has(lang.split('-')[0].toLowerCase()) ? 'rtl' : this.table.dir);
    // A bundled language that is not loaded yet shows English for a moment, then re-renders.
    if (changed) void this.ready();
    this.merged = mergeStrings(this.table, ...this.options.overrides());
  }
}
