#!/usr/bin/env node
/**
 * Benchmarks that drive the real studio (production build, real worker) in headless Chromium
 * and write JSON + Markdown under bench/results/, each with machine, browser, backend, adapter
 * and batch size.
 *
 *   npm run bench:speed   [-- --backends wasm,cpu,webgpu --steps 100 --drift 500 --batch 128 --repeat 3]
 *   npm run bench:pilot   [-- --backend auto --query 'batchSize=64' --name pilot-b64]
 *   npm run bench:methods -- --dataset fashion-mnist --seeds 3 [--epochs 1 --trainLimit 0]
 *   npm run bench:teacher [-- --batch 128 --runs 30 --steps 40]   (with tsx: bench/teacher.mjs imports TypeScript)
 *   npm run bench:import  [-- --limit 50000 --keep /tmp/dir]
 *   npm run bench:photo   [-- --count 1000 --size 224 --keep /tmp/photos]   (issue 26: 224×224 photos and MobileNetV2)
 *
 * Every mode takes `--out DIR` (default bench/results): the smoke run of `npm test`
 * (scripts/bench-smoke.mjs) writes to a temporary folder, never over the committed figures.
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { preview } from 'vite';
// Each mode's module is loaded only when it runs: bench/teacher.mjs imports TypeScript (needs tsx), the rest run under plain node.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mode = process.argv[2];
const args = parseArgs(process.argv.slice(3));
const outDir = args.out ? path.resolve(String(args.out)) : path.join(root, 'bench', 'results');

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) {
      const key = argv[i].slice(2);
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) out[key] = true;
      else { out[key] = next; i++; }
    }
  }
  return out;
}

export function machine() {
  const cpus = os.cpus();
  return { cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, memGiB: Math.round(os.totalmem() / 2 ** 30), os: `${os.type()} ${os.release()}`, node: process.version };
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
  '--enable-unsafe-webgpu', '--use-angle=swiftshader'];

/** Newest modification time (ms) of the files under `dir` (0 if it is missing). */
function newest(dir) {
  if (!existsSync(dir)) return 0;
  const st = statSync(dir);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(dir).reduce((m, f) => Math.max(m, newest(path.join(dir, f))), 0);
}

export async function withStudio(fn) {
  const built = path.join(root, 'dist', 'index.html');
  // A build older than the sources would measure old code: rebuild then (or when asked to).
  const sources = Math.max(...['src', 'index.html', 'vite.config.ts', path.join('public', 'teachers')].map((p) => newest(path.join(root, p))));
  if (!existsSync(built) || args.build || statSync(built).mtimeMs < sources) {
    execSync('npx vite build', { cwd: root, stdio: 'inherit' });
  }
  if (!existsSync(path.join(root, 'dist', 'datasets', 'mnist', 'manifest.json'))) {
    throw new Error('dist/datasets/mnist is missing: run npm run datasets, then npm run build (or pass --build).');
  }
  const server = await preview({ root, logLevel: 'warn', preview: { host: '127.0.0.1', port: 0 } });
  const { port } = server.httpServer.address();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    return await fn({ browser, baseUrl: `http://127.0.0.1:${port}`, browserVersion: browser.version() });
  } finally {
    await browser.close();
    await new Promise((r) => server.httpServer.close(r));
  }
}

export async function openStudio(browser, url) {
  // No service worker: its precache download (vite.config.ts pwa) would run beside what is measured.
  const page = await browser.newPage({ serviceWorkers: 'block' });
  page.on('console', (m) => { if (m.type() === 'error') console.error('[page]', m.text()); });
  await page.goto(url);
  await page.waitForFunction(() => document.querySelector('[data-testid="backend-name"]') !== null, null, { timeout: 180_000 });
  const backend = (await page.getByTestId('backend-name').textContent()) ?? '';
  const fallbacks = await page.locator('.badge').getAttribute('title');
  const detail = page.getByTestId('backend-adapter');
  const adapter = (await detail.count()) > 0 ? `${backend} · ${await detail.textContent()}` : backend;
  return { page, backend, adapter, fallbacks };
}

function save(name, json, markdown) {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, `${name}.json`), JSON.stringify(json, null, 2) + '\n');
  writeFileSync(path.join(outDir, `${name}.md`), markdown + '\n');
  console.log(markdown);
  console.log(`\nwrote ${path.relative(root, path.join(outDir, name)) || name}.json and .md`);
}

