import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { StorybookConfig } from '@storybook/web-components-vite';

const root = fileURLToPath(new URL('..', import.meta.url));

// The local engine loads its model code, weights and wasm from `faceswap-engine/` next to the page (see
// src/engine/assets.ts); a static Storybook ships them, so it works offline and from any sub-path.
const engineAssets = [
  { from: 'node_modules/@vladmandic/human/dist', to: '/faceswap-engine/human' },
  { from: 'node_modules/@vladmandic/human/models', to: '/faceswap-engine/human-models' },
  { from: 'node_modules/@tensorflow/tfjs-backend-wasm/dist', to: '/faceswap-engine/tfjs-wasm' },
];
const staticDirs = [...engineAssets, { from: 'demo/faces', to: '/faces' }]
  .filter(({ from }) => existsSync(`${root}${from}`))
  .map(({ from, to }) => ({ from: `../${from}`, to }));

const config: StorybookConfig = {
  framework: { name: '@storybook/web-components-vite', options: {} },
  stories: ['../stories/**/*.stories.ts'],
  addons: ['@storybook/addon-a11y'],
  staticDirs,
  core: { disableTelemetry: true, disableWhatsNewNotifications: true, enableCrashReports: false },
  async viteFinal(viteConfig) {
    // The library build's Rollup externals (vite.config.ts) must not apply here: Storybook bundles everything.
    return { ...viteConfig, build: { ...viteConfig.build, target: 'es2022', chunkSizeWarningLimit: 4096 } };
  },
};

export default config;
