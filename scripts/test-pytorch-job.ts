/**
 * The PyTorch export, end to end on real MNIST (npm run test:py; needs /usr/bin/python3 with
 * python3-torch, python3-onnx, python3-pil):
 *  1. a real RTK pilot in Node (wasm, 3,000 training / 1,000 test images), its distillation card;
 *  2. npm run export:pytorch on that card; the job's own unit tests (tests/test_convert.py);
 *  3. test_parity.py: PyTorch recomputes golden.json within 1e-4;
 *  4. one process, one epoch; its student/ (TF.js, with taps) and the inference folders (one output,
 *     float32 / float16 / int8) load with tf.loadLayersModel and score what the job reported,
 *     within 0.1 points; student.onnx passes onnx.checker and gives the same logits in onnxruntime-node;
 *  5. two processes under torchrun (gloo, CPU), granularity 'batch', 8 steps: the parameters are
 *     identical on both ranks and both ranks kept the same keys;
 *  6. bad input: a card that is not a distillation card is refused by name;
 *  7. the photo stride plan: each student preset at 96 px gives the same logits and taps in
 *     PyTorch as in TF.js (scripts/lib/photoParity.ts).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_CONFIG, type TrainConfig } from '../src/domain';
import { initBackend } from '../src/ml/backend/select';
import { loadDatasetNode } from '../src/ml/data/loadNode';
import { TrainerRun } from '../src/worker/trainer';
import { exportPytorch } from './export-pytorch';
import { nodeEnv } from './lib/nodeEnv';
import { loadShippedTeacher } from './lib/shippedTeacher';
import { accuracyOf, loadFolder } from './lib/tfjsEval';
import { configFromCard } from './lib/jobCard';
import { photoParityFolders } from './lib/photoParity';

const PY = process.env.PYTHON ?? '/usr/bin/python3';
const DATA = path.resolve('public/datasets');

function py(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  console.log(`$ ${[PY, ...args].join(' ')}`);
  return execFileSync(PY, args, { cwd, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
}

/** torchrun, or `python3 -m torch.distributed.run` where the script is missing. --redirects/--tee 1:
 * Debian's torch 1.13 on Python 3.11 cannot parse their default 0 (IntFlag change in 3.11). */
function torchrun(n: number, args: string[], cwd: string): string {
  const launcher = existsSync('/usr/bin/torchrun') ? ['/usr/bin/torchrun'] : [PY, '-m', 'torch.distributed.run'];
  const all = [...launcher.slice(1), '--standalone', `--nproc_per_node=${n}`, '--redirects', '1', '--tee', '1', ...args];
  console.log(`$ ${launcher[0]} ${all.join(' ')}`);
  // A hung rank fails the test within minutes instead of holding CI until its own limit.
  return execFileSync(launcher[0], all, { cwd, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000, killSignal: 'SIGTERM' });
}

async function pilotCard(dir: string): Promise<string> {
  const config: TrainConfig = { ...DEFAULT_CONFIG, trainLimit: 3000, testLimit: 1000, seed: 3 };
  const teacher = await loadShippedTeacher('mnist');
  const run = new TrainerRun('py-test', config, nodeEnv({ dataDir: DATA, teacher, emit: () => undefined }));
  const r = await run.run();
  assert.ok(r, 'the browser-side pilot finished');
  const keys = r.test.keys;
  const card = {
    kind: 'rtk-distillation-card', version: 1, dataset: config.dataset, teacher: { spec: config.teacher }, student: config.student,
    method: config.method, options: config.options, keptKeys: keys ? keys.teacherTaps.filter((_, i) => keys.kept[i]) : null,
    budget: { epochs: config.epochs, batchSize: config.batchSize, learningRate: config.learningRate, lrSchedule: config.lrSchedule,
      trainLimit: config.trainLimit, testLimit: config.testLimit, valFraction: config.valFraction },
    run: { seed: config.seed, testAccuracy: r.testAccuracy },
  };
  const file = path.join(dir, 'distillation-card.json');
  writeFileSync(file, JSON.stringify(card));
  console.log(`browser-side pilot (Node, wasm): test accuracy ${(r.testAccuracy * 100).toFixed(2)} %`);
  return file;
}

async function onnxAgrees(onnxPath: string, tfjsDir: string, ds: Awaited<ReturnType<typeof loadDatasetNode>>): Promise<number> {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(onnxPath);
  const [h, w, c] = ds.shape;
  const n = 16;
  const nhwc = Float32Array.from(ds.test.images.subarray(0, n * h * w * c), (v) => v / ds.pixelMax);
  const nchw = new Float32Array(nhwc.length);
  for (let b = 0; b < n; b++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) {
    nchw[((b * c + k) * h + y) * w + x] = nhwc[((b * h + y) * w + x) * c + k];
  }
  const res = await session.run({ input: new ort.Tensor('float32', nchw, [n, c, h, w]) });
  const onnxOut = res[session.outputNames[0]].data as Float32Array;
  const model = await loadFolder(tfjsDir);
  const tfOut = tf.tidy(() => (model.predict(tf.tensor4d(nhwc, [n, h, w, c])) as tf.Tensor).dataSync());
  model.dispose();
  let worst = 0;
  for (let i = 0; i < tfOut.length; i++) worst = Math.max(worst, Math.abs(tfOut[i] - onnxOut[i]));
  return worst;
}

