// The landmark tracker: head motion filtered apart from expression. Pure code, run in Node.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LandmarkTracker } from '../../src/engine/tracker.js';

/** A deterministic pseudo-random sequence in [-1, 1). */
function noise(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 1073741824 - 1;
}

const N = 100;
/** Points on a ring, 60 px around (200, 200); the first ten are "the lower lip". */
const base = Array.from({ length: N }, (_, i) => [200 + 60 * Math.cos(i), 200 + 60 * Math.sin(i)]);
const LIP = Array.from({ length: 10 }, (_, i) => i);

/** The face shifted right by `shift`, turned by `angle` around its centre, lips lowered by `open`, each point jittered. */
function face(shift: number, jitter: number, rand: () => number, open = 0, angle = 0): Float32Array {
  const points = new Float32Array(2 * N);
  base.forEach(([x, y], i) => {
    const ly = y + (i < LIP.length ? open : 0) - 200;
    const lx = x - 200;
    points[2 * i] = 200 + shift + Math.cos(angle) * lx - Math.sin(angle) * ly + jitter * rand();
    points[2 * i + 1] = 200 + Math.sin(angle) * lx + Math.cos(angle) * ly + jitter * rand();
  });
  return points;
}

function meanError(points: Float32Array, expected: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < points.length; i++) sum += Math.abs(points[i] - expected[i]);
  return sum / points.length;
}

const STEP = 66; // ms between landmark updates (15 a second)

describe('LandmarkTracker', () => {
  it('smooths jitter on a still face', () => {
    const tracker = new LandmarkTracker();
    const rand = noise(7);
    const truth = face(0, 0, rand);
    const out = new Float32Array(2 * N);
    let raw = 0;
    let smooth = 0;
    for (let i = 0; i < 100; i++) {
      const points = face(0, 1.5, rand);
      tracker.update(points, i * STEP);
      tracker.predict(i * STEP + 33, out);
      if (i > 20) {
        raw += meanError(points, truth);
        smooth += meanError(out, truth);
      }
    }
    assert.ok(smooth < raw * 0.75, `smoothed ${smooth / 79} against raw ${raw / 79}`);
  });

  it('keeps speech: a mouth opening and closing 4 times a second on a still head', () => {
    const tracker = new LandmarkTracker();
    const rand = noise(3);
    const out = new Float32Array(2 * N);
    let inputRange = [Infinity, -Infinity];
    let outputRange = [Infinity, -Infinity];
    for (let i = 0; i < 90; i++) {
      const t = i * STEP;
      const open = (8 * (1 - Math.cos(2 * Math.PI * 4 * (t / 1000)))) / 2;
      tracker.update(face(0, 0.5, rand, open), t);
      tracker.predict(t, out);
      if (i < 30) continue;
      inputRange = [Math.min(inputRange[0], open), Math.max(inputRange[1], open)];
      let lip = 0;
      for (const k of LIP) lip += out[2 * k + 1] - base[k][1];
      lip /= LIP.length;
      outputRange = [Math.min(outputRange[0], lip), Math.max(outputRange[1], lip)];
    }
    const carried = (outputRange[1] - outputRange[0]) / (inputRange[1] - inputRange[0]);
    assert.ok(carried > 0.8, `mouth amplitude carried ${carried.toFixed(2)}`);
  });

  it('predicts a moving, turning head between updates far closer than the last measurement', () => {
    const tracker = new LandmarkTracker();
    const rand = noise(9);
    const out = new Float32Array(2 * N);
    const speed = 0.2; // px per ms
    const turn = 0.0004; // radians per ms
    let predicted = 0;
    let stale = 0;
    for (let i = 0; i < 60; i++) {
      const points = face(speed * i * STEP, 1, rand, 0, turn * i * STEP);
      tracker.update(points, i * STEP);
      if (i > 20) {
        const t = i * STEP + 40;
        const truth = face(speed * t, 0, rand, 0, turn * t);
        tracker.predict(t, out);
        predicted += meanError(out, truth);
        stale += meanError(points, truth);
      }
    }
    assert.ok(predicted < stale / 3, `predicted ${predicted / 39} against stale ${stale / 39}`);
  });

  it('starts afresh when the face jumps (another person), never blending the two', () => {
    const tracker = new LandmarkTracker();
    const rand = noise(11);
    assert.equal(tracker.update(face(0, 0.5, rand), 0), true, 'the first face starts a track');
    for (let i = 1; i < 10; i++) assert.equal(tracker.update(face(0, 0.5, rand), i * STEP), false);
    const other = face(250, 0, rand);
    assert.equal(tracker.update(other, 10 * STEP), true);
    const out = new Float32Array(2 * N);
    tracker.predict(10 * STEP, out);
    assert.ok(meanError(out, other) < 1e-3, 'drawn where the new face is, at once');
  });

  it('tracks nothing after a reset', () => {
    const tracker = new LandmarkTracker();
    tracker.update(face(0, 0, noise(1)), 0);
    assert.equal(tracker.tracking, true);
    tracker.reset();
    assert.equal(tracker.tracking, false);
    assert.equal(tracker.predict(10, new Float32Array(2 * N)), false);
  });
});
