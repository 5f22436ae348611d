// Source faces for the stories and the CDN test page: crops of photos that ship in @vladmandic/face-api
// (demo/sample*.jpg), with the 4-point landmark string (`opts`) the token endpoint's /detect would answer,
// measured by the emulator's real detector. Writes stories/assets/faces/*.jpg and faces.json; re-run with
// `node --import tsx scripts/gen-story-faces.ts` (the outputs are committed).
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { detectFaces } from '../src/server/emulator/detector.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const samples = join(dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json')), 'demo');
const outDir = join(root, 'stories/assets/faces');

// Face boxes [x, y, w, h] in the sample photos (face-api SSD); each crop is framed around one face.
const FACES = [
  { name: 'ada', label: 'Ada', photo: 'sample6.jpg', face: [681, 321, 160, 307] },
  { name: 'ben', label: 'Ben', photo: 'sample3.jpg', face: [585, 329, 199, 271] },
];

const fmt = (n: number) => String(Math.round(n * 10) / 10);

const entries = [];
mkdirSync(outDir, { recursive: true });
for (const { name, label, photo, face } of FACES) {
  const [x, y, w, h] = face;
  const side = Math.round(Math.max(w, h) * 1.8);
  const left = Math.max(0, Math.round(x + w / 2 - side / 2));
  const top = Math.max(0, Math.round(y + h * 0.5 - side / 2));
  const jpeg = await sharp(join(samples, photo)).extract({ left, top, width: side, height: side }).resize(320, 320).jpeg({ quality: 82 }).toBuffer();
  const found = await detectFaces(new Uint8Array(jpeg));
  const best = found.faces[0];
  if (!best) throw new Error(`no face found in the ${name} crop`);
  const [leftEye, rightEye, nose, mouth] = best.points;
  const opts = [leftEye, rightEye, nose, mouth].map(([px, py]) => `${fmt(px)},${fmt(py)}`).join(':');
  const [x1, y1, x2, y2] = best.region;
  const box = [x1, y1, x2 - x1, y2 - y1].map((n) => Math.round(n));
  writeFileSync(join(outDir, `${name}.jpg`), jpeg);
  entries.push({ name, label, file: `${name}.jpg`, width: found.width, height: found.height, box, opts });
  console.log(`wrote ${name}.jpg (${jpeg.length} bytes), opts ${opts}`);
}
writeFileSync(join(outDir, 'faces.json'), `${JSON.stringify(entries, null, 2)}\n`);
