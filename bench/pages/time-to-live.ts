// Page side of bench/time-to-live.mjs: start() → first swapped frame on the local engine, and
// start() → `connecting` on the Agora transport, each measured on fresh <faceswap-session> elements.
import '../../src/index.js';
import type { FaceswapSession } from '../../src/components/faceswap-session/faceswap-session.js';
import type { FaceSource, SessionState } from '../../src/core/protocol.js';

async function sourceFace(): Promise<FaceSource> {
  const blob = await (await fetch('/fixtures/source-face.jpg')).blob();
  const image = await new Promise<string>((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.readAsDataURL(blob);
  });
  const answer = await fetch('/api/faceswap/detect', { method: 'POST', body: JSON.stringify({ image, singleFace: true }) });
  const body = await answer.json();
  if (!answer.ok) throw new Error(`detect failed: ${JSON.stringify(body)}`);
  return body.faces[0].source;
}

function waitForState(element: FaceswapSession, wanted: SessionState[], timeoutMs: number): Promise<SessionState> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${wanted.join('/')} within ${timeoutMs} ms (state ${element.state})`)), timeoutMs);
    const check = () => {
      if (wanted.includes(element.state) || element.state === 'error') {
        clearTimeout(timer);
        element.removeEventListener('faceswap-state-change', check);
        if (element.state === 'error') reject(new Error(`error: ${element.details.error?.code}`));
        else resolve(element.state);
      }
    };
    element.addEventListener('faceswap-state-change', check);
    check();
  });
}

/** Resolves the first script resource over `minBytes` fetched after `since` (the Agora SDK chunk). */
function bigScript(since: number, minBytes: number, timeoutMs: number): Promise<PerformanceResourceTiming> {
  return new Promise((resolve, reject) => {
    const find = () =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find(
        (e) => e.startTime >= since && e.encodedBodySize >= minBytes && /\.js(\?|$)/.test(e.name),
      );
    const timer = setInterval(() => {
      const entry = find();
      if (entry) {
        clearInterval(timer);
        resolve(entry);
      } else if (performance.now() - since > timeoutMs) {
        clearInterval(timer);
        reject(new Error('the SDK chunk was not loaded'));
      }
    }, 10);
  });
}

async function once(endpoint: string, engine: 'local' | 'akool', source: FaceSource, until: SessionState, waitForSdk = false) {
  const element = document.createElement('faceswap-session') as FaceswapSession;
  element.setAttribute('token-endpoint', endpoint);
  element.setAttribute('engine', engine);
  element.source = source;
  document.body.append(element);
  await element.updateComplete;
  const started = performance.now();
  void element.start();
  await waitForState(element, [until], 60_000);
  const elapsed = performance.now() - started;
  // Cold start only: the SDK is fetched once, when the transport joins right after `connecting`.
  const sdk = waitForSdk ? await bigScript(started, 300_000, 60_000) : undefined;
  await element.stop();
  element.remove();
  return { elapsed, sdkLoadedMs: sdk ? sdk.responseEnd - started : undefined, sdkBytes: sdk?.encodedBodySize };
}

async function run(options: { runs: number }) {
  const source = await sourceFace();
  const local: number[] = [];
  for (let i = 0; i < options.runs; i++) local.push((await once('/api/faceswap', 'local', source, 'live')).elapsed);
  const agora: number[] = [];
  let sdk: { loadedMs?: number; bytes?: number } = {};
  for (let i = 0; i < options.runs; i++) {
    const result = await once('/api/faceswap-akool', 'akool', source, 'connecting', i === 0);
    agora.push(result.elapsed);
    if (i === 0) sdk = { loadedMs: result.sdkLoadedMs, bytes: result.sdkBytes };
  }
  return { local, agora, sdk };
}

(window as unknown as { runTimeToLive: typeof run }).runTimeToLive = run;
