import { expect } from '@open-wc/testing';
import { nodeModulesAssetUrls } from '../../../src/engine/assets.js';
import { LocalTransport } from '../../../src/rtc/local-transport.js';
import { facelessFile } from '../../support/faceless.js';
import { until } from '../../support/until.js';
import type { FaceswapError } from '../../../src/core/errors.js';
import { analyseFace, descriptorDistance, frames, grow, loadImage, meanDescriptor, meanDifference, samplePairs, snapshot } from './face-check.js';

// Runs in the `face` group: Chromium's fake camera plays test/fixtures/generated/face.y4m (one person, gentle
// zoom and pan), made by scripts/make-test-camera.mjs together with the source face (another person).
const SOURCE_URL = '/test/fixtures/generated/source-face.jpg';
const SECOND_SOURCE_URL = '/test/fixtures/generated/source-face-2.jpg';
const CREDENTIALS = { appId: '', channel: 'local-test', uid: 1, token: 'local' };

function attach(track: MediaStreamTrack): HTMLVideoElement {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = new MediaStream([track]);
  void video.play();
  return video;
}

type TrackGenerator = MediaStreamTrack & { writable: WritableStream<VideoFrame> };
// Taken at load: the fallback test hides it from the engine.
const Generator = (globalThis as unknown as { MediaStreamTrackGenerator: new (init: { kind: 'video' }) => TrackGenerator }).MediaStreamTrackGenerator;

/** A camera track that repeats one image at 20 fps until it is told to show another. */
class HeldCamera {
  readonly track: TrackGenerator = new Generator({ kind: 'video' });
  readonly #writer = this.track.writable.getWriter();
  #image: HTMLCanvasElement | null = null;
  #frames = 0;
  readonly #timer = setInterval(() => {
    if (!this.#image) return;
    const frame = new VideoFrame(this.#image, { timestamp: this.#frames++ * 50_000 });
    void this.#writer.write(frame).catch(() => frame.close());
  }, 50);

  show(image: HTMLCanvasElement): void {
    this.#image = image;
  }

