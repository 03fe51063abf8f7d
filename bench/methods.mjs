/**
 * bench:methods — teacher, student alone, KD, AT, AFD and RTK on the same budget (same student,
 * data order, epochs and seeds), mean ± sd over seeds. The feature-loss weight β of AFD and RTK
 * is chosen on the validation split (carved from the training set) with the first seed, never on
 * the test set; the chosen value is then used for every seed.
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

const ALL_METHODS = ['student-alone', 'kd', 'at', 'afd', 'rtk'];
const DEFAULT_BETAS = [50, 200];

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs) => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, b) => a + (b - mean(xs)) ** 2, 0) / (xs.length - 1)));

export async function runMethods({ args, withStudio, openStudio, save, machine }) {
  const dataset = String(args.dataset ?? 'fashion-mnist');
  const seeds = Number(args.seeds ?? 3);
  const epochs = Number(args.epochs ?? 1);
  const trainLimit = Number(args.trainLimit ?? 0);
  const backend = String(args.backend ?? 'wasm');
  // --methods a,b and --betas 50,200 narrow the comparison, --testLimit N scores on a subset (the smoke run of npm test).
  const METHODS = args.methods ? String(args.methods).split(',') : ALL_METHODS;
  const BETA_GRID = args.betas ? String(args.betas).split(',').map(Number) : DEFAULT_BETAS;
  for (const m of METHODS) if (!ALL_METHODS.includes(m)) throw new Error(`bench:methods: --methods ${m}: use ${ALL_METHODS.join(', ')}`);
  const testLimit = Number(args.testLimit ?? 0);
  const budget = { dataset, epochs, trainLimit, testLimit };
  const runs = [];
  const chosen = {};
  let env = {};

  await withStudio(async ({ browser, baseUrl, browserVersion }) => {
    async function one(method, seed, options) {
      const config = { ...budget, method, seed, ...(options ? { options } : {}) };
      const url = `${baseUrl}/?backend=${backend}&autorun=run&config=${encodeURIComponent(JSON.stringify(config))}`;
      const { page, backend: actual, adapter } = await openStudio(browser, url);
      env = { backend: actual, adapter, browser: `Chromium ${browserVersion}` };
      const h = await page.waitForFunction(() => window.__benchResult, null, { timeout: 3_600_000, polling: 1000 });
      const r = await h.jsonValue();
      await page.close();
      if (r.error) throw new Error(`${method} seed ${seed}: ${r.error}`);
      console.log(`${method} seed ${seed}${options ? ` ${JSON.stringify(options.afd ?? {})}` : ''}: test ${(r.testAccuracy * 100).toFixed(2)}%, val ${(r.valAccuracy * 100).toFixed(2)}%, ${r.wallSeconds.toFixed(0)} s`);
      return { method, seed, ...r };
    }
    const defaults = { kd: { alpha: 0.9, tau: 4 }, at: { betaAt: 1000 }, afd: { beta: 200, attnDim: 64 },
      rtk: { importance: 'afd', k: 2, threshold: 'mean', granularity: 'sample', warmupEpochs: 0 } };
    for (const method of METHODS) {
      let options = null;
      if (method === 'afd' || method === 'rtk') {
        let best = null;
        for (const beta of BETA_GRID) {
          const opts = { ...defaults, afd: { ...defaults.afd, beta } };
          const r = await one(method, 1, opts);
          r.selection = true;
          runs.push(r);
          if (!best || r.valAccuracy > best.r.valAccuracy) best = { r, opts, beta };
        }
        options = best.opts;
        chosen[method] = { beta: best.beta };
        best.r.selection = false;
      } else {
        runs.push(await one(method, 1, null));
      }
      for (let seed = 2; seed <= seeds; seed++) runs.push(await one(method, seed, options));
    }
  });

  const teacherCard = path.resolve('public', 'teachers', dataset, 'card.json');
  const teacher = existsSync(teacherCard) ? JSON.parse(readFileSync(teacherCard, 'utf8')) : null;
  const rows = METHODS.map((m) => {
    const rs = runs.filter((r) => r.method === m && !r.selection);
    const acc = rs.map((r) => r.testAccuracy);
    return { method: m, seeds: rs.length, testMean: mean(acc), testSd: sd(acc), valMean: mean(rs.map((r) => r.valAccuracy)), wallSecondsMean: mean(rs.map((r) => r.wallSeconds)) };
  });
  const alone = rows.find((r) => r.method === 'student-alone') ?? rows[0];
  const verdict = (r) => (r.method === 'student-alone' ? '' : Math.abs(r.testMean - alone.testMean) <= Math.max(r.testSd, alone.testSd)
    ? 'inconclusive' : r.testMean > alone.testMean ? 'better' : 'not better');
  const json = { date: new Date().toISOString(), machine: machine(), ...env, dataset, seeds, budget: { epochs, trainLimit: trainLimit || 'all', testLimit: testLimit || 'all' },
    betaGrid: BETA_GRID, chosen, teacher: teacher ? { testAccuracy: teacher.testAccuracy, spec: teacher.spec } : null, rows, runs };
  const f = (v) => (v * 100).toFixed(2);
  const md = [
    `# bench:methods — ${dataset}, ${json.date}`,
    `Machine: ${json.machine.cpu}, ${json.machine.cores} cores; ${env.browser}; backend ${env.backend} (${env.adapter}).`,
    `Budget per run: ${epochs} epoch(s) on ${trainLimit || 'all'} training images (10% held out for validation), ${testLimit ? `${testLimit} test images` : 'full test set'}; seeds 1..${seeds}; ` +
      `student ${runs[0].student}, batch ${runs[0].batchSize}, Adam ${runs[0].learningRate} (${runs[0].lrSchedule}).`,
    `β for AFD/RTK chosen on validation accuracy with seed 1 from ${BETA_GRID.join(', ')}: ${JSON.stringify(chosen)}.`,
    teacher ? `Teacher (shipped, single model): ${f(teacher.testAccuracy)}% test accuracy.` : 'No shipped teacher card found.',
    '', '| method | test accuracy (mean ± sd) | val accuracy | runs | wall s/run | vs student alone |', '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.method} | ${f(r.testMean)} ± ${f(r.testSd)} | ${f(r.valMean)} | ${r.seeds} | ${r.wallSecondsMean.toFixed(0)} | ${verdict(r)} |`),
  ].join('\n');
  save(`methods-${dataset}`, json, md);
}
