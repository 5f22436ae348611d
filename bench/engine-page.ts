// The benchmark page (bundled by bench/engine.ts): camera -> LocalTransport -> a visible player <video>, as
// <faceswap-player> shows it. Measures for `seconds`, then runs the identity check on frames sampled meanwhile.
import { FRAME_MEASURE } from '../src/engine/engine.js';
import { LocalTransport } from '../src/rtc/local-transport.js';
import { analyseFace, descriptorDistance, loadImage, meanDescriptor, snapshot } from '../test/browser/face/face-check.js';

interface BenchOptions {
  seconds: number;
  /** Control run: the player shows the raw camera track, no engine (what this machine can display at all). */
  baseline?: boolean;
  /** Engine without a source face: camera frames straight to the output, no landmarks (the output path alone). */
  passthrough?: boolean;
  maxLandmarkFps?: number;
  landmarkBackend?: 'auto' | 'wasm' | 'webgl';
  sourceUrl: string;
  samples: number;
}

function nextFrame(video: HTMLVideoElement): Promise<void> {
  return new Promise((resolve) => video.requestVideoFrameCallback(() => resolve()));
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : 0;
}

async function run({ seconds, sourceUrl, samples, baseline, passthrough, maxLandmarkFps, landmarkBackend }: BenchOptions) {
  const camera = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480, frameRate: 20 } });
  const cameraTrack = camera.getVideoTracks()[0];

  // Identities first, before the engine competes for the CPU.
  const probe = document.createElement('video');
  probe.muted = true;
  probe.srcObject = camera;
  await probe.play();
  const cameraFaces: Float32Array[] = [];
  for (let i = 0; i < ((window as any).SKIPREF ? 0 : 4); i++) {
    for (let k = 0; k < 5; k++) await nextFrame(probe);
    const face = await analyseFace(snapshot(probe));
    if (face) cameraFaces.push(face.descriptor);
  }
  probe.srcObject = null;
  const sourceFace = await analyseFace(await loadImage(sourceUrl));
  if (!sourceFace) throw new Error('no face found in the source image');
  const cameraIdentity = cameraFaces.length ? meanDescriptor(cameraFaces) : new Float32Array(128);

  const transport = new LocalTransport({ maxLandmarkFps, landmarkBackend });
  const remote = new Promise<MediaStreamTrack>((resolve) => transport.on('remote-video', (t) => t && resolve(t)));
  const joinStarted = performance.now();
  await transport.join({ appId: '', channel: 'bench', uid: 1, token: 'local' }, new AbortController().signal);
  const joinMs = performance.now() - joinStarted;
  const sourceStarted = performance.now();
  if (!baseline) {
    await transport.publish({ video: cameraTrack });
    if (!passthrough) await transport.setSource({ path: sourceUrl, opts: '' });
  }
  const sourceMs = performance.now() - sourceStarted;

  const player = document.createElement('video');
  player.muted = true;
  player.playsInline = true;
  player.width = 640;
  player.height = 480;
  player.srcObject = baseline ? new MediaStream([cameraTrack]) : new MediaStream([await remote]);
  document.body.append(player);
  await player.play();
  // Settle: the model warms up and tracking locks on.
  await new Promise((r) => setTimeout(r, 3000));

  const shots: HTMLCanvasElement[] = [];
  let presented = 0;
  let measuring = true;
  const count = () => {
    presented++;
    if (measuring) player.requestVideoFrameCallback(count);
  };
  player.requestVideoFrameCallback(count);
  const frameMs: number[] = [];
  const landmarkFps: number[] = [];
  const landmarkMs: number[] = [];
  const swapping: boolean[] = [];
  let backend = '';
  // The engine records each output frame's main-thread work as a User Timing measure.
  const frameObserver = new PerformanceObserver((list) => frameMs.push(...list.getEntriesByName(FRAME_MEASURE).map((entry) => entry.duration)));
  frameObserver.observe({ type: 'measure' });
  const marks = window as unknown as { benchWindow?: (phase: string) => Promise<void> };
  await marks.benchWindow?.('start');
  const started = performance.now();
  const sampleEvery = (seconds * 1000) / samples;
  let nextSample = started + sampleEvery / 2;
  let nextStats = started + 1000;
  while (performance.now() - started < seconds * 1000) {
    await nextFrame(player);
    const now = performance.now();
    if (now >= nextSample) {
      shots.push(snapshot(player));
      nextSample += sampleEvery;
    }
    if (now >= nextStats) {
      const s = (await transport.getStats()).engine;
      if (s) {
        landmarkFps.push(s.landmarkFps);
        swapping.push(s.swapping);
        backend = s.landmarkBackend;
        landmarkMs.push(s.landmarkMsMedian);
      }
      nextStats += 1000;
    }
  }
  measuring = false;
  frameMs.push(
    ...frameObserver
      .takeRecords()
      .filter((entry) => entry.name === FRAME_MEASURE)
      .map((entry) => entry.duration),
  );
  frameObserver.disconnect();
  const elapsed = (performance.now() - started) / 1000;
  await marks.benchWindow?.('end');
  const outputFps = presented / elapsed;
  await transport.leave();
  for (const track of camera.getTracks()) track.stop();

  let closer = 0;
  let withFace = 0;
  for (const shot of shots) {
    const face = await analyseFace(shot);
    if (!face) continue;
    withFace++;
    if (descriptorDistance(face.descriptor, sourceFace.descriptor) < descriptorDistance(face.descriptor, cameraIdentity)) closer++;
  }
  const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
  return {
    result: {
      resolution: '640x480',
      landmarkBackend: backend,
      seconds: round(elapsed),
      outputFps: round(outputFps),
      landmarkUpdatesPerSecond: round(landmarkFps.reduce((a, b) => a + b, 0) / Math.max(1, landmarkFps.length)),
      frameProcessingMs: { median: round(percentile(frameMs, 0.5), 2), p95: round(percentile(frameMs, 0.95), 2) },
      landmarkModelMsMedian: round(percentile(landmarkMs, 0.5)),
      swappingShare: round(swapping.filter(Boolean).length / Math.max(1, swapping.length), 2),
      identityShare: withFace ? round(closer / withFace, 3) : 0,
      identityFrames: { closerToSource: closer, withFace, sampled: shots.length },
      modelLoadMs: round(joinMs, 0),
      sourceLandmarksMs: round(sourceMs, 0),
    },
    shots: shots.slice(0, 4).map((c) => c.toDataURL('image/png')),
  };
}

(window as unknown as { runBench: typeof run }).runBench = run;
