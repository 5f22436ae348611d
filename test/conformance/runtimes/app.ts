// The token endpoint as the conformance suite runs it inside workerd, Deno and Bun: createFaceswapHandler from the
// package's source, configured from the test's settings, plus two control routes: a reaper pass on cue (the suite's
// `reap()`) and new billing limits (its `setLimits()`, a new handler on the same store and secret, as on Node). Each
// runtime's entry beside this file wraps it in that runtime's server API; all are bundled by esbuild.
import { createFaceswapHandler, MemorySessionStore, type FaceswapHandler, type HandlerContext } from '../../../src/server/index.js';
import type { BudgetLimits } from '../suite.js';
import { budgetOptions } from '../budget-options.js';

/** What the test passes to the runtime (an env binding or variable holding this as JSON). */
export interface RuntimeSettings {
  apiKey: string;
  akoolUrl: string;
  secret: string;
  allowedOrigin: string;
  heartbeatTimeoutMs: number;
  limits: BudgetLimits;
}

export const REAP_PATH = '/__conformance/reap';
export const LIMITS_PATH = '/__conformance/limits';

export function conformanceApp(settings: RuntimeSettings): (request: Request, context?: HandlerContext) => Promise<Response> {
  let handler: FaceswapHandler | undefined;
  let store: MemorySessionStore | undefined;
  const build = (limits: BudgetLimits) =>
    createFaceswapHandler({
      auth: { apiKey: settings.apiKey },
      baseUrl: settings.akoolUrl,
      engine: 'local',
      secret: settings.secret,
      store,
      allowedOrigins: [settings.allowedOrigin],
      ...budgetOptions(limits),
      heartbeatTimeoutMs: settings.heartbeatTimeoutMs,
      logger: { warn: () => {}, error: (message: string) => console.error(message) },
    });
  return async (request, context) => {
    // Created on the first request: workerd allows no timers or random values at module scope.
    store ??= new MemorySessionStore();
    handler ??= build(settings.limits);
    const path = new URL(request.url).pathname;
    if (path === REAP_PATH) {
      await handler.reap();
      return new Response('reaped');
    }
    if (path === LIMITS_PATH) {
      const limits = (await request.json()) as Partial<BudgetLimits> | null;
      handler.close();
      handler = build({ ...settings.limits, ...limits });
      return new Response('set');
    }
    return handler(request, context);
  };
}
