import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  // `npm run dev` forwards the token endpoint and the local engine's files to the Express example (port 3000).
  server: { proxy: { '/api/faceswap': 'http://127.0.0.1:3000', '/faceswap-engine': 'http://127.0.0.1:3000' } },
});
