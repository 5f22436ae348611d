import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SessionSnapshot } from '../session/session-api.js';
import { ensureContextRoot } from './context-root.js';
import { isSessionHost, sessionContext, type FaceswapSessionHost } from './session-context.js';

type Host = ReactiveControllerHost & HTMLElement;

export interface SessionLinkOptions {
  /** The id of a `<faceswap-session>` to attach to instead of the enclosing one (`session` attribute). */
  sessionId: () => string | null;
  /** Called when the linked session changes (attached, detached, or replaced). */
  onSessionChange?: (session: FaceswapSessionHost | null) => void;
  /** Called after every change of the linked session's details. */
  onDetailsChange?: (details: SessionSnapshot) => void;
}

/**
 * Links a player or picker to a `<faceswap-session>`: the enclosing one through `@lit/context`, or the one
 * named by `session="id"` in the same document or shadow root (found even when it appears or upgrades
 * later). Re-renders the host on every change of the session's details.
 */
export class SessionLinkController implements ReactiveController {
  private readonly host: Host;
  private readonly options: SessionLinkOptions;
  private contextSession: FaceswapSessionHost | null = null;
  private idSession: FaceswapSessionHost | null = null;
  private linked: FaceswapSessionHost | null = null;
  private unsubscribe: (() => void) | null = null;
  private idObserver: MutationObserver | null = null;
  private connected = false;

  constructor(host: Host, options: SessionLinkOptions) {
    ensureContextRoot();
    this.host = host;
    this.options = options;
    host.addController(this);
    new ContextConsumer(host, {
      context: sessionContext,
      subscribe: true,
      callback: (session) => {
        this.contextSession = session ?? null;
        this.relink();
        // The session also re-provides itself when its strings or endpoint change.
        host.requestUpdate();
      },
    });
  }

  /** The linked session element, if any. */
  get session(): FaceswapSessionHost | null {
    return this.linked;
  }

  /** The linked session's details, or `null` while no session is linked. */
  get details(): SessionSnapshot | null {
    return this.linked?.details ?? null;
  }

  hostConnected(): void {
    this.connected = true;
    this.resolveById();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.stopObserving();
    // The context consumer drops its subscription on disconnect; it asks again on reconnect.
    this.contextSession = null;
    this.idSession = null;
    this.relink();
  }

  /** Call when the `session` attribute changed. */
  sessionIdChanged(): void {
    if (this.connected) this.resolveById();
  }

  private resolveById(): void {
    this.stopObserving();
    const id = this.options.sessionId();
    this.idSession = null;
    if (id) {
      const root = this.host.getRootNode() as Document | ShadowRoot;
      const found = root.getElementById?.(id) ?? null;
      if (isSessionHost(found)) {
        this.idSession = found;
      } else if (found && found.localName === 'faceswap-session') {
        // Present but not upgraded yet.
        customElements.whenDefined('faceswap-session').then(() => this.connected && this.resolveById());
      } else {
        this.observeUntilFound(root, id);
      }
    }
    this.relink();
  }

  private observeUntilFound(root: Document | ShadowRoot, id: string): void {
    const target = root instanceof Document ? root.documentElement : root;
    this.idObserver = new MutationObserver(() => {
      if (root.getElementById?.(id)) this.resolveById();
    });
    this.idObserver.observe(target, { childList: true, subtree: true, attributes: true, attributeFilter: ['id'] });
  }

  private stopObserving(): void {
    this.idObserver?.disconnect();
    this.idObserver = null;
  }

  private relink(): void {
    const next = this.options.sessionId() ? this.idSession : this.contextSession;
    if (next === this.linked) return;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.linked = next;
    if (next) {
      this.unsubscribe = next.subscribe((details) => {
        this.options.onDetailsChange?.(details);
        this.host.requestUpdate();
      });
    }
    this.options.onSessionChange?.(next);
    this.host.requestUpdate();
  }
}
