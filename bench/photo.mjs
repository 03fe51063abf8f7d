/**
 * bench:photo — issue 26's target: the model a pilot engineer runs today, at its own size.
 * 1,000 JPEG photos at 224×224 (CIFAR-10 test images scaled up, scripts/photo-fixture/make_photos.py,
 * train/ and test/ folders) and torchvision's MobileNetV2 at 224×224 exported to ONNX
 * (fixtures/onnx/photo-mobilenet-v2.onnx), through the real UI in headless Chromium, fresh
 * browser context: page load → photos imported at 224×224 → teacher imported (scaling detected,
 * baseline scored) → pilot (student alone + RTK) → the pilot card. Recorded:
 * - wall seconds from page load to the card, and each stage's seconds;
 * - the peak resident memory of the page's renderer process (its workers included: they are
 *   threads of it), read from Linux's /proc every 250 ms;
 * - the baseline's accuracy beside onnxruntime-node's on the same test photos (decoded by PIL
 *   from the same JPEG files), with the seconds each took.
 * Writes bench/results/photo-pilot.{json,md}.
 *
 *   npm run bench:photo [-- --count 1000 --size 224 --keep /tmp/photos --threads 2]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { rendererMemory } from './procMemory.mjs';

const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

/** onnxruntime-node on the test photos (NCHW, ImageNet mean/std): accuracy and seconds. */
export async function reference(file, dir, threads) {
  const meta = JSON.parse(readFileSync(`${dir}.test-labels.json`, 'utf8'));
  const pixels = readFileSync(`${dir}.test.u8`);
  const s = meta.size;
  const per = s * s * 3;
  const n = meta.labels.length;
  const session = await ort.InferenceSession.create(file, { intraOpNumThreads: threads, interOpNumThreads: 1 });
  const B = 50;
  let correct = 0;
  const t0 = performance.now();
  for (let at = 0; at < n; at += B) {
    const k = Math.min(B, n - at);
    const x = new Float32Array(k * per);
    for (let i = 0; i < k; i++) {
      for (let p = 0; p < s * s; p++) {
        for (let c = 0; c < 3; c++) x[i * per + c * s * s + p] = (pixels[(at + i) * per + p * 3 + c] / 255 - MEAN[c]) / STD[c];
      }
    }
    const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, [k, 3, s, s]) });
    const logits = out[session.outputNames[0]].data;
    const m = logits.length / k;
    for (let i = 0; i < k; i++) {
      let best = 0;
      for (let j = 1; j < m; j++) if (logits[i * m + j] > logits[i * m + best]) best = j;
      if (best === meta.labels[at + i]) correct += 1;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  await session.release();
  return { accuracy: correct / n, images: n, seconds: Number(seconds.toFixed(1)), threads, runtime: 'onnxruntime-node' };
}

