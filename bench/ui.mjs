/**
 * bench:ui — main-thread long tasks while a pilot trains, threshold-slider input-to-repaint time,
 * and the production bundle size (gzip) per chunk. Writes bench/results/ui.{json,md}.
 *
 *   npm run bench:ui [-- --moves 40 --compositing software --trace]
 *
 * `--profile` (with `--trace`) adds V8's sampling profiler: each long task then names the functions
 * sampled in it (the build is not minified: names are the source's, lines the bundle's). The sampler
 * itself adds tens of ms to tasks, so judge the budget from a run without it.
 * `--trace` also records a Chrome trace of the main thread while training and names what ran in
 * each task over 50 ms (longTaskCauses; the trace itself is written under the system's temp folder, not committed).
 *
 * `--compositing software` (results in bench/results/ui-software.*) runs the page in a second Chromium with --disable-gpu (software
 * compositing, as a desktop without a usable GPU does). By default the page runs in the shared
 * benchmark browser, whose compositor draws with SwiftShader (software GL): there the GPU
 * process's SwapBuffers takes tens of ms per frame and throttles how often frames can start.
 *
 * Every built-in pair gives the explorer the same size (the shipped teachers tap every block:
 * 6 keys; students tap each of their 3 stages), so the default pilot is also the largest case;
 * the sizes are recorded with the figures. A repaint sample runs from the input event to the end of
 * the main thread's rendering of the frame that shows it (src/ui/explorer/repaintProbe.ts). The
 * load average is recorded with the figures: on a busy machine they are noisy.
 */
import { execSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';

const FAST = 'dataset=mnist&trainLimit=3000&testLimit=1000&epochs=1&batchSize=64&seed=3';

function bundleSizes(root) {
  const dir = path.join(root, 'dist', 'assets');
  return readdirSync(dir).filter((f) => /\.(js|css|wasm)$/.test(f)).map((f) => {
    const buf = readFileSync(path.join(dir, f));
    return { file: f, bytes: statSync(path.join(dir, f)).size, gzipBytes: gzipSync(buf, { level: 9 }).length };
  }).sort((a, b) => b.gzipBytes - a.gzipBytes);
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN; };
const p90 = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.ceil(0.9 * s.length) - 1)] : NaN; };
/** `--profile` adds V8's sampling profiler, so the trace also says which functions ran in each long task. */
const traceCategories = (args) => ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8.execute', ...(args.profile ? ['disabled-by-default-v8.cpu_profiler'] : [])];
const load = () => os.loadavg().map((v) => Number(v.toFixed(2)));
/** `uptime`'s own line (the machine is shared: its load goes with the figures). */
const uptime = () => { try { return execSync('uptime', { encoding: 'utf8' }).trim(); } catch { return `loadavg ${load().join(' ')}`; } };

/**
 * The main thread's CPU-profile samples in a trace taken with `--profile` (V8's sampler), as
 * { ts, frame } with the sampled function's call frame; null without a profile.
 */
function mainThreadSamples(events, threadNames) {
  const start = events.find((e) => e.name === 'Profile' && threadNames.get(`${e.pid}:${e.tid}`) === 'CrRendererMain');
  if (!start) return null;
  const nodes = new Map();
  const out = [];
  let ts = start.args?.data?.startTime ?? 0;
  for (const e of events) {
    if (e.name !== 'ProfileChunk' || e.id !== start.id) continue;
    const cpu = e.args?.data?.cpuProfile ?? {};
    for (const n of cpu.nodes ?? []) nodes.set(n.id, n);
    const deltas = e.args?.data?.timeDeltas ?? [];
    (cpu.samples ?? []).forEach((id, i) => { ts += deltas[i] ?? 0; out.push({ ts, id }); });
  }
  return out.map((s) => ({ ts: s.ts, frame: nodes.get(s.id)?.callFrame }));
}

/** The functions that were running most often in [from, to] (self time, in samples), with their bundle file and line. */
function topFunctions(samples, from, to, count = 8) {
  const tally = new Map();
  let n = 0;
  for (const s of samples) {
    if (s.ts < from || s.ts > to || !s.frame) continue;
    const name = s.frame.functionName || '(anonymous)';
    if (name === '(idle)') continue;
    n += 1;
    const file = String(s.frame.url ?? '').split('/').pop();
    const key = file ? `${name} ${file}:${s.frame.lineNumber + 1}` : name;
    tally.set(key, (tally.get(key) ?? 0) + 1);
  }
  return [...tally].sort((a, b) => b[1] - a[1]).slice(0, count).map(([what, k]) => ({ what, share: Number((k / Math.max(1, n)).toFixed(2)) }));
}

/**
 * What ran in each main-thread task over 50 ms, from a Chrome trace: the renderer main thread's
 * top-level tasks, and inside each the longest script calls, style, layout, paint and GC events.
 */
