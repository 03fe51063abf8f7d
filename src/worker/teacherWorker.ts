/// <reference lib="webworker" />
/**
 * The teacher worker: runs a frozen teacher's forward pass for the batches the training worker
 * sends, in order, and sends back its logits and the summaries of its taps (types.ts TapSummary:
 * what the losses read, far smaller than the taps). A TF.js teacher runs on a second wasm
 * backend (BN folded, frozen.ts; no training self-test, no training kernels); an ONNX teacher
 * runs in onnxruntime-web (onnxRunner.ts, imported only for one). Started by teacherClient.ts;
 * never sees labels.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { teacherForwardHere } from '../ml/teacher/forward';
import { summarizeTap } from '../ml/losses/teacherTap';
import type { FrozenTeacher, TapShape } from '../ml/types';
import type { TeacherCommand, TeacherReply } from './teacherProtocol';
import { ArrayPool } from './arrayPool';
import { WASM_PATHS } from './wasmAssets';

declare const self: DedicatedWorkerGlobalScope;

let teacher: FrozenTeacher | null = null;
let onnx: import('./onnxRunner').OnnxRunner | null = null;
/** Most images per pass of a TF.js teacher (sent with init; teacherBudget.ts). */
let maxBatch = Number.POSITIVE_INFINITY;

function post(reply: TeacherReply, transfer: Transferable[] = []): void {
  self.postMessage(reply, transfer);
}

/** A copy the message can transfer (views of a shared wasm heap cannot be transferred). */
function own(a: Float32Array): Float32Array {
  return a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : new Float32Array(a);
}

/**
 * Arrays the training worker handed back with a batch: that batch's outputs are written into them
 * (the training worker sends the arrays of the batch before, so the sizes match); the rest are
 * dropped when the batch is done, so an idle teacher worker keeps none.
 */
const spares = new ArrayPool(12);

async function forward(cmd: Extract<TeacherCommand, { type: 'forward' }>): Promise<void> {
  const only = cmd.logitsOnly === true;
  spares.put(cmd.spare ?? []);
  if (onnx) {
    const out = await onnx.forward(cmd.x, cmd.shape[0], cmd.preprocess ?? 'unit', only, (n) => spares.take(n));
    // The images were read (the runtime copied them into its heap): x goes back for the next batch.
    post({ type: 'forward', id: cmd.id, ...out, input: cmd.x }, [out.logits.buffer, ...[...out.pooled, ...out.energy].map((t) => t.buffer), cmd.x.buffer]);
    spares.drain();
    return;
  }
  if (!teacher) throw new Error('The teacher worker got a batch before its teacher.');
  // A batch above the budget's size runs in parts (teacherBudget.ts); the rows are joined.
  const [B, h, w, c] = cmd.shape;
  const n = Math.max(1, Math.min(B, maxBatch));
  const per = h * w * c;
  const parts: { logits: Float32Array; pooled: Float32Array[]; energy: Float32Array[] }[] = [];
  for (let at = 0; at < B; at += n) {
    const k = Math.min(n, B - at);
    const input = tf.tensor4d(cmd.x.subarray(at * per, (at + k) * per), [k, h, w, c]);
    const out = teacherForwardHere({ ...teacher, preprocess: cmd.preprocess ?? 'unit' }, input);
    // Scoring reads the logits only: the taps are disposed without leaving the backend.
    const sums = only ? [] : tf.tidy(() => out.taps.map((t) => summarizeTap(t)));
    parts.push({ logits: out.logits.dataSync() as Float32Array, pooled: sums.map((t) => t.pooled.dataSync() as Float32Array), energy: sums.map((t) => t.energy.dataSync() as Float32Array) });
    tf.dispose([input, out.logits, ...out.taps, ...sums]);
  }
  const logits = join(parts.map((p) => p.logits));
  const pooled = only ? [] : teacher.tapNames.map((_, i) => join(parts.map((p) => p.pooled[i])));
  const energy = only ? [] : teacher.tapNames.map((_, i) => join(parts.map((p) => p.energy[i])));
  post({ type: 'forward', id: cmd.id, logits, pooled, energy, input: cmd.x }, [logits.buffer, ...[...pooled, ...energy].map((t) => t.buffer), cmd.x.buffer]);
  spares.drain();
}

/** One transferable array of the parts, in order (one handed back when there is one of that size). */
function join(parts: Float32Array[]): Float32Array {
  const n = parts.reduce((a, p) => a + p.length, 0);
  if (parts.length === 1 && !spares.has(n)) return own(parts[0]);
  const out = spares.take(n);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

async function handle(cmd: TeacherCommand): Promise<void> {
  if (cmd.type === 'init') {
    setWasmPaths(WASM_PATHS);
    if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not start');
    teacher?.model?.dispose();
    const model = await tf.loadLayersModel(tf.io.fromMemory(cmd.artifacts));
    maxBatch = cmd.maxBatch ?? Number.POSITIVE_INFINITY;
    teacher = {
      model, inputShape: model.inputs[0].shape.slice(1) as [number, number, number], numClasses: model.outputs[0].shape[1] as number,
      tapNames: cmd.tapNames, tapShapes: model.outputs.slice(1).map((o) => o.shape.slice(1) as TapShape), softmaxOutput: cmd.softmaxOutput,
    };
    post({ type: 'ready', backend: tf.getBackend() });
  } else if (cmd.type === 'init-onnx') {
    const { OnnxRunner } = await import('./onnxRunner');
    await onnx?.release();
    onnx = await OnnxRunner.create(cmd.init);
    post({ type: 'ready', backend: `onnxruntime-web (${onnx.where})` });
  } else if (cmd.type === 'probe-onnx') {
    const { probe } = await import('./onnxRunner');
    post({ type: 'probed', id: cmd.id, probe: await probe(cmd.bytes, cmd.inputName, cmd.inputDims) });
  } else if (cmd.type === 'bench-onnx') {
    if (!onnx) throw new Error('The teacher worker has no ONNX teacher to benchmark.');
    post({ type: 'benched', id: cmd.id, milliseconds: await onnx.bench(cmd.batchSize, cmd.runs) });
  } else {
    await forward(cmd);
  }
}

/** Commands run one at a time, in the order they came (a runtime's session runs one batch at once). */
let queue: Promise<void> = Promise.resolve();

self.onmessage = (e: MessageEvent<TeacherCommand>) => {
  const cmd = e.data;
  queue = queue.then(() => handle(cmd)).catch((err: unknown) => {
    post({ type: 'error', id: 'id' in cmd ? cmd.id : null, message: err instanceof Error ? err.message : String(err) });
  });
};
