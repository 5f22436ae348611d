import { expect } from '@open-wc/testing';
import { engineAssetUrls, nodeModulesAssetUrls } from '../../../src/engine/assets.js';
import { averageShape, FACE_OVAL, featherWeights, MESH_POINTS, transferShape } from '../../../src/engine/mesh.js';
import { blendYuv, yuvCoefficients } from '../../../src/engine/output.js';
import { LandmarkTracker } from '../../../src/engine/tracker.js';
import { LocalTransport } from '../../../src/rtc/local-transport.js';
import { FaceswapError } from '../../../src/core/errors.js';

/** A deterministic pseudo-random sequence in [-1, 1). */
function noise(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2147483648) / 1073741824) - 1;
}

describe('LandmarkTracker', () => {
  const N = 100;
  const base = Array.from({ length: N }, (_, i) => [100 + 50 * Math.cos(i), 200 + 50 * Math.sin(i)]);
  /** The mesh shifted right by `shift`, each point with its own jitter of up to `jitter` pixels. */
  function mesh(shift: number, jitter: number, rand: () => number): Float32Array {
    const points = new Float32Array(2 * N);
    base.forEach(([x, y], i) => {
      points[2 * i] = x + shift + jitter * rand();
      points[2 * i + 1] = y + jitter * rand();
    });
    return points;
  }
  function meanError(points: Float32Array, shift: number): number {
    let sum = 0;
    base.forEach(([x, y], i) => (sum += Math.abs(points[2 * i] - x - shift) + Math.abs(points[2 * i + 1] - y)));
    return sum / N;
  }

  it('smooths jitter on a still face', () => {
    const tracker = new LandmarkTracker();
    const rand = noise(7);
    const out = new Float32Array(2 * N);
    let raw = 0;
    let smooth = 0;
    for (let i = 0; i < 100; i++) {
      const points = mesh(0, 3, rand);
      tracker.update(points, i * 66);
      tracker.predict(i * 66 + 33, out);
      if (i > 20) {
        raw += meanError(points, 0);
        smooth += meanError(out, 0);
      }
    }
    expect(smooth).to.be.below(raw * 0.6);
  });

  it('predicts a moving face between updates far closer than the last measurement', () => {
    const tracker = new LandmarkTracker();
    const rand = noise(9);
    const out = new Float32Array(2 * N);
    const speed = 0.2; // px per ms
    let predicted = 0;
    let stale = 0;
    for (let i = 0; i < 60; i++) {
      const points = mesh(speed * i * 66, 2, rand);
      tracker.update(points, i * 66);
      if (i > 20) {
        const t = i * 66 + 40;
        tracker.predict(t, out);
        predicted += meanError(out, speed * t);
        stale += meanError(points, speed * t);
      }
    }
    expect(predicted).to.be.below(stale / 3);
  });

  it('tracks nothing after a reset', () => {
    const tracker = new LandmarkTracker();
    tracker.update(mesh(0, 0, noise(1)), 0);
    expect(tracker.tracking).to.equal(true);
    tracker.reset();
    expect(tracker.tracking).to.equal(false);
    expect(tracker.predict(10, new Float32Array(2 * N))).to.equal(false);
  });
});

