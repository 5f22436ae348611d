import type { IAgoraRTC } from 'agora-rtc-sdk-ng';
import { FaceswapError } from '../core/errors.js';

/**
 * The one place that references the Agora SDK at run time, with a dynamic `import()` so the SDK (~440 KB gzip)
 * stays out of the initial bundle and is fetched when the first AKOOL session starts. The promise is cached;
 * a failed load is forgotten so a later session can try again.
 */
let loading: Promise<IAgoraRTC> | null = null;

export function loadAgora(): Promise<IAgoraRTC> {
  loading ??= import('agora-rtc-sdk-ng')
    .then((module: { default?: IAgoraRTC }) => {
      // Bundlers hand the UMD build over as `default`; served as a plain module it sets `globalThis.AgoraRTC`.
      const sdk = module.default ?? (globalThis as { AgoraRTC?: IAgoraRTC }).AgoraRTC;
      if (typeof sdk?.createClient !== 'function') throw new Error('agora-rtc-sdk-ng has no createClient');
      return sdk;
    })
    .catch((error: unknown) => {
      loading = null;
      throw new FaceswapError('unsupported-browser', 'The Agora Web SDK (agora-rtc-sdk-ng) could not be loaded.', {
        fatal: true,
        cause: error,
      });
    });
  return loading;
}
