/**
 * Which worker events cost the main thread a long task. Each event's handling is timed from its
 * start to a microtask queued after it, so React's synchronous render of the store change (also a
 * microtask, queued earlier) is inside the sample. The last 500 events are kept, with their type,
 * time and duration, on window.__workerEvents for `npm run bench:ui` (to tell which event a long
 * task followed): a few numbers each, no cost worth measuring when nothing reads them.
 */
declare global {
  interface Window { __workerEvents?: { type: string; at: number; ms: number }[] }
}

export function timeEvent(type: string, handle: () => void): void {
  const t0 = performance.now();
  try {
    handle();
  } finally {
    queueMicrotask(() => {
      const ms = performance.now() - t0;
      if (typeof window === 'undefined') return;
      const list = (window.__workerEvents ??= []);
      list.push({ type, at: Math.round(t0), ms: Math.round(ms) });
      if (list.length > 500) list.shift();
    });
  }
}