async function benchSpeed() {
  const backends = String(args.backends ?? 'wasm,webgpu').split(',');
  const batch = Number(args.batch ?? 128);
  const rows = [];
  await withStudio(async ({ browser, baseUrl, browserVersion }) => {
    for (const b of backends) {
      // Software backends are orders of magnitude slower: fewer steps keep the run bounded.
      const slow = b !== 'wasm';
      const steps = Number(args.steps ?? (slow ? 3 : 100));
      const drift = Number(args.drift ?? (slow ? 5 : 500));
      const warmup = Number(args.warmup ?? (slow ? 1 : 20));
      const trainLimit = Number(args.trainLimit ?? 10000);
      const url = `${baseUrl}/?backend=${b}&autorun=bench-speed&batchSize=${batch}&steps=${steps}&drift=${drift}&warmupSteps=${warmup}&trainLimit=${trainLimit}&testLimit=100`;
      // --repeat N (fresh page each time): this VM's speed drifts by tens of percent from minute
      // to minute, so the row gives the median run and the range.
      const repeat = slow ? 1 : Number(args.repeat ?? 3);
      const runs = [];
      for (let i = 0; i < repeat; i++) {
        const { page, backend, adapter } = await openStudio(browser, url);
        const h = await page.waitForFunction(() => window.__benchResult, null, { timeout: 1_800_000, polling: 500 });
        const figures = await h.jsonValue();
        await page.close();
        if (figures.error) { console.error(`${b}: ${figures.error}`); runs.push({ error: figures.error }); break; }
        runs.push({ ...figures, adapter, actualBackend: backend, loadAverage: os.loadavg()[0] });
        console.log(`${b} run ${i + 1}/${repeat}: student ${figures.studentSamplesPerSec}/s, RTK step ${figures.rtkStepSamplesPerSec}/s (${figures.teacherFeed}), drift ${figures.numTensorsDrift}`);
      }
      const ok = runs.filter((r) => !r.error);
      if (ok.length === 0) { rows.push({ requested: b, error: runs[0].error }); continue; }
      const med = (key) => ok.map((r) => r[key]).sort((p, q) => p - q)[(ok.length - 1) >> 1];
      const range = (key) => `${Math.min(...ok.map((r) => r[key]))}–${Math.max(...ok.map((r) => r[key]))}`;
      rows.push({
        requested: b, ...ok[0], browser: `Chromium ${browserVersion}`, runs: ok,
        studentSamplesPerSec: med('studentSamplesPerSec'), rtkStepSamplesPerSec: med('rtkStepSamplesPerSec'),
        studentRange: range('studentSamplesPerSec'), rtkRange: range('rtkStepSamplesPerSec'),
        numTensorsDrift: Math.max(...ok.map((r) => r.numTensorsDrift)),
      });
    }
  });
  const best = rows.filter((r) => !r.error).sort((a, b) => b.studentSamplesPerSec - a.studentSamplesPerSec)[0];
  // What a steady-state WebGPU step issues (src/worker/bench.ts countSteps), from the webgpu row.
  const gpuRow = rows.find((r) => !r.error && r.webgpuCounts);
  const webgpuCounts = gpuRow ? { adapter: gpuRow.adapter, ...gpuRow.webgpuCounts } : null;
  const json = { date: new Date().toISOString(), machine: machine(), loadAverage: os.loadavg(), ...best, perBackend: rows, webgpuCounts };
  const md = [
    `# bench:speed — ${json.date}`,
    `Machine: ${json.machine.cpu}, ${json.machine.cores} cores, ${json.machine.memGiB} GiB; ${best?.browser ?? ''}; batch ${batch}.`,
    `Teacher ${best?.teacher}: ${best?.teacherFlops} FLOPs/image, ${best?.teacherParams} params. Student ${best?.student}: ${best?.studentFlops} FLOPs/image, ${best?.studentParams} params.`,
    'Samples/s: median of the runs (fresh page each), range in brackets; drift: the largest of the runs.',
    '', '| backend | adapter | runs | student alone (samples/s) | full RTK step (samples/s) | where the teacher ran | numTensors drift | drift steps |', '|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => r.error ? `| ${r.requested} | — | | error: ${r.error} | | | | |`
      : `| ${r.actualBackend} | ${r.adapter} | ${r.runs.length} | ${r.studentSamplesPerSec} (${r.studentRange}) | ${r.rtkStepSamplesPerSec} (${r.rtkRange}) | ${r.teacherFeed} | ${r.numTensorsDrift} | ${r.driftSteps} |`),
    '', `Load average (1 / 5 / 15 min) at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')} on ${os.cpus().length} cores (other work shares this machine).`,
    ...(webgpuCounts ? [
      '', `## What one steady-state WebGPU step issues (batch ${batch}, ${webgpuCounts.adapter}; targets: RTK ≤ 150, student ≤ 60 dispatches, ≤ 2 submits, 0 buffers created, 0 readbacks)`, '',
      '| step | dispatches | submits | buffers created | readbacks | compute passes | bind groups | writeBuffer calls | losses read every |', '|---|---|---|---|---|---|---|---|---|',
      ...['student', 'rtk'].map((k) => { const c = webgpuCounts[k]; return `| ${k} | ${c.dispatchesPerStep} | ${c.submitsPerStep} | ${c.buffersCreatedPerStep} | ${c.readbacksPerStep} | ${c.computePassesPerStep} | ${c.bindGroupsPerStep} | ${c.writeBuffersPerStep} | ${c.readEverySteps} steps |`; }),
      '', 'Dispatches per step by TF.js kernel and program (largest first):', '',
      ...['student', 'rtk'].map((k) => `- ${k}: ${Object.entries(webgpuCounts[k].byProgram).map(([p, n]) => `${p} ${n}`).join(', ')}`),
    ] : []),
  ].join('\n');
  save('speed', json, md);
}

