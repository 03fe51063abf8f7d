/**
 * bench:ui — main-thread long tasks while a pilot trains, threshold-slider work per move with the
 * network view on screen, where the machine's CPU went meanwhile, and the production bundle size
 * (gzip) per chunk. Writes bench/results/ui.{json,md} (and ui.png, the page after the last run).
 *
 *   npm run bench:ui [-- --repeat 3 --compositing both|software|swiftshader --moves 40 --cpu-slowdown 2 --trace [--profile]]
 *                    [--trainLimit 3000 --testLimit 1000 --settle-max 30000 --out bench/results]
 *
 * Each run is a fresh page: load the studio, wait until its processes are idle (the teacher
 * worker warms up after load), click "Run pilot" (fast RTK pilot below), wait for the end, wait
 * again until the page is idle (the finished pilot's energy maps and card), then move the
 * threshold slider `--moves` times. Two browser set-ups, `--repeat` runs each:
 * - `software`: Chromium with --disable-gpu: software compositing and rasterisation, what Chromium
 *   does on a desktop without a usable GPU. The budgets are judged here.
 * - `swiftshader`: the e2e and benchmark browser (--use-angle=swiftshader, for WebGPU). Its
 *   compositor draws and rasterises through SwiftShader, a GPU emulated on the CPU, which no user
 *   has: that GPU process takes most of a core while the page changes (its CPU share is recorded).
 * On a real GPU the rasterisation leaves the CPU, so both are harder than a user's machine.
 *
 * Long tasks come from two observers: 'longtask' (script tasks) and 'long-animation-frame'
 * (LoAF, which also sees frames whose style, layout and paint run long; its blockingDuration is
 * the time beyond 50 ms of each long task, rendering included). The end of training is awaited
 * with a MutationObserver in the page, not Playwright's polling, whose own task lands in the window.
 * `--cpu-slowdown 2` throttles the page's main thread (CDP Emulation.setCPUThrottlingRate), as on
 * a slower machine. `--trace` records a Chrome trace of each run (saved in the temp folder) and
 * names what ran in each task over 50 ms (and over 16 ms while the slider moved), with the
 * thread's own CPU time; `--profile` adds V8's sampler.
 * Tracing slows the page: judge the budgets from runs without it.
 *
 * Every built-in pair gives the explorer the same size (6 teacher keys × 3 student taps), so the
 * default pilot is also the largest case. A repaint sample runs from the input event to the end
 * of the main thread's rendering of the frame that shows it (src/ui/explorer/repaintProbe.ts).
 */
import { execSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { chromiumPidsNow, cpuShare, cpuSnapshot } from './procCpu.mjs';
import { longTaskCauses, traceCategories } from './uiTrace.mjs';

const FAST_DEFAULT = 'dataset=mnist&trainLimit=3000&testLimit=1000&epochs=1&batchSize=64&seed=3';
/** The fast pilot's address parameters; `--trainLimit N` / `--testLimit N` shrink it (the smoke run of npm test). */
const fastQuery = (args) => {
  const q = new URLSearchParams(FAST_DEFAULT);
  for (const k of ['trainLimit', 'testLimit']) if (args[k] !== undefined) q.set(k, String(args[k]));
  return q.toString();
};

function bundleSizes(root) {
  const dir = path.join(root, 'dist', 'assets');
  return readdirSync(dir).filter((f) => /\.(js|css|wasm)$/.test(f)).map((f) => {
    const buf = readFileSync(path.join(dir, f));
    return { file: f, bytes: statSync(path.join(dir, f)).size, gzipBytes: gzipSync(buf, { level: 9 }).length };
  }).sort((a, b) => b.gzipBytes - a.gzipBytes);
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN; };
const p90 = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.ceil(0.9 * s.length) - 1)] : NaN; };
const load = () => os.loadavg().map((v) => Number(v.toFixed(2)));
/** `uptime`'s own line (the machine is shared: its load goes with the figures). */
const uptime = () => { try { return execSync('uptime', { encoding: 'utf8' }).trim(); } catch { return `loadavg ${load().join(' ')}`; } };


