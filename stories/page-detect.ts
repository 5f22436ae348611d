// `POST story-api/detect` answered inside the page, for the static Storybook, which has no server. It runs a
// real detector (the in-browser engine's @vladmandic/human face mesh, from `faceswap-engine/`) and answers in
// the token-endpoint protocol: a box and AKOOL's 4-point landmarks per face, and as `source.path` a URL the
// in-browser engine can load (the image itself). `npm start` serves the real endpoint over the AKOOL emulator.
import { faceMeshConfig } from '../src/engine/human-config.js';
import type { DetectRequest, DetectResponse } from '../src/core/protocol.js';

export const STORY_ENDPOINT = 'story-api';

interface HumanFace {
  mesh: number[][];
}
interface HumanLike {
  load(): Promise<void>;
  detect(input: HTMLImageElement): Promise<{ face: HumanFace[] }>;
}

let detector: Promise<HumanLike> | null = null;

function loadDetector(): Promise<HumanLike> {
  detector ??= (async () => {
    const base = new URL('faceswap-engine/', location.href).href;
    const mod = (await import(/* @vite-ignore */ `${base}human/human.esm.js`)) as { Human: new (config: object) => HumanLike };
    const human = new mod.Human({
      ...faceMeshConfig({ urls: { tfjsWasm: `${base}tfjs-wasm/`, humanModels: `${base}human-models/` }, maxDetected: 10, tracking: false }),
      backend: 'wasm',
    });
    await human.load();
    return human;
  })();
  return detector;
}

// Face-mesh vertices: the eye corners, the nose tip and the inner lips (image-left eye first, as AKOOL wants).
const IMAGE_LEFT_EYE = [33, 133];
const IMAGE_RIGHT_EYE = [362, 263];
const NOSE_TIP = [1];
const MOUTH = [13, 14];

function landmarks(mesh: number[][]): string {
  const centre = (indices: number[]) => {
    const x = indices.reduce((sum, i) => sum + mesh[i][0], 0) / indices.length;
    const y = indices.reduce((sum, i) => sum + mesh[i][1], 0) / indices.length;
    return `${Math.max(0, Math.round(x * 10) / 10)},${Math.max(0, Math.round(y * 10) / 10)}`;
  };
  return [IMAGE_LEFT_EYE, IMAGE_RIGHT_EYE, NOSE_TIP, MOUTH].map(centre).join(':');
}

/** The face's bounds from its mesh (the detector's own box is enlarged for tracking). */
function meshBox(mesh: number[][]): [number, number, number, number] {
  const xs = mesh.map((p) => p[0]);
  const ys = mesh.map((p) => p[1]);
  const [left, top] = [Math.min(...xs), Math.min(...ys)];
  return [Math.round(left), Math.round(top), Math.round(Math.max(...xs) - left), Math.round(Math.max(...ys) - top)];
}

async function detect(request: DetectRequest): Promise<Response> {
  const src = request.image ?? request.url;
  if (!src) return Response.json({ error: { code: 'bad-request', message: 'Send {image} or {url}.' } }, { status: 400 });
  const image = new Image();
  image.src = src;
  await image.decode();
  const human = await loadDetector();
  const { face } = await human.detect(image);
  // The engine loads `source.path`; a data URL of the image itself is as good as AKOOL's face crop URL.
  const path = request.image ?? new URL(src, location.href).href;
  const faces = face
    .filter((f) => f.mesh.length >= 468)
    .slice(0, request.singleFace ? 1 : undefined)
    .map((f) => {
      const opts = landmarks(f.mesh);
      return { box: meshBox(f.mesh), landmarks: opts, source: { path, opts } };
    });
  const body: DetectResponse = { faces, width: image.naturalWidth, height: image.naturalHeight };
  return Response.json(body);
}

let installed = false;

/** Answers `POST {STORY_ENDPOINT}/detect` in this page; every other request goes to the network as usual. */
export function installPageDetect(): void {
  if (installed) return;
  installed = true;
  const networkFetch = window.fetch.bind(window);
  const target = new URL(`${STORY_ENDPOINT}/detect`, location.href).pathname;
  window.fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, location.href);
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    if (method !== 'POST' || url.pathname !== target) return networkFetch(input, init);
    return detect((await new Request(input, init).json()) as DetectRequest);
  };
}
