#!/usr/bin/env node
/**
 * The smoke run of every `bench:*` command in README, each at a tiny budget, so that a change
 * which breaks a benchmark fails `npm test` (`npm run test:bench`) instead of rotting unnoticed.
 * The figures it produces mean nothing: it checks that each command runs to the end and writes
 * its results. They go to a temporary folder (`--out`), never over the committed bench/results/.
 *
 *   node scripts/bench-smoke.mjs [speed pilot …]   (default: all of them, in README's order)
 *
 * Needs the production build (`npm run build`; a benchmark rebuilds a stale one) and the
 * prepared datasets, as the e2e suite does. Reduced forms, where a full run needs what CI lacks:
 * - bench:node runs on the wasm backend (its default, webgpu, needs a GPU: Dawn's software
 *   adapter works but takes minutes); without --pilot.
 * - bench:export trains on 256 images (browser pilot, then the exported PyTorch job with one and
 *   two processes).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const results = path.join(root, 'bench', 'results');
const tiny = 'trainLimit=256&testLimit=100&batchSize=64';

/** One entry per README command: its tiny flags, the files it must write, and what its JSON must say. */
const SMOKES = [
  { name: 'speed', flags: ['--backends', 'wasm', '--steps', '2', '--drift', '2', '--warmup', '1', '--repeat', '1', '--batch', '16', '--trainLimit', '512'],
    files: ['speed.json', 'speed.md'], check: (j) => j.perBackend.every((r) => !r.error) && j.studentSamplesPerSec > 0 },
  { name: 'pilot', flags: ['--backend', 'wasm', '--query', tiny],
    files: ['pilot.json', 'pilot.md', 'pilot.png'], check: (j) => j.pilot === 'done' && Object.keys(j.testAccuracy).length === 2 },
  { name: 'methods', flags: ['--dataset', 'mnist', '--seeds', '1', '--epochs', '1', '--trainLimit', '256', '--testLimit', '100', '--methods', 'student-alone,rtk', '--betas', '200'],
    files: ['methods-mnist.json', 'methods-mnist.md'], check: (j) => j.rows.length === 2 && j.rows.every((r) => Number.isFinite(r.testMean)) },
  { name: 'node', flags: ['--backend', 'wasm', '--batch', '16', '--steps', '2', '--drift', '2', '--warmup', '1'],
    files: ['speed-node-wasm.json', 'speed-node-wasm.md'], check: (j) => j.studentSamplesPerSec > 0 },
  { name: 'import', flags: ['--limit', '40'],
    files: ['import.json', 'import.md'], check: (j) => !j.error && j.images === 40 },
  { name: 'teacher', flags: ['--batch', '16', '--runs', '2', '--steps', '2', '--trainLimit', '256', '--testLimit', '100', '--ceilingRuns', '1'],
    files: ['teacher.json', 'teacher.md'], check: (j) => j.browserImagesPerSec > 0 && j.rtkStepSamplesPerSec > 0 && j.baseline.studioSeconds > 0 && j.baseline.wasmInNodeSeconds > 0 && j.baseline.nodeSeconds > 0 },
  { name: 'ui', flags: ['--repeat', '1', '--compositing', 'swiftshader', '--moves', '4', '--trainLimit', '256', '--testLimit', '100', '--settle-max', '1500'],
    files: ['ui.json', 'ui.md', 'ui.png'], check: (j) => j.configs.swiftshader.sliderMoves > 0 && j.bundleGzipBytes > 0 },
  { name: 'photo', flags: ['--count', '60', '--size', '224'],
    files: ['photo-pilot.json', 'photo-pilot.md', 'photo-pilot.png'], check: (j) => j.pilot === 'done' && Number.isFinite(j.baseline.studio) && j.rendererPeakMB > 0 },
  { name: 'export', flags: ['--trainLimit', '256', '--testLimit', '100'],
    files: ['export.json', 'export.md'], check: (j) => Number.isFinite(j.testAccuracy.browser) && Number.isFinite(j.testAccuracy[2]) && j.ranksIdentical === true },
];

/** Every README `bench:*` command must have a smoke entry (a new benchmark cannot skip it). */
function readmeCommands() {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  return [...new Set([...readme.matchAll(/npm run bench:([a-z]+)/g)].map((m) => m[1]))];
}

/** Modification times of the committed results, to prove the smoke run left them alone. */
const stamp = () => (existsSync(results) ? readdirSync(results).map((f) => `${f}:${statSync(path.join(results, f)).mtimeMs}`).join('|') : '');

const missing = readmeCommands().filter((c) => !SMOKES.some((s) => s.name === c));
if (missing.length) {
  console.error(`bench-smoke: README lists bench:${missing.join(', bench:')} with no smoke entry: add one to scripts/bench-smoke.mjs`);
  process.exit(1);
}
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !SMOKES.some((s) => s.name === w));
if (unknown.length) { console.error(`bench-smoke: unknown benchmark ${unknown.join(', ')}; use ${SMOKES.map((s) => s.name).join(', ')}`); process.exit(2); }
const chosen = wanted.length ? SMOKES.filter((s) => wanted.includes(s.name)) : SMOKES;

const tmp = mkdtempSync(path.join(os.tmpdir(), 'rtk-bench-smoke-'));
const before = stamp();
const failures = [];
const t0 = Date.now();
for (const s of chosen) {
  const out = path.join(tmp, s.name);
  const t = Date.now();
  console.log(`\n== bench:${s.name} (smoke) → ${out}`);
  const r = spawnSync('npm', ['run', '--silent', `bench:${s.name}`, '--', ...s.flags, '--out', out], { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
  const secs = ((Date.now() - t) / 1000).toFixed(0);
  let why = r.status !== 0 ? `exited with ${r.status ?? r.signal}` : null;
  if (!why) {
    const absent = s.files.filter((f) => !existsSync(path.join(out, f)));
    if (absent.length) why = `did not write ${absent.join(', ')}`;
  }
  if (!why) {
    try {
      const json = JSON.parse(readFileSync(path.join(out, s.files[0]), 'utf8'));
      if (!s.check(json)) why = `${s.files[0]} does not hold the expected figures`;
    } catch (e) { why = `${s.files[0]}: ${e instanceof Error ? e.message : String(e)}`; }
  }
  console.log(`== bench:${s.name}: ${why ? `FAILED (${why})` : 'ok'} in ${secs} s`);
  if (why) failures.push(`bench:${s.name} ${why} (npm run bench:${s.name} -- ${s.flags.join(' ')} --out ${out})`);
}
if (stamp() !== before) failures.push('bench/results/ changed during the smoke run: a benchmark ignored --out');
const total = ((Date.now() - t0) / 1000).toFixed(0);
if (failures.length) {
  console.error(`\nbench-smoke: ${failures.length} of ${chosen.length} failed in ${total} s (outputs kept in ${tmp}):\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
rmSync(tmp, { recursive: true, force: true });
console.log(`\nbench-smoke: ${chosen.length} benchmarks ran at a tiny budget in ${total} s`);
