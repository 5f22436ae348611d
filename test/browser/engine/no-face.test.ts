import { expect } from '@open-wc/testing';
import { nodeModulesAssetUrls } from '../../../src/engine/assets.js';
import { FRAME_MEASURE } from '../../../src/engine/engine.js';
import { LocalTransport } from '../../../src/rtc/local-transport.js';

// Chromium's synthetic fake camera here (no face in it): with a source set, the engine must keep looking for
// a face and pass every frame through unchanged.
function attach(stream: MediaStream): HTMLVideoElement {
  const video = document.createElement('video');
  video.muted = true;
  video.srcObject = stream;
  void video.play();
  return video;
}

function nextFrame(video: HTMLVideoElement): Promise<void> {
  return new Promise((resolve) => video.requestVideoFrameCallback(() => resolve()));
}

function pixels(video: HTMLVideoElement): Uint8ClampedArray {
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(video, 0, 0);
  return ctx.getImageData(0, 0, canvas.width, canvas.height).data;
}

describe('LocalTransport without a face in the camera', function () {
  this.timeout(60000);

  it('passes the camera frames through while it keeps looking for a face', async () => {
    const camera = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480, frameRate: 20 } });
    const transport = new LocalTransport({ assetUrls: nodeModulesAssetUrls() });
    const frameMeasures: PerformanceEntry[] = [];
    const observer = new PerformanceObserver((list) => frameMeasures.push(...list.getEntriesByName(FRAME_MEASURE)));
    observer.observe({ type: 'measure' });
    try {
      const remote = new Promise<MediaStreamTrack>((resolve) => transport.on('remote-video', (t) => t && resolve(t)));
      await transport.join({ appId: '', channel: 'no-face', uid: 1, token: 'local' }, new AbortController().signal);
      await transport.publish({ video: camera.getVideoTracks()[0] });
      await transport.setSource({ path: '/test/fixtures/generated/source-face.jpg', opts: '' });
      const output = attach(new MediaStream([await remote]));
      const input = attach(camera);
      // Landmark runs take longer on a loaded machine: wait for a few of them rather than a fixed time.
      const engineStats = async () => (await transport.getStats()).engine!;
      for (let waited = 0; waited < 30000 && (await engineStats()).landmarkMisses <= 3; waited += 250) {
        await new Promise((r) => setTimeout(r, 250));
      }
      const stats = await engineStats();
      expect(stats.landmarkMisses, 'landmark runs without a face').to.be.above(3);
      expect(stats.swapping).to.equal(false);
      // Each output frame is a User Timing measure of its main-thread work.
      frameMeasures.push(...observer.takeRecords().filter((entry) => entry.name === FRAME_MEASURE));
      expect(frameMeasures.length, 'frame measures').to.be.above(10);
      expect(frameMeasures.every((entry) => entry.duration >= 0 && entry.duration < 1000)).to.equal(true);

      // Same frame on both sides: the output equals the camera, up to the display conversion.
      let best = Infinity;
      // The two videos present frames on their own clocks: the best of several pairs is the same frame.
      for (let attempt = 0; attempt < 20 && best > 2; attempt++) {
        await nextFrame(output);
        const out = pixels(output);
        const inp = pixels(input);
        let sum = 0;
        for (let i = 0; i < out.length; i += 16) sum += Math.abs(out[i] - inp[i]) + Math.abs(out[i + 1] - inp[i + 1]);
        best = Math.min(best, sum / (out.length / 8));
      }
      expect(best).to.be.below(2);
    } finally {
      observer.disconnect();
      await transport.leave();
      for (const track of camera.getTracks()) track.stop();
    }
  });
});
