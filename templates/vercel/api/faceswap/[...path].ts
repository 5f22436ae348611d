// The token endpoint as a Vercel Function (Web signature, Node runtime). Project environment variables:
// AKOOL_API_KEY, FACESWAP_SECRET, FACESWAP_ALLOWED_ORIGINS (comma-separated), and CRON_SECRET for the reaper.
import { waitUntil } from '@vercel/functions';
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

// Module scope is fine: a missing key is reported on first use, not when the module loads.
export const faceswap = createFaceswapHandler({
  auth: { apiKey: process.env.AKOOL_API_KEY ?? '' },
  secret: process.env.FACESWAP_SECRET,
  baseUrl: process.env.AKOOL_BASE_URL || undefined,
  engine: process.env.FACESWAP_ENGINE === 'local' ? 'local' : 'akool',
  allowedOrigins: (process.env.FACESWAP_ALLOWED_ORIGINS ?? '').split(',').filter(Boolean),
  // Functions are frozen between invocations: api/faceswap-reap.ts, run by the cron in vercel.json, reaps the shared store.
  store: await sharedStore(),
  reaperIntervalMs: 0,
  // Vercel's edge network sets this header itself.
  clientAddress: (request) => request.headers.get('x-real-ip') ?? undefined,
});

// waitUntil: a session AKOOL creates after the visitor's 504 is still closed (the function freezes once it answers).
export const GET = (request: Request) => faceswap(request, { waitUntil });
export const POST = (request: Request) => faceswap(request, { waitUntil });
export const OPTIONS = (request: Request) => faceswap(request, { waitUntil });
