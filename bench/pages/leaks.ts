// Page side of bench/leaks.mjs: mount → start → live → stop → unmount cycles of a whole session
// (<faceswap-session> with a <faceswap-player> and a <face-source-picker> inside) against the real token
// endpoint, either with FakeTransport echoing the camera as the "swapped" video (no network, no engine), or
// on the real local engine (LocalTransport: worker, WebGL, canvas capture).
import '../../src/index.js';
import type { FaceswapSession } from '../../src/components/faceswap-session/faceswap-session.js';
import { FakeTransport } from '../../src/rtc/fake-transport.js';
import type { FaceSource } from '../../src/core/protocol.js';
import { until } from '../../test/support/until.js';

const FAKE_SOURCE: FaceSource = { path: 'https://example.test/face.png', opts: '262,175:363,175:313,215:272,279' };
let localSource: FaceSource | undefined;

/** The source face for the local engine: the fixture photo, detected by the token endpoint. */
async function detectedSource(): Promise<FaceSource> {
  const blob = await (await fetch('/fixtures/source-face.jpg')).blob();
  const image = await new Promise<string>((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.readAsDataURL(blob);
  });
  const answer = await (await fetch('/api/faceswap/detect', { method: 'POST', body: JSON.stringify({ image, singleFace: true }) })).json();
  return answer.faces[0].source;
}

/** Waits polling every 5 ms, so the measured cycle includes little idle time. */
const waitFor = (check: () => boolean, what: string, timeoutMs = 15_000) => until(check, what, timeoutMs, 5);

async function cycle(engine: 'fake' | 'local'): Promise<void> {
  const session = document.createElement('faceswap-session') as FaceswapSession;
  session.setAttribute('token-endpoint', '/api/faceswap');
  if (engine === 'fake') {
    session.platform = { transportFactory: async (name) => new FakeTransport({ engine: name, remote: 'echo' }) };
    session.source = FAKE_SOURCE;
  } else {
    session.setAttribute('engine', 'local');
    session.source = localSource ??= await detectedSource();
  }
  session.append(document.createElement('face-source-picker'), document.createElement('faceswap-player'));
  document.body.append(session);
  await session.updateComplete;
  await session.start();
  await waitFor(() => session.state === 'live', 'live', 60_000);
  await session.stop();
  session.remove();
}

async function runCycles(count: number, engine: 'fake' | 'local'): Promise<{ cycles: number; ms: number }> {
  if (engine === 'local') localSource ??= await detectedSource();
  const started = performance.now();
  for (let i = 0; i < count; i++) await cycle(engine);
  // Let pending microtasks and timers of the last unmount run.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return { cycles: count, ms: performance.now() - started };
}

(window as unknown as { runCycles: typeof runCycles }).runCycles = runCycles;
