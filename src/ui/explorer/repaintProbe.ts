/**
 * Input → repaint timing of the threshold slider and k selector: the input handler marks the
 * time, and after React commits the new selection one requestAnimationFrame closes the sample.
 * Samples (ms) collect on window.__sliderRepaintMs for the e2e and `npm run bench:ui`.
 */
declare global {
  interface Window { __sliderRepaintMs?: number[]; __sliderCommitMs?: number[] }
}

let pendingSince: number | null = null;

/** Call in the input handler, before the state update. */
export function markInput(): void {
  pendingSince = performance.now();
}

/** Call after the commit that shows the new selection (useLayoutEffect). */
export function closeRepaint(): void {
  if (pendingSince === null) return;
  const t0 = pendingSince;
  pendingSince = null;
  (window.__sliderCommitMs ??= []).push(performance.now() - t0);
  requestAnimationFrame(() => {
    const samples = (window.__sliderRepaintMs ??= []);
    samples.push(performance.now() - t0);
  });
}