async function main() {
  await initBackend('wasm', {});
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'rtk-pytorch-'));
  const cardFile = await pilotCard(tmp);
  const job = path.join(tmp, 'job');
  await exportPytorch(cardFile, job, DATA);
  for (const f of ['train.py', 'config.json', 'golden.json', 'test_parity.py', 'README.md', 'teacher/model.json', 'rtk_job/models.py']) assert.ok(existsSync(path.join(job, f)), `export has ${f}`);
  const cfg = JSON.parse(readFileSync(path.join(job, 'config.json'), 'utf8'));
  assert.deepEqual(Object.keys(cfg.presets), ['pilot', 'full-run']);

  py(['-m', 'unittest', 'discover', '-s', path.resolve('pytorch-job/tests'), '-p', 'test_*.py'], path.resolve('pytorch-job'));
  py(['test_parity.py'], job);
  const parity = JSON.parse(py(['test_parity.py', '--json'], job)).parityMaxAbsDiff as number;
  assert.ok(parity <= 1e-4, `parity ${parity}`);

  py(['train.py', '--config', 'config.json', '--out', 'runs/one'], job);
  const out = path.join(job, 'runs/one');
  const card = JSON.parse(readFileSync(path.join(out, 'distillation-card.json'), 'utf8'));
  assert.equal(card.ranOn.processes, 1);
  assert.equal(card.keptKeysPerEpoch.length, 1);
  const ds = await loadDatasetNode(DATA, 'mnist', { trainLimit: 0, testLimit: 1000 });
  const student = await loadFolder(path.join(out, 'student'));
  const back = await accuracyOf(student, ds);
  console.log(`job reported ${(card.run.testAccuracy * 100).toFixed(2)} %, TF.js scores its student/ at ${(back.accuracy * 100).toFixed(2)} %`);
  assert.equal(back.outputs, 4, 'student/ keeps its taps for the studio');
  assert.ok(Math.abs(back.accuracy - card.run.testAccuracy) <= 0.001, 'within 0.1 points');
  for (const v of card.deploy.tfjs as { weights: string; path: string; testAccuracy: number }[]) {
    const m = await loadFolder(path.join(out, path.dirname(v.path)));
    const a = await accuracyOf(m, ds);
    console.log(`  inference ${v.weights}: job ${(v.testAccuracy * 100).toFixed(2)} %, TF.js ${(a.accuracy * 100).toFixed(2)} %, ${m.outputs.length} output`);
    assert.equal(a.outputs, 1);
    assert.ok(Math.abs(a.accuracy - v.testAccuracy) <= 0.001, `${v.weights} within 0.1 points`);
    m.dispose();
  }
  py(['-c', `import onnx; m = onnx.load('${path.join(out, 'student.onnx')}'); onnx.checker.check_model(m); assert len(m.graph.output) == 1`], job);
  // The ONNX student in onnxruntime (outside the browser) gives the TF.js inference model's logits.
  const onnxDiff = await onnxAgrees(path.join(out, 'student.onnx'), path.join(out, 'inference'), ds);
  console.log(`  student.onnx in onnxruntime-node vs TF.js inference model: max |logit diff| ${onnxDiff.toExponential(2)}`);
  assert.ok(onnxDiff < 1e-3, 'ONNX and TF.js agree');

  // Two ranks, granularity 'batch': same parameters, same kept keys.
  cfg.options.rtk.granularity = 'batch';
  writeFileSync(path.join(job, 'config-batch.json'), JSON.stringify(cfg));
  torchrun(2, ['train.py', '--config', 'config-batch.json', '--max-steps', '8', '--dump-params', '--out', 'runs/two'], job);
  const cmp = py(['-c', [
    'import numpy as np, json',
    "p = [np.load(f'runs/two/params-rank{r}.npy') for r in (0, 1)]",
    "m = [np.load(f'runs/two/mask-rank{r}.npy') for r in (0, 1)]",
    "print(json.dumps({'n': int(p[0].size), 'diff': float(np.abs(p[0] - p[1]).max()), 'masks': bool((m[0][:1] == m[1]).all() and (m[0] == m[0][:1]).all())}))",
  ].join('\n')], job);
  const r = JSON.parse(cmp.trim().split('\n').pop()!);
  console.log(`2 ranks: ${r.n} parameters, max |rank0 - rank1| = ${r.diff}, same kept keys: ${r.masks}`);
  assert.equal(r.diff, 0);
  assert.equal(r.masks, true);
  const card2 = JSON.parse(readFileSync(path.join(job, 'runs/two/distillation-card.json'), 'utf8'));
  assert.equal(card2.job.processes, 2);
  assert.equal(card2.job.ranksIdentical, true);

  for (const f of await photoParityFolders(DATA, tmp)) {
    const got = JSON.parse(py([path.resolve('pytorch-job/tests/tfjs_parity.py'), f.dir], tmp).trim().split('\n').pop()!);
    console.log(`photo plan, ${f.arch} at 96 px: max |PyTorch - TF.js| ${got.maxAbsDiff.toExponential(2)}, taps ${got.tapShapes.map((s: number[]) => s.join('×')).join(', ')}`);
    assert.equal(got.plan, 'photo');
    assert.deepEqual(got.tapShapes, f.tapShapes);
    assert.ok(got.maxAbsDiff <= 1e-4, `${f.arch}: photo-plan parity ${got.maxAbsDiff}`);
  }

  writeFileSync(path.join(tmp, 'not-a-card.json'), JSON.stringify({ kind: 'something-else' }));
  assert.throws(() => configFromCard(path.join(tmp, 'not-a-card.json')), /not-a-card\.json: it is not a distillation card/);
  console.log('pytorch job: all checks passed');
}

main().catch((err) => { console.error(err); process.exit(1); });
