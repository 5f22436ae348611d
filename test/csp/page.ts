// The page under Content-Security-Policy: the three elements, a source face found by the token endpoint, and
// a session on the local engine run to live. Every `securitypolicyviolation` is recorded for the test.
import '../../src/index.js';
import type { FaceswapSession } from '../../src/components/faceswap-session/faceswap-session.js';

interface Violation {
  directive: string;
  blocked: string;
  source: string;
  sample: string;
}

const violations: Violation[] = [];
document.addEventListener('securitypolicyviolation', (event) => {
  violations.push({ directive: event.effectiveDirective, blocked: event.blockedURI, source: `${event.sourceFile}:${event.lineNumber}`, sample: event.sample });
});

async function runToLive(): Promise<{ state: string; error: unknown; violations: Violation[]; playerHasVideo: boolean }> {
  const photo = await (await fetch('/fixtures/source-face.jpg')).blob();
  const image = await new Promise<string>((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.readAsDataURL(photo);
  });
  const detected = await (await fetch('/api/faceswap/detect', { method: 'POST', body: JSON.stringify({ image, singleFace: true }) })).json();
  const session = document.querySelector('faceswap-session') as FaceswapSession;
  session.source = detected.faces[0].source;
  await session.updateComplete;
  await session.start();
  const deadline = performance.now() + 60_000;
  while (session.state !== 'live' && session.state !== 'error' && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const state = session.state;
  const error = session.details.error;
  // A moment of live video, so the player's rendering path runs under the policy too.
  await new Promise((r) => setTimeout(r, 1000));
  const video = document.querySelector('faceswap-player')?.shadowRoot?.querySelector('video');
  const playerHasVideo = !!video && video.videoWidth > 0;
  await session.stop();
  return { state, error, violations, playerHasVideo };
}

(window as unknown as { runToLive: typeof runToLive }).runToLive = runToLive;
