import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { test } from 'node:test';
import { appIdFromToken } from '../../src/core/app-id.js';

// The `front_rtc_token` of AKOOL's live-create example (AKOOL's API documentation).
const AKOOL_DOC_TOKEN =
  '007eJxTYFj/uGvaue3C3/VlOLdFmM5UuffmzHGhszbnTSqs3or94HNRYEhNNElJM0oxMkg1MTYxMklMMkm0MDCySDW0sDBOMjRP297vnyHAx8Bw6YAZIyMDIwMLAyMDiM8EJpnBJAuYFGMwMjAyNTAzNDMwNrI0tTQ0MIy3MDIyYWQwBADtwSJM';

/** Packs an AccessToken2 the way Agora's token builders do: signature, then App ID, then the rest. */
function accessToken2(appId: string, signature = Buffer.alloc(32, 7)): string {
  const packString = (bytes: Buffer) => {
    const length = Buffer.alloc(2);
    length.writeUInt16LE(bytes.length);
    return Buffer.concat([length, bytes]);
  };
  const rest = Buffer.alloc(12, 1); // issue ts, expire, salt: not read
  const packed = Buffer.concat([packString(signature), packString(Buffer.from(appId)), rest]);
  return '007' + deflateSync(packed).toString('base64');
}

test('the App ID is read from the AKOOL doc token', async () => {
  assert.equal(await appIdFromToken(AKOOL_DOC_TOKEN), 'ea4df2d20e43424ab4a8028e1883b17f');
});

test('the App ID is read from a freshly packed AccessToken2', async () => {
  const appId = '0123456789abcdef0123456789abcdef';
  assert.equal(await appIdFromToken(accessToken2(appId)), appId);
  assert.equal(await appIdFromToken(accessToken2(appId, Buffer.alloc(0))), appId);
});

test('tokens that are not AccessToken2 give null', async () => {
  assert.equal(await appIdFromToken(''), null);
  assert.equal(await appIdFromToken('006abcdef'), null, 'AccessToken (006) does not carry the App ID this way');
  assert.equal(await appIdFromToken('007!!!not-base64'), null);
  assert.equal(await appIdFromToken('007' + Buffer.from('plain, not deflated').toString('base64')), null);
  assert.equal(await appIdFromToken(accessToken2('not-a-hex-app-id')), null);
  assert.equal(await appIdFromToken(AKOOL_DOC_TOKEN.slice(0, 40)), null, 'truncated token');
});
