import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type MethodId, type RunResult } from '../domain';
import { newRunRecord, type RunRecord } from './store';
import { methodStats, summarySentence, verdict, type MethodStats } from './verdict';

function run(method: MethodId, seed: number, acc: number, patch: Partial<typeof DEFAULT_CONFIG> = {}): RunRecord {
  const r = newRunRecord(`${method}-${seed}`, { ...DEFAULT_CONFIG, method, seed, ...patch });
  return { ...r, state: 'done', result: { testAccuracy: acc } as RunResult };
}
const stats = (method: MethodId, accs: number[]): MethodStats => methodStats(accs.map((a, i) => run(method, i + 1, a)), DEFAULT_CONFIG, method)!;

describe('pilot card statistics', () => {
  it('computes mean and sample sd per method over seeds, latest run per seed', () => {
    const runs = [run('rtk', 1, 0.5), run('rtk', 1, 0.9), run('rtk', 2, 0.8), run('student-alone', 1, 0.7), run('rtk', 3, 0.7, { epochs: 9 })];
    const s = methodStats(runs, DEFAULT_CONFIG, 'rtk')!;
    expect(s.n).toBe(2);
    expect(s.seeds).toEqual([1, 2]);
    expect(s.mean).toBeCloseTo(0.85);
    expect(s.sd).toBeCloseTo(Math.sqrt(0.005));
    expect(methodStats(runs, DEFAULT_CONFIG, 'kd')).toBeNull();
  });

  it('a single run has no sd and its verdict says so', () => {
    const v = verdict(stats('student-alone', [0.9]), stats('rtk', [0.92]), 'RTK');
    expect(v.single).toBe(true);
    expect(v.kind).toBe('better');
    expect(v.diffPoints).toBeCloseTo(2);
    expect(v.text).toMatch(/single run/);
  });

  it('a difference within the spread between seeds is inconclusive', () => {
    const v = verdict(stats('student-alone', [0.90, 0.92, 0.94]), stats('rtk', [0.91, 0.93, 0.95]), 'RTK');
    expect(v.kind).toBe('inconclusive');
    expect(v.spreadPoints).toBeCloseTo(Math.sqrt(2) * 2);
  });

  it('a difference beyond the spread is better or not better', () => {
    expect(verdict(stats('student-alone', [0.80, 0.81, 0.82]), stats('rtk', [0.90, 0.91, 0.92]), 'RTK').kind).toBe('better');
    expect(verdict(stats('student-alone', [0.90, 0.91, 0.92]), stats('rtk', [0.80, 0.81, 0.82]), 'RTK').kind).toBe('not-better');
  });

  it('says the trade-off against the teacher in one sentence', () => {
    expect(summarySentence({ teacherParams: 140_000, studentParams: 10_000, teacherMs: 6, studentMs: 1, teacherAccuracy: 0.99, studentAccuracy: 0.986 }))
      .toBe('Against the teacher, the student is 14× smaller and 6.0× faster here, and loses 0.4 points.');
    expect(summarySentence({ teacherParams: 100, studentParams: 50, teacherMs: null, studentMs: 1, teacherAccuracy: 0.9, studentAccuracy: 0.9 }))
      .toBe('Against the teacher, the student is 2.0× smaller, and keeps the same accuracy.');
  });
});
