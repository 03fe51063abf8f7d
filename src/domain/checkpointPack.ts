/**
 * A checkpoint as one Blob, for the trip from the worker to IndexedDB. Storing ~200 separate
 * Float32Arrays made IndexedDB's `put` structured-clone them all on the main thread (60–70 ms
 * on a busy 2-core machine, one long task per epoch); a Blob is posted and stored by reference.
 * The worker packs (`packCheckpoint`) and unpacks (`unpackCheckpoint`); the main thread only
 * passes the packed form along.
 */
import type { CheckpointData } from './messages';

/** Element counts of each array, in the order the Blob holds them. */
export interface CheckpointParts {
  student: number[];
  attention: number[] | null;
  optimiser?: { step: number; m: number[]; v: number[] };
}

export interface PackedCheckpoint {
  /** Epochs finished when the checkpoint was taken. */
  epoch: number;
  packed: { blob: Blob; parts: CheckpointParts };
}

/** A checkpoint as stored: packed, or the plain arrays of checkpoints saved before packing. */
export type StoredCheckpoint = PackedCheckpoint | CheckpointData;

export function isPacked(cp: StoredCheckpoint): cp is PackedCheckpoint {
  return 'packed' in cp && cp.packed != null;
}

export function packCheckpoint(cp: CheckpointData): PackedCheckpoint {
  const lengths = (a: Float32Array[]) => a.map((x) => x.length);
  const arrays = [...cp.student, ...(cp.attention ?? []), ...(cp.optimiser ? [...cp.optimiser.m, ...cp.optimiser.v] : [])];
  return {
    epoch: cp.epoch,
    packed: {
      // Each part copied into its own ArrayBuffer: a Blob refuses views of a SharedArrayBuffer
      // (the threaded wasm heap), and only a view's own bytes are packed.
      blob: new Blob(arrays.map((a) => new Float32Array(a))),
      parts: {
        student: lengths(cp.student),
        attention: cp.attention ? lengths(cp.attention) : null,
        ...(cp.optimiser ? { optimiser: { step: cp.optimiser.step, m: lengths(cp.optimiser.m), v: lengths(cp.optimiser.v) } } : {}),
      },
    },
  };
}

export async function unpackCheckpoint(cp: StoredCheckpoint): Promise<CheckpointData> {
  if (!isPacked(cp)) return cp;
  const { blob, parts } = cp.packed;
  const counts = [...parts.student, ...(parts.attention ?? []), ...(parts.optimiser ? [...parts.optimiser.m, ...parts.optimiser.v] : [])];
  const total = counts.reduce((s, n) => s + n, 0);
  if (blob.size !== total * 4) throw new Error(`the saved checkpoint is damaged: ${blob.size} bytes where its layout says ${total * 4}`);
  const all = new Float32Array(await blob.arrayBuffer());
  let at = 0;
  const take = (ns: number[]) => ns.map((n) => { const a = all.subarray(at, at + n); at += n; return a; });
  const student = take(parts.student);
  const attention = parts.attention ? take(parts.attention) : null;
  const optimiser = parts.optimiser ? { step: parts.optimiser.step, m: take(parts.optimiser.m), v: take(parts.optimiser.v) } : undefined;
  return { epoch: cp.epoch, student, attention, ...(optimiser ? { optimiser } : {}) };
}
