/**
 * bench:speed and the default pilot in Node, for machines where the studio's browser benchmarks
 * cannot run (no Chromium, e.g. a GPU server). The same worker code as the browser benchmarks
 * (src/worker/bench.ts, src/worker/trainer.ts), hosted by Node; WebGPU comes from Dawn, the
 * WebGPU implementation inside Chromium, through the `webgpu` package's Node binding.
 *
 *   npm run bench:node -- [--backend webgpu|wasm|cpu] [--batch 128] [--steps 100] [--drift 500]
 *                         [--warmup 20] [--pilot] [--data public/datasets] [--out bench/results]
 *                         [--flags '{"WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE":200}'] [--name speed-node-webgpu]
 *
 * Writes <out>/speed-node-<backend>.json and .md (machine, runtime, backend, adapter, batch size,
 * samples/s, numTensors drift; --name changes the file name, --flags sets TF.js flags after the
 * backend starts) and, with --pilot, the default MNIST pilot's wall time and test
 * accuracies (student alone, then RTK with the shipped teacher).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { BackendPreference, MethodId, TrainConfig } from '../src/domain';
import { DEFAULT_CONFIG } from '../src/domain';
import { initBackend } from '../src/ml/backend/select';
import { loadDatasetNode } from '../src/ml/data/loadNode';
import { benchSpeed } from '../src/worker/bench';
import { TrainerRun } from '../src/worker/trainer';
import { installDawn } from './lib/dawn';
import { nodeEnv } from './lib/nodeEnv';
import { loadShippedTeacher } from './lib/shippedTeacher';

const args = process.argv.slice(2);
const arg = (n: string, d: string) => { const i = args.indexOf(`--${n}`); return i >= 0 ? args[i + 1] : d; };
const BACKEND = arg('backend', 'webgpu') as BackendPreference;
const BATCH = Number(arg('batch', '128'));
const DATA = path.resolve(arg('data', 'public/datasets'));
const OUT = path.resolve(arg('out', 'bench/results'));

/** The default pilot: student alone, then RTK with the shipped teacher; wall time of each. */
async function pilot() {
  const teacher = await loadShippedTeacher(DEFAULT_CONFIG.dataset);
  const rows: { method: MethodId; testAccuracy: number | null; seconds: number }[] = [];
  for (const method of ['student-alone', 'rtk'] as MethodId[]) {
    const config: TrainConfig = { ...DEFAULT_CONFIG, method };
    const t0 = performance.now();
    const run = new TrainerRun(`pilot-${method}`, config, nodeEnv({
      dataDir: DATA,
      teacher: method === 'student-alone' ? null : teacher,
      emit: (e) => {
        if (e.type === 'error') console.error(`${method}: ${e.message}`);
        if (e.type === 'eval') console.log(`${method}: ${e.report.split} accuracy ${(e.report.accuracy * 100).toFixed(2)} % at ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      },
    }));
    const r = await run.run();
    const seconds = (performance.now() - t0) / 1000;
    rows.push({ method, testAccuracy: r ? r.testAccuracy : null, seconds });
    console.log(`pilot ${method}: test ${r ? (r.testAccuracy * 100).toFixed(2) : 'failed'} % in ${seconds.toFixed(1)} s`);
  }
  return { config: { trainLimit: DEFAULT_CONFIG.trainLimit, epochs: DEFAULT_CONFIG.epochs, batchSize: DEFAULT_CONFIG.batchSize, seed: DEFAULT_CONFIG.seed }, rows };
}

async function main() {
  const runtime = BACKEND === 'webgpu' ? await installDawn() : `Node ${process.version}`;
  const info = await initBackend(BACKEND, { log: (m) => console.log(m) });
  const flags = JSON.parse(arg('flags', '{}')) as Record<string, number | boolean>;
  for (const [k, v] of Object.entries(flags)) tf.env().set(k, v);
  console.log(`${runtime}; backend ${info.backend} (${info.adapter ?? 'no adapter'}), batch ${BATCH}`);
  const ds = await loadDatasetNode(DATA, 'mnist', { trainLimit: 10000, testLimit: 100 });
  const fast = info.backend !== 'cpu';
  const figures = await benchSpeed({
    type: 'bench-speed', requestId: 'node', config: { ...DEFAULT_CONFIG, batchSize: BATCH },
    steps: Number(arg('steps', fast ? '100' : '3')), driftSteps: Number(arg('drift', fast ? '500' : '5')), warmupSteps: Number(arg('warmup', fast ? '20' : '1')),
  }, ds);
  console.log(`student alone ${figures.studentSamplesPerSec} samples/s, RTK step ${figures.rtkStepSamplesPerSec} samples/s (${figures.teacherFeed}), numTensors drift ${figures.numTensorsDrift} over ${figures.driftSteps} steps`);
  // Saved before the pilot runs, and again with it, so a pilot that fails or is cut off keeps these.
  console.log(save(runtime, { ...info, flags }, figures, null));
  if (args.includes('--pilot')) console.log(save(runtime, { ...info, flags }, figures, await pilot()));
  process.exit(0);
}

type Figures = Awaited<ReturnType<typeof benchSpeed>>;
type PilotResult = Awaited<ReturnType<typeof pilot>>;

/** Writes <out>/speed-node-<backend>.json and .md; returns the Markdown. */
function save(runtime: string, info: { adapter: string | null; fallbacks: unknown; flags: object }, figures: Figures, pilotResult: PilotResult | null): string {
  const cpus = os.cpus();
  const json = {
    date: new Date().toISOString(),
    machine: { cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, memGiB: Math.round(os.totalmem() / 2 ** 30), os: `${os.type()} ${os.release()}` },
    runtime, adapter: info.adapter, fallbacks: info.fallbacks, flags: info.flags, ...figures, pilot: pilotResult,
  };
  const md = [
    `# bench:node — ${json.date}`,
    `Machine: ${json.machine.cpu}, ${json.machine.cores} cores, ${json.machine.memGiB} GiB. Runtime: ${runtime} (not Chromium). Backend **${figures.backend}**, adapter **${info.adapter ?? '—'}**; batch ${figures.batchSize}${Object.keys(info.flags).length ? `; flags ${JSON.stringify(info.flags)}` : ''}.`,
    `Teacher ${figures.teacher}: ${figures.teacherFlops} FLOPs/image, ${figures.teacherParams} params. Student ${figures.student}: ${figures.studentFlops} FLOPs/image, ${figures.studentParams} params.`,
    '', '| student alone (samples/s) | full RTK step (samples/s) | where the teacher ran | numTensors drift | drift steps | measured steps |', '|---|---|---|---|---|---|',
    `| ${figures.studentSamplesPerSec} | ${figures.rtkStepSamplesPerSec} | ${figures.teacherFeed} | ${figures.numTensorsDrift} | ${figures.driftSteps} | ${figures.measuredSteps} |`,
    ...(pilotResult ? [
      '', `Default MNIST pilot (${pilotResult.config.trainLimit} training images, ${pilotResult.config.epochs} epoch, batch ${pilotResult.config.batchSize}, seed ${pilotResult.config.seed}; data read from files, no page load):`, '',
      '| method | test accuracy | seconds |', '|---|---|---|',
      ...pilotResult.rows.map((r) => `| ${r.method} | ${r.testAccuracy == null ? 'failed' : `${(r.testAccuracy * 100).toFixed(2)}%`} | ${r.seconds.toFixed(1)} |`),
    ] : []),
  ].join('\n');
  mkdirSync(OUT, { recursive: true });
  const name = arg('name', `speed-node-${figures.backend}`);
  writeFileSync(path.join(OUT, `${name}.json`), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(path.join(OUT, `${name}.md`), `${md}\n`);
  return md;
}

main().catch((e: unknown) => { console.error(e instanceof Error ? e.stack ?? e.message : String(e)); process.exit(1); });
