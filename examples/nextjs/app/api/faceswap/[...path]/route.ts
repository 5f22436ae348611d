// The token endpoint. The AKOOL key is read when a request first needs AKOOL, so `next build` runs without it.
import { after } from 'next/server';
import { createFaceswapHandler } from 'faceswap-elements/server';

const handler = createFaceswapHandler({
  auth: { apiKey: process.env.AKOOL_API_KEY ?? '' },
  secret: process.env.FACESWAP_SECRET, // the same value on every instance
  // Unset for AKOOL itself; an AKOOL emulator's URL with FACESWAP_ENGINE=local to run without a key.
  baseUrl: process.env.AKOOL_BASE_URL || undefined,
  engine: process.env.FACESWAP_ENGINE === 'local' ? 'local' : 'akool',
  reaperIntervalMs: 0, // serverless: no timer; call handler.reap() from a cron route
});

// after: a session AKOOL creates after the visitor's 504 is still closed once the response is sent
export const GET = (request: Request) => handler(request, { waitUntil: after }); // GET /health
export const POST = (request: Request) => handler(request, { waitUntil: after });
export const OPTIONS = (request: Request) => handler(request, { waitUntil: after }); // CORS preflight
