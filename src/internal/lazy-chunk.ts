import { FaceswapError } from '../core/errors.js';

/**
 * `import()` of one of the library's own lazy chunks. A chunk that cannot be fetched (offline, a CDN copy
 * missing a file) fails like any other request the elements make: as `endpoint-unreachable`.
 * @param load The `() => import('...')` of the chunk.
 */
export function loadChunk<T>(load: () => Promise<T>): Promise<T> {
  return load().catch((cause: unknown) => {
    throw new FaceswapError('endpoint-unreachable', 'Part of faceswap-elements could not be loaded.', { cause });
  });
}
