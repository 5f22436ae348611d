import { expect } from '@open-wc/testing';
import { nodeModulesAssetUrls } from '../../../src/engine/assets.js';
import { analyseCamera, analyseSource, measurePair, type PairResult } from './quality-run.js';
import { cameraUrl, sourceUrl } from './face-check.js';

// The seam metric's floor on the pair that showed a colour band: the real webcam clip with the open-mouth source, a
// tight crop of a bearded face padded onto a grey card, whose forehead the photo cuts off. The engine drew that card
// as a lighter band across the forehead at the top of the mask (worst sector along the top 4.6-4.8 times the
// camera's own colour step there; the whole ring's mean, 1.3, did not see it). Few frames: the band is in all of them.
const OPTIONS = { bursts: 2, burstLength: 2, secondModel: false, maxFrames: 40, controls: true };
/** The top sectors' ratio allowed: the target (1.5) with a margin for a loaded machine, below the band's 4.6. */
const TOP_SEAM_FLOOR = 2.5;

describe('local engine colour at the mask border (webcam clip x open-mouth)', function () {
  this.timeout(600000);
  let result: PairResult;

  before(async function () {
    const camera = await analyseCamera('webcam-talking', cameraUrl('webcam-talking'), OPTIONS);
    const source = await analyseSource('open-mouth', sourceUrl('open-mouth'), false);
    ({ result } = await measurePair(camera, source, nodeModulesAssetUrls(), false, true, undefined, false));
    const s = result.engine.seams;
    console.log(`webcam-talking x open-mouth: border ratio ${s.ratio}, worst sector ${s.worstSectorRatio}, top sectors ${s.topSectorRatio}`);
  });

  it('shows no band of wrong colour along the top of the mask', () => {
    expect(result.engine.seams.topSectorRatio, "top sectors' colour step / the camera's").to.be.at.most(TOP_SEAM_FLOOR);
  });

  it('passes the raw camera and fails a face brightened by one global gain', () => {
    const { raw, gained } = result.controls!;
    expect(raw.seams.worstSectorRatio, 'raw camera: worst sector').to.be.at.most(1);
    expect(raw.seams.topSectorRatio, 'raw camera: top sectors').to.be.at.most(1);
    expect(gained.seams.worstSectorRatio, 'gained face: worst sector').to.be.above(TOP_SEAM_FLOOR);
    expect(gained.pass.seams, 'gained face: seams').to.equal(false);
  });
});
