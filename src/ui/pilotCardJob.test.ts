import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type RunResult } from '../domain';
import { newRunRecord, type RunRecord } from '../state/store';
import { pilotCardModel } from './pilotCardModel';

const costs = { params: 10_000, flopsPerImage: 100_000, bytes: { fp32: 40_000, fp16: 20_000, int8: 10_000 } };
const done = (r: RunRecord, acc: number): RunRecord => ({ ...r, state: 'done', result: { testAccuracy: acc, studentCosts: costs } as RunResult });

describe('pilot card with an imported job', () => {
  it('adds a row labelled with where the job ran, and keeps it out of the browser rows and the verdict', () => {
    const browser = [done(newRunRecord('a', { ...DEFAULT_CONFIG, method: 'student-alone' }), 0.97), done(newRunRecord('b', DEFAULT_CONFIG), 0.98)];
    const job = { ...done(newRunRecord('job-1', { ...DEFAULT_CONFIG, epochs: 240 }), 0.995), origin: 'PyTorch job · 2 processes · gloo · cpu' };
    const m = pilotCardModel(DEFAULT_CONFIG, [...browser, job], undefined, {});
    expect(m.rows.map((r) => r.key)).toEqual(['teacher', 'student-alone', 'rtk', 'job:job-1']);
    expect(m.rows[3].label).toBe('Distilled student (RTK) · PyTorch job · 2 processes · gloo · cpu · 240 epochs');
    expect(m.rows[3].stats?.mean).toBe(0.995);
    expect(m.rows[2].stats?.mean).toBe(0.98);
    // Same budget as the browser run: still its own row, never averaged into the browser's seeds.
    const sameBudget = { ...job, runId: 'job-2', config: DEFAULT_CONFIG };
    const m2 = pilotCardModel(DEFAULT_CONFIG, [...browser, sameBudget], undefined, {});
    expect(m2.rows[2].stats).toMatchObject({ n: 1, mean: 0.98 });
    expect(m2.rows[3].key).toBe('job:job-2');
  });
});
