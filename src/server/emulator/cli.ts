/**
 * `faceswap-elements emulator [--port <n>] [--host <h>] [--api-key <key>] [--client-id <id>] [--client-secret <s>]
 *   [--credit <seconds>] [--status-delay <ms>] [--reading <name>=<value> ...]`
 * Serves the AKOOL emulator with AKOOL's paths at its root and prints its URL when ready. Each `--reading`
 * switches one answer to a point AKOOL's docs leave open (readings.ts), e.g. `--reading videoUid=other`.
 */
import { parseArgs } from 'node:util';
import { READING_VALUES, type EmulatorReadings } from './readings.js';
import { startEmulator } from './server.js';

export const EMULATOR_USAGE = `faceswap-elements emulator [options]
  --port <n>              port to listen on (default 8787, 0 = any free port)
  --host <h>              address to bind (default 127.0.0.1)
  --api-key <key>         the API key it accepts (default: AKOOL_EMULATOR_API_KEY, else emulator-api-key)
  --client-id <id>        getToken's clientId (default emulator-client-id)
  --client-secret <s>     getToken's clientSecret (default: the API key)
  --credit <seconds>      live-session credit before create answers 1104 (default 36000)
  --status-delay <ms>     queue time before faceswap_status 2 (same as --reading queueMs=<ms>)
  --reading <name=value>  one reading of an open question, repeatable:
${Object.entries(READING_VALUES)
  .map(([name, values]) => `                            ${name}=${name === 'queueMs' ? '<ms>' : values.join('|')}`)
  .join('\n')}`;

class UsageError extends Error {}

function nonNegative(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new UsageError(`--${name} must be a non-negative number`);
  return value;
}

/** `name=value` pairs to readings; an unknown name or a value outside the reading's list is a usage error. */
export function parseReadingFlags(pairs: readonly string[]): Partial<EmulatorReadings> {
  const readings: Record<string, unknown> = {};
  for (const pair of pairs) {
    const [name = '', text = ''] = pair.split('=', 2);
    if (!(name in READING_VALUES)) throw new UsageError(`--reading ${pair}: unknown reading (one of ${Object.keys(READING_VALUES).join(', ')})`);
    const allowed = READING_VALUES[name as keyof EmulatorReadings] as readonly unknown[];
    const value = name === 'queueMs' ? nonNegative(text, `reading ${name}`) : allowed.find((v) => String(v) === text);
    if (value === undefined) throw new UsageError(`--reading ${pair}: ${name} is one of ${allowed.join(', ')}`);
    readings[name] = value;
  }
  return readings as Partial<EmulatorReadings>;
}

/** Runs the emulator until SIGINT/SIGTERM. Answers 2 for bad flags. */
export async function emulatorCli(argv: string[]): Promise<number> {
  let options;
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '8787' },
        host: { type: 'string', default: '127.0.0.1' },
        'api-key': { type: 'string' },
        'client-id': { type: 'string' },
        'client-secret': { type: 'string' },
        credit: { type: 'string' },
        'status-delay': { type: 'string' },
        reading: { type: 'string', multiple: true, default: [] },
        help: { type: 'boolean' },
      },
    });
    if (values.help) {
      console.log(EMULATOR_USAGE);
      return 0;
    }
    options = {
      port: nonNegative(values.port, 'port'),
      host: values.host,
      apiKey: values['api-key'] ?? process.env.AKOOL_EMULATOR_API_KEY,
      clientId: values['client-id'],
      clientSecret: values['client-secret'],
      credit: nonNegative(values.credit, 'credit'),
      statusDelayMs: nonNegative(values['status-delay'], 'status-delay'),
      readings: parseReadingFlags(values.reading),
    };
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${EMULATOR_USAGE}`);
    return 2;
  }
  const emulator = await startEmulator(options);
  console.log(`AKOOL emulator listening on ${emulator.url}`);
  console.log(`Readings: ${JSON.stringify(emulator.state().readings)}`);
  await new Promise<void>((resolve) => {
    const stop = () => void emulator.close().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
