/**
 * The training worker's side of the teacher worker (teacherWorker.ts): a connection that starts
 * a teacher there, sends batches and resolves their outputs in order. A TF.js teacher uses it
 * as a feed only where it helps (the wasm backend, one core per worker, on a machine with at
 * least two cores; GPU backends keep it here, where the GPU overlaps the work anyway). A remote
 * teacher (ONNX) always runs there, so its connection is its feed.
 */
import * as tf from '@tensorflow/tfjs';
import type { PreprocessId } from '../domain';
import { batchForBudget } from '../domain/teacherBudget';
import type { FrozenTeacher, RemoteTeacher } from '../ml/types';
import { modelArtifacts, type TeacherArrays, type TeacherFeed, type TeacherFeedChoice } from './teacherFeed';
import type { TeacherCommand, TeacherReply } from './teacherProtocol';
import type { OnnxProbe } from './onnxRunner';
import { ArrayPool } from './arrayPool';

// Generous: an ONNX teacher on WebGPU loads a second runtime and self-tests it first.
const READY_TIMEOUT_MS = 300_000;

interface Waiter { resolve(a: unknown): void; reject(e: Error): void }

/** A teacher worker: `init` starts a teacher there; `probe` inspects an ONNX model. */
export interface TeacherConnection extends RemoteTeacher {
  init(cmd: Extract<TeacherCommand, { type: 'init' | 'init-onnx' }>, transfer?: Transferable[]): Promise<string>;
  probe(bytes: ArrayBuffer, inputName: string, inputDims: number[]): Promise<OnnxProbe>;
  /** Benchmark of an ONNX teacher's bare runtime runs inside the teacher worker (ms per run). */
  bench(batchSize: number, runs: number): Promise<number[]>;
}

export function connectTeacherWorker(inputShape: [number, number, number]): TeacherConnection {
  const worker = new Worker(new URL('./teacherWorker.ts', import.meta.url), { type: 'module', name: 'teacher' });
  const waiting = new Map<number, Waiter>();
  // Arrays going back and forth for reuse (arrayPool.ts): read outputs, to send with the next
  // batch, and the images of earlier batches the teacher worker handed back.
  const spare = new ArrayPool(12);
  const inputs = new ArrayPool(4);
  let ready: Waiter | null = null;
  let nextId = 0;
  let dead: Error | null = null;
  let where = 'a second worker';
  const failAll = (err: Error) => {
    dead = err;
    ready?.reject(err);
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  worker.onmessage = (e: MessageEvent<TeacherReply>) => {
    const r = e.data;
    if (r.type === 'ready') { ready?.resolve(r.backend); ready = null; return; }
    if (r.type === 'error' && r.id == null) { ready?.reject(new Error(r.message)); ready = null; return; }
    const id = r.id as number;
    const w = waiting.get(id);
    waiting.delete(id);
    if (r.type === 'forward') {
      if (r.input) inputs.put([r.input]);
      w?.resolve({ logits: r.logits, pooled: r.pooled, energy: r.energy });
    }
    else if (r.type === 'probed') w?.resolve(r.probe);
    else if (r.type === 'benched') w?.resolve(r.milliseconds);
    else if (r.type === 'error') w?.reject(new Error(r.message));
  };
  worker.onerror = (e) => {
    e.preventDefault();
    failAll(new Error(`the teacher worker crashed (${e.message || 'no message'})`));
  };
  const ask = <T>(cmd: (id: number) => TeacherCommand, transfer: Transferable[]): Promise<T> => {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (a: unknown) => void, reject });
      worker.postMessage(cmd(id), transfer);
    });
  };
  const [h, w, c] = inputShape;
  return {
    get where() { return where; },
    init(cmd, transfer = []) {
      if (dead) return Promise.reject(dead);
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the teacher worker did not start within 5 minutes')), READY_TIMEOUT_MS);
        ready = {
          resolve: (b) => { clearTimeout(timer); where = `a second worker on ${String(b)}`; resolve(where); },
          reject: (err) => { clearTimeout(timer); reject(err); },
        };
        worker.postMessage(cmd, transfer);
      });
    },
    bench: (batchSize, runs) => ask<number[]>((id) => ({ type: 'bench-onnx', id, batchSize, runs }), []),
    probe: (bytes, inputName, inputDims) => ask<OnnxProbe>((id) => ({ type: 'probe-onnx', id, bytes, inputName, inputDims }), []),
    forward: (x: Float32Array, batchSize: number, preprocess: PreprocessId) => {
      const back = spare.drain();
      return ask<TeacherArrays>((id) => ({ type: 'forward', id, x, shape: [batchSize, h, w, c], preprocess, spare: back }), [x.buffer, ...back.map((a) => a.buffer)]);
    },
    logits: (x: Float32Array, batchSize: number, preprocess: PreprocessId) =>
      ask<TeacherArrays>((id) => ({ type: 'forward', id, x, shape: [batchSize, h, w, c], preprocess, logitsOnly: true }), [x.buffer]).then((r) => r.logits),
    recycle: (arrays) => spare.put(arrays),
    inputArray: (n) => inputs.take(n),
    forgetArrays: () => { spare.drain(); inputs.drain(); },
    dispose() {
      failAll(new Error('the teacher worker was closed'));
      worker.terminate();
    },
  };
}

