/** This release of the library (kept equal to package.json's `version`; test/node/define-version.test.ts checks it). */
export const VERSION = '0.1.0';
