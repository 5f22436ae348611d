import { aTimeout, expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { RecordingController } from './recording-controller.js';
import { stubRecorder } from '../../test/support/stub-recorder.js';

class RecordingHost extends LitElement {
  readonly recorder = new RecordingController(this, { startLimitMs: 1500 });
}
customElements.define('recording-controller-host', RecordingHost);

/** A live track from a canvas repainted 20 times a second, played by a `<video>` in the page. */
async function paintedVideo() {
  const canvas = Object.assign(document.createElement('canvas'), { width: 64, height: 48 });
  const context = canvas.getContext('2d')!;
  const stream = canvas.captureStream(20);
  const painting = setInterval(() => {
    context.fillStyle = `hsl(${Math.random() * 360} 50% 50%)`;
    context.fillRect(0, 0, 64, 48);
  }, 50);
  const video = Object.assign(document.createElement('video'), { muted: true, playsInline: true, srcObject: stream });
  document.body.append(video);
  await video.play();
  // The first frame shown (at most 5 s: a browser that never calls back fails the tests that need frames, not this).
  if (typeof video.requestVideoFrameCallback === 'function')
    await Promise.race([new Promise((resolve) => video.requestVideoFrameCallback(resolve)), aTimeout(5000)]);
  return {
    track: stream.getVideoTracks()[0],
    video,
    stop() {
      clearInterval(painting);
      stream.getTracks().forEach((track) => track.stop());
      video.remove();
    },
  };
}

describe('RecordingController', () => {
  const realRecorder = globalThis.MediaRecorder;
  let camera: Awaited<ReturnType<typeof paintedVideo>>;

  beforeEach(async () => {
    camera = await paintedVideo();
  });

  afterEach(() => {
    globalThis.MediaRecorder = realRecorder;
    camera.stop();
  });

  it('rejects with NotSupportedError, and hands over no empty file, when the recorder writes nothing from the frames it gets', async () => {
    const { StubRecorder, made } = stubRecorder(() => 0);
    globalThis.MediaRecorder = StubRecorder as unknown as typeof MediaRecorder;
    const host = await fixture<RecordingHost>(html`<recording-controller-host></recording-controller-host>`);
    const events: string[] = [];
    for (const type of ['faceswap-recording-start', 'faceswap-recording-stop']) host.addEventListener(type, () => events.push(type));
    let failure: DOMException | null = null;
    await host.recorder.start(camera.track, { video: camera.video, mark: null }).catch((error: DOMException) => (failure = error));
    expect(failure!.name).to.equal('NotSupportedError');
    expect(failure!.message).to.match(/wrote nothing/);
    expect(host.recorder.recording).to.equal(false);
    expect(made[0].state, 'the recorder is stopped again').to.equal('inactive');
    expect(events).to.deep.equal([]);
    // Nothing is left starting: a recorder that writes can start next.
    const { StubRecorder: Writing } = stubRecorder(() => 64);
    globalThis.MediaRecorder = Writing as unknown as typeof MediaRecorder;
    await host.recorder.start(camera.track, { video: camera.video, mark: null });
    expect(host.recorder.recording).to.equal(true);
    expect((await host.recorder.stop()).size).to.be.greaterThan(0);
    expect(events).to.deep.equal(['faceswap-recording-start', 'faceswap-recording-stop']);
  });

  it('rejects with InvalidStateError, not NotSupportedError, when the video shows no frames (a stalled video)', async function () {
    if (typeof HTMLVideoElement.prototype.requestVideoFrameCallback !== 'function') this.skip(); // cannot tell a stalled video here
    const { StubRecorder, made } = stubRecorder(() => 0);
    globalThis.MediaRecorder = StubRecorder as unknown as typeof MediaRecorder;
    const host = await fixture<RecordingHost>(html`<recording-controller-host></recording-controller-host>`);
    const stalled = document.createElement('video');
    let failure: DOMException | null = null;
    await host.recorder.start(camera.track, { video: stalled, mark: null }).catch((error: DOMException) => (failure = error));
    expect(failure!.name).to.equal('InvalidStateError');
    expect(failure!.message).to.match(/no video frames/);
    expect(made[0].state).to.equal('inactive');
  });

  it('rejects with InvalidStateError, not NotSupportedError, when the video stalls after a frame or two', async function () {
    if (typeof HTMLVideoElement.prototype.requestVideoFrameCallback !== 'function') this.skip(); // cannot count frames here
    const { StubRecorder } = stubRecorder(() => 0);
    globalThis.MediaRecorder = StubRecorder as unknown as typeof MediaRecorder;
    const host = await fixture<RecordingHost>(html`<recording-controller-host></recording-controller-host>`);
    // A canvas captured as it changes (captureStream without a rate): painted twice while the recorder starts, then not.
    const canvas = Object.assign(document.createElement('canvas'), { width: 64, height: 48 });
    const context = canvas.getContext('2d')!;
    const stream = canvas.captureStream();
    const video = Object.assign(document.createElement('video'), { muted: true, playsInline: true, srcObject: stream });
    document.body.append(video);
    try {
      context.fillRect(0, 0, 64, 48);
      await video.play();
      const starting = host.recorder.start(camera.track, { video, mark: null });
      for (const colour of ['red', 'blue']) {
        await aTimeout(200);
        context.fillStyle = colour;
        context.fillRect(0, 0, 64, 48);
      }
      let failure: DOMException | null = null;
      await starting.catch((error: DOMException) => (failure = error));
      expect(failure!.name).to.equal('InvalidStateError');
      expect(failure!.message, 'frames were shown, too few to judge the encoder').to.match(/only [1-4] video frames/);
    } finally {
      stream.getTracks().forEach((track) => track.stop());
      video.remove();
    }
  });

  it('rejects with InvalidStateError when the track ends while the recorder starts', async () => {
    const { StubRecorder, made } = stubRecorder(() => 0);
    globalThis.MediaRecorder = StubRecorder as unknown as typeof MediaRecorder;
    const host = await fixture<RecordingHost>(html`<recording-controller-host></recording-controller-host>`);
    const starting = host.recorder.start(camera.track, { video: camera.video, mark: null });
    while (made.length === 0) await aTimeout(10); // the recorder waits for its first data
    camera.track.stop();
    let failure: DOMException | null = null;
    await starting.catch((error: DOMException) => (failure = error));
    expect(failure!.name).to.equal('InvalidStateError');
    expect(host.recorder.recording).to.equal(false);
    expect(made[0].state).to.equal('inactive');
  });
});
