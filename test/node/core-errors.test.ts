// The error contract every layer shares (src/core/errors.ts): stable codes, English fallbacks, fatal flags,
// and what `faceswap-error` carries to the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abortError, ERROR_MESSAGES, FaceswapError, isFaceswapError, isFatalCode } from '../../src/core/errors.js';
import { en } from '../../src/i18n/en.js';

test('every error code has an English message and a translated one in the string table', () => {
  const codes = Object.keys(ERROR_MESSAGES) as (keyof typeof ERROR_MESSAGES)[];
  assert.ok(codes.length > 20);
  for (const code of codes) {
    assert.ok(ERROR_MESSAGES[code].length > 10, `${code}: message`);
    assert.ok(en.errors[code], `${code}: translated`);
  }
});

test('fatal follows the code unless the thrower knows better; toJSON carries only what is set', () => {
  assert.equal(isFatalCode('camera-denied'), true);
  assert.equal(isFatalCode('camera-in-use'), false);
  const quota = new FaceswapError('quota-exhausted', undefined, { upstreamCode: 1104 });
  assert.deepEqual(quota.toJSON(), { code: 'quota-exhausted', fatal: true, message: ERROR_MESSAGES['quota-exhausted'], upstreamCode: 1104 });
  const survived = new FaceswapError('camera-denied', 'no', { fatal: false, cause: new Error('inner') });
  assert.deepEqual(survived.toJSON(), { code: 'camera-denied', fatal: false, message: 'no' });
  assert.equal((survived.cause as Error).message, 'inner');
  assert.equal(isFaceswapError(survived), true);
  assert.equal(isFaceswapError({ code: 'camera-denied', fatal: true, message: 'look-alike' }), false);
});

test('a cancellation is an AbortError DOMException, never a FaceswapError', () => {
  const error = abortError();
  assert.equal(error.name, 'AbortError');
  assert.equal(isFaceswapError(error), false);
});
