/**
 * Renders the page has started for the worker's latest events and not yet committed: a deferred
 * render (useDeferredValue) still behind its value, a panel that mounts a frame later
 * (src/ui/useNextFrame.ts). The client answers the trainer's 'page-frame' only once none is left
 * and a frame has drawn the result (client.ts), so training does not resume while the page is
 * still mounting a new evaluation (it did: the second mount stage's layout then shared the cores
 * with both workers and ran twice as long as its CPU time).
 */
let holds = 0;
let waiters: Array<() => void> = [];
let flushQueued = false;

function flush(): void {
  flushQueued = false;
  // A commit can release one hold and take another (the next mount stage) in the same pass:
  // judged after the commit, in a microtask, so the waiter sees the page as it is then.
  if (holds !== 0) return;
  const ready = waiters;
  waiters = [];
  for (const f of ready) f();
}

/** Marks a render in progress; the returned function ends it (calling it twice is harmless). */
export function holdPage(): () => void {
  holds += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holds -= 1;
    if (holds === 0 && waiters.length && !flushQueued) {
      flushQueued = true;
      queueMicrotask(flush);
    }
  };
}

/** Calls `then` once no render is held (at once when none is). */
export function whenPageSettled(then: () => void): void {
  if (holds === 0) { then(); return; }
  waiters.push(then);
}

/** Renders held now (tests). */
export function pageHolds(): number {
  return holds;
}
