/**
 * `faceswap-elements/server`: the token endpoint and the AKOOL client. Edge-safe: nothing here imports a
 * Node module at run time (the emulator, which needs Node, is a separate entry: `src/server/emulator/`).
 */
export { createFaceswapHandler, httpStatusFor } from './handler.js';
export type { FaceswapHandler, FaceswapHandlerOptions, HandlerContext } from './handler.js';
export type { C2paSigningOptions } from './c2pa-signing.js';
export { toNodeListener, toWhatwgRequest } from './node-adapter.js';
export type { NodeListener } from './node-adapter.js';
export { AkoolClient, AkoolError, codeForAkool, AKOOL_BASE_URL, AKOOL_LEGACY_DETECT_URL } from './akool-client.js';
export type { AkoolAuth, AkoolClientOptions, AkoolFailureKind } from './akool-client.js';
export { MemorySessionStore } from './session-store.js';
export type { CloseReason, SessionRecord, SessionStore } from './session-store.js';
export { RedisSessionStore } from './redis-session-store.js';
export type { RedisCommandClient, RedisSessionStoreOptions } from './redis-session-store.js';
export type { AllowedOrigins } from './cors.js';
export type { TrustedProxyList } from './trusted-proxies.js';
export type { RateLimit } from './rate-limit.js';
export type * from './akool-types.js';
