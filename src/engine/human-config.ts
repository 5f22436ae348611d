import type { EngineAssetUrls } from './assets.js';

/**
 * With tracking, a frame this unlike the last (human's mean squared difference per channel over 255: about 50
 * levels RMS over the whole frame) is a cut and detects afresh. The test cameras' frame-to-frame changes measure
 * up to 2.3 (a pan); at human's usual 0.7 a rolling or panning camera re-ran the detector on 60-70 % of frames,
 * and each run moves the mesh's crop (see CROP_SCALE_LIMIT in the landmark worker).
 */
const SCENE_CUT = 10;

/**
 * @vladmandic/human configured for the face mesh alone (BlazeFace detector + 468-point mesh, with attention when
 * `meshModel` is given): every other model off, nothing warmed up or cached by the browser. `tracking` is for video: the mesh runs on the crop its
 * last landmarks give and the detector runs only when a frame looks unlike the last or the caller asks (the
 * landmark worker does when the face no longer fits its crop); without it every call detects afresh, as a
 * still photo needs. The backend is chosen where the model runs (see the worker).
 */
export function faceMeshConfig(options: {
  urls: Pick<EngineAssetUrls, 'tfjsWasm' | 'humanModels'>;
  maxDetected: number;
  tracking: boolean;
  /** Detect rotated (rolled) faces too (a group photo finds fewer faces with it); the engine's worker sets it per call. */
  rotation?: boolean;
  /** Also compute the recognition descriptor (faceres): only the quality harness's second identity check wants it. */
  description?: boolean;
  /** URL of the face mesh with attention (EngineAssetUrls.meshModel), run instead of human's plain mesh. */
  meshModel?: string;
}): Record<string, unknown> {
  const { urls, maxDetected, tracking, rotation = false, description = false, meshModel } = options;
  return {
    wasmPath: urls.tfjsWasm,
    modelBasePath: urls.humanModels,
    debug: false,
    async: true,
    warmup: 'none',
    cacheModels: false,
    cacheSensitivity: tracking ? SCENE_CUT : 0,
    filter: { enabled: false },
    gesture: { enabled: false },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    segmentation: { enabled: false },
    face: {
      enabled: true,
      detector: {
        rotation,
        maxDetected,
        minConfidence: 0.3,
        ...(tracking ? { skipFrames: Number.MAX_SAFE_INTEGER, skipTime: Number.MAX_SAFE_INTEGER } : { skipFrames: 0 }),
      },
      mesh: { enabled: true },
      iris: { enabled: false },
      attention: meshModel ? { enabled: true, modelPath: meshModel } : { enabled: false },
      description: description ? { enabled: true, skipFrames: 0 } : { enabled: false },
      emotion: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
    },
  };
}
