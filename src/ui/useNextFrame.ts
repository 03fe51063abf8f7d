import { startTransition, useEffect, useState } from 'react';
import { usePageHold } from './pageHold';

/**
 * False on the render that first shows `ready`, true once the frame after it has been painted.
 * A wide subtree gated by it mounts one frame after the rest of its panel, so the browser lays
 * the two out in separate tasks (the key explorer's first evaluation mounts ~900 layout objects
 * at once otherwise: one 50–100 ms task on a busy 2-core machine). Until it has, the page is held
 * (pageHold.ts), so the trainer's wait for the page covers the later stage too.
 */
export function useNextFrame(ready: boolean): boolean {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (!ready) { setShown(false); return; }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => { timer = setTimeout(() => startTransition(() => setShown(true)), 0); });
    return () => { cancelAnimationFrame(frame); if (timer !== undefined) clearTimeout(timer); };
  }, [ready]);
  usePageHold(ready && !shown);
  return ready && shown;
}