describe('face mesh geometry', () => {
  /** The oval on a circle around (0.5, 0.5), every other point at the centre. */
  function circleUv(): Float32Array {
    const uv = new Float32Array(MESH_POINTS * 2).fill(0.5);
    FACE_OVAL.forEach((v, k) => {
      const a = (k / FACE_OVAL.length) * 2 * Math.PI;
      uv[v * 2] = 0.5 + 0.4 * Math.cos(a);
      uv[v * 2 + 1] = 0.5 + 0.4 * Math.sin(a);
    });
    return uv;
  }

  it('feathers from 0 on the face contour to 1 inside', () => {
    const weights = featherWeights(circleUv());
    for (const v of FACE_OVAL) expect(weights[v]).to.equal(0);
    expect(weights[1]).to.equal(1);
  });

  it('moves the inner points to the source proportions and keeps the contour', () => {
    const camera = new Float32Array(MESH_POINTS * 2);
    const source = new Float32Array(MESH_POINTS * 2);
    const rand = noise(3);
    for (let i = 0; i < camera.length; i++) camera[i] = 300 + 100 * rand();
    // The source: the camera face rotated 30 degrees, halved and shifted, then one feature moved.
    const cos = Math.cos(Math.PI / 6);
    const sin = Math.sin(Math.PI / 6);
    for (let v = 0; v < MESH_POINTS; v++) {
      const x = camera[v * 2];
      const y = camera[v * 2 + 1];
      source[v * 2] = 0.5 * (cos * x - sin * y) + 20;
      source[v * 2 + 1] = 0.5 * (sin * x + cos * y) - 40;
    }
    const weights = new Float32Array(MESH_POINTS).fill(1);
    for (const v of FACE_OVAL) weights[v] = 0;
    const out = new Float32Array(camera.length);

    transferShape(camera, source, weights, 1, out);
    for (let i = 0; i < out.length; i++) expect(out[i]).to.be.closeTo(camera[i], 1e-2);

    source[1 * 2] += 10; // the source's nose tip sits further right (in source pixels)
    transferShape(camera, source, weights, 1, out);
    const shifted = Math.hypot(out[2] - camera[2], out[3] - camera[3]);
    expect(shifted).to.be.closeTo(20, 0.5); // x2: the source is half the camera's scale
    for (const v of FACE_OVAL) expect(out[v * 2]).to.equal(camera[v * 2]);

    transferShape(camera, source, weights, 0, out);
    expect(Array.from(out)).to.deep.equal(Array.from(camera));
  });

  it("keeps the camera's expression on top of the source's proportions", () => {
    const rand = noise(5);
    const camera = new Float32Array(MESH_POINTS * 2);
    for (let i = 0; i < camera.length; i++) camera[i] = 300 + 100 * rand();
    // The source: the same face at half the size, with its nose tip further right.
    const source = camera.map((v) => v / 2);
    source[1 * 2] += 10;
    const weights = new Float32Array(MESH_POINTS).fill(1);
    let average: Float32Array | null = null;
    for (let i = 0; i < 50; i++) average = averageShape(camera, source, average, 0.1);

    // Now the camera person opens the mouth: the lower lip (vertex 14) drops 12 px.
    const moved = Float32Array.from(camera);
    moved[14 * 2 + 1] += 12;
    const out = new Float32Array(camera.length);
    transferShape(moved, source, weights, 1, out, average);
    expect(out[14 * 2 + 1] - camera[14 * 2 + 1], 'the open mouth stays').to.be.closeTo(12, 0.5);
    expect(out[1 * 2] - camera[1 * 2], 'the source nose').to.be.closeTo(20, 0.5);

    transferShape(moved, source, weights, 1, out);
    expect(Math.abs(out[14 * 2 + 1] - camera[14 * 2 + 1]), 'without the average the photo shape wins').to.be.below(1);
  });
});

describe('YUV blending of the face', () => {
  const width = 8;
  const height = 4;
  const layout = [
    { offset: 0, stride: width },
    { offset: width * height, stride: width / 2 },
    { offset: width * height * 1.25, stride: width / 2 },
  ];
  function grey(): Uint8Array {
    return new Uint8Array(width * height * 1.5).fill(128);
  }
  /** A 4x4 face of one premultiplied colour. */
  function face(r: number, g: number, b: number, a: number): Uint8Array {
    const f = new Uint8Array(4 * 4 * 4);
    for (let i = 0; i < f.length; i += 4) f.set([(r * a) / 255, (g * a) / 255, (b * a) / 255, a], i);
    return f;
  }

  it('writes an opaque face in BT.601 limited range inside its box only', () => {
    const planes = grey();
    blendYuv(planes, layout, false, face(255, 255, 255, 255), [2, 0, 4, 4], yuvCoefficients(null));
    expect(planes[0 * width + 2]).to.equal(235);
    expect(planes[3 * width + 5]).to.equal(235);
    expect(planes[0 * width + 1]).to.equal(128);
    expect(planes[0 * width + 6]).to.equal(128);
    expect(planes[layout[1].offset + 1]).to.be.closeTo(128, 1);
    expect(planes[layout[2].offset + 1]).to.be.closeTo(128, 1);
  });

  it('leaves transparent pixels untouched and mixes half-transparent ones', () => {
    const planes = grey();
    blendYuv(planes, layout, false, face(0, 0, 0, 0), [0, 0, 4, 4], yuvCoefficients(null));
    expect(Array.from(planes)).to.deep.equal(Array.from(grey()));
    blendYuv(planes, layout, false, face(255, 0, 0, 128), [0, 0, 4, 4], yuvCoefficients(null));
    // Pure red is Y 82, V 240 in BT.601 limited range: half way from 128.
    expect(planes[0]).to.be.closeTo((128 + 82) / 2, 1.5);
    expect(planes[layout[2].offset]).to.be.closeTo((128 + 240) / 2, 1.5);
  });

  it('handles NV12 (interleaved chroma)', () => {
    const planes = new Uint8Array(width * height * 1.5).fill(128);
    const nv12 = [
      { offset: 0, stride: width },
      { offset: width * height, stride: width },
    ];
    blendYuv(planes, nv12, true, face(255, 0, 0, 255), [0, 0, 4, 4], yuvCoefficients(null));
    expect(planes[width * height]).to.be.closeTo(90, 1.5); // U of red
    expect(planes[width * height + 1]).to.be.closeTo(240, 1.5); // V of red
    expect(planes[width * height + 4]).to.equal(128); // beyond the box
  });
});

