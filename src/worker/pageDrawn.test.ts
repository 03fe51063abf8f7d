import { describe, expect, it, vi } from 'vitest';
import type { WorkerEvent } from '../domain';
import { pageDrawn, waitForPage } from './pageDrawn';

describe('waitForPage', () => {
  it('asks the page with a fresh id and resolves when the page answers that id', async () => {
    const asked: WorkerEvent[] = [];
    let resolved = false;
    const p = waitForPage((e) => asked.push(e), 10_000).then(() => { resolved = true; });
    expect(asked).toHaveLength(1);
    const ask = asked[0] as Extract<WorkerEvent, { type: 'page-frame' }>;
    expect(ask.type).toBe('page-frame');
    pageDrawn(ask.id + 1000); // another wait's id, or a late answer: ignored
    await Promise.resolve();
    expect(resolved).toBe(false);
    pageDrawn(ask.id);
    await p;
    expect(resolved).toBe(true);
    const next: WorkerEvent[] = [];
    const q = waitForPage((e) => next.push(e), 10_000);
    expect((next[0] as Extract<WorkerEvent, { type: 'page-frame' }>).id).not.toBe(ask.id);
    pageDrawn((next[0] as Extract<WorkerEvent, { type: 'page-frame' }>).id);
    await q;
  });

  it('stops waiting after the cap when the page never answers (a hidden tab)', async () => {
    vi.useFakeTimers();
    try {
      let resolved = false;
      const p = waitForPage(() => undefined, 250).then(() => { resolved = true; });
      await vi.advanceTimersByTimeAsync(249);
      expect(resolved).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await p;
      expect(resolved).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
