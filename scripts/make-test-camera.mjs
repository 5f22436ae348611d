#!/usr/bin/env node
// Builds the face-video fake camera and the source face for the in-browser engine's tests and benchmark,
// from real photos that ship in @vladmandic/face-api (demo/sample*.jpg, several people each):
//   test/fixtures/generated/face.y4m         640x480, 20 fps, 10 s: one person, gentle zoom and pan
//   test/fixtures/generated/source-face.jpg  a different person, cropped around the face
//   test/fixtures/generated/source-face-2.jpg  a third person (for source changes mid-session)
// Chromium plays the first with --use-file-for-fake-video-capture. Skips work when the outputs are newer than
// this script. Needs ffmpeg (apt).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const samples = join(root, 'node_modules/@vladmandic/face-api/demo');
const outDir = join(root, 'test/fixtures/generated');
const cameraFile = join(outDir, 'face.y4m');
const sourceFile = join(outDir, 'source-face.jpg');
const secondSourceFile = join(outDir, 'source-face-2.jpg');

// Face boxes [x, y, w, h] found in these photos by face-api's SSD detector; the crops are framed around them.
const CAMERA = { photo: 'sample3.jpg', face: [585, 329, 199, 271] };
const SOURCE = { photo: 'sample6.jpg', face: [681, 321, 160, 307] };
const SECOND_SOURCE = { photo: 'sample3.jpg', face: [1514, 292, 170, 280] };

const FPS = 20;
const SECONDS = 10;

function fresh(file) {
  return existsSync(file) && statSync(file).mtimeMs > statSync(fileURLToPath(import.meta.url)).mtimeMs;
}

function ffmpeg(args) {
  const res = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: 'inherit' });
  if (res.error) throw new Error(`ffmpeg could not run (${res.error.message}); install it with apt-get install ffmpeg`);
  if (res.status !== 0) throw new Error(`ffmpeg failed with status ${res.status}`);
}

/** A 4:3 region `widthFactor` face-widths wide, centred on the face a little below its middle. */
function frame([x, y, w, h], widthFactor) {
  const cw = Math.round(w * widthFactor);
  const ch = Math.round((cw * 3) / 4);
  const cx = x + w / 2;
  const cy = y + h * 0.55;
  return { x: Math.round(cx - cw / 2), y: Math.round(cy - ch / 2), w: cw, h: ch };
}

if (!existsSync(join(samples, CAMERA.photo))) {
  console.error(`Missing ${samples}: install devDependencies (@vladmandic/face-api) first.`);
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });

if (fresh(cameraFile)) {
  console.log(`${cameraFile} is up to date`);
} else {
  const c = frame(CAMERA.face, 3.3);
  const frames = FPS * SECONDS;
  // Zoom breathes between 1.05x and 1.2x while the view drifts sideways and a little up and down, like a
  // hand-held laptop camera; the face stays whole in the frame.
  const zoom = `1.125+0.075*sin(2*PI*on/${frames / 2})`;
  const panX = `iw/2-(iw/zoom/2)+40*sin(2*PI*on/${frames})`;
  const panY = `ih/2-(ih/zoom/2)+20*sin(2*PI*on/${frames / 4})`;
  ffmpeg([
    '-loop', '1', '-framerate', String(FPS), '-i', join(samples, CAMERA.photo),
    '-vf', `crop=${c.w}:${c.h}:${c.x}:${c.y},scale=1280:960,zoompan=z='${zoom}':x='${panX}':y='${panY}':d=1:s=640x480:fps=${FPS},format=yuv420p`,
    '-frames:v', String(frames), cameraFile,
  ]);
  console.log(`wrote ${cameraFile}`);
}

for (const [file, { photo, face }] of [
  [sourceFile, SOURCE],
  [secondSourceFile, SECOND_SOURCE],
]) {
  if (fresh(file)) {
    console.log(`${file} is up to date`);
    continue;
  }
  const s = frame(face, 3.2);
  ffmpeg(['-i', join(samples, photo), '-vf', `crop=${s.w}:${s.h}:${s.x}:${s.y},scale=480:-2`, '-q:v', '3', '-frames:v', '1', file]);
  console.log(`wrote ${file}`);
}
