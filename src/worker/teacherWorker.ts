/// <reference lib="webworker" />
/**
 * The teacher worker: a second wasm backend on another core that runs the frozen teacher's
 * forward pass (BN folded, frozen.ts) for the batches the training worker sends, in order.
 * Started by teacherClient.ts; never trains, never sees labels, so it sets up the wasm backend
 * directly (no training self-test, no training kernels).
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { tappedFromLayersModel } from '../ml/models';
import { frozenApply } from '../ml/models/frozen';
import type { TappedModel } from '../ml/types';
import type { TeacherCommand, TeacherReply } from './teacherProtocol';
import { WASM_PATHS } from './wasmAssets';

declare const self: DedicatedWorkerGlobalScope;

let teacher: TappedModel | null = null;

function post(reply: TeacherReply, transfer: Transferable[] = []): void {
  self.postMessage(reply, transfer);
}

/** A copy the message can transfer (views of a shared wasm heap cannot be transferred). */
function own(a: Float32Array): Float32Array {
  return a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : new Float32Array(a);
}

function forward(id: number, x: Float32Array, shape: [number, number, number, number]): void {
  if (!teacher) throw new Error('The teacher worker got a batch before its teacher.');
  const input = tf.tensor4d(x, shape);
  const out = frozenApply(teacher, input);
  const logits = own(out.logits.dataSync() as Float32Array);
  const taps = out.taps.map((t) => own(t.dataSync() as Float32Array));
  tf.dispose([input, out.logits, ...out.taps]);
  post({ type: 'forward', id, logits, taps }, [logits.buffer, ...taps.map((t) => t.buffer)]);
}

self.onmessage = async (e: MessageEvent<TeacherCommand>) => {
  const cmd = e.data;
  try {
    if (cmd.type === 'init') {
      setWasmPaths(WASM_PATHS);
      if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not start');
      teacher?.model.dispose();
      teacher = tappedFromLayersModel(await tf.loadLayersModel(tf.io.fromMemory(cmd.artifacts)));
      post({ type: 'ready', backend: tf.getBackend() });
    } else {
      forward(cmd.id, cmd.x, cmd.shape);
    }
  } catch (err) {
    post({ type: 'error', id: cmd.type === 'forward' ? cmd.id : null, message: err instanceof Error ? err.message : String(err) });
  }
};