const CONFIGS = {
  software: {
    label: 'software compositing (--disable-gpu), as on a desktop without a usable GPU',
    launch: () => chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu'] }),
  },
  swiftshader: {
    label: 'SwiftShader GL (the e2e and benchmark browser: compositing and rasterisation on a GPU emulated on the CPU)',
    launch: null, // the shared benchmark browser
  },
};

/** In the page before it loads: both observers, kept on window for the harness. */
function observeLongWork() {
  window.__longTasks = [];
  window.__loafs = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        window.__loafs.push({
          start: e.startTime, duration: e.duration, blocking: e.blockingDuration,
          renderMs: e.renderStart ? e.startTime + e.duration - e.renderStart : 0,
          scripts: (e.scripts ?? []).filter((s) => s.duration > 5).map((s) => `${s.invoker} ${Math.round(s.duration)} ms`).slice(0, 4),
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch { window.__loafs = null; /* a browser without LoAF */ }
}

/** Resolves when the pilot has ended (done or failed): a MutationObserver, so no polling task of the harness's runs in the window. */
function pilotEnded() {
  return new Promise((resolve) => {
    const state = () => document.querySelector('[data-testid="pilot-status"]')?.getAttribute('data-pilot') ?? '';
    if (['done', 'failed'].includes(state())) { resolve(state()); return; }
    const obs = new MutationObserver(() => {
      if (['done', 'failed'].includes(state())) { obs.disconnect(); resolve(state()); }
    });
    obs.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-pilot'] });
  });
}

const round1 = (v) => Number(v.toFixed(1));

/** Waits (`maxMs`, 30 s by default, at most) until the browser's processes together use under 15 % of one core over half a second; returns the wait in ms. */
async function settled(page, skip, maxMs = 30_000) {
  const start = performance.now();
  await page.waitForTimeout(Math.min(1000, maxMs));
  while (performance.now() - start < maxMs) {
    const a = cpuSnapshot(skip);
    await page.waitForTimeout(500);
    const shares = cpuShare(a, cpuSnapshot(skip));
    if (!shares || shares.reduce((t, x) => t + x.percentOfOneCore, 0) < 15) break;
  }
  return Math.round(performance.now() - start);
}

/** Ends the page's Chrome trace, saves it (gzip) in the temp folder and returns it. */
async function stopAndSaveTrace(browser, name, what) {
  const buf = await browser.stopTracing();
  const tracePath = path.join(os.tmpdir(), `bench-ui-${name}-${Date.now()}.json.gz`);
  writeFileSync(tracePath, gzipSync(buf));
  console.log(`bench:ui: Chrome trace of ${what} in ${tracePath}`);
  return buf;
}

/** The longest of some long-task entries, in whole ms (0 when there are none). */
const longest = (tasks) => Math.round(tasks.reduce((m, t) => Math.max(m, t.duration), 0));

/** One fresh page: the pilot, then the slider. */
async function measureRun({ browser, baseUrl, args, skip, screenshotTo }) {
  const backend = String(args.backend ?? 'wasm');
  const moves = Number(args.moves ?? 40);
  // --settle-max MS: the longest wait for an idle machine before each window (the smoke run uses a short one).
  const settleMax = Number(args['settle-max'] ?? 30_000);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
  try {
    // --cpu-slowdown N: Chromium's CPU throttling (DevTools' "N× slowdown") of the page's main
    // thread, to see how the budgets hold on a slower machine than this one.
    const cdp = await page.context().newCDPSession(page);
    const slowdown = Number(args['cpu-slowdown'] ?? 1);
    if (slowdown > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: slowdown });
    await page.addInitScript(observeLongWork);
    await page.goto(`${baseUrl}/?backend=${backend}&${fastQuery(args)}&method=rtk`);
    await page.getByTestId('backend-name').waitFor({ timeout: 180_000 });
    // Playwright evaluates its own injected script in the page on the first locator query
    // (100+ ms): done here, before the window, so the harness's cost is not counted as the studio's.
    await page.getByRole('button', { name: 'Run pilot' }).count();
    await page.getByTestId('pilot-status').count();
    // The click lands on a settled page, as a user's does after reading it: the studio warms the
    // teacher worker and compiles wasm in the background after load, for a few seconds on 2 cores.
    const settleMs = await settled(page, skip, settleMax);
    const loadAtTraining = load();
    if (args.trace) await browser.startTracing(page, { categories: traceCategories(args) });
    const cpu0 = cpuSnapshot(skip);
    const t0 = await page.evaluate(() => performance.now());
    await page.getByRole('button', { name: 'Run pilot' }).click();
    let timer;
    const ended = await Promise.race([
      page.evaluate(pilotEnded),
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('bench:ui: the pilot did not end within 30 min')), 1_800_000); }),
    ]).finally(() => clearTimeout(timer));
    const t1 = await page.evaluate(() => performance.now());
    const cpuTraining = cpuShare(cpu0, cpuSnapshot(skip));
    let causes = null;
    if (args.trace) {
      const buf = await stopAndSaveTrace(browser, 'trace', 'the training window');
      causes = longTaskCauses(buf.toString('utf8'), t0);
    }
    if (ended === 'failed') {
      const why = (await page.getByTestId('pilot-status').innerText()).trim().slice(0, 400);
      throw new Error(`bench:ui: the pilot failed, so the key explorer has no attention to measure (${why}). Fix the training run first (npm run test:e2e -- e2e/key-explorer.spec.ts).`);
    }
    const inWindow = (e) => e.start >= t0 && e.start <= t1;
    const allTasks = await page.evaluate(() => window.__longTasks);
    const tasks = allTasks.filter(inWindow);
    // The page's load, up to the click: long tasks while the studio starts (and settles).
    const loadTasks = allTasks.filter((e) => e.start < t0);
    const loafList = await page.evaluate(() => window.__loafs);
    const loafs = loafList ? loafList.filter(inWindow) : null;
    // Worker events with the time their handling took, React's render included (src/bridge/eventProbe.ts).
    const events = (await page.evaluate(() => window.__workerEvents ?? [])).filter((e) => e.at >= t0 && e.at <= t1);
    // Each long task or blocking frame with the worker event handled last before it began.
    const before = (at) => { const e = events.filter((x) => x.at <= at).pop(); return e ? `${e.type} at ${Math.round(e.at - t0)} ms` : null; };

    const slider = page.getByRole('slider', { name: /threshold/i }).first();
    await slider.scrollIntoViewIfNeeded();
    // A fixed threshold, so that every arrow key moves τ (the explorer's own radio, not the training option).
    await page.locator('.explorer').getByRole('radio', { name: /fixed value/i }).check();
    await slider.focus();
    const kept = await page.getByRole('status').filter({ hasText: /keys kept/ }).first().getAttribute('data-kept-count');
    // The moves start on a settled page, as the click does: the finished pilot's last work (energy
    // maps, the pilot card, the saved run) is not the slider's, and had landed in its first moves.
    const sliderSettleMs = await settled(page, skip, settleMax);
    const loadAtSlider = load();
    // The network view is on screen while the slider moves (it redraws in the same frame).
    const networkOnScreen = await page.getByRole('group', { name: /^Network view/ }).evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.bottom > 0 && r.top < window.innerHeight;
    });
    await page.evaluate(() => { window.__sliderRepaintMs = []; window.__sliderCommitMs = []; window.__sliderFrameStartMs = []; window.__networkViewWorkMs = []; });
    if (args.trace) await browser.startTracing(page, { categories: traceCategories(args) });
    const cpu2 = cpuSnapshot(skip);
    for (let i = 0; i < moves; i++) {
      await page.keyboard.press(i < moves / 2 ? 'ArrowRight' : 'ArrowLeft');
      await page.waitForTimeout(30);
    }
    await page.waitForTimeout(200);
    const cpuSlider = cpuShare(cpu2, cpuSnapshot(skip));
    // Every main-thread task over one frame (16 ms) while the slider moved, and what ran inside it.
    let sliderCauses = null;
    if (args.trace) {
      const buf = await stopAndSaveTrace(browser, 'slider-trace', 'the slider moves');
      sliderCauses = longTaskCauses(buf.toString('utf8'), 0, 16);
    }
    const { repaint, commit, frameStart, network } = await page.evaluate(() => ({
      repaint: window.__sliderRepaintMs ?? [], commit: window.__sliderCommitMs ?? [], frameStart: window.__sliderFrameStartMs ?? [], network: window.__networkViewWorkMs ?? [],
    }));
    // The main thread's own time per move, without the wait for the next frame to begin:
    // input → React commit, plus the frame's rendering (frame start → painted). At most one
    // frame (16.7 ms) means every move can land in the first frame after its input.
    const n = Math.min(repaint.length, commit.length, frameStart.length);
    const work = Array.from({ length: n }, (_, i) => commit[i] + (repaint[i] - frameStart[i]));
    const T = await page.locator('.explorer .viz-heatmap g[data-kept]').count();
    const sizes = `${T} teacher keys × ${T ? (await page.locator('.explorer .viz-cell').count()) / T : 0} student taps`;
    // The page's JS heap after a garbage collection, once the run and the slider are done.
    await cdp.send('HeapProfiler.collectGarbage');
    const heapMB = Number(((await cdp.send('Runtime.getHeapUsage')).usedSize / 1048576).toFixed(1));
    if (screenshotTo) {
      // Panels off screen skip rendering (content-visibility: auto); a full-page picture needs them all.
      // Set through the CSSOM: the studio's CSP (style-src 'self') refuses an injected <style> tag.
      await page.evaluate(() => { for (const el of document.querySelectorAll('main > .panel')) el.style.setProperty('content-visibility', 'visible', 'important'); });
      await page.screenshot({ path: screenshotTo, fullPage: true });
    }
    return {
      explorerSizes: sizes, keptAtStart: kept, loadAverage: { training: loadAtTraining, slider: loadAtSlider }, settledAfterLoadMs: settleMs, settledBeforeSliderMs: sliderSettleMs,
      trainingWindowMs: Math.round(t1 - t0), heapMB,
      loadLongTasks: loadTasks.length, loadLongestTaskMs: longest(loadTasks),
      longTaskList: tasks.map((t) => ({ atMs: Math.round(t.start - t0), ms: Math.round(t.duration), after: before(t.start) })),
      longestTaskMs: longest(tasks), longTasks: tasks.length,
      // Frames whose tasks (rendering included) ran beyond 50 ms: blockingMs is that excess.
      longFrames: loafs ? loafs.filter((f) => f.blocking > 0).map((f) => ({ atMs: Math.round(f.start - t0), after: before(f.start), ms: Math.round(f.duration), blockingMs: Math.round(f.blocking), renderMs: Math.round(f.renderMs), scripts: f.scripts })) : null,
      slowWorkerEvents: events.filter((e) => e.ms > 16).map((e) => ({ type: e.type, atMs: Math.round(e.at - t0), ms: e.ms })),
      workerEventCounts: Object.fromEntries([...new Set(events.map((e) => e.type))].map((t) => [t, events.filter((e) => e.type === t).length])),
      cpuTraining, cpuSlider,
      ...(causes ? { longTaskCauses: causes } : {}),
      ...(sliderCauses ? { sliderTasksOver16Ms: sliderCauses } : {}),
      sliderRepaintSamples: repaint.map(round1), sliderCommitSamples: commit.map(round1), sliderFrameStartSamples: frameStart.map(round1),
      sliderWorkSamples: work.map(round1), networkViewOnScreen: networkOnScreen, networkViewSamples: network.map((v) => Number(v.toFixed(2))),
    };
  } finally {
    await page.close();
  }
}

