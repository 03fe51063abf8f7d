/**
 * bench:import — all 50,000 CIFAR-10 training images as PNG files in class folders (built here,
 * in a temporary directory), imported through the real UI (the folder picker) in headless
 * Chromium: images/s, the longest main-thread task while importing (PerformanceObserver
 * 'longtask'), the peak JS heap of the page (and of the import worker, where Chromium reports it),
 * and the load average (this machine is shared). Writes bench/results/import.{json,md}.
 *
 *   npm run bench:import [-- --limit 50000 --keep /tmp/dir --trace]
 *
 * `--trace` records Chrome traces of the staging and import windows and names what ran in each
 * main-thread task over 50 ms (RTK_TRACE_OUT=file.json also keeps the import window's trace).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { longTaskCauses } from './uiTrace.mjs';

const load = () => os.loadavg().map((v) => Number(v.toFixed(2)));

export async function runImport({ args, root, withStudio, openStudio, save, machine }) {
  const limit = Number(args.limit ?? 50000);
  const dir = args.keep ? String(args.keep) : path.join(mkdtempSync(path.join(os.tmpdir(), 'rtk-import-')), 'cifar10-png');
  if (!existsSync(path.join(dir, 'truck'))) {
    console.log(`writing ${limit} CIFAR-10 PNG files under ${dir} …`);
    execFileSync('npx', ['tsx', path.join(root, 'bench', 'makeImageFolder.ts'), dir, '--limit', String(limit)], { cwd: root, stdio: 'inherit' });
  }
  const loadBefore = load();
  let out;
  try {
    await withStudio(async ({ browser, baseUrl, browserVersion }) => {
      const { page, backend } = await openStudio(browser, `${baseUrl}/?backend=wasm`);
      await page.getByTestId('dataset-counts').waitFor({ timeout: 180_000 });
      await page.evaluate(() => {
        const w = window;
        w.__longest = 0; w.__longTasks = 0; w.__peakHeap = 0; w.__measuring = false;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) if (w.__measuring) { w.__longest = Math.max(w.__longest, e.duration); w.__longTasks++; }
        }).observe({ type: 'longtask', buffered: false });
        setInterval(() => { if (w.__measuring && performance.memory) w.__peakHeap = Math.max(w.__peakHeap, performance.memory.usedJSHeapSize); }, 50);
      });
      const panel = page.getByTestId('import-panel');
      await page.evaluate(() => { window.__measuring = true; });
      const t0 = Date.now();
      const trace = args.trace ? { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8.execute'] } : null;
      if (trace) await browser.startTracing(page, trace);
      await panel.getByTestId('import-folder').setInputFiles(dir, { timeout: 900_000 });
      const button = panel.getByRole('button', { name: /^Import [\d,]+ files/ });
      await button.waitFor({ timeout: 600_000 });
      await page.waitForFunction(() => { const b = [...document.querySelectorAll('button')].find((x) => /^Import [\d,]+ files/.test(x.textContent ?? '')); return b && !b.disabled; }, null, { timeout: 600_000 });
      const staged = Date.now();
      // Staging (the browser listing the folder, handles posted to the worker, the preview) is
      // measured apart from the import itself.
      const stagingTasks = await page.evaluate(() => { const r = { longest: window.__longest, count: window.__longTasks }; window.__longest = 0; window.__longTasks = 0; return r; });
      const stagingCauses = trace ? longTaskCauses((await browser.stopTracing()).toString('utf8'), 0) : null;
      if (trace) await browser.startTracing(page, trace);
      await button.click();
      let workerPeak = 0;
      const worker = () => page.workers().find((w) => /importWorker/.test(w.url()));
      const poll = setInterval(() => {
        void worker()?.evaluate(() => performance.memory?.usedJSHeapSize ?? 0).then((v) => { workerPeak = Math.max(workerPeak, v); }, () => undefined);
      }, 250);
      await panel.getByTestId('import-summary').or(panel.getByTestId('import-error')).waitFor({ timeout: 1_800_000 });
      const done = Date.now();
      clearInterval(poll);
      const importTrace = trace ? (await browser.stopTracing()).toString('utf8') : null;
      if (importTrace && process.env.RTK_TRACE_OUT) writeFileSync(process.env.RTK_TRACE_OUT, importTrace);
      const importCauses = importTrace ? longTaskCauses(importTrace, 0) : null;
      const error = await panel.getByTestId('import-error').count() ? await panel.getByTestId('import-error').textContent() : null;
      const summaryText = error ? '' : await panel.getByTestId('import-summary').locator('p').first().textContent();
      const m = await page.evaluate(() => ({ longest: window.__longest, count: window.__longTasks, peak: window.__peakHeap }));
      const images = error ? 0 : Number((summaryText.match(/([\d,]+) training and ([\d,]+) test/) ?? []).slice(1).reduce((a, s) => a + Number(s.replace(/,/g, '')), 0));
      const importSeconds = (done - staged) / 1000;
      out = {
        date: new Date().toISOString(), machine: machine(), browser: `Chromium ${browserVersion}`, backend, batchSize: null,
        images, files: limit, imageSize: '32×32 RGB (stretch)', error,
        stageSeconds: (staged - t0) / 1000, importSeconds, totalSeconds: (done - t0) / 1000,
        imagesPerSec: images ? Math.round(images / importSeconds) : 0,
        longestTaskMs: Math.round(m.longest), longTasks: m.count, stagingLongestTaskMs: Math.round(stagingTasks.longest), stagingLongTasks: stagingTasks.count,
        peakHeapMB: Math.round(m.peak / 1e5) / 10, importWorkerPeakHeapMB: Math.round(workerPeak / 1e5) / 10,
        loadAverageBefore: loadBefore, loadAverageAfter: load(), summary: summaryText,
        targets: { seconds: 60, longestTaskMs: 50, peakHeapMB: 512 },
        ...(trace ? { stagingTaskCauses: stagingCauses, importTaskCauses: importCauses } : {}),
      };
    });
  } finally {
    if (!args.keep) rmSync(path.dirname(dir), { recursive: true, force: true });
  }
  const ok = (v, t) => (v <= t ? 'met' : 'missed');
  const md = [
    `# bench:import — ${out.date}`,
    `Machine: ${out.machine.cpu}, ${out.machine.cores} cores, ${out.machine.memGiB} GiB; ${out.browser}; training backend ${out.backend} (import decodes in its own worker; no batch size applies).`,
    `Load average (1/5/15 min) before ${out.loadAverageBefore.join(' / ')}, after ${out.loadAverageAfter.join(' / ')}: the machine was shared, so times are noisy.`,
    '', `${out.files.toLocaleString('en-US')} CIFAR-10 PNG files in class folders, imported through the folder picker at ${out.imageSize}.`,
    out.error ? `**Import failed:** ${out.error}` : `Summary: ${out.summary}`,
    '', '| figure | value | target |', '|---|---|---|',
    `| images imported | ${out.images.toLocaleString('en-US')} | 50,000 |`,
    `| staging (picker → Import button) | ${out.stageSeconds.toFixed(1)} s | |`,
    `| import (click → summary) | ${out.importSeconds.toFixed(1)} s | ≤ 60 s (${ok(out.importSeconds, 60)}) |`,
    `| images/s | ${out.imagesPerSec} | ≥ 833 |`,
    `| longest main-thread task while importing | ${out.longestTaskMs} ms (${out.longTasks} tasks over 50 ms) | ≤ 50 ms (${ok(out.longestTaskMs, 50)}) |`,
    `| longest main-thread task while staging | ${out.stagingLongestTaskMs} ms (${out.stagingLongTasks} tasks over 50 ms) | |`,
    `| peak JS heap, page | ${out.peakHeapMB} MB | ≤ 512 MB (${ok(out.peakHeapMB, 512)}) |`,
    `| peak JS heap, import worker | ${out.importWorkerPeakHeapMB || 'not reported'} MB | |`,
    ...(['staging', 'import'].flatMap((w) => {
      const c = out[`${w}TaskCauses`];
      return c ? ['', `Main-thread tasks over 50 ms while ${w === 'import' ? 'importing' : 'staging'}, from the Chrome trace (what ran inside each):`, ...c.map((t) => `- ${t.ms} ms: ${t.inside.map((i) => `${i.what} ${i.ms} ms`).join('; ')}`)] : [];
    })),
  ].join('\n');
  save('import', out, md);
}
