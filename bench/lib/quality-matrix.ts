// The camera x source quality matrix of bench/engine.ts --quality: what does not depend on the pair is analysed
// once and kept on disk, every pair's result is written as it finishes (an interrupted run continues where it
// stopped), and docs/quality/matrix.json and the README's results table are made from those results.
//
// On disk, under test/fixtures/generated/quality/cache/ (never committed), each file named by a key over what it
// depends on, so a changed input is never served from an old result:
// - cameras/<camera>.<key>.json: face-api (and human) analyses of a camera's sampled frames and its source-free
//   controls. Key: the .y4m's hash, the analysing code (ANALYSIS_FILES), the models' package versions, the options,
//   the frames the camera's catalogue entry lists.
// - sources/<source>.<key>.json: the same for a source photo.
// - paste/<camera>--<source>.<key>.json: the analysed static-paste control of a pair (no engine in it).
// - pairs/<camera>--<source>.<key>.json: a pair's result. Key: the above, every file of src/engine and
//   src/core, and the metrics (quality-metrics.ts): a changed engine is measured again.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, relative } from 'node:path';
import type { Page } from 'puppeteer-core';
import type { PageOptions, StoredAnalyses } from '../engine-quality-page.js';

export interface MatrixOptions extends PageOptions {
  pictureWidth: number;
}

interface Entry {
  name: string;
  file: string;
  /** A camera's frame ranges (first-last) analysed besides the bursts (scripts/make-test-camera.mjs). */
  analyse?: Array<[number, number]>;
}

/** The frames of inclusive [first, last] ranges (a camera's `analyse` entry, bench/engine.ts --analyse). */
export const rangeFrames = (ranges: Entry['analyse'] = []) => ranges.flatMap(([from, to]) => Array.from({ length: to - from + 1 }, (_, k) => from + k));

/** The code whose output the analysis caches hold. */
const ANALYSIS_FILES = [
  'test/browser/face/quality-run.ts',
  'test/browser/face/face-check.ts',
  'test/browser/face/second-identity.ts',
  'test/browser/face/y4m-camera.ts',
  'src/engine/human-config.ts',
];
const MODEL_PACKAGES = ['@vladmandic/face-api', '@vladmandic/human', '@tensorflow/tfjs-backend-wasm'];
/** The code a pair's result depends on beyond the analysis: the engine and how its output is scored. */
const ENGINE_DIRS = ['src/engine', 'src/core'];
const METRIC_FILES = ['test/browser/face/quality-metrics.ts'];

export const MATRIX_JSON = 'docs/quality/matrix.json';
const README_START = '<!-- quality-matrix:start (bench/engine.ts --quality --matrix writes this table from docs/quality/matrix.json) -->';
const README_END = '<!-- quality-matrix:end -->';

const sha = (...parts: Array<string | Buffer>) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
};

function filesUnder(root: string, dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
}

function codeHash(root: string, files: string[]): string {
  return sha(...files.flatMap((f) => [f, readFileSync(join(root, f))]));
}

