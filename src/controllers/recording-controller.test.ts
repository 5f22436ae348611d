import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { RecordingController } from './recording-controller.js';

class RecordingHost extends LitElement {
  readonly recorder = new RecordingController(this, { startLimitMs: 600 });
}
customElements.define('recording-controller-host', RecordingHost);

/** A MediaRecorder that hands over `chunkBytes` per chunk: 0 is a browser that claims a format it cannot encode. */
function stubRecorder(chunkBytes: number) {
  const made: StubRecorder[] = [];
  class StubRecorder extends EventTarget {
    static isTypeSupported = () => true;
    state: RecordingState = 'inactive';
    constructor() {
      super();
      made.push(this);
    }
    start() {
      this.state = 'recording';
    }
    requestData() {
      this.dispatchEvent(Object.assign(new Event('dataavailable'), { data: new Blob([new Uint8Array(chunkBytes)]) }));
    }
    stop() {
      this.requestData();
      this.state = 'inactive';
      this.dispatchEvent(new Event('stop'));
    }
  }
  return { StubRecorder, made };
}

describe('RecordingController', () => {
  const realRecorder = globalThis.MediaRecorder;
  let canvasTrack: MediaStreamTrack;

  beforeEach(() => {
    canvasTrack = document.createElement('canvas').captureStream(10).getVideoTracks()[0];
  });

  afterEach(() => {
    globalThis.MediaRecorder = realRecorder;
    canvasTrack.stop();
  });

  it('rejects with NotSupportedError, and hands over no empty file, when the recorder writes nothing', async () => {
    const { StubRecorder, made } = stubRecorder(0);
    globalThis.MediaRecorder = StubRecorder as unknown as typeof MediaRecorder;
    const host = await fixture<RecordingHost>(html`<recording-controller-host></recording-controller-host>`);
    const events: string[] = [];
    for (const type of ['faceswap-recording-start', 'faceswap-recording-stop']) host.addEventListener(type, () => events.push(type));
    let failure: DOMException | null = null;
    await host.recorder.start(canvasTrack, { mark: null }).catch((error: DOMException) => (failure = error));
    expect(failure!.name).to.equal('NotSupportedError');
    expect(failure!.message).to.match(/wrote nothing/);
    expect(host.recorder.recording).to.equal(false);
    expect(made[0].state, 'the recorder is stopped again').to.equal('inactive');
    expect(events).to.deep.equal([]);
    // Nothing is left starting: a recorder that writes can start next.
    const { StubRecorder: Writing } = stubRecorder(64);
    globalThis.MediaRecorder = Writing as unknown as typeof MediaRecorder;
    await host.recorder.start(canvasTrack, { mark: null });
    expect(host.recorder.recording).to.equal(true);
    expect((await host.recorder.stop()).size).to.be.greaterThan(0);
    expect(events).to.deep.equal(['faceswap-recording-start', 'faceswap-recording-stop']);
  });

  it('rejects with InvalidStateError when the track ends while the recorder starts', async () => {
    const { StubRecorder } = stubRecorder(0);
    globalThis.MediaRecorder = StubRecorder as unknown as typeof MediaRecorder;
    const host = await fixture<RecordingHost>(html`<recording-controller-host></recording-controller-host>`);
    const starting = host.recorder.start(canvasTrack, { mark: null });
    canvasTrack.stop();
    let failure: DOMException | null = null;
    await starting.catch((error: DOMException) => (failure = error));
    expect(failure!.name).to.equal('InvalidStateError');
    expect(host.recorder.recording).to.equal(false);
  });
});
