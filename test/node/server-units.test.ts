// Small pieces of the token endpoint: region conventions, image headers, sessionKey, store claims, rate limit,
// and that the public server entry stays edge-safe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import sharp from 'sharp';
import { isOriginAllowed } from '../../src/server/cors.js';
import { facesFromDetect, regionToBox } from '../../src/server/detect-result.js';
import { readImageInfo } from '../../src/server/image-info.js';
import { RateLimiter } from '../../src/server/rate-limit.js';
import { SessionKeys } from '../../src/server/session-key.js';
import { MemorySessionStore } from '../../src/server/session-store.js';
import type { DetectInput } from '../../src/server/validation.js';

// The doc example: region [150,261,437,661] around landmarks 249,510:460,516:343,657:351,739.
const docPoints: Array<[number, number]> = [
  [249, 510],
  [460, 516],
  [343, 657],
  [351, 739],
];

test('region: read as [x, y, w, h] (documented) whenever that holds the landmarks, else as corners', () => {
  // The doc example only holds its own landmarks (right eye x 460, mouth y 739) when read as [x, y, w, h].
  assert.deepEqual(regionToBox([150, 261, 437, 661], docPoints), [150, 261, 437, 661]);
  // A box both readings fit: the documented one.
  assert.deepEqual(regionToBox([150, 261, 480, 800], docPoints), [150, 261, 480, 800]);
  // A box whose third value is left of its first can only be [x, y, w, h].
  assert.deepEqual(
    regionToBox(
      [300, 400, 250, 300],
      [
        [330, 450],
        [450, 450],
        [390, 520],
        [390, 600],
      ],
    ),
    [300, 400, 250, 300],
  );
  // With the image size known, corners that would overflow as sizes are read as corners.
  assert.deepEqual(
    regionToBox(
      [600, 300, 900, 700],
      [
        [680, 450],
        [820, 450],
        [750, 520],
        [750, 600],
      ],
      { width: 1000, height: 800 },
    ),
    [600, 300, 300, 400],
  );
  // No usable region: a box around the landmarks.
  const box = regionToBox(undefined, docPoints);
  assert.ok(box[0] < 249 && box[0] + box[2] > 460 && box[1] < 510 && box[1] + box[3] > 739);
});

test('faces_obj keyed by face index and by frame index give the same faces', () => {
  const input: DetectInput = { kind: 'url', url: 'https://example.com/a.jpg', singleFace: false };
  const face = (i: number) => ({
    landmarks_str: [`${10 + i},20:${30 + i},20:${20 + i},30:${20 + i},40`],
    region: [[i, 0, 50 + i, 60]],
    landmarks: [],
    frame_time: null,
  });
  const byFace = facesFromDetect({ error_code: 0, error_msg: 'SUCCESS', faces_obj: { '0': face(0), '1': face(1) } }, input);
  const byFrame = facesFromDetect(
    {
      error_code: 0,
      error_msg: 'SUCCESS',
      faces_obj: {
        '0': {
          landmarks_str: [face(0).landmarks_str[0]!, face(1).landmarks_str[0]!],
          region: [face(0).region[0]!, face(1).region[0]!],
          landmarks: [],
          frame_time: null,
        },
      },
    },
    input,
  );
  assert.equal(byFace.length, 2);
  assert.deepEqual(byFace, byFrame);
  assert.deepEqual(byFace[1]!.source, { path: 'https://example.com/a.jpg', opts: '11,20:31,20:21,30:21,40' });
});

test('an upload without face_urls is an upstream error, not a silent unusable source', () => {
  const input: DetectInput = { kind: 'image', base64: '', info: { type: 'png', width: 100, height: 100 }, singleFace: false };
  assert.throws(
    () =>
      facesFromDetect(
        {
          error_code: 0,
          error_msg: 'SUCCESS',
          faces_obj: { '0': { landmarks_str: ['1,2:3,4:5,6:7,8'], region: [[0, 0, 9, 9]], landmarks: [], frame_time: null } },
        },
        input,
      ),
    { code: 'upstream-error' },
  );
});

test('image headers: JPEG (with EXIF orientation), PNG and WebP sizes without decoding', async () => {
  const pixels = sharp({ create: { width: 40, height: 30, channels: 3, background: '#808080' } });
  assert.deepEqual(readImageInfo(await pixels.clone().png().toBuffer()), { type: 'png', width: 40, height: 30 });
  assert.deepEqual(readImageInfo(await pixels.clone().webp().toBuffer()), { type: 'webp', width: 40, height: 30 });
  assert.deepEqual(readImageInfo(await pixels.clone().webp({ lossless: true }).toBuffer()), { type: 'webp', width: 40, height: 30 });
  assert.deepEqual(readImageInfo(await pixels.clone().jpeg().toBuffer()), { type: 'jpeg', width: 40, height: 30 });
  assert.deepEqual(readImageInfo(await pixels.clone().jpeg().withMetadata({ orientation: 6 }).toBuffer()), { type: 'jpeg', width: 30, height: 40 });
  assert.equal(readImageInfo(new TextEncoder().encode('GIF89a not supported')), undefined);
  assert.equal(readImageInfo(new Uint8Array([0xff, 0xd8, 0xff])), undefined, 'a truncated JPEG');
});

