// Mounts the token endpoint and the AKOOL emulator on the test server's own origin, so browser tests call
// `/api/faceswap/*` same-origin, exactly as a site would. Test-only control routes live under `/__test/`.
//
//   /api/faceswap/*           createFaceswapHandler, engine "local", on the in-process emulator
//   /api/faceswap-akool/*     the same, engine "akool" (the browser then tries real Agora with emulator credentials)
//   /akool-emulator/*         the emulator itself (face crops at /akool-emulator/faces/<id>.jpg)
//   /__test/emulator/<route>  the emulator's control API: GET state|sessions, POST faults|config|reset, DELETE faults
//   POST /__test/handler/reap     one reaper pass on both handlers -> {closed: [ids]}
//   POST /__test/handler/config   {heartbeatTimeoutMs?, maxSessionMs?, upstreamTimeoutMs?, sessionRateLimit?,
//                                  detectRateLimit?, allowedOrigins?, reaperIntervalMs?} -> rebuilds both handlers (same store and
//                                  secret, so open sessions and keys stay valid); {} restores the defaults
//   GET  /__test/handler/open      {open: [ids]}: sessions the handlers' store still holds open
//   GET  /__test/handler/warnings  {warnings: [text]}: what the handlers logged since the last read (then cleared)
//   POST /__test/detector/warm-up  loads the emulator's face detector now (the first detect otherwise pays for it)
//
// wtr runs under `node --import tsx`, so the TypeScript server code is imported directly. The face detector
// loads on the first detection only, so test startup stays fast.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

const EMULATOR_MOUNT = '/akool-emulator';
const TEST_DEFAULTS = {
  heartbeatTimeoutMs: 45_000,
  maxSessionMs: 55 * 60_000,
  upstreamTimeoutMs: 15_000,
  // Whole suites create many sessions from one address; a test that wants a limit sets one.
  sessionRateLimit: false,
  detectRateLimit: false,
  maxSessions: 1000,
  maxSessionsPerVisitor: 1000,
  sourceUpdateLimit: false,
  heartbeatLimit: false,
  allowedOrigins: [],
  reaperIntervalMs: 1000,
};

export function apiPlugin() {
  let emulator;
  let handlers = [];
  const warnings = [];
  // The handlers' log, kept for tests (a close retried forever shows here) and still printed.
  const logger = {
    warn: (message) => (warnings.push(message), console.warn(message)),
    error: (message) => (warnings.push(message), console.error(message)),
  };
  let stopped = false;

  return {
    name: 'faceswap-api',

    async serverStart({ server }) {
      const [{ createEmulator }, { createFaceswapHandler }, { MemorySessionStore }, { toNodeListener }] = await Promise.all([
        import('../../src/server/emulator/server.ts'),
        import('../../src/server/handler.ts'),
        import('../../src/server/session-store.ts'),
        import('../../src/server/node-adapter.ts'),
      ]);
      emulator = createEmulator({ mountPath: EMULATOR_MOUNT, statusDelayMs: 500 });
      const browserBase = new AsyncLocalStorage();
      const store = new MemorySessionStore();
      const secret = randomBytes(32);
      const emulatorFetch = async (input, init) => emulator.handle(new Request(input, init), { publicUrl: browserBase.getStore() });

      const build = (overrides) => {
        for (const h of handlers) h.handler.close();
        const options = { ...TEST_DEFAULTS, ...overrides };
        handlers = [
          ['/api/faceswap', 'local'],
          ['/api/faceswap-akool', 'akool'],
        ].map(([basePath, engine]) => {
          const handler = createFaceswapHandler({
            ...options,
            auth: { apiKey: emulator.apiKey },
            baseUrl: `http://127.0.0.1${EMULATOR_MOUNT}`,
            fetch: emulatorFetch,
            basePath,
            engine,
            secret,
            store,
            logger,
          });
          return { basePath, handler, listener: toNodeListener(handler) };
        });
        return options;
      };
      build({});

      const emulatorListener = toNodeListener((request) => emulator.handle(request));
      const controlListener = toNodeListener(async (request) => {
        const url = new URL(request.url);
        if (url.pathname.startsWith('/__test/emulator/')) {
          const target = new URL(`${EMULATOR_MOUNT}/__emulator/${url.pathname.slice('/__test/emulator/'.length)}`, url);
          const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.text();
          // The emulator takes control bodies only as JSON (a cross-origin page cannot send that without a preflight).
          const headers = new Headers(request.headers);
          if (body !== undefined) headers.set('content-type', 'application/json');
          return emulator.handle(new Request(target, { method: request.method, headers, body }));
        }
        if (request.method === 'POST' && url.pathname === '/__test/handler/reap') {
          const closed = (await Promise.all(handlers.map((h) => h.handler.reap()))).flat();
          return Response.json({ closed });
        }
        if (request.method === 'POST' && url.pathname === '/__test/detector/warm-up') {
          await emulator.warmUp();
          return Response.json({ ok: true });
        }
        if (request.method === 'GET' && url.pathname === '/__test/handler/open') {
          return Response.json({ open: await store.listDue(Number.MAX_SAFE_INTEGER, 0) });
        }
        if (request.method === 'GET' && url.pathname === '/__test/handler/warnings') {
          return Response.json({ warnings: warnings.splice(0) });
        }
        if (request.method === 'POST' && url.pathname === '/__test/handler/config') {
          const text = await request.text();
          return Response.json(build(text ? JSON.parse(text) : {}));
        }
        return Response.json({ error: 'unknown test route' }, { status: 404 });
      });

      const under = (path, prefix) => path === prefix || path.startsWith(prefix + '/');
      const route = (req) => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const target = handlers.find((h) => under(url.pathname, h.basePath));
        if (target) {
          const base = `http://${req.headers.host}${EMULATOR_MOUNT}`;
          return (request, response) => browserBase.run(base, () => target.listener(request, response));
        }
        if (under(url.pathname, EMULATOR_MOUNT)) return emulatorListener;
        if (url.pathname.startsWith('/__test/')) return controlListener;
        return undefined;
      };
      // The Koa middleware chain is composed before plugins start, so app.use() here would never run:
      // answer these paths at the HTTP server, ahead of Koa's own request listener.
      const koaListeners = server.listeners('request');
      server.removeAllListeners('request');
      server.on('request', (req, res) => {
        const listener = route(req);
        if (listener) listener(req, res);
        else for (const koa of koaListeners) koa.call(server, req, res);
      });
    },

    serverStop() {
      if (stopped) return;
      stopped = true;
      for (const h of handlers) h.handler.close();
      emulator?.close();
    },
  };
}