/** A feed over a remote teacher (or a connection) with a fixed input scaling. */
export function feedOf(remote: RemoteTeacher, preprocess: PreprocessId, keepOpen: boolean): TeacherFeed {
  return {
    get where() { return remote.where; },
    request: (x, batchSize) => remote.forward(x, batchSize, preprocess),
    recycle: remote.recycle?.bind(remote),
    inputArray: remote.inputArray?.bind(remote),
    forgetArrays: remote.forgetArrays?.bind(remote),
    dispose: () => { if (!keepOpen) remote.dispose(); },
  };
}

/** Floats of every layer output of one image of a TF.js Layers model (what a pass holds at most per image). */
export function layersActivationFloats(model: tf.LayersModel): number {
  let sum = 0;
  for (const layer of model.layers) {
    const shapes = (Array.isArray(layer.outputShape[0]) ? layer.outputShape : [layer.outputShape]) as (number | null)[][];
    for (const shape of shapes) sum += shape.slice(1).reduce<number>((a, d) => a * (d ?? 1), 1);
  }
  return sum;
}

async function startFeed(teacher: FrozenTeacher, model: tf.LayersModel): Promise<TeacherFeed> {
  const conn = connectTeacherWorker(teacher.inputShape);
  try {
    // A training batch runs in parts that keep each pass under TEACHER_PASS_BUDGET_BYTES.
    const maxBatch = batchForBudget(layersActivationFloats(model), teacher.inputShape.reduce((a, b) => a * b, 1));
    await conn.init({ type: 'init', artifacts: await modelArtifacts(model), tapNames: teacher.tapNames, preprocess: 'unit', softmaxOutput: !!teacher.softmaxOutput, maxBatch });
    return feedOf(conn, teacher.preprocess ?? 'unit', false);
  } catch (err) {
    conn.dispose();
    throw err;
  }
}

const feeds = new WeakMap<object, Promise<TeacherFeedChoice>>();

/**
 * A feed for `teacher` in a second worker, started once per teacher and kept for later runs
 * (a pilot's seeds reuse it). `feed` is null where it would not help or could not start (the
 * caller then runs the teacher itself); `note` says which, and why.
 */
export function teacherFeedFor(teacher: FrozenTeacher): Promise<TeacherFeedChoice> {
  if (teacher.remote) {
    const remote = teacher.remote;
    return Promise.resolve({ feed: feedOf(remote, teacher.preprocess ?? 'unit', true), note: `teacher in ${remote.where}` });
  }
  const model = teacher.model!;
  if (tf.getBackend() !== 'wasm') return Promise.resolve({ feed: null, note: `teacher in the training worker on ${tf.getBackend()}` });
  if (typeof Worker === 'undefined') return Promise.resolve({ feed: null, note: 'teacher in the training thread: no Web Workers here' });
  if ((navigator.hardwareConcurrency ?? 1) < 2) return Promise.resolve({ feed: null, note: 'teacher in the training worker: one core only' });
  let p = feeds.get(model);
  if (!p) {
    p = startFeed(teacher, model).then(
      (feed): TeacherFeedChoice => ({ feed, note: `teacher in ${feed.where}` }),
      (err: unknown): TeacherFeedChoice => ({ feed: null, note: `teacher in the training worker: a second worker could not start, ${err instanceof Error ? err.message : String(err)}` }),
    );
    feeds.set(model, p);
  }
  return p;
}

/** Closes the feed of `teacher` if one was started (before the teacher model is disposed). */
export async function closeTeacherFeed(teacher: FrozenTeacher): Promise<void> {
  if (!teacher.model) return;
  const p = feeds.get(teacher.model);
  feeds.delete(teacher.model);
  (await p)?.feed?.dispose();
}
