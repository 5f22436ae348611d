// The version define() stamps on each tag is the release in package.json (a stale one would make two
// different releases on one page look alike and silence the conflict warning).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { VERSION } from '../../src/internal/version.js';

test('the version define() stamps is package.json version', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  assert.equal(VERSION, pkg.version);
});
