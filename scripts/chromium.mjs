// How Debian's Chromium is launched on these machines, for the test runner, the Node-driven browser tests and the
// benchmarks alike: the binary, and flags for headless runs with software GL and a fake camera.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The Chromium binary itself (`/usr/bin/chromium` is Debian's wrapper script); CHROMIUM_PATH overrides. */
export const CHROMIUM =
  process.env.CHROMIUM_PATH ?? ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((path) => existsSync(path)) ?? '/usr/bin/chromium';

/** The face video `scripts/make-test-camera.mjs` generates, for a fake camera that shows a real face. */
export const FACE_VIDEO = `${root}test/fixtures/generated/face.y4m`;
export const FACE_CAMERA_ARG = `--use-file-for-fake-video-capture=${FACE_VIDEO}`;

/**
 * Headless with WebGL on SwiftShader (no GPU here), camera and microphone granted and faked, no background
 * traffic (the network is closed). `autoplay: false` keeps the browser's autoplay policy, for tap-to-start tests.
 * By default SwiftShader is the whole GPU, so the page is composited on it too; `softwareCompositing` keeps it
 * to WebGL and composites in software, as Chromium does on a computer without a GPU (for speed measurements:
 * compositing a video on SwiftShader costs several times the CPU).
 */
export function chromiumArgs({ autoplay = true, softwareCompositing = false } = {}) {
  return [
    '--no-sandbox',
    '--headless=new',
    softwareCompositing ? '--use-angle=swiftshader-webgl' : '--use-angle=swiftshader',
    '--enable-unsafe-swiftshader',
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-dev-shm-usage',
    ...(autoplay ? ['--autoplay-policy=no-user-gesture-required'] : []),
  ];
}
