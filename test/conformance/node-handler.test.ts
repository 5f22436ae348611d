// The conformance suite against createFaceswapHandler on node:http, and against a deliberately broken
// handler (it skips the sessionKey check) that the suite must catch.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/server/emulator/server.js';
import { createFaceswapHandler, type FaceswapHandler, type HandlerContext } from '../../src/server/handler.js';
import { toNodeListener } from '../../src/server/node-adapter.js';
import { SessionKeys } from '../../src/server/session-key.js';
import { MemorySessionStore } from '../../src/server/session-store.js';
import { CHECKS, SUITE_LIMITS, warmUpDetector, type BudgetLimits, type ServerUnderTest } from './suite.js';
import { budgetOptions } from './budget-options.js';

const ALLOWED_ORIGIN = 'https://shop.example';
const HEARTBEAT_TIMEOUT_MS = 1000;

async function listen(handle: (request: Request, context?: HandlerContext) => Promise<Response>): Promise<{ server: Server; origin: string }> {
  const server = createServer(toNodeListener(handle));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function startNodeServer(options: { skipSessionKeyCheck?: boolean } = {}) {
  const emulator: RunningEmulator = await startEmulator({ statusDelayMs: 0 });
  await warmUpDetector(emulator);
  const secret = randomBytes(32);
  const store = new MemorySessionStore();
  // setLimits builds a new handler on the same store and secret: the limits are options of createFaceswapHandler.
  const build = (limits: BudgetLimits): FaceswapHandler =>
    createFaceswapHandler({
      auth: { apiKey: emulator.apiKey },
      baseUrl: emulator.url,
      engine: 'local',
      secret,
      store,
      allowedOrigins: [ALLOWED_ORIGIN],
      ...budgetOptions(limits),
      heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS,
      logger: { warn: () => {}, error: () => {} },
    });
  let handler = build(SUITE_LIMITS);
  const keys = new SessionKeys(secret);
  // The broken server signs whatever session a request names, as a handler that never checks the key would.
  const handle = async (request: Request, context?: HandlerContext) => {
    const match = /\/sessions\/([^/]+)\/(source|heartbeat|close)$/.exec(new URL(request.url).pathname);
    if (!options.skipSessionKeyCheck || !match) return handler(request, context);
    const body = JSON.parse((await request.text()) || '{}') as Record<string, unknown>;
    if (typeof body.sessionKey === 'string') body.sessionKey = await keys.sign(match[1]!);
    return handler(new Request(request.url, { method: request.method, headers: request.headers, body: JSON.stringify(body) }), context);
  };
  const { server, origin } = await listen(handle);
  const sut: ServerUnderTest = {
    endpoint: `${origin}/api/faceswap`,
    emulator,
    origin,
    allowedOrigin: ALLOWED_ORIGIN,
    heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS,
    reap: async () => void (await handler.reap()),
    setLimits: async (limits) => {
      handler.close();
      handler = build({ ...SUITE_LIMITS, ...limits });
    },
  };
  const stop = async () => {
    handler.close();
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
    await emulator.close();
  };
  return { sut, stop };
}

describe('token-endpoint conformance: createFaceswapHandler (Node)', () => {
  let running: Awaited<ReturnType<typeof startNodeServer>>;
  before(async () => {
    running = await startNodeServer();
  });
  after(() => running.stop());
  for (const check of CHECKS) test(check.name, () => check.run(running.sut));
  test('no session is left open at AKOOL', () => assert.equal(running.sut.emulator.state().openSessions, 0));
});

describe('token-endpoint conformance: the suite catches a handler that skips the sessionKey check', () => {
  test('the ownership check fails against it', async () => {
    const running = await startNodeServer({ skipSessionKeyCheck: true });
    try {
      const ownership = CHECKS.find((check) => check.name.startsWith('only the sessionKey holder'))!;
      await assert.rejects(ownership.run(running.sut), /forbidden|403/);
    } finally {
      await running.stop();
    }
  });
});
