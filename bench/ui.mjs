/**
 * bench:ui — main-thread long tasks while a pilot trains, threshold-slider input-to-repaint time,
 * and the production bundle size (gzip) per chunk. Writes bench/results/ui.{json,md}.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const FAST = 'dataset=mnist&trainLimit=3000&testLimit=1000&epochs=1&batchSize=64&seed=3';

function bundleSizes(root) {
  const dir = path.join(root, 'dist', 'assets');
  return readdirSync(dir).filter((f) => /\.(js|css|wasm)$/.test(f)).map((f) => {
    const buf = readFileSync(path.join(dir, f));
    return { file: f, bytes: statSync(path.join(dir, f)).size, gzipBytes: gzipSync(buf, { level: 9 }).length };
  }).sort((a, b) => b.gzipBytes - a.gzipBytes);
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN; };

export async function runUi({ args, root, withStudio, save, machine }) {
  const backend = String(args.backend ?? 'wasm');
  let out;
  await withStudio(async ({ browser, baseUrl, browserVersion }) => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.addInitScript(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(`${baseUrl}/?backend=${backend}&${FAST}&method=rtk`);
    await page.getByTestId('backend-name').waitFor({ timeout: 180_000 });
    // Long tasks count from the click on "Run pilot" to the end of training (page load excluded).
    const t0 = await page.evaluate(() => performance.now());
    await page.getByRole('button', { name: 'Run pilot' }).click();
    await page.waitForFunction(() => ['done', 'failed'].includes(document.querySelector('[data-testid="pilot-status"]')?.getAttribute('data-pilot') ?? ''), null, { timeout: 1_800_000, polling: 500 });
    const t1 = await page.evaluate(() => performance.now());
    const tasks = (await page.evaluate(() => window.__longTasks)).filter((t) => t.start >= t0 && t.start <= t1);
    const slider = page.getByRole('slider', { name: /threshold/i }).first();
    await slider.scrollIntoViewIfNeeded();
    const mode = page.getByRole('combobox', { name: /threshold rule|threshold mode/i }).first();
    if (await mode.count()) await mode.selectOption({ index: 1 }).catch(() => undefined);
    await slider.focus();
    await page.evaluate(() => { window.__sliderRepaintMs = []; window.__sliderCommitMs = []; });
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press(i < 20 ? 'ArrowRight' : 'ArrowLeft');
      await page.waitForTimeout(30);
    }
    const samples = await page.evaluate(() => window.__sliderRepaintMs ?? []);
    const commits = await page.evaluate(() => window.__sliderCommitMs ?? []);
    await page.screenshot({ path: path.join(root, 'bench', 'results', 'ui.png'), fullPage: true });
    const chunks = bundleSizes(root);
    out = {
      date: new Date().toISOString(), machine: machine(), browser: `Chromium ${browserVersion}`, backend,
      trainingWindowMs: Math.round(t1 - t0),
      longestTaskMs: tasks.reduce((m, t) => Math.max(m, t.duration), 0), longTasks: tasks.length,
      sliderSamples: samples.length, sliderCommitMsMedian: median(commits), sliderRepaintMsMedian: median(samples), sliderRepaintMsWorst: samples.length ? Math.max(...samples) : NaN,
      bundleGzipBytes: chunks.filter((c) => !c.file.endsWith('.wasm')).reduce((a, c) => a + c.gzipBytes, 0),
      wasmGzipBytes: chunks.filter((c) => c.file.endsWith('.wasm')).reduce((a, c) => a + c.gzipBytes, 0),
      chunks,
    };
  });
  const kb = (b) => `${(b / 1024).toFixed(1)} KiB`;
  const md = [
    `# bench:ui — ${out.date}`,
    `Machine: ${out.machine.cpu}, ${out.machine.cores} cores; ${out.browser}; backend ${out.backend}; fast pilot (${FAST}).`,
    '',
    `- Longest main-thread task while training: **${out.longestTaskMs.toFixed(0)} ms** (${out.longTasks} tasks over 50 ms in ${(out.trainingWindowMs / 1000).toFixed(0)} s).`,
    `- Threshold slider, input to repaint: median **${out.sliderRepaintMsMedian?.toFixed?.(2)} ms**, worst **${out.sliderRepaintMsWorst?.toFixed?.(2)} ms** over ${out.sliderSamples} moves (input → React commit median ${out.sliderCommitMsMedian?.toFixed?.(2)} ms).`,
    `- Bundle (gzip): JS + CSS ${kb(out.bundleGzipBytes)}, wasm binaries ${kb(out.wasmGzipBytes)}.`,
    '', '| chunk | bytes | gzip |', '|---|---|---|',
    ...out.chunks.map((c) => `| ${c.file} | ${kb(c.bytes)} | ${kb(c.gzipBytes)} |`),
  ].join('\n');
  save('ui', out, md);
}
