import { onAbort } from '@gossip/core';

/**
 * Waits `ms` milliseconds; resolves `true` when the time has passed, `false` as soon as the
 * signal aborts (at once if it already has). The timer is cleared on abort.
 */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise<boolean>((resolve) => {
    const forget = onAbort(signal, () => {
      clearTimeout(timer);
      resolve(false);
    });
    const timer = setTimeout(() => {
      forget();
      resolve(true);
    }, ms);
  });
}
