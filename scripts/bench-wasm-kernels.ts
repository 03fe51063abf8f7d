/**
 * Measurement loop for the wasm training kernels (src/ml/backend/wasmKernels.ts).
 *
 *   npx tsx scripts/bench-wasm-kernels.ts [--steps 30] [--batch 128] [--cpu] [--stock] [--no-profile]
 *
 * Trains the default student (conv3×3 1→8 @28², conv 8→16 s2, conv 16→32 s2, BN+ReLU each,
 * GAP, dense; ~1 MFLOP/image) on random data with Adam on the wasm backend in Node, and prints
 * samples/s plus per-kernel times of one step (tf.profile, top-level kernels, inclusive).
 * Then a ResNet-ish "teacher" (~8 MFLOPs/image) forward-only throughput.
 *   --cpu    also measure the stock cpu backend (a few steps) for comparison.
 *   --stock  also measure wasm with the stock (scalar C++) Conv2DBackpropInput.
 *   --ab     same-process A/B, alternating: all our kernels vs only the missing gradient
 *            kernels (stock Conv2DBackpropInput, Tile, Multiply, Sum, … ). Robust to load.
 */
import * as tf from '@tensorflow/tfjs';
import * as tfwasm from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels, WASM_FAST_OPS } from '../src/ml/backend/wasmKernels';

const args = process.argv.slice(2);
const num = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const STEPS = num('steps', 30);
const BATCH = num('batch', 128);
const WARMUP = 3;

function student(): tf.LayersModel {
  const input = tf.input({ shape: [28, 28, 1] });
  let h: tf.SymbolicTensor = input;
  for (const [filters, strides] of [[8, 1], [16, 2], [32, 2]] as const) {
    h = tf.layers.conv2d({ filters, kernelSize: 3, strides, padding: 'same', useBias: false }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.batchNormalization().apply(h) as tf.SymbolicTensor;
    h = tf.layers.reLU().apply(h) as tf.SymbolicTensor;
  }
  h = tf.layers.globalAveragePooling2d({}).apply(h) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 10 }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

function teacher(): tf.LayersModel {
  const convBn = (x: tf.SymbolicTensor, filters: number, strides: number, relu: boolean) => {
    let h = tf.layers.conv2d({ filters, kernelSize: 3, strides, padding: 'same', useBias: false }).apply(x) as tf.SymbolicTensor;
    h = tf.layers.batchNormalization().apply(h) as tf.SymbolicTensor;
    return relu ? (tf.layers.reLU().apply(h) as tf.SymbolicTensor) : h;
  };
  const block = (x: tf.SymbolicTensor, filters: number) => {
    const h = convBn(convBn(x, filters, 1, true), filters, 1, false);
    return tf.layers.reLU().apply(tf.layers.add().apply([x, h])) as tf.SymbolicTensor;
  };
  const input = tf.input({ shape: [28, 28, 1] });
  let h = convBn(input, 8, 1, true);
  h = block(h, 8);
  h = convBn(h, 16, 2, true);
  h = block(h, 16);
  h = convBn(h, 32, 2, true);
  h = block(block(h, 32), 32);
  h = tf.layers.globalAveragePooling2d({}).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: tf.layers.dense({ units: 10 }).apply(h) as tf.SymbolicTensor });
}

/** Conv + dense multiply-accumulates per image ×2. */
function mflops(model: tf.LayersModel): number {
  let macs = 0;
  for (const l of model.layers) {
    const cls = l.getClassName();
    const out = l.outputShape as number[];
    if (cls === 'Conv2D') {
      const k = l.getWeights()[0].shape as number[];
      macs += k[0] * k[1] * k[2] * k[3] * out[1] * out[2];
    } else if (cls === 'Dense') {
      const k = l.getWeights()[0].shape as number[];
      macs += k[0] * k[1];
    }
  }
  return (2 * macs) / 1e6;
}

/** The default student, random data, and one Adam step on it (returning the loss if asked). */
function studentStep(returnCost: boolean): { model: tf.LayersModel; step: () => tf.Scalar | null } {
  const model = student();
  const opt = tf.train.adam(1e-3);
  const x = tf.randomNormal([BATCH, 28, 28, 1]);
  const y = tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32') as tf.Tensor1D, 10);
  const step = () => opt.minimize(() => {
    const logits = model.apply(x, { training: true }) as tf.Tensor;
    return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
  }, returnCost);
  return { model, step };
}

