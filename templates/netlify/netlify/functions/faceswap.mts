// The token endpoint as a Netlify Function. Site environment variables: AKOOL_API_KEY, FACESWAP_SECRET,
// FACESWAP_ALLOWED_ORIGINS (comma-separated).
import type { Config, Context } from '@netlify/functions';
import { createFaceswapHandler, RedisSessionStore } from 'faceswap-elements/server';

// Each function instance has its own memory: with REDIS_URL set (any Redis the functions can reach), every instance
// and the reaper cron see the same sessions. Without it, sessions live in the instance that created them.
async function sharedStore() {
  if (!process.env.REDIS_URL) return undefined;
  const { createClient } = await import('redis');
  const client = createClient({ url: process.env.REDIS_URL });
  await client.connect();
  return new RedisSessionStore({ client });
}

export const faceswap = createFaceswapHandler({
  auth: { apiKey: process.env.AKOOL_API_KEY ?? '' },
  secret: process.env.FACESWAP_SECRET,
  baseUrl: process.env.AKOOL_BASE_URL || undefined,
  engine: process.env.FACESWAP_ENGINE === 'local' ? 'local' : 'akool',
  allowedOrigins: (process.env.FACESWAP_ALLOWED_ORIGINS ?? '').split(',').filter(Boolean),
  // Functions are frozen between invocations: faceswap-reap.mts reaps the shared store on a schedule.
  store: await sharedStore(),
  reaperIntervalMs: 0,
});

// waitUntil: a session AKOOL creates after the visitor's 504 is still closed (the function freezes once it answers).
export default (request: Request, context: Context) => faceswap(request, { clientAddress: context.ip, waitUntil: (promise) => context.waitUntil(promise) });

export const config: Config = { path: '/api/faceswap/*' };
