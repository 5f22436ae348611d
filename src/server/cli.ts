#!/usr/bin/env node
/**
 * The `faceswap-elements` command: `doctor` checks a real AKOOL account (doctor.ts), `emulator` serves the AKOOL
 * emulator (emulator/cli.ts). Each subcommand's code loads only when it runs.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import type { AkoolAuth } from './akool-client.js';

const USAGE = `Usage:
  faceswap-elements doctor [--key-file <path>] [--base-url <url>] [--queue-wait <s>] [--browser-wait <s>] [--no-browser] [--json]
      Checks your AKOOL account with one throwaway session (closed at the end, also on Ctrl-C).
      The key comes from AKOOL_API_KEY, or --key-file, or AKOOL_CLIENT_ID + AKOOL_CLIENT_SECRET.
      For the Agora channel it prints a http://127.0.0.1 URL to open in a browser on this machine
      and waits --browser-wait seconds (default 120) for that page; --no-browser skips the step.
  faceswap-elements emulator [--port <n>] [--reading <name>=<value> ...]  (--help for every option)
      Serves the AKOOL emulator for development and tests.`;

/** What the emulator's face detector loads (optional peer dependencies of this package). */
const EMULATOR_PEERS = ['sharp', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@vladmandic/face-api/dist/face-api.node-wasm.js'];

async function doctor(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'key-file': { type: 'string' },
      'base-url': { type: 'string' },
      'queue-wait': { type: 'string', default: '120' },
      'browser-wait': { type: 'string', default: '120' },
      'no-browser': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const queueWaitS = Number(values['queue-wait']);
  if (!Number.isFinite(queueWaitS) || queueWaitS < 0) throw new UsageError('--queue-wait must be a number of seconds');
  const browserWaitS = Number(values['browser-wait']);
  if (!Number.isFinite(browserWaitS) || browserWaitS <= 0) throw new UsageError('--browser-wait must be a positive number of seconds');
  const auth = await readAuth(values['key-file']);
  const { runDoctor, formatReport } = await import('./doctor.js');
  const abort = new AbortController();
  const onSignal = () => abort.abort(new DOMException('Stopped by the user.', 'AbortError'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const baseUrl = values['base-url'] ?? process.env.AKOOL_BASE_URL;
    // The URL goes to stderr, for the person at the terminal; stdout carries only the report.
    const onUrl = (url: string) =>
      console.error(
        `\nOpen this page in a browser on this machine within ${browserWaitS} s: it joins the throwaway session's Agora channel and sends the doctor's photo as video (no camera needed).\nThe link holds the session's RTC token: do not share it.\n\n  ${url}\n`,
      );
    const browser = values['no-browser'] ? undefined : { waitMs: browserWaitS * 1000, onUrl };
    const report = await runDoctor({ auth, baseUrl, queueWaitMs: queueWaitS * 1000, browser, signal: abort.signal });
    console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
    return report.ok ? 0 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function readAuth(keyFile: string | undefined): Promise<AkoolAuth> {
  if (keyFile) {
    const apiKey = (await readFile(keyFile, 'utf8')).trim();
    if (!apiKey) throw new UsageError(`${keyFile} is empty`);
    return { apiKey };
  }
  const { AKOOL_API_KEY: apiKey, AKOOL_CLIENT_ID: clientId, AKOOL_CLIENT_SECRET: clientSecret } = process.env;
  if (apiKey) return { apiKey };
  if (clientId && clientSecret) return { clientId, clientSecret };
  throw new UsageError('No key: set AKOOL_API_KEY (or AKOOL_CLIENT_ID and AKOOL_CLIENT_SECRET), or pass --key-file');
}

async function emulator(argv: string[]): Promise<number> {
  const require = createRequire(import.meta.url);
  const missing = EMULATOR_PEERS.filter((name) => {
    try {
      require.resolve(name);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0) {
    const peers = require('../../package.json') as { peerDependencies: Record<string, string> };
    const names = ['sharp', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@vladmandic/face-api'];
    console.error(
      `The emulator's face detector needs packages that are not installed. Run:\n  npm install --save-dev ${names.map((n) => `${n}@${peers.peerDependencies[n]}`).join(' ')}`,
    );
    return 1;
  }
  const { emulatorCli } = await import('./emulator/cli.js');
  return emulatorCli(argv);
}

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'doctor') return await doctor(rest);
    if (command === 'emulator') return await emulator(rest);
    console.log(USAGE);
    return command === undefined || command === '--help' || command === 'help' ? 0 : 2;
  } catch (error) {
    if (!(error instanceof UsageError) && !(error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
