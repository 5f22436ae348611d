// The token endpoint as the conformance suite runs it inside workerd, Deno and Bun: createFaceswapHandler from the
// package's source, configured from the test's settings, plus one route that runs a reaper pass on cue (the suite's
// `reap()`). Each runtime's entry beside this file wraps it in that runtime's server API; all are bundled by esbuild.
import { createFaceswapHandler, type FaceswapHandler } from '../../../src/server/index.js';

/** What the test passes to the runtime (an env binding or variable holding this as JSON). */
export interface RuntimeSettings {
  apiKey: string;
  akoolUrl: string;
  secret: string;
  allowedOrigin: string;
  heartbeatTimeoutMs: number;
}

export const REAP_PATH = '/__conformance/reap';

export function conformanceApp(settings: RuntimeSettings): (request: Request) => Promise<Response> {
  let handler: FaceswapHandler | undefined;
  return async (request) => {
    // Created on the first request: workerd allows no timers or random values at module scope.
    handler ??= createFaceswapHandler({
      auth: { apiKey: settings.apiKey },
      baseUrl: settings.akoolUrl,
      engine: 'local',
      secret: settings.secret,
      allowedOrigins: [settings.allowedOrigin],
      heartbeatTimeoutMs: settings.heartbeatTimeoutMs,
      reaperIntervalMs: 0,
      sessionRateLimit: false,
      detectRateLimit: false,
      upstreamTimeoutMs: 60_000,
      logger: { warn: () => {}, error: (message: string) => console.error(message) },
    });
    if (new URL(request.url).pathname === REAP_PATH) {
      await handler.reap();
      return new Response('reaped');
    }
    return handler(request);
  };
}
