// Shared by the benchmarks: TypeScript imports through tsx (so `node bench/x.mjs` works alone), the machine
// description printed with every result, and the test camera.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type as osType } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** os, CPU model and count, memory, Node, and the Chromium the browser benchmarks use. */
export function machine(chromiumVersion) {
  const cpuModel = existsSync('/proc/cpuinfo') ? /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] : cpus()[0]?.model;
  return {
    os: `${osType()} ${release()}`,
    cpuModel: cpuModel ?? 'unknown',
    cpus: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    ...(chromiumVersion ? { chromium: chromiumVersion } : {}),
    loadAverage1m: Math.round(loadavg()[0] * 100) / 100,
  };
}

/** Generates test/fixtures/generated/face.y4m and source-face.jpg when missing. */
export function ensureTestCamera() {
  if (existsSync(join(root, 'test/fixtures/generated/face.y4m')) && existsSync(join(root, 'test/fixtures/generated/source-face.jpg'))) return;
  const made = spawnSync(process.execPath, [join(root, 'scripts/make-test-camera.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (made.status !== 0) throw new Error('scripts/make-test-camera.mjs failed');
}

export const round = (value, digits = 1) =>
  value === undefined || value === null || Number.isNaN(value) ? null : Math.round(value * 10 ** digits) / 10 ** digits;

export function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
