import type { StorybookConfig } from '@storybook/web-components-vite';
import { engineAssetRoutes } from '../src/server/engine-assets.js';

// The local engine loads its model code, weights and wasm from `faceswap-engine/` next to the page (see
// src/engine/assets.ts): a static Storybook ships those folders from node_modules, so it runs offline and
// from any sub-path. `faces/` holds the sample source faces of the stories.
const staticDirs = [
  ...engineAssetRoutes('/faceswap-engine/').map(({ prefix, dir }) => ({ from: dir, to: prefix.replace(/\/$/, '') })),
  { from: '../stories/assets/faces', to: '/faces' },
];

// The story test (test/node/storybook-render.test.ts) builds with this set to add stories whose play functions
// are broken on purpose: it must report them as failures. The published build never contains them.
const selfTest = process.env.FACESWAP_STORYBOOK_SELF_TEST === '1';

type Alias = { find: string | RegExp; replacement: string };

/** Vite takes aliases as an object or a list; the list keeps both kinds. */
function aliasList(alias: unknown): Alias[] {
  if (!alias) return [];
  if (Array.isArray(alias)) return alias as Alias[];
  return Object.entries(alias as Record<string, string>).map(([find, replacement]) => ({ find, replacement }));
}

const config: StorybookConfig = {
  framework: { name: '@storybook/web-components-vite', options: {} },
  stories: ['../stories/**/*.mdx', '../stories/**/*.stories.ts', ...(selfTest ? ['../test/storybook/*.stories.ts'] : [])],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y'],
  staticDirs,
  core: { disableTelemetry: true, disableWhatsNewNotifications: true, enableCrashReports: false },
  async viteFinal(viteConfig) {
    // Storybook bundles everything itself (it ignores the library build options of vite.config.ts); the
    // Agora SDK chunk is large by nature and loads only on demand.
    return {
      ...viteConfig,
      // The Vue story compiles its template in the browser, as a CMS page with Vue from a CDN would.
      resolve: {
        ...viteConfig.resolve,
        alias: [...aliasList(viteConfig.resolve?.alias), { find: /^vue$/, replacement: 'vue/dist/vue.esm-bundler.js' }],
      },
      define: { ...viteConfig.define, __VUE_OPTIONS_API__: 'true', __VUE_PROD_DEVTOOLS__: 'false', __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false' },
      build: { ...viteConfig.build, target: 'es2022', chunkSizeWarningLimit: 4096 },
    };
  },
};

export default config;
