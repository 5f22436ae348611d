// The server under test of bench/upload-attack.mjs, in its own process so its RSS is the handler's alone:
// createFaceswapHandler through the node adapter on a loopback port, calling the AKOOL stand-in whose URL is
// argv[2]. Per-address rate limits are off: the attack comes from many addresses, and the bench measures the
// handler's global bounds. Prints "READY <port>" once listening.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFaceswapHandler } from '../../src/server/handler.js';
import { toNodeListener } from '../../src/server/node-adapter.js';

const upstream = process.argv[2];
if (!upstream) throw new Error('usage: upload-attack-server.ts <upstream base URL>');
const handler = createFaceswapHandler({
  auth: { apiKey: 'bench-api-key' },
  baseUrl: upstream,
  secret: 'bench-secret-0123456789abcdef',
  engine: 'local',
  detectRateLimit: false,
  sessionRateLimit: false,
  reaperIntervalMs: 0,
  logger: { warn: () => undefined, error: (message: string) => process.stderr.write(`${message}\n`) },
});
const server = createServer(toNodeListener(handler));
server.listen(0, '127.0.0.1', () => console.log(`READY ${(server.address() as AddressInfo).port}`));
process.on('SIGTERM', () => {
  handler.close();
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