describe('engine assets', () => {
  it('lays the three asset folders out under one base URL', () => {
    const urls = engineAssetUrls('/static/engine');
    expect(urls.humanModule).to.equal(`${location.origin}/static/engine/human/human.esm.js`);
    expect(urls.humanModels).to.equal(`${location.origin}/static/engine/human-models/`);
    expect(urls.tfjsWasm).to.equal(`${location.origin}/static/engine/tfjs-wasm/`);
    expect(engineAssetUrls().humanModels).to.equal(`${location.origin}/faceswap-engine/human-models/`);
  });

  it('takes the base a page names on its script tag when no code sets one', () => {
    const script = document.createElement('script');
    script.type = 'module';
    script.setAttribute('data-faceswap-engine-assets', 'https://cdn.example/plugin/engine/');
    document.head.append(script);
    try {
      expect(engineAssetUrls().humanModule).to.equal('https://cdn.example/plugin/engine/human/human.esm.js');
      expect(engineAssetUrls('/given/').tfjsWasm).to.equal(`${location.origin}/given/tfjs-wasm/`);
    } finally {
      script.remove();
    }
    expect(engineAssetUrls().humanModels).to.equal(`${location.origin}/faceswap-engine/human-models/`);
  });

  it('points at the packages when served from node_modules', async () => {
    const urls = nodeModulesAssetUrls();
    for (const url of [urls.humanModule, `${urls.humanModels}facemesh.json`, `${urls.tfjsWasm}tfjs-backend-wasm-simd.wasm`]) {
      expect((await fetch(url, { method: 'HEAD' })).status, url).to.equal(200);
    }
  });
});

describe('LocalTransport contract edges', () => {
  it('refuses publish before join', async () => {
    const transport = new LocalTransport({ assetUrls: nodeModulesAssetUrls() });
    const canvas = document.createElement('canvas');
    canvas.getContext('2d');
    const track = canvas.captureStream().getVideoTracks()[0];
    const published = await transport.publish({ video: track }).then(
      () => null,
      (e: FaceswapError) => e,
    );
    expect(published?.code).to.equal('rtc-disconnected');
    expect(track.readyState).to.equal('live');
    track.stop();
    expect(await transport.getStats()).to.deep.equal({});
    await transport.leave();
    await transport.leave();
  });

  it('ends a join in progress when left (no waiting for its own timeout)', async () => {
    // The join timeout is far beyond this test's: a join that waited for it would fail the test.
    const transport = new LocalTransport({ assetUrls: nodeModulesAssetUrls(), joinTimeoutMs: 600000 });
    const joining = transport.join({ appId: '', channel: 'c', uid: 1, token: 't' }, new AbortController().signal);
    await new Promise((r) => setTimeout(r, 50));
    await transport.leave();
    const error = await joining.then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.name).to.equal('AbortError');
  });

  it('answers join with rtc-join-timeout when the model cannot load in time', async () => {
    const transport = new LocalTransport({ assetBaseUrl: '/no-such-engine-assets/', joinTimeoutMs: 3000 });
    const states: string[] = [];
    transport.on('connection', ({ state }) => states.push(state));
    const error = await transport.join({ appId: '', channel: 'c', uid: 1, token: 't' }, new AbortController().signal).then(
      () => null,
      (e: FaceswapError) => e,
    );
    expect(error).to.be.instanceOf(FaceswapError);
    expect(['swap-failed', 'rtc-join-timeout']).to.include(error!.code);
    expect(states).to.deep.equal(['connecting', 'disconnected']);
  });
});
