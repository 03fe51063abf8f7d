/**
 * Where the time of one training step goes, on the wasm backend in Node, with the real default
 * teacher (shipped MNIST weights) and student on random data.
 *
 *   npx tsx scripts/profile-step.ts [--method rtk] [--batch 128] [--steps 20] [--given] [--split]
 *                                   [--top 30] [--detail KernelName]
 *
 * Prints ms/step for: the teacher's frozen forward alone, the student-alone step, and the full
 * step of --method, then a per-kernel table (tf.profile, top-level kernels) of the full step.
 * --given hands the step precomputed teacher outputs (what the teacher worker does in the
 * browser); --split also times the Adam update; --detail prints each call of one kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { MethodId, TrainConfig } from '../src/domain';
import { DEFAULT_CONFIG } from '../src/domain';
import { initBackend } from '../src/ml/backend/select';
import { buildModel } from '../src/ml/models';
import { frozenApply } from '../src/ml/models/frozen';
import { DistillSession } from '../src/ml/train/session';
import { loadShippedTeacher } from './lib/shippedTeacher';

const args = process.argv.slice(2);
const arg = (n: string, d: string) => { const i = args.indexOf(`--${n}`); return i >= 0 ? args[i + 1] : d; };
const BATCH = Number(arg('batch', '128'));
const STEPS = Number(arg('steps', '20'));
const METHOD = arg('method', 'rtk') as MethodId;

function time(label: string, fn: () => void): number {
  for (let i = 0; i < 3; i++) fn();
  const t0 = performance.now();
  for (let i = 0; i < STEPS; i++) fn();
  const ms = (performance.now() - t0) / STEPS;
  console.log(`${label.padEnd(28)} ${ms.toFixed(1).padStart(7)} ms/step  ${(BATCH / ms * 1000).toFixed(0).padStart(6)} samples/s`);
  return ms;
}

async function main() {
  const info = await initBackend(arg('backend', 'wasm') as 'wasm', {});
  console.log(`backend ${info.backend} (${info.adapter}), batch ${BATCH}`);
  const teacher = await loadShippedTeacher('mnist');
  const x = tf.randomUniform([BATCH, 28, 28, 1]) as tf.Tensor4D;
  const y = tf.randomUniform([BATCH], 0, 10, 'int32').cast('float32') as tf.Tensor1D;
  const yi = y.cast('int32') as tf.Tensor1D;
  time('teacher frozen forward', () => { const o = frozenApply(teacher, x); o.logits.dataSync(); tf.dispose([o.logits, ...o.taps]); });
  const mk = (method: MethodId) => {
    const config: TrainConfig = { ...DEFAULT_CONFIG, method };
    const student = buildModel(config.student, [28, 28, 1], 10, 1);
    return new DistillSession(config, student, method === 'student-alone' ? null : teacher);
  };
  // --given: the teacher's outputs come precomputed (as from the teacher worker), so the step
  // times only what the training worker does.
  const given = args.includes('--given') ? frozenApply(teacher, x) : null;
  const step = (s: DistillSession) => () => {
    const t = given && s.teacher ? { logits: given.logits.clone(), taps: given.taps.map((a) => a.clone()) } : null;
    const r = s.trainStep(x, yi, 1, t);
    r.total.dataSync();
    tf.dispose(Object.values(r));
  };
  const alone = mk('student-alone');
  time('student-alone step', step(alone));
  const full = mk(METHOD);
  time(`${METHOD} step`, step(full));
  if (args.includes('--split')) {
    // Time spent in the optimiser update, measured inside the step (wasm runs synchronously).
    const holder = full as unknown as { optimizer: tf.Optimizer; vars: tf.Variable[] };
    const real = holder.optimizer;
    let updateMs = 0;
    const apply = real.applyGradients.bind(real);
    real.applyGradients = (g) => { const t0 = performance.now(); apply(g); updateMs += performance.now() - t0; };
    const total = time(`${METHOD} step`, step(full));
    console.log(`  of which the Adam update of ${holder.vars.length} variables: ${(updateMs / (STEPS + 3)).toFixed(1)} ms/step (${(100 * updateMs / (STEPS + 3) / total).toFixed(0)} %)`);
    real.applyGradients = apply;
  }
  const totals = new Map<string, { ms: number; n: number }>();
  const detail = arg('detail', '');
  const reps = 3;
  for (let r = 0; r < reps; r++) {
    const p = await tf.profile(step(full));
    for (const k of p.kernels) {
      if (r === 0 && k.name === detail) console.log(`  ${detail} ${JSON.stringify(k.inputShapes)} ${(k.kernelTimeMs as number).toFixed(2)} ms`);
      const e = totals.get(k.name) ?? { ms: 0, n: 0 };
      e.ms += (k.kernelTimeMs as number) / reps; e.n += 1 / reps; totals.set(k.name, e);
    }
  }
  const rows = [...totals.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const sum = rows.reduce((s, [, e]) => s + e.ms, 0);
  console.log(`kernels of one ${METHOD} step: sum ${sum.toFixed(1)} ms, ${rows.reduce((s, [, e]) => s + e.n, 0).toFixed(0)} kernel calls`);
  for (const [name, e] of rows.slice(0, Number(arg('top', '30')))) {
    console.log(`  ${name.padEnd(30)} ${e.ms.toFixed(2).padStart(7)} ms ${(100 * e.ms / sum).toFixed(1).padStart(5)}%  ×${e.n.toFixed(0)}`);
  }
}
void main();
