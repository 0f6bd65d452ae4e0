import { noop } from './noop.js';

/** The listeners of one signal, and the one listener this module added to it. */
interface Dispatch {
  readonly listeners: Set<() => void>;
  readonly run: () => void;
}

/** Long-lived signals (the bus's shutdown signal) are shared by every call; so is their entry. */
const dispatches = new WeakMap<AbortSignal, Dispatch>();

/**
 * Calls `listener` once when `signal` aborts, at once if it already has; returns a function that
 * forgets the listener (a no-op once it has run).
 *
 * Many waits share one long-lived signal (the bus's shutdown signal every handler sees, or an
 * application's signal given to many subscriptions), so one `addEventListener` per wait would
 * pile up listeners on it, and Node warns (`MaxListenersExceededWarning`) past 10. Instead each signal gets one listener of ours,
 * dispatching to a set of callbacks: adding and forgetting are O(1), and the listener is taken
 * off the signal when its set empties, so nothing stays on a signal that outlives the calls.
 *
 * @param signal - the signal to watch
 * @param listener - called once, with no argument, when the signal aborts; it must not throw
 * @returns a function that forgets the listener
 *
 * @example
 * ```ts
 * const forget = onAbort(ctx.signal, () => reject(ctx.signal.reason));
 * try { await work(); } finally { forget(); }
 * ```
 */
export function onAbort(signal: AbortSignal, listener: () => void): () => void {
  if (signal.aborted) {
    listener();
    return noop;
  }
  let dispatch = dispatches.get(signal);
  if (dispatch === undefined) {
    const listeners = new Set<() => void>();
    const run = (): void => {
      dispatches.delete(signal);
      for (const each of listeners) each();
      listeners.clear();
    };
    dispatch = { listeners, run };
    dispatches.set(signal, dispatch);
    signal.addEventListener('abort', run, { once: true });
  }
  // A wrapper of our own, so that the same function added twice is two registrations.
  const entry = (): void => listener();
  const { listeners, run } = dispatch;
  listeners.add(entry);
  return () => {
    if (!listeners.delete(entry) || listeners.size > 0) return;
    if (dispatches.get(signal) === dispatch) dispatches.delete(signal);
    signal.removeEventListener('abort', run);
  };
}