/** Writes through a temporary file, so an interrupted run never leaves half a result behind. */
function writeJson(file: string, value: unknown, indent?: number): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify(value, null, indent)}\n`);
  renameSync(`${file}.tmp`, file);
}

const readJson = <T>(file: string): T | null => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : null);

const load1m = () => Math.round(loadavg()[0] * 10) / 10;

function git(root: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
}

/**
 * The commit the engine's figures are for (the last one that changed src/engine or src/core), the checked-out
 * commit (how it was measured), and whether the engine or the quality code differ from it in the working tree.
 */
function engineCommit(root: string) {
  const [commit, subject] = git(root, 'log', '-1', '--format=%H%n%s', '--', ...ENGINE_DIRS).split('\n');
  const dirty = git(root, 'status', '--porcelain', '--', ...ENGINE_DIRS, ...ANALYSIS_FILES, ...METRIC_FILES) !== '';
  return { commit, subject, checkedOut: git(root, 'rev-parse', 'HEAD'), dirty };
}

interface PairRecord {
  camera: string;
  source: string;
  key: string;
  browser: string;
  measuredAt: string;
  /** Load average (1 min) when the pair started and ended, and its wall time. */
  machine: { loadStart: number; loadEnd: number; seconds: number };
  result?: unknown;
  error?: string;
}

export interface MatrixRun {
  root: string;
  page: Page;
  browserVersion: string;
  cameras: Entry[];
  sources: Entry[];
  options: MatrixOptions;
  picturesDir?: string;
  /** Ignore stored pair results (analyses are still reused). */
  fresh: boolean;
  /** False: only collect the stored results of the current keys, measure nothing. */
  measure: boolean;
  /** Measure the static-paste control on every pair, not only in the first round. */
  pasteEveryPair: boolean;
}

/**
 * The pairs in rounds: round r pairs camera i with source (i + r) mod the number of sources, so an unfinished run
 * has measured every camera and every source about equally often.
 */
function roundOrder(cameras: Entry[], sources: Entry[]): Array<{ camera: Entry; source: Entry; round: number }> {
  const order: Array<{ camera: Entry; source: Entry; round: number }> = [];
  const rounds = Math.max(cameras.length, sources.length);
  for (let round = 0; round < rounds; round++) {
    cameras.forEach((camera, i) => {
      if (round < sources.length) order.push({ camera, source: sources[(i + round) % sources.length], round });
    });
  }
  // Fewer cameras than sources: the rounds above reach every pair only if each camera meets every source.
  const seen = new Set(order.map((p) => `${p.camera.name} x ${p.source.name}`));
  for (const camera of cameras) for (const source of sources) if (!seen.has(`${camera.name} x ${source.name}`)) order.push({ camera, source, round: rounds });
  return order;
}

/**
 * Measures every camera x source pair not already stored under the current keys, in rounds (roundOrder), and
 * returns the records of all selected pairs. The static-paste control, which costs as much as the engine's own
 * analysis, is measured in the first round only (each camera and each source once) unless `pasteEveryPair`.
 */
export async function runMatrix(run: MatrixRun): Promise<PairRecord[]> {
  const { root, page, options } = run;
  const cache = join(root, 'test/fixtures/generated/quality/cache');
  const base = join(root, 'test/fixtures/generated/quality');
  const { pictureWidth: _width, ...analysisOptions } = options;
  const analysisVersion = sha(
    codeHash(root, ANALYSIS_FILES),
    JSON.stringify(MODEL_PACKAGES.map((p) => (JSON.parse(readFileSync(join(root, 'node_modules', p, 'package.json'), 'utf8')) as { version: string }).version)),
    JSON.stringify(analysisOptions),
  );
  const engineVersion = sha(codeHash(root, [...ENGINE_DIRS.flatMap((d) => filesUnder(root, d)), ...METRIC_FILES]), analysisVersion);
  const fileHashes = new Map<string, string>();
  const fileHash = (file: string) => {
    if (!fileHashes.has(file)) fileHashes.set(file, sha(readFileSync(join(base, file))).slice(0, 16));
    return fileHashes.get(file)!;
  };
  const key = (...parts: string[]) => sha(...parts).slice(0, 16);
  const cameraKey = (c: Entry) => key(fileHash(c.file), analysisVersion, JSON.stringify(c.analyse ?? []));
  const sourceKey = (s: Entry) => key(fileHash(s.file), analysisVersion);
  const pairFile = (c: Entry, s: Entry) => join(cache, 'pairs', `${c.name}--${s.name}.${key(cameraKey(c), sourceKey(s), engineVersion)}.json`);

  const records: PairRecord[] = [];
  let cameraInPage: string | null = null;
  const sourcesInPage = new Set<string>();
  const failedSources = new Map<string, string>();
  const loadCamera = async (camera: Entry) => {
    if (cameraInPage === camera.name) return;
    const started = Date.now();
    const file = join(cache, 'cameras', `${camera.name}.${cameraKey(camera)}.json`);
    const stored = readJson<StoredAnalyses>(file) ?? {};
    const analysed = await page.evaluate(
      (n, u, o, s) => (window as any).qualityCamera(n, u, o, s),
      camera.name,
      `/fixtures/quality/${camera.file}`,
      { ...options, alsoFrames: rangeFrames(camera.analyse) },
      stored,
    );
    writeJson(file, analysed.analyses);
    cameraInPage = camera.name;
    console.error(
      `${camera.name}: ${Object.keys(stored).length ? 'loaded, analyses from the cache,' : 'analysed'} in ${Math.round((Date.now() - started) / 1000)} s`,
    );
  };
  const loadSource = async (source: Entry) => {
    if (sourcesInPage.has(source.name) || failedSources.has(source.name)) return;
    const file = join(cache, 'sources', `${source.name}.${sourceKey(source)}.json`);
    try {
      const stored = readJson<StoredAnalyses>(file) ?? {};
      writeJson(
        file,
        await page.evaluate((n, u, o, s) => (window as any).qualitySource(n, u, o, s), source.name, `/fixtures/quality/${source.file}`, options, stored),
      );
      sourcesInPage.add(source.name);
    } catch (error) {
      // A source no analysing model finds a face in, say: recorded for each of its pairs, and the matrix goes on.
      failedSources.set(source.name, String(error));
    }
  };

  for (const { camera, source, round } of roundOrder(run.cameras, run.sources)) {
    const file = pairFile(camera, source);
    const done = run.fresh ? null : readJson<PairRecord>(file);
    if (done || !run.measure) {
      if (done) records.push(done);
      continue;
    }
    const record: PairRecord = {
      camera: camera.name,
      source: source.name,
      key: file.split('.').at(-2)!,
      browser: run.browserVersion,
      measuredAt: new Date().toISOString(),
      machine: { loadStart: load1m(), loadEnd: 0, seconds: 0 },
    };
    const started = Date.now();
    await loadCamera(camera);
    await loadSource(source);
    const sourceError = failedSources.get(source.name);
    if (sourceError) {
      record.error = sourceError;
    } else {
      const withPaste = run.pasteEveryPair || round === 0;
      const pasteFile = join(cache, 'paste', `${camera.name}--${source.name}.${key(cameraKey(camera), sourceKey(source))}.json`);
      try {
        const measured = await page.evaluate(
          (c, s, o, p, w) => (window as any).qualityPair(c, s, o, p, w),
          camera.name,
          source.name,
          options,
          readJson<StoredAnalyses>(pasteFile) ?? {},
          withPaste,
        );
        if (withPaste) writeJson(pasteFile, measured.pasteAnalyses);
        record.result = measured.result;
        if (run.picturesDir && measured.worst) {
          writeFileSync(join(run.picturesDir, `${camera.name}--${source.name}.png`), Buffer.from(measured.worst.png.split(',')[1], 'base64'));
        }
      } catch (error) {
        // The run was stopped or the page crashed: nothing is recorded, so the next run measures this pair.
        if (page.isClosed() || !page.browser().connected) throw error;
        // A pair the page cannot measure is recorded with its reason, and the matrix goes on.
        record.error = String(error);
      }
    }
    record.machine = { loadStart: record.machine.loadStart, loadEnd: load1m(), seconds: Math.round((Date.now() - started) / 100) / 10 };
    writeJson(file, record);
    records.push(record);
    console.error(pairLine(record));
  }
  return records;
}

function pairLine(r: PairRecord): string {
  const head = `${r.camera} x ${r.source} (${r.machine.seconds} s, load ${r.machine.loadStart}-${r.machine.loadEnd})`;
  if (r.error) return `${head}: ${r.error}`;
  const { engine: e, controlsFail } = r.result as any;
  return (
    `${head}, engine ${e.seconds} s: detected ${e.alignment.detectedShare} landmarks p95 ${e.alignment.landmarkErrorP95} (68: ${e.alignment.landmarkErrorP95WithJaw}) ` +
    `mouth ${e.expression.mouthCarried} eyes ${e.expression.eyeCarried} folds ${e.folds?.maxFoldedPixels} seams ${e.seams.ratio}/${e.seams.worstSectorRatio}/top ${e.seams.topSectorRatio} ` +
    `jitter ${e.temporal.landmarkJitterExcess}/${e.temporal.brightnessJitterExcess} identity ${e.identity.faceApi.closerToSourceShare}/${e.identity.human.closerToSourceShare} ` +
    `misses: ${misses(e).join(', ') || 'none'}; controls fail: ${JSON.stringify(controlsFail)}`
  );
}

/** The targets a pair's engine result misses (QualityMetrics.pass false). */
function misses(engine: { pass: Record<string, boolean | null> }): string[] {
  return Object.entries(engine.pass)
    .filter(([, ok]) => ok === false)
    .map(([metric]) => metric);
}

export interface Matrix {
  engine: { commit: string; subject: string; checkedOut: string; dirty: boolean };
  browser: string;
  options: MatrixOptions;
  machine: { cores: number; loadMin: number | null; loadMax: number | null; firstPairAt: string | null; lastPairAt: string | null };
  cameras: string[];
  sources: string[];
  measured: number;
  pairs: PairRecord[];
  notMeasured: Array<{ camera: string; source: string }>;
}

/**
 * Eye closure is judged only on cameras whose catalogue entry lists blink frames (`analyse`: franck-blink). The pixel
 * measure (eyeContrast in quality-metrics.ts) also moves when the light changes (photo-light: input amplitude 0.49,
 * as much as a blink) or an eye leaves the frame (photo-edge: 0.47), and a still photo never blinks: there the
 * figure is kept in matrix.json (`eyeCarried`) but its verdict and its control's are set to null (not judged).
 */
function withEyesJudgedOnBlinks(record: PairRecord, camera: Entry | undefined): PairRecord {
  const result = record.result as { engine: { pass: Record<string, boolean | null> }; controlsFail: Record<string, boolean | null> } | undefined;
  if (!result || camera?.analyse?.length) return record;
  return {
    ...record,
    result: {
      ...result,
      engine: { ...result.engine, pass: { ...result.engine.pass, eyes: null } },
      controlsFail: { ...result.controlsFail, eyes: null },
    },
  };
}

/** The matrix of `cameras` x `sources` from the records, the pairs without one listed as not measured. */
export function buildMatrix(root: string, options: MatrixOptions, cameras: Entry[], sources: Entry[], records: PairRecord[]): Matrix {
  const cameraByName = new Map(cameras.map((c) => [c.name, c]));
  const byPair = new Map(records.map((r) => [`${r.camera} x ${r.source}`, withEyesJudgedOnBlinks(r, cameraByName.get(r.camera))]));
  const pairs = cameras.flatMap((c) => sources.map((s) => byPair.get(`${c.name} x ${s.name}`))).filter((r): r is PairRecord => r !== undefined);
  const loads = pairs.flatMap((p) => [p.machine.loadStart, p.machine.loadEnd]);
  const times = pairs.map((p) => p.measuredAt).sort();
  const matrix: Matrix = {
    engine: engineCommit(root),
    browser: [...new Set(pairs.map((p) => p.browser))].join(', '),
    options,
    machine: {
      cores: cpus().length,
      loadMin: loads.length ? Math.min(...loads) : null,
      loadMax: loads.length ? Math.max(...loads) : null,
      firstPairAt: times[0] ?? null,
      lastPairAt: times.at(-1) ?? null,
    },
    cameras: cameras.map((c) => c.name),
    sources: sources.map((s) => s.name),
    measured: pairs.filter((p) => p.result).length,
    pairs,
    notMeasured: cameras.flatMap((c) => sources.filter((s) => !byPair.has(`${c.name} x ${s.name}`)).map((s) => ({ camera: c.name, source: s.name }))),
  };
  return matrix;
}

export function writeMatrix(root: string, matrix: Matrix): void {
  writeJson(join(root, MATRIX_JSON), matrix, 1);
}

/** Whether each metric's negative control failed it: `fail` as it must, or the metrics whose control passed. */
function controlsColumn(result: { controls: { paste: unknown } | null; controlsFail: Record<string, boolean | null> }): string {
  if (!result.controls) return 'not run';
  const held = Object.entries(result.controlsFail)
    .filter(([, failed]) => failed === false)
    .map(([metric]) => metric);
  const fail = held.length ? `**passed ${held.join(', ')}** ✗` : 'fail';
  return result.controls.paste ? fail : `${fail} (no paste)`;
}

/** The README's camera x source table: the engine's figures, each marked with its target met or not. */
export function markdownTable(matrix: Matrix): string {
  const mark = (ok: boolean | null, text: unknown) => (ok === null ? `${text ?? 'n/a'}` : ok ? `${text}` : `**${text}** ✗`);
  const rows = matrix.pairs.map((p) => {
    if (!p.result) return `| ${p.camera} | ${p.source} | not measured: ${p.error} |||||||||||`;
    const { engine: e } = p.result as any;
    const identity =
      e.identity.sourceToCamera !== null && e.pass.identity === null && e.identity.faceApi.closerToSourceShare !== null ? ' (same person, not judged)' : '';
    const eyes = e.pass.eyes === null && e.expression.eyeCarried !== null ? ' (no blinks, not judged)' : '';
    const elsewhere = e.alignment.elsewhereFrames ? ` (${e.alignment.elsewhereFrames} of ${e.analysedFrames} frames another person swapped, left out)` : '';
    return (
      `| ${p.camera} | ${p.source} | ${mark(e.pass.detected, e.alignment.detectedShare)}${elsewhere} | ${mark(e.pass.landmarks, `${e.alignment.landmarkErrorP95} / ${e.alignment.landmarkErrorP95WithJaw ?? 'n/a'}`)} | ` +
      `${mark(e.pass.folds, e.folds?.maxFoldedPixels)} | ${mark(e.pass.mouth, e.expression.mouthCarried)} | ${mark(e.pass.eyes, e.expression.eyeCarried)}${eyes} | ` +
      `${mark(e.pass.seams, `${e.seams.ratio} / ${e.seams.worstSectorRatio ?? 'n/a'}`)} | ${mark(e.pass.jitter, `${e.temporal.landmarkJitterExcess} / ${e.temporal.brightnessJitterExcess}`)} | ` +
      `${mark(e.pass.identity, e.identity.faceApi.closerToSourceShare)}${identity} (${e.identity.human.closerToSourceShare ?? 'n/a'}) | ` +
      `${e.fadedClipFrames}/${e.clipFrames} | ${misses(e).length} | ${controlsColumn(p.result as any)} |`
    );
  });
  return [
    '| camera | source | face kept (≥ 0.98) | landmark error p95, 51 inner points / all 68 (≤ 0.08 inner) | folded px (0) | mouth carried (≥ 0.7) | eyes carried (≥ 0.7) | border ΔE ratio, ring / worst sector (≤ 1.5) | jitter excess (≤ 0.02 / 1.5 L*) | closer to source (≥ 0.9), face-api (human) | faded frames | misses | controls |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** The text between the README's matrix markers: which engine, when, under what load, the table, what is missing. */
export function readmeSection(matrix: Matrix): string {
  const { engine, machine, options } = matrix;
  const day = (iso: string | null) => iso?.slice(0, 16).replace('T', ' ') ?? '?';
  const total = matrix.cameras.length * matrix.sources.length;
  const errors = matrix.pairs.filter((p) => !p.result);
  const meetAll = matrix.pairs.filter((p) => p.result && misses((p.result as any).engine).length === 0).length;
  const header =
    `Engine as of commit \`${engine.commit.slice(0, 10)}\` ("${engine.subject}", the last to change src/engine or src/core)` +
    `${engine.dirty ? ', with uncommitted changes to the engine or the quality code' : ''}; ` +
    `measured ${day(machine.firstPairAt)} to ${day(machine.lastPairAt)} UTC in ${matrix.browser}, load average (1 min) ${machine.loadMin}–${machine.loadMax} ` +
    `on ${machine.cores} cores (each frame waits for the landmark model${options.realtime ? ': no, --realtime' : ''}, so load slows the run, not the figures). ` +
    `${options.bursts} bursts of ${options.burstLength} analysed frames over ${options.maxFrames ? `the first ${options.maxFrames}` : 'all'} frames of each camera, ` +
    `plus the frames a camera's catalogue entry lists (franck-blink's blinks); ` +
    `${options.secondModel ? "human's recognition model in brackets" : "human's model not run"}. ` +
    `**${matrix.measured} of ${total} pairs measured, ${meetAll} of them meet every target.**`;
  const missing = matrix.cameras
    .map((camera) => [camera, matrix.notMeasured.filter((p) => p.camera === camera).map((p) => p.source)] as const)
    .filter(([, sources]) => sources.length > 0)
    .map(([camera, sources]) => `- ${camera} x ${sources.length === matrix.sources.length ? 'every source' : sources.join(', ')}`);
  const notMeasured = missing.length ? `\n\n**Not measured** (the run did not reach them, ${matrix.notMeasured.length} pairs):\n\n${missing.join('\n')}` : '';
  const failed = errors.length ? `\n\nCould not be measured: ${errors.map((p) => `${p.camera} x ${p.source} (${p.error})`).join('; ')}.` : '';
  return `${header}\n\n${markdownTable(matrix)}${notMeasured}${failed}`;
}

/** Replaces the text between the README's matrix markers with readmeSection(matrix). */
export function updateReadme(root: string, matrix: Matrix): void {
  const file = join(root, 'README.md');
  const readme = readFileSync(file, 'utf8');
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${README_START} ... ${README_END} markers`);
  writeFileSync(file, `${readme.slice(0, start + README_START.length)}\n${readmeSection(matrix)}\n${readme.slice(end)}`);
}