export async function runPhoto({ args, root, outDir, withStudio, openStudio, save, machine }) {
  const count = Number(args.count ?? 1000);
  const size = Number(args.size ?? 224);
  const threads = Number(args.threads ?? os.cpus().length);
  const dir = args.keep ? path.resolve(String(args.keep)) : path.join(mkdtempSync(path.join(os.tmpdir(), 'rtk-photos-')), `photos-${size}`);
  const teacherFile = path.join(root, 'fixtures', 'onnx', 'photo-mobilenet-v2.onnx');
  if (!existsSync(path.join(dir, 'train')) || !existsSync(`${dir}.test.u8`)) {
    console.log(`writing ${count} photos at ${size}×${size} under ${dir} …`);
    execFileSync('/usr/bin/python3', [path.join(root, 'scripts', 'photo-fixture', 'make_photos.py'), '--out', dir, '--count', String(count), '--size', String(size), '--test-share', '0.2', '--raw'], { stdio: 'inherit' });
  }
  const ref = await reference(teacherFile, dir, threads);
  console.log(`onnxruntime-node (${threads} threads): ${(ref.accuracy * 100).toFixed(2)} % on ${ref.images} test photos in ${ref.seconds} s`);
  const load = { before: os.loadavg() };
  let out;
  await withStudio(async ({ browser, baseUrl, browserVersion }) => {
    const before = new Set(rendererMemory().keys());
    const t0 = Date.now();
    const stages = {};
    const stagePeaks = {};
    let peak = 0;
    let privatePeak = 0;
    let stagePeak = 0;
    const mark = (name) => {
      stages[name] = (Date.now() - t0) / 1000;
      stagePeaks[name] = Math.round(stagePeak / 2 ** 20);
      stagePeak = 0;
      console.log(`${stages[name].toFixed(1)} s: ${name} (renderer peak in this stage ${stagePeaks[name]} MiB)`);
    };
    const poll = setInterval(() => {
      // VmHWM is the kernel's own peak: nothing between two polls is missed.
      for (const { hwm, rss, anon } of rendererMemory((pid) => !before.has(pid)).values()) {
        peak = Math.max(peak, hwm);
        privatePeak = Math.max(privatePeak, anon);
        stagePeak = Math.max(stagePeak, rss);
      }
    }, 250);
    try {
      const { page, backend } = await openStudio(browser, `${baseUrl}/?backend=wasm&seed=1`);
      mark('page ready');
      const panel = page.getByTestId('import-panel');
      await panel.getByTestId('import-folder').setInputFiles(dir, { timeout: 300_000 });
      await panel.getByLabel('Input size').selectOption(String(size));
      const button = panel.getByRole('button', { name: /^Import [\d,]+ files/ });
      await button.waitFor({ timeout: 300_000 });
      await page.waitForFunction(() => { const b = [...document.querySelectorAll('button')].find((x) => /^Import [\d,]+ files/.test(x.textContent ?? '')); return b && !b.disabled; }, null, { timeout: 300_000 });
      await button.click();
      await panel.getByTestId('import-summary').or(panel.getByTestId('import-error')).waitFor({ timeout: 600_000 });
      if (await panel.getByTestId('import-error').count()) throw new Error(`import failed: ${await panel.getByTestId('import-error').textContent()}`);
      await panel.getByRole('button', { name: 'Use these images' }).click();
      mark('photos imported');
      await page.getByTestId('own-teacher-files').setInputFiles(teacherFile);
      await page.getByTestId('own-teacher-accuracy').waitFor({ timeout: 900_000 });
      const shown = Number((await page.getByTestId('own-teacher-accuracy').innerText()).replace(/[^\d.]/g, '')) / 100;
      mark('teacher baseline');
      await page.getByRole('button', { name: 'Run pilot' }).click();
      const status = page.getByTestId('pilot-status');
      await page.waitForFunction(() => ['done', 'failed'].includes(document.querySelector('[data-testid="pilot-status"]')?.getAttribute('data-pilot') ?? ''), null, { timeout: 1_800_000, polling: 1000 });
      mark('pilot card');
      const result = JSON.parse((await status.getAttribute('data-result')) ?? '{}');
      out = {
        date: new Date().toISOString(), machine: machine(), browser: `Chromium ${browserVersion}`, backend, photos: count, size,
        teacher: 'photo-mobilenet-v2.onnx (torchvision MobileNetV2, 2.24 M parameters)', pilot: await status.getAttribute('data-pilot'),
        config: await page.evaluate(() => location.search), wallSeconds: stages['pilot card'], stages,
        rendererPeakMB: Math.round(peak / 2 ** 20), rendererPrivatePeakMB: Math.round(privatePeak / 2 ** 20), stagePeaksMB: stagePeaks, baseline: { studio: shown, reference: ref, differencePoints: Number(((shown - ref.accuracy) * 100).toFixed(2)) },
        testAccuracy: result.testAccuracy, load: { ...load, after: os.loadavg() },
      };
      mkdirSync(outDir, { recursive: true });
      await page.screenshot({ path: path.join(outDir, 'photo-pilot.png'), fullPage: false });
    } finally {
      clearInterval(poll);
    }
  });
  const pct = (v) => `${(v * 100).toFixed(2)} %`;
  const md = [
    `# bench:photo — ${out.date}`,
    `Machine: ${out.machine.cpu}, ${out.machine.cores} cores, ${out.machine.memGiB} GiB; ${out.browser}; backend ${out.backend}. Address parameters: \`${out.config}\`.`,
    `${out.photos} JPEG photos at ${out.size}×${out.size} (train/ and test/ folders), teacher ${out.teacher}.`,
    '',
    '| figure | value | target |', '|---|---|---|',
    `| page load → pilot card | ${out.wallSeconds.toFixed(1)} s | ≤ 180 s |`,
    `| renderer peak resident memory (workers included; VmHWM) | ${out.rendererPeakMB} MiB | ≤ 1,024 MiB (1 GiB) |`,
    `| renderer peak private memory (RssAnon + VmSwap, sampled every 250 ms: without Chromium's code and data files, which every Chromium process shares) | ${out.rendererPrivatePeakMB} MiB | |`,
    `| teacher baseline in the studio | ${pct(out.baseline.studio)} | |`,
    `| onnxruntime-node, ${out.baseline.reference.threads} threads, same photos (PIL decode) | ${pct(out.baseline.reference.accuracy)} on ${out.baseline.reference.images} in ${out.baseline.reference.seconds} s | within 0.1 points |`,
    '', 'Stages (seconds since the page was opened; resident memory of the renderer sampled every 250 ms):', '',
    ...Object.entries(out.stages).map(([k, v]) => `- ${v.toFixed(1)} s: ${k} (renderer peak during the stage, sampled: ${out.stagePeaksMB[k]} MiB)`),
    '', '| method | test accuracy |', '|---|---|',
    ...Object.entries(out.testAccuracy ?? {}).map(([m, a]) => `| ${m} | ${pct(a)} |`),
    '', `Load average (1 / 5 / 15 min) before: ${out.load.before.map((l) => l.toFixed(1)).join(' / ')}, after: ${out.load.after.map((l) => l.toFixed(1)).join(' / ')} on ${os.cpus().length} cores.`,
  ].join('\n');
  save('photo-pilot', out, md);
}
