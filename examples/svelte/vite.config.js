import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [svelte()],
  // `npm run dev` forwards the token endpoint and the local engine's files to the Express example (port 3000).
  server: { proxy: { '/api/faceswap': 'http://127.0.0.1:3000', '/faceswap-engine': 'http://127.0.0.1:3000' } },
});
