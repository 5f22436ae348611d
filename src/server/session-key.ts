/**
 * `sessionKey`: HMAC-SHA256 of the session id under the server secret, base64url. It proves that the caller
 * received the session from this server, so no one can change or close another visitor's session.
 * WebCrypto only, so it runs on Node and on edge runtimes.
 */

import { base64ToBytes, bytesToBase64 } from '../core/base64.js';

const encoder = new TextEncoder();

export class SessionKeys {
  readonly #secret: Uint8Array<ArrayBuffer> | undefined;
  #key: Promise<CryptoKey> | undefined;

  /**
   * @param secret At least 16 bytes. Without one, 32 random bytes are drawn on first use, not here: edge
   * runtimes (workerd) refuse random values and crypto work at module scope, where handlers are created.
   */
  constructor(secret?: string | Uint8Array) {
    if (secret === undefined) return;
    const raw = typeof secret === 'string' ? encoder.encode(secret) : new Uint8Array(secret);
    if (raw.byteLength < 16) throw new TypeError('The sessionKey secret must be at least 16 bytes');
    this.#secret = raw;
  }

  private get key(): Promise<CryptoKey> {
    this.#key ??= crypto.subtle.importKey('raw', this.#secret ?? randomSecret(), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    return this.#key;
  }

  async sign(sessionId: string): Promise<string> {
    const mac = await crypto.subtle.sign('HMAC', await this.key, encoder.encode(sessionId));
    return toBase64Url(new Uint8Array(mac));
  }

  /** Constant-time check (WebCrypto `verify`) of a key presented by a caller. */
  async verify(sessionId: string, sessionKey: string): Promise<boolean> {
    const mac = fromBase64Url(sessionKey);
    if (!mac || mac.byteLength !== 32) return false;
    return crypto.subtle.verify('HMAC', await this.key, mac, encoder.encode(sessionId));
  }
}

/** 32 random bytes, for a process that was given no secret. */
export function randomSecret(): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(32));
}

function toBase64Url(bytes: Uint8Array): string {
  return bytesToBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  // A length of 1 mod 4 is no base64 at all (atob would throw).
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text) || text.length % 4 === 1) return undefined;
  return base64ToBytes(text);
}
