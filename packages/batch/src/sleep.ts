import { onAbort } from '@gossip/core';

/** Waits `ms` milliseconds, or less if the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const forget = onAbort(signal, () => {
      clearTimeout(timer);
      resolve();
    });
    const timer = setTimeout(() => {
      forget();
      resolve();
    }, ms);
  });
}
