/**
 * bench:export — the default MNIST RTK pilot in the browser (wasm) and as the exported PyTorch
 * job with 1 and 2 processes (gloo, CPU) on this machine: one epoch's training time, test
 * accuracy, parity with the browser (golden.json) and whether both ranks end identical.
 *
 *   npm run bench:export [-- --build] [--trainLimit 30000 --testLimit 0]
 *
 * `--trainLimit N --testLimit N` shrink the pilot (and so the exported job) for the smoke run of npm test.
 *
 * Browser epoch time: from the first to the last training step in the run status line (data
 * loading and evaluation excluded), scaled to the whole epoch. Job epoch time: train.py's own
 * per-epoch timer (training steps only). The machine is shared: `uptime` load is recorded.
 */
import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PY = process.env.PYTHON ?? '/usr/bin/python3';
const load = () => os.loadavg().map((v) => Number(v.toFixed(2)));

export async function runExport({ args, withStudio, openStudio, save, machine, root }) {
  const limits = ['trainLimit', 'testLimit'].filter((k) => args[k] !== undefined).map((k) => `&${k}=${Number(args[k])}`).join('');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-export-'));
  const loads = { start: load() };
  let browser;
  await withStudio(async ({ browser: b, baseUrl, browserVersion }) => {
    const { page, backend, adapter } = await openStudio(b, `${baseUrl}/?backend=wasm&autorun=run${limits}`);
    await page.evaluate(() => {
      const marks = [];
      window.__steps = marks;
      const read = () => document.querySelector('[data-testid="run-status"]')?.textContent ?? '';
      new MutationObserver(() => {
        const m = /step (\d+)\/(\d+)/.exec(read());
        if (m && (!marks.length || marks[marks.length - 1].step !== Number(m[1]))) marks.push({ t: performance.now() / 1000, step: Number(m[1]), total: Number(m[2]) });
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.waitForFunction(() => window.__benchResult !== undefined, null, { timeout: 3_600_000, polling: 1000 });
    const result = await page.evaluate(() => window.__benchResult);
    if (result.error) throw new Error(result.error);
    const marks = await page.evaluate(() => window.__steps);
    const first = marks[0];
    const last = marks[marks.length - 1];
    if (!first || last.step !== last.total || last.step === first.step) throw new Error(`the run status did not show the steps (${JSON.stringify(marks.slice(0, 3))})`);
    const epochSeconds = ((last.t - first.t) * last.total) / (last.step - first.step);
    const step = page.getByRole('region', { name: /Export and share/ });
    const [dl] = await Promise.all([page.waitForEvent('download'), step.getByRole('button', { name: 'Download distillation card' }).click()]);
    await dl.saveAs(path.join(tmp, 'distillation-card.json'));
    browser = { backend, adapter, browser: `Chromium ${browserVersion}`, epochSeconds, testAccuracy: result.testAccuracy, wallSeconds: result.wallSeconds,
      batchSize: result.batchSize, steps: last.total };
  });
  loads.afterBrowser = load();

  const job = path.join(tmp, 'job');
  execSync(`npx tsx scripts/export-pytorch.ts --card ${path.join(tmp, 'distillation-card.json')} --out ${job}`, { cwd: root, stdio: 'inherit' });
  const env = { ...process.env };
  const py = (args, extra = {}) => execFileSync(PY, args, { cwd: job, encoding: 'utf8', env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'inherit'] });
  const parity = JSON.parse(py(['test_parity.py', '--json']).trim().split('\n').pop()).parityMaxAbsDiff;
  // One thread per process: with two threads on a loaded 2-core machine, OpenMP's spinning made one epoch take over 10 minutes.
  const threads1 = 1;
  py(['train.py', '--config', 'config.json', '--out', 'runs/p1', '--threads', String(threads1)]);
  const c1 = JSON.parse(readFileSync(path.join(job, 'runs/p1/distillation-card.json'), 'utf8'));
  loads.afterJob1 = load();
  const launcher = existsSync('/usr/bin/torchrun') ? ['/usr/bin/torchrun'] : [PY, '-m', 'torch.distributed.run'];
  // --redirects/--tee 1: Debian's torch 1.13 on Python 3.11 cannot parse their default 0.
  execFileSync(launcher[0], [...launcher.slice(1), '--standalone', '--nproc_per_node=2', '--redirects', '1', '--tee', '1',
    'train.py', '--config', 'config.json', '--out', 'runs/p2', '--threads', '1', '--dump-params'], { cwd: job, stdio: ['ignore', 'ignore', 'inherit'], env: { ...env, OMP_NUM_THREADS: '1' } });
  const c2 = JSON.parse(readFileSync(path.join(job, 'runs/p2/distillation-card.json'), 'utf8'));
  const dumps = JSON.parse(py(['-c', "import numpy as np, json; a, b = (np.load(f'runs/p2/params-rank{r}.npy') for r in (0, 1)); print(json.dumps(float(np.abs(a - b).max())))"]));
  loads.end = load();

  const out = {
    date: new Date().toISOString(), machine: machine(), load: loads, shared: 'this machine is shared with other sessions while the benchmark runs (see load)',
    config: { dataset: 'mnist', method: 'rtk', trainLimit: Number(args.trainLimit ?? 30000), testLimit: Number(args.testLimit ?? 0), valFraction: 0.1, batchSize: browser.batchSize, epochs: 1, stepsPerEpoch: { browser: browser.steps, 1: c1.job.stepsPerEpoch, 2: c2.job.stepsPerEpoch } },
    browser,
    job: { torch: c1.job.torch, backend: c2.job.backend, device: c2.job.device, threadsPerProcess: { 1: threads1, 2: 1 }, perRankBatch: { 1: c1.job.perRankBatch, 2: c2.job.perRankBatch } },
    browserEpochSeconds: browser.epochSeconds,
    jobEpochSeconds: { 1: c1.job.epochSeconds[0], 2: c2.job.epochSeconds[0] },
    testAccuracy: { browser: browser.testAccuracy, 1: c1.run.testAccuracy, 2: c2.run.testAccuracy },
    quantised: { 1: c1.deploy.tfjs.map((v) => ({ weights: v.weights, testAccuracy: v.testAccuracy, weightBytes: v.weightBytes })) },
    parityMaxAbsDiff: parity,
    ranksIdentical: c2.job.ranksIdentical === true && dumps === 0,
    rankMaxAbsDiff: dumps,
    gpu: 'not measured: no GPU machine was available (the NCCL CIFAR-10 full-run preset is untested here)',
  };
  const p = (v) => `${(v * 100).toFixed(2)} %`;
  const md = [
    `# bench:export — ${out.date}`,
    `Machine: ${out.machine.cpu}, ${out.machine.cores} cores, ${out.machine.memGiB} GiB; load (1/5/15 min) at start ${loads.start.join(' / ')}, after the browser run ${loads.afterBrowser.join(' / ')}, at the end ${loads.end.join(' / ')} — ${out.shared}.`,
    `Default MNIST RTK pilot (${out.config.trainLimit.toLocaleString('en-US')} images, 10 % held out, one epoch, global batch ${browser.batchSize}). Browser: ${browser.browser}, ${browser.adapter}. Job: PyTorch ${out.job.torch}, ${out.job.backend} on ${out.job.device}; 1 process × ${threads1} threads, 2 processes × 1 thread (batch ${c2.job.perRankBatch} per rank).`,
    '', '| where | one epoch (training steps) | test accuracy |', '|---|---|---|',
    `| browser (wasm) | ${browser.epochSeconds.toFixed(1)} s | ${p(browser.testAccuracy)} |`,
    `| PyTorch job, 1 process | ${out.jobEpochSeconds[1].toFixed(1)} s | ${p(out.testAccuracy[1])} |`,
    `| PyTorch job, 2 processes (gloo) | ${out.jobEpochSeconds[2].toFixed(1)} s | ${p(out.testAccuracy[2])} |`,
    '', `Quantised inference models of the 1-process job (accuracy after quantisation): ${out.quantised[1].map((v) => `${v.weights} ${p(v.testAccuracy)} (${v.weightBytes} B)`).join(', ')}.`,
    `Parity (golden.json, max |PyTorch − TF.js|): ${parity.toExponential(2)}. Ranks identical after training: ${out.ranksIdentical} (max difference ${dumps}).`,
    `GPU: ${out.gpu}.`,
  ].join('\n');
  save('export', out, md);
}
