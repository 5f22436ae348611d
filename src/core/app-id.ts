/**
 * Reads the Agora App ID out of an AccessToken2 (`007` + base64 of zlib-deflated bytes). AKOOL's live-create
 * answer may carry an empty `app_id` (its own example does) while its token names the App ID in clear text;
 * the token endpoint resolves it before answering. Layout after inflating: uint16 LE length + signature
 * bytes, then uint16 LE length + App ID (ASCII). Works wherever `DecompressionStream` exists (browsers, Node 20+).
 */
import { base64ToBytes } from './base64.js';

const ACCESS_TOKEN2_VERSION = '007';

export async function appIdFromToken(token: string): Promise<string | null> {
  if (!token.startsWith(ACCESS_TOKEN2_VERSION) || typeof DecompressionStream === 'undefined') return null;
  try {
    const packed = base64ToBytes(token.slice(ACCESS_TOKEN2_VERSION.length));
    const bytes = await inflate(packed);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const signatureLength = view.getUint16(0, true);
    const appIdOffset = 2 + signatureLength;
    const appIdLength = view.getUint16(appIdOffset, true);
    const start = appIdOffset + 2;
    if (start + appIdLength > bytes.length) return null;
    const appId = new TextDecoder().decode(bytes.subarray(start, start + appIdLength));
    return /^[0-9a-f]{32}$/i.test(appId) ? appId : null;
  } catch {
    return null;
  }
}

async function inflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