/** The runs of one browser set-up, pooled. */
function summarise(runs) {
  const all = (key) => runs.flatMap((r) => r[key]);
  const work = all('sliderWorkSamples');
  const net = all('networkViewSamples');
  const repaint = all('sliderRepaintSamples');
  const frames = runs.every((r) => r.longFrames) ? runs.flatMap((r) => r.longFrames) : null;
  return {
    runs: runs.length,
    runsWithoutLongTask: runs.filter((r) => r.longTasks === 0).length,
    longestTaskMs: Math.max(...runs.map((r) => r.longestTaskMs)),
    longTasks: runs.reduce((a, r) => a + r.longTasks, 0),
    runsWithoutBlockingFrame: frames ? runs.filter((r) => r.longFrames.length === 0).length : null,
    blockingFrames: frames ? frames.length : null,
    worstFrameBlockingMs: frames ? Math.max(0, ...frames.map((f) => f.blockingMs)) : null,
    sliderMoves: work.length,
    sliderWorkMsMedian: median(work), sliderWorkMsP90: p90(work), sliderWorkMsWorst: Math.max(...work),
    sliderMovesWithin16Ms: work.filter((w) => w <= 16.7).length,
    sliderFirstMoveMs: runs.map((r) => r.sliderWorkSamples[0]),
    loadLongTasks: runs.reduce((a, r) => a + r.loadLongTasks, 0), loadLongestTaskMs: Math.max(...runs.map((r) => r.loadLongestTaskMs)),
    heapMBMedian: median(runs.map((r) => r.heapMB)),
    sliderRepaintMsMedian: median(repaint), sliderRepaintMsP90: p90(repaint), sliderRepaintMsWorst: Math.max(...repaint),
    networkViewWorkMsMedian: median(net), networkViewWorkMsWorst: Math.max(...net),
  };
}

