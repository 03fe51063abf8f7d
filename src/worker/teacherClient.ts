/**
 * The training worker's side of the teacher worker: a TeacherFeed that sends batches to a
 * second worker and resolves their outputs in order. Used only where it helps: the wasm backend
 * (one core per worker) on a machine with at least two cores. GPU backends keep the teacher
 * in the training worker, where the GPU overlaps the work anyway.
 */
import * as tf from '@tensorflow/tfjs';
import type { TappedModel } from '../ml/types';
import { modelArtifacts, type TeacherArrays, type TeacherFeed, type TeacherFeedChoice } from './teacherFeed';
import type { TeacherCommand, TeacherReply } from './teacherProtocol';

const READY_TIMEOUT_MS = 30_000;

interface Waiter { resolve(a: TeacherArrays): void; reject(e: Error): void }

async function startFeed(teacher: TappedModel): Promise<TeacherFeed> {
  const worker = new Worker(new URL('./teacherWorker.ts', import.meta.url), { type: 'module', name: 'teacher' });
  const waiting = new Map<number, Waiter>();
  let nextId = 0;
  let dead: Error | null = null;
  const failAll = (err: Error) => {
    dead = err;
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the teacher worker did not start within 30 s')), READY_TIMEOUT_MS);
    worker.onmessage = (e: MessageEvent<TeacherReply>) => {
      const r = e.data;
      if (r.type === 'ready') {
        clearTimeout(timer);
        resolve(`a second worker on ${r.backend}`);
      } else if (r.type === 'forward') {
        waiting.get(r.id)?.resolve({ logits: r.logits, taps: r.taps });
        waiting.delete(r.id);
      } else if (r.id == null) {
        clearTimeout(timer);
        reject(new Error(r.message));
      } else {
        waiting.get(r.id)?.reject(new Error(r.message));
        waiting.delete(r.id);
      }
    };
    worker.onerror = (e) => {
      e.preventDefault();
      const err = new Error(`the teacher worker crashed (${e.message || 'no message'})`);
      clearTimeout(timer);
      reject(err);
      failAll(err);
    };
  });
  const send = (cmd: TeacherCommand, transfer: Transferable[] = []) => worker.postMessage(cmd, transfer);
  try {
    send({ type: 'init', artifacts: await modelArtifacts(teacher.model) });
    const where = await ready;
    const [h, w, c] = teacher.inputShape;
    return {
      where,
      request(x: Float32Array, batchSize: number): Promise<TeacherArrays> {
        if (dead) return Promise.reject(dead);
        const id = nextId++;
        return new Promise<TeacherArrays>((resolve, reject) => {
          waiting.set(id, { resolve, reject });
          send({ type: 'forward', id, x, shape: [batchSize, h, w, c] }, [x.buffer]);
        });
      },
      dispose() {
        failAll(new Error('the teacher worker was closed'));
        worker.terminate();
      },
    };
  } catch (err) {
    worker.terminate();
    throw err;
  }
}

const feeds = new WeakMap<tf.LayersModel, Promise<TeacherFeedChoice>>();

/**
 * A feed for `teacher` in a second worker, started once per teacher model and kept for later runs
 * (a pilot's seeds reuse it). `feed` is null where it would not help or could not start (the
 * caller then runs the teacher itself); `note` says which, and why.
 */
export function teacherFeedFor(teacher: TappedModel): Promise<TeacherFeedChoice> {
  if (tf.getBackend() !== 'wasm') return Promise.resolve({ feed: null, note: `teacher in the training worker on ${tf.getBackend()}` });
  if (typeof Worker === 'undefined') return Promise.resolve({ feed: null, note: 'teacher in the training thread: no Web Workers here' });
  if ((navigator.hardwareConcurrency ?? 1) < 2) return Promise.resolve({ feed: null, note: 'teacher in the training worker: one core only' });
  let p = feeds.get(teacher.model);
  if (!p) {
    p = startFeed(teacher).then(
      (feed): TeacherFeedChoice => ({ feed, note: `teacher in ${feed.where}` }),
      (err: unknown): TeacherFeedChoice => ({ feed: null, note: `teacher in the training worker: a second worker could not start, ${err instanceof Error ? err.message : String(err)}` }),
    );
    feeds.set(teacher.model, p);
  }
  return p;
}

/** Closes the feed of `teacher` if one was started (before the teacher model is disposed). */
export async function closeTeacherFeed(teacher: TappedModel): Promise<void> {
  const p = feeds.get(teacher.model);
  feeds.delete(teacher.model);
  (await p)?.feed?.dispose();
}
