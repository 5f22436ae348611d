import type { StorybookConfig } from '@storybook/web-components-vite';
import { engineAssetRoutes } from '../src/server/engine-assets.js';

// The local engine loads its model code, weights and wasm from `faceswap-engine/` next to the page (see
// src/engine/assets.ts): a static Storybook ships those folders from node_modules, so it runs offline and
// from any sub-path. `faces/` holds the sample source faces of the stories.
const staticDirs = [
  ...engineAssetRoutes('/faceswap-engine/').map(({ prefix, dir }) => ({ from: dir, to: prefix.replace(/\/$/, '') })),
  { from: '../stories/assets/faces', to: '/faces' },
];

const config: StorybookConfig = {
  framework: { name: '@storybook/web-components-vite', options: {} },
  stories: ['../stories/**/*.stories.ts'],
  addons: ['@storybook/addon-a11y'],
  staticDirs,
  core: { disableTelemetry: true, disableWhatsNewNotifications: true, enableCrashReports: false },
  async viteFinal(viteConfig) {
    // Storybook bundles everything itself (it ignores the library build options of vite.config.ts); the
    // Agora SDK chunk is large by nature and loads only on demand.
    return { ...viteConfig, build: { ...viteConfig.build, target: 'es2022', chunkSizeWarningLimit: 4096 } };
  },
};

export default config;
