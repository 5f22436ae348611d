// Token endpoint throughput and latency: `/sessions` create + close pairs through createFaceswapHandler
// (node adapter, loopback HTTP) against the AKOOL emulator on its own loopback port, with autocannon; then the
// same create + close pairs straight at the emulator, in the same run, so the handler's own overhead is a
// ratio of two measurements on the same machine at the same moment. Client, handler and emulator share this
// process's cores, as they would on a small instance. Prints JSON.
// Run: node bench/endpoint.mjs [--seconds 10] [--connections 20]
import autocannon from 'autocannon';
import { machine, round } from './lib/common.mjs';

const arg = (name, fallback) => Number(process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const seconds = arg('--seconds', 10);
const connections = arg('--connections', 20);

const { startEmulator } = await import('../src/server/emulator/server.ts');
const { createFaceswapHandler } = await import('../src/server/handler.ts');
const { toNodeListener } = await import('../src/server/node-adapter.ts');
const { createServer } = await import('node:http');

const API_KEY = 'bench-api-key';
const SOURCE = { path: 'https://example.com/face.jpg', opts: '262,175:363,175:313,215:272,279' };
const emulator = await startEmulator({ apiKey: API_KEY, statusDelayMs: 0, credit: 1e12 });
const handler = createFaceswapHandler({
  auth: { apiKey: API_KEY },
  baseUrl: emulator.url,
  secret: 'bench-secret-0123456789abcdef',
  engine: 'local',
  sessionRateLimit: false,
  // The connections all come from loopback: lift the per-visitor and overall caps to measure throughput.
  maxSessions: 10_000,
  maxSessionsPerVisitor: 10_000,
  reaperIntervalMs: 0,
});
const server = createServer(toNodeListener(handler));
server.keepAliveTimeout = 60_000;
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const handlerUrl = `http://127.0.0.1:${server.address().port}`;

/** create → close, chained per connection: each close names the session its create just got. */
function pairs(url, create, close, duration = seconds) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration,
        requests: [
          {
            method: 'POST',
            headers: create.headers,
            path: create.path,
            body: JSON.stringify(create.body),
            onResponse: (status, body, context) => {
              if (status === 200) context.session = create.read(JSON.parse(body));
            },
          },
          {
            method: 'POST',
            headers: close.headers,
            setupRequest: (request, context) => ({ ...request, ...close.request(context.session) }),
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    instance.on('error', reject);
  });
}

const json = { 'content-type': 'application/json' };
const summarise = (result) => ({
  requestsPerSecond: round(result.requests.average, 0),
  sessionsPerSecond: round(result.requests.average / 2, 0),
  latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
  requests: result.requests.total,
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
});

// Warm-up (JIT, keep-alive sockets), not reported.
await pairs(handlerUrl, ...handlerSpec(), 2);

function handlerSpec() {
  return [
    { path: '/api/faceswap/sessions', headers: json, body: { source: SOURCE }, read: (grant) => grant },
    {
      headers: json,
      request: (s) => ({ path: `/api/faceswap/sessions/${s?.sessionId ?? 'none'}/close`, body: JSON.stringify({ sessionKey: s?.sessionKey ?? 'x' }) }),
    },
  ];
}
const akoolHeaders = { ...json, 'x-api-key': API_KEY };
const throughHandler = summarise(await pairs(handlerUrl, ...handlerSpec()));
const direct = summarise(
  await pairs(
    emulator.url,
    { path: '/api/open/v3/faceswap/live/create', headers: akoolHeaders, body: { sourceImage: [SOURCE] }, read: (reply) => reply.data },
    { headers: akoolHeaders, request: (s) => ({ path: '/api/open/v3/faceswap/live/close', body: JSON.stringify({ _id: s?._id ?? 'none' }) }) },
  ),
);

const output = {
  benchmark: 'token-endpoint',
  workload: `POST /sessions then POST /sessions/{id}/close, ${connections} connections, ${seconds} s, loopback, emulator statusDelayMs 0`,
  handler: throughHandler,
  emulatorDirect: direct,
  handlerOverhead: {
    throughputRatio: round(direct.requestsPerSecond / throughHandler.requestsPerSecond, 2),
    p50LatencyRatio: round(throughHandler.latencyMs.p50 / Math.max(direct.latencyMs.p50, 0.01), 2),
    note: 'handler figures include its own call to the emulator; ratio = direct throughput / handler throughput',
  },
  machine: machine(),
};
console.log(JSON.stringify(output, null, 2));
handler.close();
server.closeAllConnections();
server.close();
await emulator.close();
