import { useDeferredValue, useLayoutEffect } from 'react';
import { holdPage } from '../bridge/pageSettle';

/**
 * Holds the page (src/bridge/pageSettle.ts) while `pending`: the trainer waits for the page to
 * draw a new evaluation, and a render still to come is part of that drawing.
 */
export function usePageHold(pending: boolean): void {
  useLayoutEffect(() => (pending ? holdPage() : undefined), [pending]);
}

/** useDeferredValue that holds the page until the deferred render has caught up with `value`. */
export function useDeferredDrawn<T>(value: T): T {
  const deferred = useDeferredValue(value);
  usePageHold(!Object.is(deferred, value));
  return deferred;
}
