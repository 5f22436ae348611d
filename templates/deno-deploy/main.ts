// The token endpoint on Deno Deploy, or anywhere with `deno task start`. Set AKOOL_API_KEY and FACESWAP_SECRET in
// the project's environment variables, FACESWAP_ALLOWED_ORIGINS (comma-separated) to the embedding sites.
import { createFaceswapHandler } from 'npm:faceswap-elements/server';

const handler = createFaceswapHandler({
  auth: { apiKey: Deno.env.get('AKOOL_API_KEY') ?? '' },
  secret: Deno.env.get('FACESWAP_SECRET'),
  baseUrl: Deno.env.get('AKOOL_BASE_URL') || undefined,
  engine: Deno.env.get('FACESWAP_ENGINE') === 'local' ? 'local' : 'akool',
  allowedOrigins: (Deno.env.get('FACESWAP_ALLOWED_ORIGINS') ?? '').split(',').filter(Boolean),
  // Deno Deploy stops idle isolates: the cron below runs the reaper instead of a timer.
  reaperIntervalMs: 0,
});

Deno.cron('faceswap reaper', '* * * * *', async () => {
  await handler.reap();
});

export default {
  fetch(request: Request, info: Deno.ServeHandlerInfo<Deno.NetAddr>): Promise<Response> {
    return handler(request, { clientAddress: info.remoteAddr.hostname });
  },
};
