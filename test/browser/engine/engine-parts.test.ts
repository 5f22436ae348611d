import { expect } from '@open-wc/testing';
import { engineAssetUrls, nodeModulesAssetUrls } from '../../../src/engine/assets.js';
import { FACE_OVAL, featherWeights, MESH_POINTS } from '../../../src/engine/mesh.js';
import { blendYuv, yuvCoefficients } from '../../../src/engine/output.js';
import { FaceRenderer, type FaceDraw } from '../../../src/engine/renderer.js';
import { LocalTransport } from '../../../src/rtc/local-transport.js';
import { FaceswapError } from '../../../src/core/errors.js';

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
});

describe('face renderer: hair over the photo, and parts read from its other side', () => {
  const size = 200;
  /** A strand of hair ending at the middle column, and a single hair two pixels wide. */
  const strand = [80, 100];
  const hair = [150, 152];
  /**
   * Fainter lines (luminance 0.45, above the hair's limit): one along each edge of the strand (the right one across
   * the middle column, on the other half of the face), one far from any hair.
   */
  const faintBesideStrand = [77, 80];
  const faintAcrossMiddle = [100, 102];
  const faintAlone = [180, 183];
  const upperSkin = [200, 160, 140];
  const lowerSkin = [150, 190, 170];
  /** A photo of skin (one colour above the middle row, another below) with two dark vertical hairs and two faint lines. */
  async function photoWithHair(): Promise<ImageBitmap> {
    const pixels = new Uint8ClampedArray(size * size * 4);
    const within = (x: number, [from, to]: number[]) => x >= from && x < to;
    for (let i = 0; i < size * size; i++) {
      const x = i % size;
      const skin = i < (size * size) / 2 ? upperSkin : lowerSkin;
      const faint = [faintBesideStrand, faintAcrossMiddle, faintAlone].some((line) => within(x, line));
      const colour = within(x, strand) || within(x, hair) ? [20, 20, 20] : faint ? [115, 115, 115] : skin;
      pixels.set([...colour, 255], i * 4);
    }
    return createImageBitmap(new ImageData(pixels, size, size));
  }

  /**
   * The photo drawn onto itself (the face 200 px wide) through a mesh of two squares, the left and right halves,
   * with hair looked for on each as `coverable` says, the left half read from the right half mirrored by the share
   * `mirrorLeft`: RGBA of row `y` from the top.
   */
  async function rowOfFace(coverable: [left: number, right: number], y: number, mirrorLeft = 0): Promise<number[][]> {
    const points = new Float32Array(MESH_POINTS * 2).fill(size / 2);
    const half = size / 2;
    points.set([0, 0, half, 0, half, size, 0, size, half, 0, size, 0, size, size, half, size]);
    points.set([0, half], FACE_OVAL[0] * 2);
    points.set([size, half], FACE_OVAL[1] * 2);
    const triangles = Uint16Array.from([0, 1, 2, 0, 2, 3, 4, 5, 6, 4, 6, 7]);
    const weights = new Float32Array(MESH_POINTS);
    weights.fill(coverable[0], 0, 4).fill(coverable[1], 4, 8);
    // The left square's corners reflected across the middle column: onto the right square's.
    const mirrorPoints = points.slice();
    mirrorPoints.set([size, 0, half, 0, half, size, size, size]);
    const mirrorWeight = new Float32Array(MESH_POINTS).fill(mirrorLeft, 0, 4);
    const renderer = new FaceRenderer({ triangles });
    try {
      // The upper skin's luminance is 0.665: DARK_COVER (0.35 to 0.6) and NEAR_HAIR (0.75 to 0.9) of it, as
      // FaceComposer.coverRule gives.
      renderer.setSource({
        image: await photoWithHair(),
        points,
        cover: { darkLimit: [0.233, 0.399], nearHairLimit: [0.499, 0.599], coverable: weights },
        mirror: { points: mirrorPoints, weight: mirrorWeight },
      });
      const draw: FaceDraw = {
        points,
        alpha: new Float32Array(MESH_POINTS).fill(1),
        gain: new Float32Array(MESH_POINTS * 3).fill(1),
        indices: triangles,
        indexCount: triangles.length,
      };
      const box = renderer.renderFace(draw, size, size)!;
      const face = new Uint8Array(box[2] * box[3] * 4);
      renderer.readFace(box, face);
      const row = box[3] - 1 - y; // readFace gives GL's rows, bottom first
      return Array.from({ length: box[2] }, (_, x) => Array.from(face.subarray((row * box[2] + x) * 4, (row * box[2] + x) * 4 + 4)));
    } finally {
      renderer.dispose();
    }
  }

  it('leaves out dark hair where hair is looked for, fading in over a few pixels beside it', async () => {
    const pixels = await rowOfFace([1, 1], 50);
    const alpha = pixels.map((p) => p[3]);
    expect(pixels[20], 'skin far from the hair: the photo as it is, the right way up').to.deep.equal([...upperSkin, 255]);
    expect(alpha[90], 'the strand').to.be.below(8);
    expect(alpha[150], 'a hair two pixels wide').to.be.below(8);
    // The mask is blurred over 1/24 of the face (8 px here): a hard mask would be 255 right beside the strand.
    expect(alpha[strand[1] + 3], 'skin beside the strand').to.be.within(8, 240);
    expect(alpha[strand[0] - 4], 'skin beside the strand, the other side').to.be.within(8, 240);
    expect(alpha[strand[0] - 40], 'skin past the blur').to.be.above(250);
    expect(alpha[faintBesideStrand[0] + 1], 'a faint line along the strand: hair mixed with skin').to.be.below(8);
    expect(alpha[faintAlone[0] + 1], 'the same faint line far from hair: a crease, drawn').to.equal(255);
    expect((await rowOfFace([1, 1], 150))[20], 'the lower half').to.deep.equal([...lowerSkin, 255]);
  });

  it("draws dark pixels where hair is not looked for (brows or a beard are the face's own), and fades no skin around them", async () => {
    const alpha = (await rowOfFace([0, 1], 50)).map((p) => p[3]);
    expect(alpha[90], 'the strand, on the left half').to.equal(255);
    expect(alpha[strand[1] + 3], 'skin right beside it, on the right half').to.be.above(250);
    expect(alpha[150], 'the hair on the right half').to.be.below(8);
    expect((await rowOfFace([0, 0], 50)).map((p) => p[3])[150], 'nowhere looked for').to.equal(255);
    const besideHair = (await rowOfFace([1, 0], 50)).map((p) => p[3]);
    expect(besideHair[90], 'the strand, where hair is looked for').to.be.below(8);
    // The blur fades it with the skin beside it; taken as hair it would not be drawn at all.
    expect(besideHair[faintAcrossMiddle[0] + 1], 'a faint line beside it where hair is not looked for (a brow)').to.be.above(60);
  });

  it("reads a vertex mirrored at its counterpart's point, reflected (a part the photo hardly shows)", async () => {
    const own = await rowOfFace([0, 0], 50);
    const mirrored = await rowOfFace([0, 0], 50, 1);
    expect(own[90], 'the strand on the left half, as it is').to.deep.equal([20, 20, 20, 255]);
    expect(mirrored[90], 'mirrored: the skin at x 110 instead').to.deep.equal([...upperSkin, 255]);
    expect(mirrored[49], 'and the hair at x 151').to.deep.equal([20, 20, 20, 255]);
    expect(mirrored[150], 'the right half its own').to.deep.equal(own[150]);
    const half = (await rowOfFace([0, 0], 50, 0.5))[90];
    upperSkin.forEach((skin, c) => expect(half[c], `half mirrored: strand and skin mixed, channel ${c}`).to.be.closeTo((20 + skin) / 2, 2));
    // Read at the counterpart, hair there counts as hair: the mirrored hair is left out where the right half looks for it.
    expect((await rowOfFace([0, 1], 50, 1))[49][3], 'the hair at x 151, looked for there').to.be.below(8);
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
  it('lays the four asset folders out under one base URL', () => {
    const urls = engineAssetUrls('/static/engine');
    expect(urls.humanModule).to.equal(`${location.origin}/static/engine/human/human.esm.js`);
    expect(urls.humanModels).to.equal(`${location.origin}/static/engine/human-models/`);
    expect(urls.tfjsWasm).to.equal(`${location.origin}/static/engine/tfjs-wasm/`);
    expect(urls.meshModel).to.equal(`${location.origin}/static/engine/mesh-model/facemesh-attention-pinto.json`);
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
    for (const url of [urls.humanModule, `${urls.humanModels}facemesh.json`, `${urls.tfjsWasm}tfjs-backend-wasm-simd.wasm`, urls.meshModel!]) {
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
