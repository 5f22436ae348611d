// The quality benchmark's page (bundled by bench/engine.ts --quality): analyses a test camera once, then runs
// the engine on it with each source face and measures the output against the negative controls.
import { nodeModulesAssetUrls } from '../src/engine/assets.js';
import { analyseCamera, analyseSource, measurePair, type CameraAnalysis, type SourceAnalysis } from '../test/browser/face/quality-run.js';

interface PageOptions {
  bursts: number;
  burstLength: number;
  secondModel: boolean;
}

const cameras = new Map<string, CameraAnalysis>();
const sources = new Map<string, SourceAnalysis>();

async function qualityCamera(name: string, url: string, options: PageOptions) {
  cameras.clear();
  const camera = await analyseCamera(name, url, options);
  cameras.set(name, camera);
  return { frames: camera.video.frameCount, sampled: camera.sampled.length, inputFaces: [...camera.inputs.values()].filter((f) => f.face).length };
}

function sideBySide(input: HTMLCanvasElement, output: HTMLCanvasElement, width: number): string {
  const scale = width / 2 / input.width;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = Math.round(input.height * scale);
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(input, 0, 0, canvas.width / 2, canvas.height);
  ctx.drawImage(output, canvas.width / 2, 0, canvas.width / 2, canvas.height);
  return canvas.toDataURL('image/png');
}

async function qualityPair(cameraName: string, sourceName: string, sourceUrl: string, options: PageOptions & { pictureWidth: number }) {
  const camera = cameras.get(cameraName);
  if (!camera) throw new Error(`camera ${cameraName} was not analysed first`);
  let source = sources.get(sourceName);
  if (!source) {
    source = await analyseSource(sourceName, sourceUrl, options.secondModel);
    sources.set(sourceName, source);
  }
  const { result, worst } = await measurePair(camera, source, nodeModulesAssetUrls(), options.secondModel);
  return { result, worst: worst ? { index: worst.index, png: sideBySide(worst.input, worst.output, options.pictureWidth) } : null };
}

Object.assign(window, { qualityCamera, qualityPair });
