// The quality matrix's bookkeeping (bench/lib/quality-matrix.ts): which verdicts a camera can give. Eye closure is
// judged only on a camera known to blink; elsewhere the figure is kept and marked as not judged.
import assert from 'node:assert/strict';
import { dirname, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildMatrix, markdownTable, type MatrixOptions } from '../../bench/lib/quality-matrix.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A pair's stored result whose eye metric failed, with its control failing too. */
function record(camera: string) {
  const metric = { detected: true, landmarks: true, mouth: null, eyes: false, folds: true, seams: true, jitter: true, identity: true };
  return {
    camera,
    source: 'ada',
    key: 'k',
    browser: 'test',
    measuredAt: '2026-11-30T00:00:00Z',
    machine: { loadStart: 1, loadEnd: 1, seconds: 1 },
    result: {
      engine: {
        pass: metric,
        alignment: { detectedShare: 1, landmarkErrorP95: 0.05 },
        folds: { maxFoldedPixels: 0 },
        expression: { mouthCarried: null, eyeCarried: 0.04 },
        seams: { ratio: 1, worstSectorRatio: 1.2 },
        temporal: { landmarkJitterExcess: 0, brightnessJitterExcess: 0 },
        identity: { sourceToCamera: 0.8, faceApi: { closerToSourceShare: 1 }, human: { closerToSourceShare: 1 } },
        fadedClipFrames: 0,
        clipFrames: 10,
      },
      controls: { paste: {} },
      controlsFail: { ...metric, eyes: true },
    },
  };
}

describe('quality matrix: eye closure is judged only on cameras that blink', () => {
  const cameras = [
    { name: 'franck-blink', file: 'cameras/franck-blink.y4m', analyse: [[115, 125]] as Array<[number, number]> },
    { name: 'photo-light', file: 'cameras/photo-light.y4m' },
  ];
  const matrix = buildMatrix(root, {} as MatrixOptions, cameras, [{ name: 'ada', file: 'sources/ada.jpg' }], [record('franck-blink'), record('photo-light')]);
  const pass = (camera: string) => (matrix.pairs.find((p) => p.camera === camera)!.result as ReturnType<typeof record>['result']).engine.pass;

  it('keeps the verdict on a camera whose catalogue lists blink frames', () => {
    assert.equal(pass('franck-blink').eyes, false);
  });

  it('sets it to not judged on a camera that never blinks (a lighting change moves the pixel measure), keeping the figure', () => {
    assert.equal(pass('photo-light').eyes, null);
    const table = markdownTable(matrix);
    assert.match(table, /\| photo-light \| ada \|.*\| 0\.04 \(no blinks, not judged\) \|/);
    assert.match(table, /\| franck-blink \| ada \|.*\| \*\*0\.04\*\* ✗ \|/);
  });
});
