/**
 * The trainer's side of "let the page draw first". On a machine with few cores the training
 * worker and the page share them, so a big redraw (the explorer appearing, a new evaluation's
 * charts) ran at a fraction of a core and became a long task. After such an event the trainer
 * asks the page ('page-frame') and waits until the page answers that it has drawn and is idle
 * ('page-drawn'), or for PAGE_DRAWN_CAP_MS at most, so a hidden or busy tab cannot stall training.
 * A run waits at its start, when training starts and after each evaluation during training (a few
 * per epoch); each wait lasts as long as the page's redraw, tens of milliseconds on 2 cores.
 */
import type { WorkerEvent } from '../domain';

export const PAGE_DRAWN_CAP_MS = 250;

let nextId = 0;
const waiting = new Map<number, () => void>();

export function waitForPage(emit: (e: WorkerEvent) => void, capMs = PAGE_DRAWN_CAP_MS): Promise<void> {
  nextId += 1;
  const id = nextId;
  return new Promise((resolve) => {
    const done = () => { clearTimeout(timer); waiting.delete(id); resolve(); };
    const timer = setTimeout(done, capMs);
    waiting.set(id, done);
    emit({ type: 'page-frame', id });
  });
}

/** The page's answer: ends that wait (an unknown or late id is ignored). */
export function pageDrawn(id: number): void {
  waiting.get(id)?.();
}
