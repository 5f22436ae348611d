import type { EngineAssetUrls } from './assets.js';

/**
 * @vladmandic/human configured for the face mesh alone (BlazeFace detector + 468-point mesh): every other
 * model off, nothing warmed up or cached by the browser. `tracking` is for video: the detector runs on every
 * 30th frame (or after 1.5 s) and frames that look alike reuse the last result; without it every call
 * detects afresh, as a still photo needs. The backend is chosen where the model runs (see the worker).
 */
export function faceMeshConfig(options: {
  urls: Pick<EngineAssetUrls, 'tfjsWasm' | 'humanModels'>;
  maxDetected: number;
  tracking: boolean;
  /** Detect rotated (rolled) faces too: the engine wants it for tilted heads; a group photo finds fewer faces with it. */
  rotation?: boolean;
  /** Also compute the recognition descriptor (faceres): only the quality harness's second identity check wants it. */
  description?: boolean;
}): Record<string, unknown> {
  const { urls, maxDetected, tracking, rotation = false, description = false } = options;
  return {
    wasmPath: urls.tfjsWasm,
    modelBasePath: urls.humanModels,
    debug: false,
    async: true,
    warmup: 'none',
    cacheModels: false,
    cacheSensitivity: tracking ? 0.7 : 0,
    filter: { enabled: false },
    gesture: { enabled: false },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    segmentation: { enabled: false },
    face: {
      enabled: true,
      detector: { rotation, maxDetected, minConfidence: 0.3, ...(tracking ? { skipFrames: 30, skipTime: 1500 } : { skipFrames: 0 }) },
      mesh: { enabled: true },
      iris: { enabled: false },
      attention: { enabled: false },
      description: description ? { enabled: true, skipFrames: 0 } : { enabled: false },
      emotion: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
    },
  };
}
