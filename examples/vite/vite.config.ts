import { defineConfig } from 'vite';

export default defineConfig({
  // `npm run dev` forwards the token endpoint and the local engine's files to the Express example (port 3000).
  // Keep Vite's default changeOrigin (off): the endpoint compares the page's Origin with the Host it receives.
  server: { proxy: { '/api/faceswap': 'http://127.0.0.1:3000', '/faceswap-engine': 'http://127.0.0.1:3000' } },
});