async function benchPilot() {
  const backend = String(args.backend ?? 'auto');
  let out;
  await withStudio(async ({ browser, baseUrl, browserVersion }) => {
    const t0 = Date.now();
    // --query: extra address parameters (a variant of the default pilot), saved under --name.
    const extra = args.query ? `&${String(args.query)}` : '';
    const { page, backend: actual, adapter } = await openStudio(browser, `${baseUrl}/?backend=${backend}&autorun=pilot${extra}`);
    const status = page.getByTestId('pilot-status');
    // Where the time goes: each change of the run's status line (without its step counter), with
    // seconds since the page was opened.
    await page.evaluate(() => {
      const log = [];
      window.__pilotTimeline = log;
      const read = () => (document.querySelector('[data-testid="run-status"]')?.textContent ?? '').replace(/ · epoch .*$/, '');
      let last = '';
      const tick = () => {
        const now = read();
        if (now && now !== last) { log.push({ s: Math.round(performance.now()) / 1000, status: now }); last = now; }
      };
      new MutationObserver(tick).observe(document.body, { subtree: true, childList: true, characterData: true });
      tick();
    });
    await page.waitForFunction(() => ['done', 'failed'].includes(document.querySelector('[data-testid="pilot-status"]')?.getAttribute('data-pilot') ?? ''), null, { timeout: 3_600_000, polling: 1000 });
    const timeline = await page.evaluate(() => window.__pilotTimeline);
    const result = JSON.parse(await status.getAttribute('data-result'));
    const pilot = await status.getAttribute('data-pilot');
    out = { date: new Date().toISOString(), machine: machine(), browser: `Chromium ${browserVersion}`, backend: actual, adapter, pilot,
      wallSeconds: (Date.now() - t0) / 1000, pilotSecondsInPage: result.wallSeconds, testAccuracy: result.testAccuracy,
      config: await page.evaluate(() => location.search), timeline };
    // Panels off screen skip rendering (content-visibility: auto); a full-page picture needs them all.
    // Set through the CSSOM: the studio's CSP (style-src 'self') refuses an injected <style> tag.
    await page.evaluate(() => { for (const el of document.querySelectorAll('main > .panel')) el.style.setProperty('content-visibility', 'visible', 'important'); });
    await page.screenshot({ path: path.join(outDir, `${String(args.name ?? 'pilot')}.png`), fullPage: true });
  });
  const md = [
    `# bench:pilot — ${out.date}`,
    `Address parameters: \`${out.config}\`.`,
    `Machine: ${out.machine.cpu}, ${out.machine.cores} cores; ${out.browser}; backend ${out.backend} (${out.adapter}).`,
    `Wall time from page load to the last test accuracy: **${out.wallSeconds.toFixed(1)} s** (pilot runs alone: ${out.pilotSecondsInPage.toFixed(1)} s). Status: ${out.pilot}.`,
    '', '| method | test accuracy |', '|---|---|',
    ...Object.entries(out.testAccuracy).map(([m, a]) => `| ${m} | ${(a * 100).toFixed(2)}% |`),
    '', 'Timeline (seconds since the page opened, each change of the run status line):', '',
    ...out.timeline.map((t) => `- ${t.s.toFixed(1)} s: ${t.status}`),
  ].join('\n');
  save(String(args.name ?? 'pilot'), out, md);
}

if (mode === 'speed') await benchSpeed();
else if (mode === 'pilot') await benchPilot();
else if (mode === 'methods') await (await import('./methods.mjs')).runMethods({ args, withStudio, openStudio, save, machine });
else if (mode === 'ui') await (await import('./ui.mjs')).runUi({ args, root, outDir, withStudio, save, machine });
else if (mode === 'export') await (await import('./export.mjs')).runExport({ args, withStudio, openStudio, save, machine, root });
else if (mode === 'teacher') await (await import('./teacher.mjs')).runTeacherBench({ args, root, withStudio, openStudio, save, machine });
else if (mode === 'import') await (await import('./import.mjs')).runImport({ args, root, withStudio, openStudio, save, machine });
else if (mode === 'photo') await (await import('./photo.mjs')).runPhoto({ args, root, outDir, withStudio, openStudio, save, machine });
else { console.error('usage: node bench/run.mjs speed|pilot|methods|ui|export|teacher|import|photo [options]'); process.exit(2); }
