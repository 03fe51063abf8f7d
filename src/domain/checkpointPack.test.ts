import { describe, expect, it } from 'vitest';
import type { CheckpointData } from './messages';
import { isPacked, packCheckpoint, unpackCheckpoint } from './checkpointPack';

const f = (...v: number[]) => Float32Array.from(v);

describe('a checkpoint packed into one Blob', () => {
  // Views into one larger buffer, as the trainer's snapshots may be: only each view's own values pack.
  const shared = f(9, 9, 1, 2, 3, 9);
  const cp: CheckpointData = {
    epoch: 2,
    student: [shared.subarray(2, 5), f(4)],
    attention: [f(-1, 0.5)],
    optimiser: { step: 7, m: [f(0.1, 0.2, 0.3), f(0.4), f(0.5, 0.6)], v: [f(1, 2, 3), f(4), f(5, 6)] },
  };

  it('comes back with every array and the Adam step, also after structured cloning', async () => {
    const packed = packCheckpoint(cp);
    expect(isPacked(packed)).toBe(true);
    expect(packed.packed.blob.size).toBe(4 * (3 + 1 + 2 + 6 + 6));
    const back = await unpackCheckpoint(structuredClone(packed));
    expect(back.epoch).toBe(2);
    expect(back.student.map((a) => Array.from(a))).toEqual([[1, 2, 3], [4]]);
    expect(back.attention!.map((a) => Array.from(a))).toEqual([[-1, 0.5]]);
    expect(back.optimiser!.step).toBe(7);
    expect(back.optimiser!.m.map((a) => Array.from(a))).toEqual(cp.optimiser!.m.map((a) => Array.from(a)));
    expect(back.optimiser!.v.map((a) => Array.from(a))).toEqual([[1, 2, 3], [4], [5, 6]]);
  });

  it('keeps a student-only checkpoint without optimiser state as it was', async () => {
    const back = await unpackCheckpoint(packCheckpoint({ epoch: 1, student: [f(1, 2)], attention: null }));
    expect(back).toEqual({ epoch: 1, student: [f(1, 2)], attention: null });
  });

  it('passes a checkpoint saved before packing (plain arrays) through unchanged', async () => {
    expect(isPacked(cp)).toBe(false);
    expect(await unpackCheckpoint(cp)).toBe(cp);
  });

  it('refuses a Blob whose size does not match its layout, saying so', async () => {
    const packed = packCheckpoint(cp);
    const cut = { ...packed, packed: { ...packed.packed, blob: packed.packed.blob.slice(0, 8) } };
    await expect(unpackCheckpoint(cut)).rejects.toThrow(/damaged: 8 bytes where its layout says 72/);
  });
});
