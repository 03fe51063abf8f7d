import { describe, expect, it } from 'vitest';
import { parseExplorerParams, writeExplorerParams } from './explorerUrl';

describe("the key explorer's view in the URL", () => {
  it('round-trips k and threshold and keeps other parameters', () => {
    const s = writeExplorerParams('?seed=3', { k: 2, threshold: 0.25, importance: 'afd' });
    const q = new URLSearchParams(s);
    expect(q.get('seed')).toBe('3');
    expect(parseExplorerParams(q)).toEqual({ view: { k: 2, threshold: 0.25, importance: 'afd' }, issues: [] });
    expect(writeExplorerParams(s, { k: null, threshold: 'mean' })).toBe('?seed=3');
  });

  it('names bad values and falls back to the defaults', () => {
    const r = parseExplorerParams(new URLSearchParams('xk=0&xthreshold=lots&ximportance=loud'));
    expect(r.view).toEqual({ k: null, threshold: 'mean', importance: null });
    expect(r.issues).toHaveLength(3);
    expect(r.issues[2]).toMatch(/ximportance/);
    expect(r.issues[0]).toMatch(/xk/);
  });
});
