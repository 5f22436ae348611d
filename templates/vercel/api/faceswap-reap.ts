// Run every minute by the cron in vercel.json: closes sessions whose page went away without saying so.
import { faceswap } from './faceswap/[...path].js';

export async function GET(request: Request): Promise<Response> {
  if (request.headers.get('authorization') !== `Bearer ${process.env.CRON_SECRET}`) return new Response('forbidden', { status: 403 });
  await faceswap.reap();
  return new Response('reaped');
}
