import { expect } from '@open-wc/testing';
import { nodeModulesAssetUrls } from '../../../src/engine/assets.js';
import { faceMeshConfig } from '../../../src/engine/human-config.js';
import { createLandmarkWorker, type FaceLandmarks, type WorkerReply, type WorkerRequest } from '../../../src/engine/landmark-worker.js';
import { cameraUrl } from './face-check.js';
import { percentile } from './quality-metrics.js';
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
  /** Posts `message` and resolves with the worker's reply to it (an error reply included). */
  function request(message: WorkerRequest, transfer: Transferable[] = []): Promise<WorkerReply> {
    const id = 'id' in message ? message.id : undefined;
    return new Promise((resolve) => {
      const onMessage = (event: MessageEvent<WorkerReply>) => {
        const reply = event.data;
        if (reply.type === 'error' || (id === undefined ? reply.type === 'ready' : 'id' in reply && reply.id === id)) {
          worker.removeEventListener('message', onMessage);
          resolve(reply);
        }
      };
      worker.addEventListener('message', onMessage);
      worker.postMessage(message, transfer);
    });
  }

  /** The face the worker tracks in `image` (a new camera frame), failing with the worker's reason if it has none. */
  async function tracked(image: ImageBitmap | VideoFrame, frame: number): Promise<FaceLandmarks> {
    const reply = await request({ type: 'frame', id: nextId++, image }, [image]);
    if (reply.type === 'error') throw new Error(`frame ${frame}: ${reply.message}`);
    const face = (reply as Extract<WorkerReply, { type: 'frame' }>).face;
    expect(face, `face in frame ${frame}`).to.not.equal(null);
    return face!;
  }

  /** The mean of the mesh's points. */
  const centre = (face: FaceLandmarks): [number, number] => {
    let [x, y] = [0, 0];
    for (let i = 0; i < 468; i++) [x, y] = [x + face.points[i * 2] / 468, y + face.points[i * 2 + 1] / 468];
    return [x, y];
  };

  before(async () => {
    worker = createLandmarkWorker();
    const urls = nodeModulesAssetUrls();
    // wasm, as the engine chooses on a machine without a GPU: the figures below were measured on it.
    const ready = await request({ type: 'init', urls, config: faceMeshConfig({ urls, maxDetected: 1, tracking: true }), backend: 'wasm' });
    expect(ready.type, ready.type === 'error' ? ready.message : '').to.equal('ready');
  });
  after(() => worker?.terminate());

  it("keeps the face's size within 5 % of the zoom's, leaning in and back", async () => {
    const video = await loadY4m(cameraUrl('photo-lean'));
    let first = 0;
    const errors: number[] = [];
    for (let i = 0; i < video.frameCount; i++) {
      const face = await tracked(video.frame(i, i * 50000), i);
      if (i === 0) first = size(face);
      // Log scale: the tracked size against the zoom, both relative to the first frame's.
      errors.push(Math.abs(Math.log(size(face) / first / (zoom(i) / zoom(0)))));
    }
    const worst = Math.max(...errors);
    console.log(`photo-lean tracked size against the zoom: median ${percentile(errors, 0.5).toFixed(3)}, worst ${worst.toFixed(3)} (log scale)`);
    expect(worst).to.be.below(0.05);
  });

  it('follows a face that shrinks to half its size, then moves aside', async () => {
    // photo-lean's largest face, shrunk about the frame's middle over 40 frames, then moved 150 px right over 30:
    // in a view scaled twice to keep its size, the face moves twice as far as in the frame.
    const photo = (await loadY4m(cameraUrl('photo-lean'), 81)).canvas(80);
    const canvas = Object.assign(document.createElement('canvas'), { width: photo.width, height: photo.height });
    const ctx = canvas.getContext('2d')!;
    const [mx, my] = [photo.width / 2, photo.height / 2];
    let start: { size: number; x: number; y: number } | null = null;
    const sizeErrors: number[] = [];
    const placeErrors: number[] = [];
    for (let i = 0; i < 70; i++) {
      const scale = 1 - 0.5 * Math.min(1, i / 39);
      const shift = 150 * Math.max(0, (i - 39) / 30);
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.fillStyle = '#000';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.setTransform(scale, 0, 0, scale, mx - mx * scale + shift, my - my * scale);
      ctx.drawImage(photo, 0, 0);
      const face = await tracked(await createImageBitmap(canvas), i);
      const [x, y] = centre(face);
      start ??= { size: size(face), x, y };
      sizeErrors.push(Math.abs(Math.log(size(face) / start.size / scale)));
      // In eye-corner distances of the face as it is now.
      const [ex, ey] = [mx + (start.x - mx) * scale + shift, my + (start.y - my) * scale];
      placeErrors.push(Math.hypot(x - ex, y - ey) / (start.size * scale));
    }
    console.log(
      `shrunk then moved: size against the zoom worst ${Math.max(...sizeErrors).toFixed(3)} (log scale), ` +
        `centre off worst ${Math.max(...placeErrors).toFixed(3)} eye-corner distances`,
    );
    // Measured: size 0.058, centre 0.011; main's worker 0.132 and 0.123 (the crop kept its size), and a view that
    // never re-centres 0.143 and 0.066 (the face ran off the view's edge). A mesh detected afresh on a face this
    // size reads up to 0.04 off the first frame's size.
    expect(Math.max(...sizeErrors)).to.be.below(0.08);
    expect(Math.max(...placeErrors)).to.be.below(0.03);
  });
});
