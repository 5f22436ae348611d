import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const faceswapTags = ['faceswap-session', 'faceswap-player', 'face-source-picker'];

export default defineConfig({
  // Vue leaves these tags to the browser's custom element registry instead of resolving them as components.
  plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => faceswapTags.includes(tag) } } })],
  // `npm run dev` forwards the token endpoint and the local engine's files to the Express example (port 3000).
  server: { proxy: { '/api/faceswap': 'http://127.0.0.1:3000', '/faceswap-engine': 'http://127.0.0.1:3000' } },
});
