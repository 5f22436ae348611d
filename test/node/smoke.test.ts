import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FaceswapError } from '../../src/core/errors.js';

test('FaceswapError carries a stable code', () => {
  const e = new FaceswapError('quota-exhausted', undefined, { upstreamCode: 1104 });
  assert.equal(e.code, 'quota-exhausted');
  assert.equal(e.fatal, true);
  assert.deepEqual(e.toJSON(), { code: 'quota-exhausted', fatal: true, message: e.message, upstreamCode: 1104 });
});
