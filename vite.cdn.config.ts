import { defineConfig } from 'vite';
import { minifyTemplateLiterals } from './scripts/minify-template-literals.mjs';

// CDN drop-in: one self-contained ES module (Lit and everything else bundled) that registers the elements,
// for a single <script type="module" src=".../faceswap-elements.js"> on any page. What only some sessions
// need stays in lazy chunks next to it (the Agora SDK; the local engine's model code is fetched from the
// engine asset folder at run time).
export default defineConfig({
  plugins: [minifyTemplateLiterals()],
  publicDir: false,
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    target: 'es2022',
    outDir: 'dist/cdn',
    emptyOutDir: true,
    sourcemap: true,
    minify: true,
    chunkSizeWarningLimit: 4096,
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'faceswap-elements.js' },
    rollupOptions: {
      output: { chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
});
