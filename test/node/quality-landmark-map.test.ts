// The table that reads human's 468-point mesh as face-api's 68 landmarks (meshAs68), which the quality bench's
// --landmark-models comparison rests on: checked on the real mesh's canonical face, where each of the 68 points
// must lie where its name says, with a left-right swapped table as the negative control; and the alignment metric
// over them (landmarkError), which judges the inner 51 points.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eyeDistance, landmarkError, meshAs68 } from '../../test/browser/face/quality-metrics.js';
import { realMesh } from './human-mesh.js';

/** Problems with 68 landmarks (x0 y0 ..., y down, the face upright and frontal) in face-api's order; none when right. */
function layoutProblems(l: Float32Array): string[] {
  const x = (i: number) => l[i * 2];
  const y = (i: number) => l[i * 2 + 1];
  const problems: string[] = [];
  const expect = (ok: boolean, what: string) => ok || problems.push(what);
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k);
  expect(
    range(0, 7).every((i) => y(i) < y(i + 1)) && range(8, 15).every((i) => y(i) > y(i + 1)),
    'the jaw runs down from the image-left ear to the chin and up to the image-right ear',
  );
  expect(Math.max(...range(0, 16).map(y)) === y(8), 'the chin is the jaw line’s lowest point');
  expect(x(36) < x(39) && x(39) < x(42) && x(42) < x(45), 'eye corners left to right: outer, inner, inner, outer');
  expect(Math.max(...range(17, 26).map(y)) < Math.min(...range(36, 47).map(y)), 'the brows above the eyes');
  expect(x(21) < x(22) && x(17) < x(21) && x(22) < x(26), 'each brow from its outer end to its inner one');
  expect(
    [27, 30, 33, 51, 62, 66, 57, 8].every((p, k, a) => k === 0 || y(a[k - 1]) < y(p)),
    'down the midline: nose bridge, tip, base, lips, chin',
  );
  expect(x(48) < x(51) && x(51) < x(54) && x(60) < x(64), 'mouth corners either side of the lips’ middle');
  // Pairs of points that mirror each other about the face's midline (x = 0.5 on the canonical face).
  const mirrored = [
    ...range(0, 7).map((i) => [i, 16 - i]),
    ...range(17, 21).map((i) => [i, 43 - i]),
    [31, 35],
    [32, 34],
    [36, 45],
    [37, 44],
    [38, 43],
    [39, 42],
    [40, 47],
    [41, 46],
    [48, 54],
    [49, 53],
    [50, 52],
    [55, 59],
    [56, 58],
    [60, 64],
    [61, 63],
    [65, 67],
  ];
  for (const [a, b] of mirrored) expect(Math.abs(x(a) + x(b) - 1) < 0.02 && Math.abs(y(a) - y(b)) < 0.02, `${a} and ${b} mirror each other`);
  return problems;
}

describe('meshAs68 (human mesh read as face-api landmarks)', () => {
  const { uv } = realMesh();
  const landmarks = meshAs68(uv);

  it('puts each of the 68 points where its name says on the canonical face', () => {
    assert.equal(landmarks.length, 136);
    assert.deepEqual(layoutProblems(landmarks), []);
  });

  it('a table with the face’s sides swapped fails the same checks (negative control)', () => {
    const swapped = Float32Array.from(landmarks, (v, i) => (i % 2 ? v : 1 - v));
    assert.ok(layoutProblems(swapped).length >= 3);
    assert.ok(landmarkError(swapped, landmarks) > 0.2);
  });
});

describe('landmarkError (the alignment metric)', () => {
  const landmarks = meshAs68(realMesh().uv);
  const tenth = eyeDistance(landmarks) / 10;

  it('judges the 51 inner landmarks: a jaw line moved alone leaves it at 0, all 68 points see it', () => {
    const jawMoved = Float32Array.from(landmarks, (v, i) => (i < 34 && i % 2 === 1 ? v + tenth : v));
    assert.equal(landmarkError(jawMoved, landmarks), 0);
    assert.ok(Math.abs(landmarkError(jawMoved, landmarks, { withJaw: true }) - (0.1 * 17) / 68) < 1e-6);
  });

  it('sees the features moved (negative control): the brows, nose, eyes and lips shifted by a tenth of the eye distance', () => {
    const featuresMoved = Float32Array.from(landmarks, (v, i) => (i >= 34 && i % 2 === 0 ? v + tenth : v));
    assert.ok(Math.abs(landmarkError(featuresMoved, landmarks) - 0.1) < 1e-6);
  });
});
