/**
 * A MediaRecorder stand-in whose `n`th handed-over chunk (from 1, one per `requestData()` and one on `stop()`) holds
 * `chunkBytes(n)` bytes: always 0 is a browser that claims a format it cannot encode, 0 at first an encoder that takes
 * a moment to start. Install it as `globalThis.MediaRecorder`; `made` lists the recorders created.
 */
export function stubRecorder(chunkBytes: (n: number) => number) {
  const made: StubRecorder[] = [];
  class StubRecorder extends EventTarget {
    static isTypeSupported = () => true;
    state: RecordingState = 'inactive';
    private chunks = 0;
    constructor() {
      super();
      made.push(this);
    }
    start() {
      this.state = 'recording';
    }
    requestData() {
      const data = new Blob([new Uint8Array(chunkBytes(++this.chunks))]);
      this.dispatchEvent(Object.assign(new Event('dataavailable'), { data }));
    }
    stop() {
      this.requestData();
      this.state = 'inactive';
      this.dispatchEvent(new Event('stop'));
    }
  }
  return { StubRecorder, made };
}
