import { defineConfig } from 'vite';
import { minifyTemplateLiterals } from './scripts/minify-template-literals.mjs';

// Library build: ES modules for browsers. Lit and @lit/context are dependencies and stay external for npm
// consumers; so is agora-rtc-sdk-ng, a dependency loaded with import() only when a session starts.
export default defineConfig({
  plugins: [minifyTemplateLiterals()],
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: false,
    sourcemap: true,
    minify: true,
    lib: {
      formats: ['es'],
      entry: {
        index: 'src/index.ts',
        'faceswap-session': 'src/components/faceswap-session/faceswap-session.ts',
        'faceswap-player': 'src/components/faceswap-player/faceswap-player.ts',
        'face-source-picker': 'src/components/face-source-picker/face-source-picker.ts',
        // One registering entry per element (`faceswap-elements/define/<tag>.js`).
        'define/faceswap-session': 'src/define/faceswap-session.ts',
        'define/faceswap-player': 'src/define/faceswap-player.ts',
        'define/face-source-picker': 'src/define/face-source-picker.ts',
        // `faceswap-elements/react`: the generated @lit/react wrappers; React stays the app's own.
        react: 'src/react/index.ts',
      },
    },
    rollupOptions: {
      external: [/^lit(\/|$)/, /^@lit\//, /^react(\/|$)/, /^agora-rtc-sdk-ng(\/|$)/, /^@vladmandic\//, /^@mediapipe\//, /^@tensorflow\//],
    },
  },
});
