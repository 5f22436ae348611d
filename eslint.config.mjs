// Lint rules that catch mistakes, not style (prettier owns the layout; CONVENTIONS.md explains the rest).
import js from '@eslint/js';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      // Built by npm run build:wordpress (the WordPress test builds it).
      'build/',
      'node_modules/',
      'storybook-static/',
      '.cache/',
      'test/fixtures/',
      'types/',
      // Generated from custom-elements.json (npm run gen).
      'src/react/index.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  wc.configs['flat/recommended'],
  lit.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    settings: { wc: { elementBaseClasses: ['LitElement'] } },
    rules: {
      // `_name` marks a parameter a signature needs but the body does not use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    // The library itself: no stray logging (warnings go through warnOnce), no debugger.
    files: ['src/**/*.ts'],
    ignores: ['src/server/**'],
    rules: {
      'no-console': ['error', { allow: ['warn', 'error'] }],
      'no-debugger': 'error',
    },
  },
  {
    // Functions stay under about 80 lines (CONVENTIONS.md): longer ones are split by responsibility. A test file's
    // describe() callback holds its tests, so its length is the number of tests, not one function's complexity.
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }] },
  },
  {
    // The landmark worker's body is turned into the worker's source text (Function.prototype.toString), so it
    // must hold everything it uses in one function and cannot be split into module-level helpers.
    files: ['src/engine/landmark-worker.ts'],
    rules: { 'max-lines-per-function': 'off' },
  },
  {
    // Tests and benches reach into untyped objects and use chai's property assertions (`expect(x).to.be.ok`).
    files: ['test/**', 'src/**/*.test.ts', 'bench/**', 'stories/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
);
