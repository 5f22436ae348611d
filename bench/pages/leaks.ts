// Page side of bench/leaks.mjs: mount → start → live → stop → unmount cycles of a whole session
// (<faceswap-session> with a <faceswap-player> and a <face-source-picker> inside) against the real token
// endpoint, with FakeTransport echoing the camera as the "swapped" video (no network, no engine).
import '../../src/index.js';
import type { FaceswapSession } from '../../src/components/faceswap-session/faceswap-session.js';
import { FakeTransport } from '../../src/rtc/fake-transport.js';

const SOURCE = { path: 'https://example.test/face.png', opts: '262,175:363,175:313,215:272,279' };

function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const poll = () => {
      if (check()) return resolve();
      if (performance.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(poll, 5);
    };
    poll();
  });
}

async function cycle(): Promise<void> {
  const session = document.createElement('faceswap-session') as FaceswapSession;
  session.setAttribute('token-endpoint', '/api/faceswap');
  session.platform = { transportFactory: async (engine) => new FakeTransport({ engine, remote: 'echo' }) };
  session.source = SOURCE;
  session.append(document.createElement('face-source-picker'), document.createElement('faceswap-player'));
  document.body.append(session);
  await session.updateComplete;
  await session.start();
  await until(() => session.state === 'live', 'live');
  await session.stop();
  session.remove();
}

async function runCycles(count: number): Promise<{ cycles: number; ms: number }> {
  const started = performance.now();
  for (let i = 0; i < count; i++) await cycle();
  // Let pending microtasks and timers of the last unmount run.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return { cycles: count, ms: performance.now() - started };
}

(window as unknown as { runCycles: typeof runCycles }).runCycles = runCycles;