export function longTaskCauses(traceJson, t0Ms, overMs = 50) {
  const events = JSON.parse(traceJson).traceEvents ?? [];
  const threadNames = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threadNames.set(`${e.pid}:${e.tid}`, e.args?.name);
  const main = events.filter((e) => threadNames.get(`${e.pid}:${e.tid}`) === 'CrRendererMain' && e.ph === 'X' && typeof e.dur === 'number');
  const all = main.filter((e) => (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && e.dur > overMs * 1000);
  // The two task events nest (the scheduler's inside the thread's): keep the outer one.
  const tasks = all.filter((t) => !all.some((o) => o !== t && o.ts <= t.ts && o.ts + o.dur >= t.ts + t.dur && (o.ts !== t.ts || o.dur !== t.dur || all.indexOf(o) < all.indexOf(t))));
  const nav = events.find((e) => e.name === 'TracingStartedInBrowser') ?? events.find((e) => e.ph === 'X');
  const base = nav?.ts ?? 0;
  const samples = mainThreadSamples(events, threadNames);
  return tasks.map((t) => {
    const inside = main.filter((e) => e !== t && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur && e.name !== 'RunTask' && e.name !== 'ThreadControllerImpl::RunTask');
    const label = (e) => {
      const d = e.args?.data ?? {};
      const where = d.functionName || d.url ? `${d.functionName || '(anonymous)'} ${String(d.url ?? '').split('/').pop()}:${d.lineNumber ?? ''}` : (d.type ?? d.stackTrace?.[0]?.functionName ?? '');
      return `${e.name}${where ? ` ${where}` : ''}`;
    };
    const top = inside.sort((a, b) => b.dur - a.dur).slice(0, 6).map((e) => ({ what: label(e), ms: Number((e.dur / 1000).toFixed(1)) }));
    // cpuMs: the thread's own CPU time in the task (less than ms when the OS ran other threads meanwhile).
    const functions = samples ? topFunctions(samples, t.ts, t.ts + t.dur) : undefined;
    return { atMsFromTraceStart: Math.round((t.ts - base) / 1000), ms: Number((t.dur / 1000).toFixed(1)), cpuMs: typeof t.tdur === 'number' ? Number((t.tdur / 1000).toFixed(1)) : null, inside: top, ...(functions ? { functions } : {}), t0Ms };
  });
}

export async function runUi({ args, root, withStudio, save, machine }) {
  const backend = String(args.backend ?? 'wasm');
  const moves = Number(args.moves ?? 40);
  const config = FAST;
  let out;
  const compositing = args.compositing === 'software' ? 'software (--disable-gpu)' : 'SwiftShader GL (benchmark browser)';
  await withStudio(async ({ browser: shared, baseUrl, browserVersion }) => {
    const own = args.compositing === 'software'
      ? await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu'] })
      : null;
    const browser = own ?? shared;
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.addInitScript(() => {
        window.__longTasks = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
        }).observe({ type: 'longtask', buffered: true });
      });
      await page.goto(`${baseUrl}/?backend=${backend}&${config}&method=rtk`);
      await page.getByTestId('backend-name').waitFor({ timeout: 180_000 });
      // Playwright evaluates its own injected script in the page on the first locator query
      // (100+ ms): done here, before the window, so the harness's cost is not counted as the studio's.
      await page.getByRole('button', { name: 'Run pilot' }).count();
      await page.getByTestId('pilot-status').count();
      await page.waitForFunction(() => true);
      // Long tasks count from the click on "Run pilot" to the end of training (page load excluded).
      const loadAtTraining = load();
      const uptimeAtTraining = uptime();
      if (args.trace) await browser.startTracing(page, { categories: traceCategories(args) });
      const t0 = await page.evaluate(() => performance.now());
      await page.getByRole('button', { name: 'Run pilot' }).click();
      await page.waitForFunction(() => ['done', 'failed'].includes(document.querySelector('[data-testid="pilot-status"]')?.getAttribute('data-pilot') ?? ''), null, { timeout: 1_800_000, polling: 500 });
      const t1 = await page.evaluate(() => performance.now());
      let causes = null;
      if (args.trace) {
        const buf = await browser.stopTracing();
        const tracePath = path.join(os.tmpdir(), `bench-ui-trace-${Date.now()}.json.gz`);
        writeFileSync(tracePath, gzipSync(buf));
        console.log(`bench:ui: Chrome trace of the training window in ${tracePath}`);
        causes = longTaskCauses(buf.toString('utf8'), t0);
      }
      const tasks = (await page.evaluate(() => window.__longTasks)).filter((t) => t.start >= t0 && t.start <= t1);
      if ((await page.getByTestId('pilot-status').getAttribute('data-pilot')) === 'failed') {
        const why = (await page.getByTestId('pilot-status').innerText()).trim().slice(0, 400);
        throw new Error(`bench:ui: the pilot failed, so the key explorer has no attention to measure (${why}). Fix the training run first (npm run test:e2e -- e2e/key-explorer.spec.ts).`);
      }
      const slider = page.getByRole('slider', { name: /threshold/i }).first();
      await slider.scrollIntoViewIfNeeded();
      // A fixed threshold, so that every arrow key moves τ (the explorer's own radio, not the training option).
      await page.locator('.explorer').getByRole('radio', { name: /fixed value/i }).check();
      await slider.focus();
      const keys = await page.getByRole('status').filter({ hasText: /keys kept/ }).first().getAttribute('data-kept-count');
      await page.waitForTimeout(500);
      const loadAtSlider = load();
      const uptimeAtSlider = uptime();
      // The network view is on screen while the slider moves (it redraws in the same frame).
      const networkOnScreen = await page.getByRole('group', { name: /^Network view/ }).evaluate((el) => {
        const r = el.getBoundingClientRect();
        return r.bottom > 0 && r.top < window.innerHeight;
      });
      await page.evaluate(() => { window.__sliderRepaintMs = []; window.__sliderCommitMs = []; window.__sliderFrameStartMs = []; window.__networkViewWorkMs = []; });
      if (args.trace) await browser.startTracing(page, { categories: traceCategories(args) });
      for (let i = 0; i < moves; i++) {
        await page.keyboard.press(i < moves / 2 ? 'ArrowRight' : 'ArrowLeft');
        await page.waitForTimeout(30);
      }
      await page.waitForTimeout(200);
      // Every main-thread task over one frame (16 ms) while the slider moved, and what ran inside it.
      const sliderCauses = args.trace ? longTaskCauses((await browser.stopTracing()).toString('utf8'), 0, 16) : null;
      const samples = await page.evaluate(() => window.__sliderRepaintMs ?? []);
      const commits = await page.evaluate(() => window.__sliderCommitMs ?? []);
      const frameStarts = await page.evaluate(() => window.__sliderFrameStartMs ?? []);
      const networkWork = await page.evaluate(() => window.__networkViewWorkMs ?? []);
      const T = await page.locator('.explorer .viz-heatmap g[data-kept]').count();
      const sizes = `${T} teacher keys × ${T ? (await page.locator('.explorer .viz-cell').count()) / T : 0} student taps`;
      // Panels off screen skip rendering (content-visibility: auto); a full-page picture needs them all.
      // Set through the CSSOM: the studio's CSP (style-src 'self') refuses an injected <style> tag.
      await page.evaluate(() => { for (const el of document.querySelectorAll('main > .panel')) el.style.setProperty('content-visibility', 'visible', 'important'); });
      await page.screenshot({ path: path.join(root, 'bench', 'results', 'ui.png'), fullPage: true });
      const chunks = bundleSizes(root);
      out = {
        date: new Date().toISOString(), machine: machine(), browser: `Chromium ${browserVersion}`, backend, config,
        loadAverage: { training: loadAtTraining, slider: loadAtSlider }, uptime: { training: uptimeAtTraining, slider: uptimeAtSlider },
        explorerSizes: sizes, keptAtStart: keys,
        trainingWindowMs: Math.round(t1 - t0), longTaskList: tasks.map((t) => ({ atMs: Math.round(t.start - t0), ms: Math.round(t.duration) })),
        longestTaskMs: tasks.reduce((m, t) => Math.max(m, t.duration), 0), longTasks: tasks.length,
        ...(causes ? { longTaskCauses: causes } : {}),
        ...(sliderCauses ? { sliderTasksOver16Ms: sliderCauses } : {}),
        sliderSamples: samples.length, sliderCommitMsMedian: median(commits), sliderRepaintMsMedian: median(samples), sliderRepaintMsP90: p90(samples), sliderRepaintMsWorst: samples.length ? Math.max(...samples) : NaN,
        sliderFrameStartMsMedian: median(frameStarts), sliderRepaintSamples: samples.map((v) => Number(v.toFixed(1))),
        sliderCommitSamples: commits.map((v) => Number(v.toFixed(1))), sliderFrameStartSamples: frameStarts.map((v) => Number(v.toFixed(1))),
        // The main thread's own time per move, without the wait for the next frame to begin:
        // input → React commit, plus the frame's rendering (frame start → painted). At most one
        // frame (16.7 ms) means every move can land in the first frame after its input.
        ...(() => {
          const n = Math.min(samples.length, commits.length, frameStarts.length);
          const work = Array.from({ length: n }, (_, i) => commits[i] + (samples[i] - frameStarts[i]));
          const wait = Array.from({ length: n }, (_, i) => frameStarts[i] - commits[i]);
          return { sliderWorkMsMedian: median(work), sliderWorkMsWorst: n ? Math.max(...work) : NaN, sliderFrameWaitMsWorst: n ? Math.max(...wait) : NaN };
        })(),
        // The network view's own render work per move (React render of the view with its D3 layout;
        // part of the work per move above), while it is on screen.
        networkViewOnScreen: networkOnScreen, networkViewSamples: networkWork.length,
        networkViewWorkMsMedian: median(networkWork), networkViewWorkMsWorst: networkWork.length ? Math.max(...networkWork) : NaN,
        bundleGzipBytes: chunks.filter((c) => !c.file.endsWith('.wasm')).reduce((a, c) => a + c.gzipBytes, 0),
        wasmGzipBytes: chunks.filter((c) => c.file.endsWith('.wasm')).reduce((a, c) => a + c.gzipBytes, 0),
        chunks, compositing,
      };
    } finally {
      await own?.close();
    }
  });
  const kb = (b) => `${(b / 1024).toFixed(1)} KiB`;
  const md = [
    `# bench:ui — ${out.date}`,
    `Machine: ${out.machine.cpu}, ${out.machine.cores} cores; ${out.browser}; backend ${out.backend}; fast pilot (${out.config}); explorer ${out.explorerSizes ?? ''}.`,
    `Compositing: ${out.compositing}.`,
    `Load average (1/5/15 min) at the start of training: ${out.loadAverage.training.join(' / ')}; at the slider: ${out.loadAverage.slider.join(' / ')} (the machine is shared with other jobs: \`uptime\` ${out.uptime.training}).`,
    '',
    out.longTasks
      ? `- Longest main-thread task while training: **${out.longestTaskMs.toFixed(0)} ms** (${out.longTasks} tasks over 50 ms in ${(out.trainingWindowMs / 1000).toFixed(0)} s).`
      : `- Longest main-thread task while training: **none over 50 ms** (the long-task observer reports only tasks over 50 ms; ${(out.trainingWindowMs / 1000).toFixed(0)} s of training).`,
    `- Threshold slider, input to painted frame: median **${out.sliderRepaintMsMedian?.toFixed?.(2)} ms**, p90 ${out.sliderRepaintMsP90?.toFixed?.(2)} ms, worst **${out.sliderRepaintMsWorst?.toFixed?.(2)} ms** over ${out.sliderSamples} moves (input → React commit median ${out.sliderCommitMsMedian?.toFixed?.(2)} ms; input → start of the frame median ${out.sliderFrameStartMsMedian?.toFixed?.(2)} ms).`,
    `- Main-thread work per move (input → commit, plus frame start → painted; the wait for the next frame left out): median **${out.sliderWorkMsMedian?.toFixed?.(2)} ms**, worst **${out.sliderWorkMsWorst?.toFixed?.(2)} ms**; longest wait from commit to the next frame's start ${out.sliderFrameWaitMsWorst?.toFixed?.(2)} ms.`,
    `- Network view (on screen: ${out.networkViewOnScreen}), its own render work per move: median **${out.networkViewWorkMsMedian?.toFixed?.(2)} ms**, worst **${out.networkViewWorkMsWorst?.toFixed?.(2)} ms** over ${out.networkViewSamples} renders.`,
    ...(out.longTaskCauses ? ['', 'Tasks over 50 ms while training, from the Chrome trace: wall time, the main thread\'s own CPU time in it, and what ran inside. The trace also holds rendering-only tasks (style, layout, paint), which the long-task observer above does not report, and runs from just before the click to up to 0.5 s after the end.', ...out.longTaskCauses.map((c) => `- ${c.ms} ms (CPU ${c.cpuMs ?? '?'} ms): ${c.inside.map((i) => `${i.what} ${i.ms} ms`).join('; ')}${c.functions ? `; sampled: ${c.functions.map((f) => `${f.what} ${Math.round(f.share * 100)} %`).join(', ')}` : ''}`)] : []),
    ...(out.sliderTasksOver16Ms ? ['', `Main-thread tasks over 16 ms while the slider moved, from the Chrome trace: ${out.sliderTasksOver16Ms.length}`, ...out.sliderTasksOver16Ms.map((c) => `- ${c.ms} ms (CPU ${c.cpuMs ?? '?'} ms): ${c.inside.map((i) => `${i.what} ${i.ms} ms`).join('; ')}`)] : []),
    `- Bundle (gzip): JS + CSS ${kb(out.bundleGzipBytes)}, wasm binaries ${kb(out.wasmGzipBytes)}.`,
    '', '| chunk | bytes | gzip |', '|---|---|---|',
    ...out.chunks.map((c) => `| ${c.file} | ${kb(c.bytes)} | ${kb(c.gzipBytes)} |`),
  ].join('\n');
  // The software-compositing figures go to their own files, next to the default ones.
  save(args.compositing === 'software' ? 'ui-software' : 'ui', out, md);
}
