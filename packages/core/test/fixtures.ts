import { z } from 'zod';
import { defineEvents } from '../src/index.js';

/** The events most tests use: three domains, a void event, a schema with a default. */
export const events = defineEvents({
  'user.created': z.object({ userId: z.string(), email: z.email() }),
  'user.deleted': z.object({ userId: z.string() }),
  'order.placed': z.object({ orderId: z.string(), amount: z.number().positive() }),
  'order.paid': z.object({ orderId: z.string(), amount: z.number().positive() }),
  'order.item.added': z.object({ orderId: z.string(), sku: z.string() }),
  'app.started': z.undefined(),
  'job.queued': z.object({ jobId: z.string(), tries: z.number().default(0) }),
});

/** The same events as a hand-written map, for buses without validation. */
export type AppEvents = {
  'user.created': { userId: string; email: string };
  'user.deleted': { userId: string };
  'order.placed': { orderId: string; amount: number };
  'order.paid': { orderId: string; amount: number };
  'order.item.added': { orderId: string; sku: string };
  'app.started': undefined;
};

/**
 * Resolves on the event loop's next turn: after every microtask queued so far, and after the
 * turn the bus takes between long runs of handlers. It waits for no amount of time: Node's
 * setImmediate, not a timer; a browser has nothing sooner than a zero-delay timer, which the bus
 * uses there too. A test waits with it for work already started, never for time to pass (that is
 * fake time: vi.useFakeTimers).
 */
export const settle = (): Promise<void> =>
  new Promise((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else setTimeout(resolve, 0);
  });

/** A promise with its resolve function outside, to hold a handler until the test releases it. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/**
 * Whether the tests run under Node (the unit project) rather than in a browser (the browser
 * project, `pnpm test:browser`), where `process` does not exist.
 */
export const inNode = typeof process !== 'undefined' && typeof process.on === 'function';

/**
 * Collects what the host reports as an unhandled rejection or an uncaught exception until
 * `stop()`: Node's `unhandledRejection` and `uncaughtException` process events, or in a browser
 * the window's `unhandledrejection` and `error` events, whose default report is then prevented
 * so that the test's own expectation decides.
 */
export function catchUnhandled(kind: 'unhandledRejection' | 'uncaughtException'): {
  readonly caught: unknown[];
  stop(): void;
} {
  const caught: unknown[] = [];
  if (inNode) {
    const listener = (reason: unknown): void => void caught.push(reason);
    process.on(kind, listener);
    return { caught, stop: () => void process.off(kind, listener) };
  }
  const type = kind === 'unhandledRejection' ? 'unhandledrejection' : 'error';
  const listener = (event: Event): void => {
    event.preventDefault();
    caught.push(
      event instanceof PromiseRejectionEvent ? event.reason : (event as ErrorEvent).error,
    );
  };
  globalThis.addEventListener(type, listener);
  return { caught, stop: () => globalThis.removeEventListener(type, listener) };
}
