import { expect } from '@open-wc/testing';
import { nodeModulesAssetUrls } from '../../../src/engine/assets.js';
import { QUALITY_TARGETS } from './quality-metrics.js';
import { analyseCamera, analyseSource, measurePair, type PairResult } from './quality-run.js';
import { cameraUrl, sourceUrl } from './face-check.js';

// Eye closure carried over: the franck-blink camera (scripts/make-test-camera.mjs) closes its eyes in frames 118-123,
// analysed here from just before to just after, with two demo gallery faces: Ada, whose made-up eyes contrast more
// than the camera's, and Ben, whose light eyes contrast less (so a shut eye changes them less in relative terms).
// bench/engine.ts --quality measures every source on both of its blinks. The floor sits below the target
// (QUALITY_TARGETS.expressionCarried) by a margin for a loaded machine, as the other quality floors do
// (quality-floors.ts).
const BLINK = Array.from({ length: 14 }, (_, k) => 113 + k);
const EYES_CARRIED_FLOOR = 0.5;

describe('local engine quality: a blink', function () {
  this.timeout(900000);
  let result: PairResult;
  let ben: PairResult;

  before(async function () {
    const camera = await analyseCamera('franck-blink', cameraUrl('franck-blink'), {
      bursts: 0,
      burstLength: 0,
      frames: BLINK,
      maxFrames: BLINK.at(-1)! + 1,
      secondModel: false,
    });
    const source = (name: string) => analyseSource(name, sourceUrl(name), false);
    const urls = nodeModulesAssetUrls();
    ({ result } = await measurePair(camera, await source('ada'), urls, false));
    // Ben without the negative controls: Ada's already show that they fail the metric.
    ({ result: ben } = await measurePair(camera, await source('ben'), urls, false, false));
    const { engine, controls } = result;
    console.log(
      `franck-blink x ada: eye closure amplitude ${engine.expression.eyeInputAmplitude}, carried ${engine.expression.eyeCarried} ` +
        `(static paste ${controls!.paste!.expression.eyeCarried}, raw camera ${controls!.raw.expression.eyeCarried}); ` +
        `x ben: carried ${ben.engine.expression.eyeCarried}`,
    );
  });

  it('closes the eyes when the camera does', () => {
    expect(result.engine.expression.eyeInputAmplitude, 'the camera blinks in the analysed frames').to.be.at.least(0.3);
    expect(result.engine.expression.eyeCarried, 'eye closure carried').to.be.at.least(EYES_CARRIED_FLOOR);
    expect(ben.engine.expression.eyeCarried, 'eye closure carried with Ben').to.be.at.least(EYES_CARRIED_FLOOR);
  });

  it('fails the eye metric with the static paste and passes it with the raw camera', () => {
    const { paste, raw } = result.controls!;
    expect(paste!.expression.eyeCarried, 'static paste: its eyes never close').to.be.below(EYES_CARRIED_FLOOR);
    expect(paste!.pass.eyes, 'static paste fails the target').to.equal(false);
    expect(raw.expression.eyeCarried, 'raw camera: the blink itself').to.be.at.least(QUALITY_TARGETS.expressionCarried);
    expect(result.controlsFail.eyes, 'controls fail the eye metric at the target').to.equal(true);
  });
});
