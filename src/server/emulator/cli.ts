/**
 * `npm run emulator -- --port <n> --api-key <key> [--client-id <id>] [--client-secret <secret>]
 *   [--host <h>] [--credit <seconds>] [--status-delay <ms>]`
 * Serves the AKOOL emulator with AKOOL's paths at its root and prints its URL when ready.
 */
import { parseArgs } from 'node:util';
import { startEmulator } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    host: { type: 'string', default: '127.0.0.1' },
    'api-key': { type: 'string' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    credit: { type: 'string' },
    'status-delay': { type: 'string' },
  },
});

const number = (text: string | undefined, name: string): number | undefined => {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) {
    console.error(`--${name} must be a non-negative number`);
    process.exit(2);
  }
  return value;
};

const emulator = await startEmulator({
  port: number(values.port, 'port'),
  host: values.host,
  apiKey: values['api-key'] ?? process.env.AKOOL_EMULATOR_API_KEY,
  clientId: values['client-id'],
  clientSecret: values['client-secret'],
  credit: number(values.credit, 'credit'),
  statusDelayMs: number(values['status-delay'], 'status-delay'),
});
console.log(`AKOOL emulator listening on ${emulator.url}`);
const stop = () => void emulator.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