function trainBench(label: string, steps: number): number {
  const { model, step } = studentStep(true);
  for (let i = 0; i < WARMUP; i++) step()?.dispose();
  const n0 = tf.memory().numTensors;
  const t0 = performance.now();
  let loss = 0;
  for (let i = 0; i < steps; i++) {
    const l = step();
    if (i === steps - 1) loss = l!.dataSync()[0];
    l?.dispose();
  }
  const ms = (performance.now() - t0) / steps;
  const leak = tf.memory().numTensors - n0;
  const sps = BATCH / (ms / 1000);
  console.log(`${label}: ${ms.toFixed(1)} ms/step, ${sps.toFixed(0)} samples/s (batch ${BATCH}, ${steps} steps, ` +
    `loss ${loss.toFixed(3)}, tensor delta ${leak}, ${mflops(model).toFixed(2)} MFLOPs/image fwd)`);
  return sps;
}

async function profileStep(): Promise<void> {
  const { step } = studentStep(false);
  for (let i = 0; i < WARMUP; i++) step();
  tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
  const totals = new Map<string, { ms: number; n: number }>();
  const reps = 5;
  let wall = 0;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    const info = await tf.profile(() => { step(); });
    wall += performance.now() - t0;
    for (const k of info.kernels) {
      const e = totals.get(k.name) ?? { ms: 0, n: 0 };
      e.ms += (k.kernelTimeMs as number) / reps;
      e.n += 1 / reps;
      totals.set(k.name, e);
    }
  }
  const rows = [...totals.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const sum = rows.reduce((s, [, e]) => s + e.ms, 0);
  console.log(`per-kernel time of one training step (profiled, ${(wall / reps).toFixed(1)} ms wall incl. profiler; ` +
    `kernels sum ${sum.toFixed(1)} ms):`);
  for (const [name, e] of rows.slice(0, 25)) {
    console.log(`  ${name.padEnd(36)} ${e.ms.toFixed(2).padStart(7)} ms  ${(100 * e.ms / sum).toFixed(1).padStart(5)}%  ×${e.n.toFixed(0)}`);
  }
}

function forwardBench(label: string): void {
  const model = teacher();
  const x = tf.randomNormal([BATCH, 28, 28, 1]);
  const run = () => tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());
  for (let i = 0; i < WARMUP; i++) run();
  const n = Math.max(5, Math.round(STEPS / 2));
  const t0 = performance.now();
  for (let i = 0; i < n; i++) run();
  const ms = (performance.now() - t0) / n;
  console.log(`${label}: teacher forward ${ms.toFixed(1)} ms/batch, ${(BATCH / (ms / 1000)).toFixed(0)} samples/s ` +
    `(${mflops(model).toFixed(2)} MFLOPs/image)`);
}

type Cfg = NonNullable<ReturnType<typeof tf.getKernel>>;
function swapIn(cfgs: Cfg[]): void {
  for (const c of cfgs) {
    tf.unregisterKernel(c.kernelName, 'wasm');
    tf.registerKernel(c);
  }
}

async function main(): Promise<void> {
  const stockBackpropInput = tf.getKernel('Conv2DBackpropInput', 'wasm');
  const stockCfgs = ['Conv2DBackpropInput', ...WASM_FAST_OPS]
    .map((n) => tf.getKernel(n, 'wasm')).filter((c): c is Cfg => c != null);
  await tf.setBackend('wasm'); // runs the stock kernels' setup
  registerWasmTrainingKernels();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  console.log(`tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}, SIMD ${simd}, threads ${tfwasm.getThreadsCount()}`);
  if (args.includes('--ab')) {
    const ours = stockCfgs.map((c) => tf.getKernel(c.kernelName, 'wasm')).filter((c): c is Cfg => c != null);
    const a: number[] = [];
    const b: number[] = [];
    for (let r = 0; r < 3; r++) {
      swapIn(ours);
      a.push(trainBench('  A all our kernels', Math.max(5, Math.round(STEPS / 3))));
      swapIn(stockCfgs);
      b.push(trainBench('  B missing kernels only', Math.max(5, Math.round(STEPS / 3))));
    }
    swapIn(ours);
    const med = (v: number[]) => v.slice().sort((x, y) => x - y)[v.length >> 1];
    console.log(`A/B median samples/s: all ${med(a).toFixed(0)} vs missing-only ${med(b).toFixed(0)} ` +
      `(×${(med(a) / med(b)).toFixed(2)})`);
    return;
  }
  trainBench('wasm train (our kernels)', STEPS);
  if (!args.includes('--no-profile')) await profileStep();
  forwardBench('wasm');
  if (args.includes('--stock') && stockBackpropInput) {
    tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
    tf.registerKernel(stockBackpropInput);
    trainBench('wasm train (stock Conv2DBackpropInput)', Math.min(STEPS, 5));
  }
  if (args.includes('--cpu')) {
    await tf.setBackend('cpu');
    trainBench('cpu train (stock TF.js)', 3);
    forwardBench('cpu');
  }
}

void main();
