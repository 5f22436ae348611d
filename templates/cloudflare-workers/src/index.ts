// The token endpoint as a Cloudflare Worker. Secrets: `wrangler secret put AKOOL_API_KEY` and
// `wrangler secret put FACESWAP_SECRET`; the other settings are `vars` in wrangler.toml.
import { createFaceswapHandler, type FaceswapHandler } from 'faceswap-elements/server';

interface Env {
  AKOOL_API_KEY: string;
  FACESWAP_SECRET: string;
  /** Comma-separated origins of the pages (CMS sites) that embed the elements. */
  FACESWAP_ALLOWED_ORIGINS?: string;
  /** Unset for AKOOL itself; an AKOOL emulator's URL (with FACESWAP_ENGINE=local) for a demo. */
  AKOOL_BASE_URL?: string;
  FACESWAP_ENGINE?: string;
}

let handler: FaceswapHandler | undefined;

// Created on the first event, not at module scope: Workers allow no timers or random values there, and the
// settings arrive with the event.
function handlerFor(env: Env): FaceswapHandler {
  handler ??= createFaceswapHandler({
    auth: { apiKey: env.AKOOL_API_KEY },
    secret: env.FACESWAP_SECRET,
    baseUrl: env.AKOOL_BASE_URL || undefined,
    engine: env.FACESWAP_ENGINE === 'local' ? 'local' : 'akool',
    allowedOrigins: (env.FACESWAP_ALLOWED_ORIGINS ?? '').split(',').filter(Boolean),
    // No timer inside a Worker: the cron trigger in wrangler.toml runs the reaper every minute.
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
