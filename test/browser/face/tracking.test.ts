import { expect } from '@open-wc/testing';
import { nodeModulesAssetUrls } from '../../../src/engine/assets.js';
import { faceMeshConfig } from '../../../src/engine/human-config.js';
import { createLandmarkWorker, type FaceLandmarks, type WorkerReply, type WorkerRequest } from '../../../src/engine/landmark-worker.js';
import { cameraUrl } from './face-check.js';
import { loadY4m } from './y4m-camera.js';

// The landmark worker's tracking on a face that grows and shrinks: the photo-lean camera (scripts/make-test-camera.mjs)
// zooms into a still photo by 1.4 - 0.4 cos(2 pi frame / 160), so its face is 1.8 times its first size at frame 80
// and back at frame 160. A mesh tracked on a crop of fixed size is read too close to that size: leaning back, it
// shrank a third as fast as the face, until the detector ran again.
describe('landmark tracking on a face that grows and shrinks', function () {
  this.timeout(300000);
  const zoom = (frame: number) => 1.4 - 0.4 * Math.cos((2 * Math.PI * frame) / 160);
  /** The eye corners' distance in 3D: the face's size, which a turn does not shrink (the worker's own measure). */
  const size = (face: FaceLandmarks) =>
    Math.hypot(face.points[263 * 2] - face.points[33 * 2], face.points[263 * 2 + 1] - face.points[33 * 2 + 1], face.depth[263] - face.depth[33]);

  let worker: Worker;
  let nextId = 1;
  function request(message: WorkerRequest, transfer: Transferable[] = []): Promise<WorkerReply> {
    return new Promise((resolve) => {
      const onMessage = (event: MessageEvent<WorkerReply>) => {
        if (event.data.type === 'ready' || ('id' in event.data && event.data.id === nextId - 1)) {
          worker.removeEventListener('message', onMessage);
          resolve(event.data);
        }
      };
      worker.addEventListener('message', onMessage);
      worker.postMessage(message, transfer);
    });
  }

  before(async () => {
    worker = createLandmarkWorker();
    const urls = nodeModulesAssetUrls();
    const ready = await request({ type: 'init', urls, config: faceMeshConfig({ urls, maxDetected: 1, tracking: true }), backend: 'auto' });
    expect(ready.type).to.equal('ready');
  });
  after(() => worker?.terminate());

  it("keeps the face's size within 5 % of the zoom's, leaning in and back", async () => {
    const video = await loadY4m(cameraUrl('photo-lean'));
    let first = 0;
    const errors: number[] = [];
    for (let i = 0; i < video.frameCount; i++) {
      const image = video.frame(i, i * 50000);
      const reply = await request({ type: 'frame', id: nextId++, image }, [image]);
      expect(reply.type, `frame ${i}`).to.equal('frame');
      const face = (reply as Extract<WorkerReply, { type: 'frame' }>).face;
      expect(face, `face in frame ${i}`).to.not.equal(null);
      if (i === 0) first = size(face!);
      // Log scale: the tracked size against the zoom, both relative to the first frame's.
      errors.push(Math.abs(Math.log(size(face!) / first / (zoom(i) / zoom(0)))));
    }
    const worst = Math.max(...errors);
    console.log(`photo-lean tracked size against the zoom: median ${median(errors).toFixed(3)}, worst ${worst.toFixed(3)} (log scale)`);
    expect(worst).to.be.below(0.05);
  });
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
