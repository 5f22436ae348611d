import { expect } from '@open-wc/testing';
import { nodeModulesAssetUrls } from '../../../src/engine/assets.js';
import { LocalTransport } from '../../../src/rtc/local-transport.js';
import { facelessFile } from '../../support/faceless.js';
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

describe('LocalTransport with a real face camera', function () {
  this.timeout(120000);
  let camera: MediaStream;
  let cameraVideo: HTMLVideoElement;
  let transport: LocalTransport;
  let output: HTMLVideoElement | null = null;

  beforeEach(async () => {
    camera = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480, frameRate: 20 } });
    cameraVideo = attach(camera.getVideoTracks()[0]);
    await frames(cameraVideo, 2);
    transport = new LocalTransport({ assetUrls: nodeModulesAssetUrls() });
  });

  afterEach(async () => {
    await transport.leave();
    output?.remove();
    output = null;
    cameraVideo.srcObject = null;
    for (const track of camera.getTracks()) track.stop();
  });

  async function startSwap(withSource: boolean): Promise<MediaStreamTrack> {
    const events: string[] = [];
    const remote = new Promise<MediaStreamTrack>((resolve) => transport.on('remote-video', (track) => track && resolve(track)));
    const firstFrame = new Promise<void>((resolve) => transport.on('first-frame', () => resolve()));
    transport.on('connection', ({ state }) => events.push(state));
    await transport.join(CREDENTIALS, new AbortController().signal);
    expect(events).to.deep.equal(['connecting', 'connected']);
    await transport.publish({ video: camera.getVideoTracks()[0] });
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
    await new Promise((r) => setTimeout(r, 1500));
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
    await new Promise((r) => setTimeout(r, 1500));
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
    const scope = globalThis as unknown as Record<string, unknown>;
    const processor = scope.MediaStreamTrackProcessor;
    delete scope.MediaStreamTrackProcessor;
    try {
      const track = await startSwap(true);
      expect(track).to.be.instanceOf(CanvasCaptureMediaStreamTrack);
      await new Promise((r) => setTimeout(r, 1500));
      const pairs = await samplePairs(camera.getVideoTracks()[0], track, 2);
      for (const { input, output: out, face } of pairs.filter((p) => p.face)) {
        expect(meanDifference(input, out, grow(face!.box, 1.6), false), 'outside the face').to.be.below(5);
        expect(meanDifference(input, out, grow(face!.box, 0.6), true), 'inside the face').to.be.above(12);
      }
    } finally {
      scope.MediaStreamTrackProcessor = processor;
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