  stop(): void {
    clearInterval(this.#timer);
    void this.#writer.close().catch(() => undefined);
    this.track.stop();
  }
}

describe('LocalTransport with a real face camera', function () {
  // The face model's first load and face-api's analyses take minutes on a machine shared with other test runs.
  this.timeout(300_000);
  let camera: MediaStream;
  let cameraVideo: HTMLVideoElement;
  let transport: LocalTransport;
  let output: HTMLVideoElement | null = null;

  beforeEach(async () => {
    camera = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480, frameRate: 20 } });
    cameraVideo = attach(camera.getVideoTracks()[0]);
    await frames(cameraVideo, 2);
    // The model loads in a few seconds on a free machine; on one shared with other test runs it took longer than
    // the default join timeout, which these tests do not test.
    transport = new LocalTransport({ assetUrls: nodeModulesAssetUrls(), joinTimeoutMs: 90_000 });
  });

  afterEach(async () => {
    await transport.leave();
    output?.remove();
    output = null;
    cameraVideo.srcObject = null;
    for (const track of camera.getTracks()) track.stop();
  });

  /** Resolves once the engine draws the swapped face: the landmark model has found the face (seconds under load). */
  async function swapShown(): Promise<void> {
    await until(async () => (await transport.getStats()).engine?.swapping, 'the engine to show the swapped face', 120_000);
  }

  async function startSwap(withSource: boolean, input = camera.getVideoTracks()[0]): Promise<MediaStreamTrack> {
    const events: string[] = [];
    const remote = new Promise<MediaStreamTrack>((resolve) => transport.on('remote-video', (track) => track && resolve(track)));
    const firstFrame = new Promise<void>((resolve) => transport.on('first-frame', () => resolve()));
    transport.on('connection', ({ state }) => events.push(state));
    await transport.join(CREDENTIALS, new AbortController().signal);
    expect(events).to.deep.equal(['connecting', 'connected']);
    await transport.publish({ video: input });
    if (withSource) await transport.setSource({ path: SOURCE_URL, opts: '' });
    const track = await remote;
    await firstFrame;
    expect(track.kind).to.equal('video');
    expect(track.readyState).to.equal('live');
    output = attach(track);
    document.body.append(output);
    await frames(output, 3);
    return track;
  }

  it('replaces the face and leaves the rest of the frame as the camera shows it', async () => {
    const track = await startSwap(true);
    await swapShown();
    const stats = await transport.getStats();
    expect(stats.width).to.equal(640);
    expect(stats.height).to.equal(480);
    expect(stats.fps).to.be.above(0);
    const pairs = await samplePairs(camera.getVideoTracks()[0], track, 5);
    const measured = pairs.filter((p) => p.face);
    expect(measured.length, 'camera frames with a face').to.be.at.least(4);
    const rest: number[] = [];
    for (const { input, output: out, face } of measured) {
      const faceDiff = meanDifference(input, out, grow(face!.box, 0.6), true);
      const restDiff = meanDifference(input, out, grow(face!.box, 1.6), false);
      console.log(`face ${faceDiff.toFixed(1)} rest ${restDiff.toFixed(1)}`);
      expect(faceDiff, 'inside the face').to.be.above(12);
      expect(restDiff, 'outside the face').to.be.below(5);
      rest.push(restDiff);
    }
    // Chromium takes the generator path: outside the face the camera's own pixels, so exact matches.
    rest.sort((a, b) => a - b);
    expect(rest[Math.floor(rest.length / 2)], 'outside the face, median').to.be.below(1);
  });

  it('makes the face look like the source person to a face-recognition model', async () => {
    const source = await analyseFace(await loadImage(SOURCE_URL));
    expect(source, 'face in the source image').to.not.equal(null);
    const cameraFaces: Float32Array[] = [];
    for (let i = 0; i < 3; i++) {
      await frames(cameraVideo, 5);
      const f = await analyseFace(snapshot(cameraVideo));
      if (f) cameraFaces.push(f.descriptor);
    }
    expect(cameraFaces.length, 'faces in the camera').to.be.at.least(2);
    const cameraIdentity = meanDescriptor(cameraFaces);

    await startSwap(true);
    await swapShown();
    let closerToSource = 0;
    let analysed = 0;
    for (let i = 0; i < 12; i++) {
      await frames(output!, 3);
      const face = await analyseFace(snapshot(output!));
      if (!face) continue;
      analysed++;
      const toSource = descriptorDistance(face.descriptor, source!.descriptor);
      const toCamera = descriptorDistance(face.descriptor, cameraIdentity);
      if (toSource < toCamera) closerToSource++;
    }
    console.log(`identity: ${closerToSource}/${analysed} output faces closer to the source`);
    expect(analysed, 'output frames with a face').to.be.at.least(10);
    // The raw camera passed through gives 0/12.
    expect(closerToSource / analysed).to.be.at.least(0.8);
  });

  it('swaps through the fallbacks of browsers without MediaStreamTrackProcessor (video element in, canvas capture out)', async () => {
    // The camera held still: each sampled camera image is shown for as long as sampling takes, so the output
    // frame is paired with the image it was made from however far the slower fallback path lags behind on a
    // loaded machine (paced by frames, not by wall time). Safari has neither track processor nor generator.
    const scope = globalThis as unknown as Record<string, unknown>;
    const hidden = ['MediaStreamTrackProcessor', 'MediaStreamTrackGenerator'];
    const saved = hidden.map((name) => scope[name]);
    const held = new HeldCamera();
    try {
      held.show(snapshot(cameraVideo));
      for (const name of hidden) delete scope[name];
      const track = await startSwap(true, held.track);
      expect(track).to.be.instanceOf(CanvasCaptureMediaStreamTrack);
      await swapShown();
      for (let i = 0; i < 2; i++) {
        if (i > 0) {
          await frames(cameraVideo, 10);
          held.show(snapshot(cameraVideo));
        }
        const [{ input, output: out, face }] = await samplePairs(held.track, track, 1);
        expect(face, 'a face in the held camera image').to.not.equal(null);
        const restDiff = meanDifference(input, out, grow(face!.box, 1.6), false);
        const faceDiff = meanDifference(input, out, grow(face!.box, 0.6), true);
        console.log(`fallback: face ${faceDiff.toFixed(1)} rest ${restDiff.toFixed(1)}`);
        expect(restDiff, 'outside the face').to.be.below(5);
        expect(faceDiff, 'inside the face').to.be.above(12);
      }
    } finally {
      hidden.forEach((name, i) => (scope[name] = saved[i]));
      held.stop();
    }
  });

  it('switches to a new source face without restarting', async () => {
    const first = (await analyseFace(await loadImage(SOURCE_URL)))!.descriptor;
    const second = (await analyseFace(await loadImage(SECOND_SOURCE_URL)))!.descriptor;
    const track = await startSwap(true);
    /** How many of `n` output frames are closer to the second source than to the first. */
    const closerToSecond = async (n: number) => {
      let count = 0;
      for (let i = 0; i < n; i++) {
        await frames(output!, 6);
        const face = await analyseFace(snapshot(output!));
        if (face && descriptorDistance(face.descriptor, second) < descriptorDistance(face.descriptor, first)) count++;
      }
      return count;
    };
    await new Promise((r) => setTimeout(r, 1000));
    expect(await closerToSecond(5), 'before the change').to.be.at.most(1);
    await transport.setSource({ path: SECOND_SOURCE_URL, opts: '' });
    expect(await closerToSecond(5), 'after the change').to.be.at.least(4);
    expect(track.readyState, 'same output track').to.equal('live');
  });

  it('passes the camera through until a source face is set', async () => {
    const track = await startSwap(false);
    const [pair] = await samplePairs(camera.getVideoTracks()[0], track, 1);
    expect(pair.face).to.not.equal(null);
    const faceDiff = meanDifference(pair.input, pair.output, grow(pair.face!.box, 0.6), true);
    expect(faceDiff).to.be.below(6);
  });

  it('rejects a source image without a face with no-face and keeps running', async () => {
    await startSwap(false);
    const blob = await facelessFile();
    const url = URL.createObjectURL(blob);
    let error: FaceswapError | null = null;
    try {
      await transport.setSource({ path: url, opts: '' });
    } catch (e) {
      error = e as FaceswapError;
    } finally {
      URL.revokeObjectURL(url);
    }
    expect(error?.code).to.equal('no-face');
    await frames(output!, 3);
  });

  it('stops the tracks it created on leave, never the camera', async () => {
    const track = await startSwap(true);
    await transport.leave();
    expect(track.readyState).to.equal('ended');
    expect(camera.getVideoTracks()[0].readyState).to.equal('live');
    expect(await transport.getStats()).to.deep.equal({});
  });

  it('rejects join with an AbortError when cancelled', async () => {
    const controller = new AbortController();
    const joining = transport.join(CREDENTIALS, controller.signal);
    controller.abort();
    const error = await joining.then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.name).to.equal('AbortError');
  });
});
