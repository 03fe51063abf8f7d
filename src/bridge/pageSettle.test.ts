import { describe, expect, it } from 'vitest';
import { holdPage, pageHolds, whenPageSettled } from './pageSettle';

const tick = () => new Promise<void>((r) => queueMicrotask(r));

describe('pageSettle', () => {
  it('answers at once when no render is held', () => {
    let called = 0;
    whenPageSettled(() => { called += 1; });
    expect(called).toBe(1);
  });

  it('waits for every hold, and judges a release after the commit that made it', async () => {
    const a = holdPage();
    const b = holdPage();
    let called = 0;
    whenPageSettled(() => { called += 1; });
    a();
    a(); // a second release of the same hold changes nothing
    await tick();
    expect(called).toBe(0);
    expect(pageHolds()).toBe(1);
    // The last hold ends and the next mount stage takes one in the same commit: still waiting.
    b();
    const c = holdPage();
    await tick();
    expect(called).toBe(0);
    c();
    expect(called).toBe(0); // not inside the commit itself
    await tick();
    expect(called).toBe(1);
    expect(pageHolds()).toBe(0);
  });
});
