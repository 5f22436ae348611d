// `npm run bench`: runs every benchmark under bench/ one after another (each also runs alone) and prints one
// JSON object keyed by benchmark, with the machine it ran on. A benchmark that fails is reported with its
// error and the exit code is 1.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const BENCHES = [
  ['weight', ['bench/weight.mjs']],
  ['timeToLive', ['bench/time-to-live.mjs']],
  ['leaks', ['bench/leaks.mjs']],
  ['tokenEndpoint', ['bench/endpoint.mjs']],
  ['uploadAttack', ['bench/upload-attack.mjs']],
  ['engine', ['--import', 'tsx', 'bench/engine.ts']],
  ['demoPage', ['bench/demo-page.mjs']],
  ['demoPageFallback', ['bench/demo-page.mjs', '--no-track-processor']],
].filter(([, args]) =>
  existsSync(
    join(
      root,
      args.find((arg) => /\.(mjs|ts)$/.test(arg)),
    ),
  ),
);

function run(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => {
      err += d;
      process.stderr.write(d);
    });
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** The JSON object a benchmark printed (the last one, if it printed progress before it). */
function lastJson(text) {
  const trimmed = text.trim();
  try {
    return JSON.parse(trimmed);
  } catch {
    for (let at = trimmed.lastIndexOf('\n{'); at >= 0; at = trimmed.lastIndexOf('\n{', at - 1)) {
      try {
        return JSON.parse(trimmed.slice(at + 1));
      } catch {
        // an earlier line, then
      }
    }
  }
  throw new Error('the benchmark printed no JSON');
}

const results = {};
let failed = false;
for (const [name, args] of BENCHES) {
  process.stderr.write(`bench: ${name}...\n`);
  const started = Date.now();
  const { code, out, err } = await run(args);
  try {
    if (code !== 0) throw new Error(`exit code ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`);
    const result = lastJson(out);
    delete result.machine;
    results[name] = { ...result, wallSeconds: Math.round((Date.now() - started) / 100) / 10 };
  } catch (error) {
    failed = true;
    results[name] = { error: error instanceof Error ? error.message : String(error) };
  }
}

const { machine } = await import('./lib/common.mjs');
const executablePath = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => existsSync(p));
let chromium;
try {
  const browser = await puppeteer.launch({ executablePath, headless: true, args: ['--no-sandbox', '--headless=new'] });
  chromium = await browser.version();
  await browser.close();
} catch {
  chromium = 'unavailable';
}
console.log(JSON.stringify({ date: new Date().toISOString(), machine: machine(chromium), ...results }, null, 2));
process.exitCode = failed ? 1 : 0;
