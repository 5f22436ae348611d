import { defineConfig, type Plugin } from 'vite';
import { minifyTemplateLiterals } from './scripts/minify-template-literals.mjs';

// CDN drop-in: one self-contained ES module (Lit and everything else bundled) that registers the elements,
// for a single <script type="module" src=".../faceswap-elements.js"> on any page. What only some sessions
// need stays in lazy chunks next to it (the Agora SDK; the local engine's model code is fetched from the
// engine asset folder at run time).
/**
 * Drops the source map of a chunk made only of a vendor's already minified code (the Agora SDK: 3.2 MB of map
 * that points into its own minified file, over half of the package). Our own chunks keep their maps.
 */
function noVendorSourceMaps(): Plugin {
  return {
    name: 'faceswap:no-vendor-source-maps',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk' || !chunk.moduleIds.every((id) => id.includes('/node_modules/'))) continue;
        const mapName = `${chunk.fileName}.map`;
        delete bundle[mapName];
        chunk.map = null;
        chunk.code = chunk.code.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
      }
    },
  };
}

export default defineConfig({
  plugins: [minifyTemplateLiterals(), noVendorSourceMaps()],
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
