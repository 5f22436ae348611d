// The token endpoint as a Cloudflare Worker; public/ (the page) is served by Workers static assets in front of it.
import { createFaceswapHandler, type FaceswapHandler } from 'faceswap-elements/server';

interface Env {
  AKOOL_API_KEY: string;
  FACESWAP_SECRET: string;
  /** Unset for AKOOL itself; an AKOOL emulator's URL (with FACESWAP_ENGINE=local) to run without a key. */
  AKOOL_BASE_URL?: string;
  FACESWAP_ENGINE?: string;
}

let handler: FaceswapHandler | undefined;

// Created on the first event, not at module scope: the settings arrive with the event.
function handlerFor(env: Env): FaceswapHandler {
  handler ??= createFaceswapHandler({
    auth: { apiKey: env.AKOOL_API_KEY },
    secret: env.FACESWAP_SECRET,
    baseUrl: env.AKOOL_BASE_URL || undefined,
    engine: env.FACESWAP_ENGINE === 'local' ? 'local' : 'akool',
    // No timer inside a Worker: the cron trigger in wrangler.jsonc runs the reaper every minute.
    reaperIntervalMs: 0,
    // Cloudflare sets this header itself; a visitor cannot forge it.
    clientAddress: (request) => request.headers.get('cf-connecting-ip') ?? undefined,
  });
  return handler;
}

export default {
  fetch(request: Request, env: Env, context: { waitUntil(promise: Promise<unknown>): void }): Promise<Response> {
    // waitUntil: a session AKOOL creates after the visitor's 504 is still closed (Workers stop a request's
    // fetches once its response is sent).
    return handlerFor(env)(request, { waitUntil: (promise) => context.waitUntil(promise) });
  },
  scheduled(_controller: unknown, env: Env, context: { waitUntil(promise: Promise<unknown>): void }): void {
    context.waitUntil(handlerFor(env).reap());
  },
};