export async function runUi({ args, root, outDir, withStudio, save, machine }) {
  const backend = String(args.backend ?? 'wasm');
  const repeat = Number(args.repeat ?? 3);
  const which = String(args.compositing ?? 'both');
  const names = which === 'both' ? ['software', 'swiftshader'] : [which];
  for (const name of names) if (!CONFIGS[name]) throw new Error(`bench:ui: --compositing ${name}: use software, swiftshader or both`);
  const configs = {};
  let browserVersion = '';
  await withStudio(async ({ browser: shared, baseUrl, browserVersion: v }) => {
    browserVersion = v;
    for (const name of names) {
      // Processes of the shared browser, idle meanwhile, stay out of another set-up's CPU figures.
      const skip = CONFIGS[name].launch ? chromiumPidsNow() : new Set();
      const own = CONFIGS[name].launch ? await CONFIGS[name].launch() : null;
      const runs = [];
      try {
        for (let i = 0; i < repeat; i++) {
          const last = name === names[0] && i === repeat - 1;
          const run = await measureRun({ browser: own ?? shared, baseUrl, args, skip, screenshotTo: last ? path.join(outDir, 'ui.png') : null });
          runs.push(run);
          console.log(`bench:ui ${name} run ${i + 1}/${repeat}: longest task ${run.longestTaskMs || 'none over 50'} ms, frames blocking > 0: ${run.longFrames?.length ?? '?'}, slider work median ${median(run.sliderWorkSamples).toFixed(1)} ms, worst ${Math.max(...run.sliderWorkSamples).toFixed(1)} ms`);
        }
      } finally {
        await own?.close();
      }
      configs[name] = { label: CONFIGS[name].label, ...summarise(runs), runsDetail: runs };
    }
  });
  const chunks = bundleSizes(root);
  const budget = configs.software ?? configs[names[0]];
  const out = {
    date: new Date().toISOString(), machine: machine(), browser: `Chromium ${browserVersion}`, backend, config: fastQuery(args), uptime: uptime(),
    explorerSizes: budget.runsDetail[0].explorerSizes, traced: Boolean(args.trace), cpuSlowdown: Number(args['cpu-slowdown'] ?? 1),
    budgetsJudgedOn: configs.software ? 'software' : names[0],
    // The judged set-up's pooled figures, at the top as before.
    longestTaskMs: budget.longestTaskMs, longTasks: budget.longTasks, worstFrameBlockingMs: budget.worstFrameBlockingMs,
    sliderWorkMsMedian: budget.sliderWorkMsMedian, sliderWorkMsWorst: budget.sliderWorkMsWorst,
    networkViewWorkMsMedian: budget.networkViewWorkMsMedian, networkViewWorkMsWorst: budget.networkViewWorkMsWorst,
    configs,
    bundleGzipBytes: chunks.filter((c) => !c.file.endsWith('.wasm')).reduce((a, c) => a + c.gzipBytes, 0),
    wasmGzipBytes: chunks.filter((c) => c.file.endsWith('.wasm')).reduce((a, c) => a + c.gzipBytes, 0),
    chunks,
  };
  save('ui', out, uiMarkdown(out));
}

