/**
 * Input → repaint timing of the threshold slider and k selector. A sample starts at the input
 * event's own time stamp and ends when the main thread has painted the frame that shows the new
 * selection: requestAnimationFrame runs at the start of that frame (before style, layout and
 * paint), and a message posted from it is handled only after the frame's rendering steps are
 * done. Samples (ms) collect on window.__sliderRepaintMs for the e2e and `npm run bench:ui`;
 * input → React commit on window.__sliderCommitMs and input → frame start on
 * window.__sliderFrameStartMs (to attribute the time).
 */
declare global {
  interface Window { __sliderRepaintMs?: number[]; __sliderCommitMs?: number[]; __sliderFrameStartMs?: number[] }
}

let pendingSince: number | null = null;

/**
 * Call in the input handler, before the state update, with the event's timeStamp (same clock
 * as performance.now()); without one, the handler's start is the sample's start.
 */
export function markInput(eventTime?: number): void {
  const now = performance.now();
  pendingSince = eventTime !== undefined && eventTime > 0 && eventTime <= now ? eventTime : now;
}

/** Call after the commit that shows the new selection (useLayoutEffect). */
export function closeRepaint(): void {
  if (pendingSince === null) return;
  const t0 = pendingSince;
  pendingSince = null;
  (window.__sliderCommitMs ??= []).push(performance.now() - t0);
  requestAnimationFrame(() => {
    (window.__sliderFrameStartMs ??= []).push(performance.now() - t0);
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      (window.__sliderRepaintMs ??= []).push(performance.now() - t0);
    };
    ch.port2.postMessage(null);
  });
}

declare global {
  interface Window { __networkViewWorkMs?: number[] }
}
let networkStart: number | null = null;

/**
 * The network view's own render work per slider move (React render of the view with its D3
 * layout), on window.__networkViewWorkMs: from the start of its panel's render to the end of
 * its subtree's render. Only moves of the controls are sampled.
 */
export function networkProbeStart(): void {
  networkStart = pendingSince !== null ? performance.now() : null;
}
export function networkProbeEnd(): void {
  if (networkStart === null) return;
  (window.__networkViewWorkMs ??= []).push(performance.now() - networkStart);
  networkStart = null;
}
