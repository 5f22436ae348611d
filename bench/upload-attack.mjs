// Memory and responsiveness of the token endpoint under the /detect upload attack: 30 concurrent uploads of
// the largest image it accepts (a noise JPEG just under 8 MiB, about 10.7 MB of base64 JSON each), then 3
// concurrent 10 MB bodies of deeply nested JSON. The handler runs in its own process (bench/lib/
// upload-attack-server.ts) so its RSS is read alone from /proc; /health is polled every 100 ms throughout.
// AKOOL is a loopback stand-in in this process that drains each detect body and answers one face at once, so
// the figures are the handler's own cost. Per-address rate limits are off (the attack uses many addresses);
// every other limit is at its default (4 detections at once, JSON nesting at most 16 deep).
// Prints JSON. Run: node bench/upload-attack.mjs [--uploads 30] [--nested 3]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import sharp from 'sharp';
import { machine, percentile, root, round } from './lib/common.mjs';

const arg = (name, fallback) => Number(process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const UPLOADS = arg('--uploads', 30);
const NESTED = arg('--nested', 3);
const MAX_IMAGE_BYTES = 8 * 1024 * 1024; // the handler's default maxImageBytes
const MiB = 1024 * 1024;

/** A JPEG of random noise (incompressible) as close under `limit` bytes as a few tries get. */
async function largestJpeg(limit) {
  let side = 2400;
  let best;
  for (let attempt = 0; attempt < 6; attempt++) {
    const jpeg = await sharp({ create: { width: side, height: side, channels: 3, noise: { type: 'gaussian', mean: 128, sigma: 60 } } })
      .jpeg({ quality: 95 })
      .toBuffer();
    if (jpeg.length <= limit && (!best || jpeg.length > best.length)) best = jpeg;
    side = Math.floor(side * Math.sqrt((limit * 0.985) / jpeg.length));
  }
  if (!best) throw new Error('could not make a JPEG under the limit');
  return best;
}

/** Stand-in for AKOOL's detect_faces: reads the whole body, answers one face. */
function startUpstream() {
  const reply = JSON.stringify({
    error_code: 0,
    error_msg: 'SUCCESS',
    faces_obj: {
      0: {
        landmarks: [
          [
            [262, 175],
            [363, 175],
            [313, 215],
            [313, 279],
            [272, 279],
            [354, 279],
          ],
        ],
        landmarks_str: ['262,175:363,175:313,215:272,279'],
        region: [[200, 100, 430, 360]],
        frame_time: null,
        crop_region: [[200, 100, 430, 360]],
        crop_landmarks: ['62,75:163,75:113,115:72,179'],
        face_urls: ['https://example.com/face.jpg'],
      },
    },
  });
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(reply));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function startHandler(upstreamUrl) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench/lib/upload-attack-server.ts'), upstreamUrl], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const ready = /READY (\d+)/.exec(out);
      if (ready) resolve({ child, url: `http://127.0.0.1:${ready[1]}/api/faceswap` });
    });
    child.once('exit', (code) => reject(new Error(`handler exited (${code}): ${out}`)));
  });
}

const rssMiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

/** Runs `attack` while sampling the handler's RSS every 20 ms and timing GET /health every 100 ms. */
async function phase(pid, endpoint, attack) {
  const before = rssMiB(pid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 20);
  const latencies = [];
  let polling = true;
  const poll = (async () => {
    while (polling) {
      const started = performance.now();
      const answer = await fetch(`${endpoint}/health`).catch(() => undefined);
      await answer?.arrayBuffer();
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  const started = performance.now();
  const statuses = {};
  for (const status of await attack()) statuses[status] = (statuses[status] ?? 0) + 1;
  const seconds = (performance.now() - started) / 1000;
  polling = false;
  await poll;
  clearInterval(sampler);
  return {
    statuses,
    seconds: round(seconds, 2),
    rssMiB: { before: round(before, 0), peak: round(peak, 0), after: round(rssMiB(pid), 0) },
    healthMs: {
      p50: round(percentile(latencies, 50), 1),
      p95: round(percentile(latencies, 95), 1),
      max: round(Math.max(...latencies), 1),
      samples: latencies.length,
    },
  };
}

const postAll = (endpoint, bodies) =>
  Promise.all(
    bodies.map(async (body) => {
      const answer = await fetch(`${endpoint}/detect`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).catch(() => undefined);
      await answer?.arrayBuffer().catch(() => undefined);
      return answer?.status ?? 'network-error';
    }),
  );

const jpeg = await largestJpeg(MAX_IMAGE_BYTES);
const upload = JSON.stringify({ image: `data:image/jpeg;base64,${jpeg.toString('base64')}`, singleFace: true });
const depth = 5 * 1000 * 1000; // 10 MB: under the detect body limit, so only a depth limit can refuse it early
const nested = `{"image":${'['.repeat(depth)}${']'.repeat(depth)}}`;

const upstream = await startUpstream();
const { child, url: endpoint } = await startHandler(`http://127.0.0.1:${upstream.address().port}`);
try {
  // One small warm-up detect, so the first phase does not pay module and JIT start-up.
  const small = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#888' } })
    .jpeg()
    .toBuffer();
  await postAll(endpoint, [JSON.stringify({ image: `data:image/jpeg;base64,${small.toString('base64')}` })]);
  const uploads = await phase(child.pid, endpoint, () =>
    postAll(
      endpoint,
      Array.from({ length: UPLOADS }, () => upload),
    ),
  );
  const nestedJson = await phase(child.pid, endpoint, () =>
    postAll(
      endpoint,
      Array.from({ length: NESTED }, () => nested),
    ),
  );
  console.log(
    JSON.stringify(
      {
        machine: machine(),
        uploadBytes: { jpegMiB: round(jpeg.length / MiB, 2), bodyMiB: round(upload.length / MiB, 2), nestedMiB: round(nested.length / MiB, 2) },
        concurrentMaxUploads: { count: UPLOADS, ...uploads },
        nestedJsonBodies: { count: NESTED, depth, ...nestedJson },
      },
      null,
      2,
    ),
  );
} finally {
  child.kill('SIGTERM');
  upstream.close();
}