const ms = (v) => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : '–');
const cpuLine = (shares) => (shares ? shares.filter((s) => s.percentOfOneCore >= 3).map((s) => `${s.what} ${s.percentOfOneCore} %`).join(', ') : 'not measured (not Linux)');

function uiMarkdown(out) {
  const kb = (b) => `${(b / 1024).toFixed(1)} KiB`;
  const lines = [
    `# bench:ui — ${out.date}`,
    `Machine: ${out.machine.cpu}, ${out.machine.cores} cores; ${out.browser}; backend ${out.backend}; fast RTK pilot (${out.config}); explorer ${out.explorerSizes}.`,
    `\`uptime\` at the end: ${out.uptime}.${out.traced ? ' **Traced runs** (tracing slows the page: judge the budgets from runs without --trace).' : ''}${out.cpuSlowdown > 1 ? ` **Main thread throttled ${out.cpuSlowdown}×** (--cpu-slowdown), as on a slower machine.` : ''}`,
    '',
    `Budgets (judged on \`${out.budgetsJudgedOn}\`): no main-thread task over 50 ms while training; the slider's main-thread work per move within one 16.7 ms frame.`,
  ];
  for (const [name, c] of Object.entries(out.configs)) {
    lines.push('', `## ${name}: ${c.label}`, '',
      `- Longest main-thread task while training: **${c.longTasks ? `${c.longestTaskMs} ms` : 'none over 50 ms'}** (${c.longTasks} tasks over 50 ms in ${c.runs} runs; ${c.runsWithoutLongTask} of ${c.runs} runs had none).`,
      c.blockingFrames === null ? '- Long animation frames: not observed (no LoAF in this browser).'
        : `- Frames with a task (rendering included) over 50 ms: **${c.blockingFrames}** in ${c.runs} runs (worst excess over 50 ms: ${c.worstFrameBlockingMs} ms; ${c.runsWithoutBlockingFrame} of ${c.runs} runs had none).`,
      `- Slider, main-thread work per move (input → commit, plus frame start → painted): median **${ms(c.sliderWorkMsMedian)}**, p90 ${ms(c.sliderWorkMsP90)}, worst **${ms(c.sliderWorkMsWorst)}**; ${c.sliderMovesWithin16Ms} of ${c.sliderMoves} moves within 16.7 ms.`,
      `- Slider, the first move of each run (cold code until then): ${c.sliderFirstMoveMs.map(ms).join(', ')}.`,
      `- Page load, up to the click: ${c.loadLongTasks} tasks over 50 ms in ${c.runs} runs${c.loadLongTasks ? ` (longest ${c.loadLongestTaskMs} ms)` : ''}; the page's JS heap after a run and a GC: median ${c.heapMBMedian} MB.`,
      `- Slider, input to painted frame: median ${ms(c.sliderRepaintMsMedian)}, p90 ${ms(c.sliderRepaintMsP90)}, worst ${ms(c.sliderRepaintMsWorst)}.`,
      `- Network view, its own render work per move: median **${ms(c.networkViewWorkMsMedian)}**, worst **${ms(c.networkViewWorkMsWorst)}**.`,
      '', '| run | training | longest task | tasks > 50 ms | LoAF frames blocking | slider work median / worst | CPU while training (% of one core) | CPU while the slider moved |', '|---|---|---|---|---|---|---|---|',
      ...c.runsDetail.map((r, i) => `| ${i + 1} | ${(r.trainingWindowMs / 1000).toFixed(1)} s | ${r.longTasks ? `${r.longestTaskMs} ms` : 'none'} | ${r.longTasks} | ${r.longFrames ? r.longFrames.map((f) => `${f.ms} ms (+${f.blockingMs})`).join(', ') || 'none' : '–'} | ${ms(median(r.sliderWorkSamples))} / ${ms(Math.max(...r.sliderWorkSamples))} | ${cpuLine(r.cpuTraining)} | ${cpuLine(r.cpuSlider)} |`));
    for (const [i, r] of c.runsDetail.entries()) {
      if (r.longTasks) lines.push('', `Run ${i + 1}, tasks over 50 ms while training: ${r.longTaskList.map((t) => `${t.ms} ms at ${(t.atMs / 1000).toFixed(1)} s${t.after ? ` (the last worker event before it: ${t.after})` : ''}`).join(', ')}.`);
      const slow = r.slowWorkerEvents.filter((e) => e.ms > 40);
      if (slow.length) lines.push('', `Run ${i + 1}, worker events whose handling took over 40 ms (their React render included; src/bridge/eventProbe.ts): ${slow.map((e) => `${e.type} ${e.ms} ms at ${(e.atMs / 1000).toFixed(1)} s`).join(', ')}.`);
      if (r.longTaskCauses?.length) {
        lines.push('', `Run ${i + 1}, tasks over 50 ms while training, from its Chrome trace (wall time, the thread's own CPU time, what ran inside; rendering-only tasks included):`,
          ...r.longTaskCauses.map((t) => `- ${t.ms} ms (CPU ${t.cpuMs ?? '?'} ms): ${t.inside.map((x) => `${x.what} ${x.ms} ms`).join('; ')}${t.functions ? `; sampled: ${t.functions.map((f) => `${f.what} ${Math.round(f.share * 100)} %`).join(', ')}` : ''}`));
      }
      if (r.sliderTasksOver16Ms) {
        lines.push('', `Run ${i + 1}, main-thread tasks over 16 ms while the slider moved: ${r.sliderTasksOver16Ms.length}`,
          ...r.sliderTasksOver16Ms.map((t) => `- ${t.ms} ms (CPU ${t.cpuMs ?? '?'} ms): ${t.inside.map((x) => `${x.what} ${x.ms} ms`).join('; ')}`));
      }
    }
  }
  lines.push('', `Bundle (gzip): JS + CSS ${kb(out.bundleGzipBytes)}, wasm binaries ${kb(out.wasmGzipBytes)}.`, '', '| chunk | bytes | gzip |', '|---|---|---|',
    ...out.chunks.map((c) => `| ${c.file} | ${kb(c.bytes)} | ${kb(c.gzipBytes)} |`));
  return lines.join('\n');
}
