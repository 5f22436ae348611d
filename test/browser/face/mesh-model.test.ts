import { expect } from '@open-wc/testing';
import { nodeModulesAssetUrls, type EngineAssetUrls } from '../../../src/engine/assets.js';
import { FaceSwapEngine } from '../../../src/engine/engine.js';
import { meshAs68, mouthOpening, percentile } from './quality-metrics.js';
import { analyseCamera, recordEngine, type CameraAnalysis } from './quality-run.js';

// The face mesh the engine draws on: the model with attention (EngineAssetUrls.meshModel), and human's plain mesh
// when that model cannot be fetched. The plain mesh opens its lips too little, so the photo's lips were drawn over the
// camera's open mouth: on the webcam clip, where the mouth is open, its gap is a median 0.69 of face-api's (0.97 with
// attention), and 0.3 on some stretches.
const BASE = '/test/fixtures/generated/quality/';
const SOURCE = `${BASE}sources/cleo.jpg`;
/** A model URL that answers 404, and one that answers 200 with a page (a host that serves its index.html everywhere). */
const MISSING_MODEL = new URL('/nowhere/facemesh-attention-pinto.json', location.href).href;
const PAGE_FOR_MODEL = new URL('/?as=facemesh-attention-pinto.json', location.href).href;
/** An open mouth: face-api's inner-lip gap, in eye distances (0.05 closed, 0.2 to 0.34 talking on the webcam clip). */
const OPEN_MOUTH = 0.15;
/** The least share of an open mouth's gap the mesh must show (mouthOpened). */
const MOUTH_OPENED_FLOOR = 0.8;

async function loadedModel(urls: EngineAssetUrls): Promise<string> {
  const engine = new FaceSwapEngine(urls);
  try {
    await engine.ready;
    // A SourceFaceError here would mean this mesh finds no face on a plain frontal photo.
    await engine.setSource(SOURCE);
    return engine.stats().landmarkModel;
  } finally {
    engine.dispose();
  }
}

/**
 * How far the drawn mesh opens its lips where the camera's mouth is open: the median, over sampled frames where
 * face-api's inner-lip gap is at least OPEN_MOUTH, of the mesh's gap over face-api's (1: as open).
 */
async function mouthOpened(camera: CameraAnalysis, urls: EngineAssetUrls): Promise<number> {
  const recording = await recordEngine(camera.video, SOURCE, new Set(camera.sampled), urls);
  const ratios: number[] = [];
  for (const [index, drawn] of recording.meshes) {
    const face = camera.inputs.get(index)?.face;
    const open = face ? mouthOpening(face.landmarks) : 0;
    if (open >= OPEN_MOUTH) ratios.push(mouthOpening(meshAs68(drawn.points)) / open);
  }
  expect(ratios.length, 'frames with an open mouth and a drawn mesh').to.be.at.least(6);
  return percentile(ratios, 0.5);
}

describe('the face-mesh model', function () {
  this.timeout(600000);

  it("loads the mesh with attention, and human's plain mesh where that model is not served", async () => {
    expect(await loadedModel(nodeModulesAssetUrls())).to.equal('attention');
    expect(await loadedModel({ ...nodeModulesAssetUrls(), meshModel: MISSING_MODEL })).to.equal('plain');
    expect(await loadedModel({ ...nodeModulesAssetUrls(), meshModel: PAGE_FOR_MODEL })).to.equal('plain');
  });

  it("opens the mesh's lips as the camera opens its mouth (the plain mesh, as the control, does not)", async () => {
    const camera = await analyseCamera('webcam-talking', `${BASE}cameras/webcam-talking.y4m`, {
      bursts: 6,
      burstLength: 2,
      secondModel: false,
      controls: false,
    });
    const attention = await mouthOpened(camera, nodeModulesAssetUrls());
    const plain = await mouthOpened(camera, { ...nodeModulesAssetUrls(), meshModel: MISSING_MODEL });
    console.log(`webcam-talking: the mesh opens its lips to ${attention.toFixed(2)} of an open mouth's gap (plain mesh ${plain.toFixed(2)})`);
    expect(attention, 'mesh with attention').to.be.at.least(MOUTH_OPENED_FLOOR);
    expect(plain, 'plain mesh (the control)').to.be.below(MOUTH_OPENED_FLOOR);
  });
});
