import { expect } from '@open-wc/testing';
import { nodeModulesAssetUrls } from '../../../src/engine/assets.js';
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
    try {
      const remote = new Promise<MediaStreamTrack>((resolve) => transport.on('remote-video', (t) => t && resolve(t)));
      await transport.join({ appId: '', channel: 'no-face', uid: 1, token: 'local' }, new AbortController().signal);
      await transport.publish({ video: camera.getVideoTracks()[0] });
      await transport.setSource({ path: '/test/fixtures/generated/source-face.jpg', opts: '' });
      const output = attach(new MediaStream([await remote]));
      const input = attach(camera);
      // Landmark runs take longer on a loaded machine: wait for a few of them rather than a fixed time.
      for (let waited = 0; waited < 30000 && transport.engineStats()!.landmarkMisses <= 3; waited += 250) {
        await new Promise((r) => setTimeout(r, 250));
      }
      const stats = transport.engineStats()!;
      expect(stats.landmarkMisses, 'landmark runs without a face').to.be.above(3);
      expect(stats.swapping).to.equal(false);

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
      await transport.leave();
      for (const track of camera.getTracks()) track.stop();
    }
  });
});