test('sessionKey: verifies its own signature only', async () => {
  const keys = new SessionKeys('0123456789abcdef-secret');
  const key = await keys.sign('684f8fb744b8795862e45cbe');
  assert.match(key, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(await keys.verify('684f8fb744b8795862e45cbe', key), true);
  assert.equal(await keys.verify('684f8fb744b8795862e45cbf', key), false);
  assert.equal(await new SessionKeys('another-secret-0123456').verify('684f8fb744b8795862e45cbe', key), false);
  assert.equal(await keys.verify('684f8fb744b8795862e45cbe', key.slice(0, -1)), false);
  assert.throws(() => new SessionKeys('short'));
});

test('sessionKey: without a secret, nothing random is drawn until first use (edge runtimes refuse it at module scope)', async () => {
  const original = crypto.getRandomValues.bind(crypto);
  let draws = 0;
  crypto.getRandomValues = ((array: Uint8Array) => {
    draws += 1;
    return original(array);
  }) as typeof crypto.getRandomValues;
  try {
    const keys = new SessionKeys();
    assert.equal(draws, 0, 'construction drew no random values');
    const key = await keys.sign('684f8fb744b8795862e45cbe');
    assert.equal(draws, 1);
    assert.equal(await keys.verify('684f8fb744b8795862e45cbe', key), true);
    assert.equal(await new SessionKeys().verify('684f8fb744b8795862e45cbe', key), false, 'another process draws another secret');
  } finally {
    crypto.getRandomValues = original;
  }
});

test('MemorySessionStore: one winner per close claim; release makes it due again; purge forgets', async () => {
  const store = new MemorySessionStore();
  await store.create({ sessionId: 'a', createdAt: 0, lastHeartbeatAt: 0, expiresAt: 10_000, closed: false });
  await store.create({ sessionId: 'b', createdAt: 0, lastHeartbeatAt: 0, expiresAt: 10_000, closed: false });
  await store.touch('b', 4000, 2);
  assert.deepEqual(await store.listDue(5000, 3000), ['a']);
  assert.deepEqual(await store.listDue(10_000, 60_000), ['a', 'b'], 'past expiresAt');
  const claims = await Promise.all([1, 2, 3].map(() => store.claimClose('a', 'heartbeat-timeout', 5000)));
  assert.deepEqual(claims.sort(), [false, false, true]);
  assert.deepEqual(await store.listDue(5000, 3000), []);
  await store.releaseClose('a');
  assert.deepEqual(await store.listDue(5000, 3000), ['a']);
  assert.equal(await store.claimClose('a', 'client', 6000), true);
  assert.equal((await store.touch('a', 7000))?.lastHeartbeatAt, 0, 'a closed session takes no heartbeats');
  assert.equal((await store.get('b'))?.status, 2);
  await store.purgeClosed(6001);
  assert.equal(await store.get('a'), undefined);
  assert.notEqual(await store.get('b'), undefined);
  assert.equal(await store.claimClose('nope', 'client', 0), false);
});

test('RateLimiter: a sliding window per key', () => {
  let now = 0;
  const limiter = new RateLimiter({ max: 2, windowMs: 1000 }, () => now);
  assert.deepEqual([limiter.take('x'), limiter.take('x'), limiter.take('y')], [0, 0, 0]);
  now = 400;
  assert.equal(limiter.take('x'), 1, 'third within the window: wait');
  now = 1001;
  assert.equal(limiter.take('x'), 0, 'the first two have left the window');
});

test('the public server entry imports no Node module at run time (edge-safe)', () => {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/^(import|export)\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms)) {
      const specifier = match[2]!;
      assert.ok(!specifier.startsWith('node:') && !/^(fs|path|crypto|zlib|http|stream)$/.test(specifier), `${file} imports ${specifier}`);
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
    }
  };
  visit(join(process.cwd(), 'src/server/index.ts'));
  assert.ok(seen.size >= 10, `walked ${seen.size} modules`);
});

test('origin check: the Host header the browser addressed counts as same origin, even when the request URL names another host', () => {
  // Next.js hands a route handler a URL built from its own listen address, not from the Host header.
  const post = (origin: string, host: string) => new Request('http://localhost:3000/api/faceswap/detect', { method: 'POST', headers: { origin, host } });
  assert.equal(isOriginAllowed(post('http://127.0.0.1:3000', '127.0.0.1:3000'), []), true);
  assert.equal(isOriginAllowed(post('https://shop.example', 'shop.example'), []), true);
  assert.equal(isOriginAllowed(post('https://evil.example', 'shop.example'), []), false);
  assert.equal(isOriginAllowed(post('https://evil.example', 'shop.example'), ['https://evil.example']), true);
});
