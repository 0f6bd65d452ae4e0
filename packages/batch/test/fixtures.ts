import type { Event } from '@gossip/core';

/** The event the unit tests batch. */
export type OrderCreated = Event<'order.created', { n: number }>;

/** An `order.created` event with payload `{ n }`, made by hand (no bus needed). */
export function order(n: number): OrderCreated {
  return { id: `e${n}`, type: 'order.created', timestamp: 0, data: { n }, metadata: {} };
}

/** The payload numbers of a batch. */
export const numbers = (events: ReadonlyArray<OrderCreated>): number[] =>
  events.map((event) => event.data.n);

/** A promise and the function that resolves it. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Lets pending promise callbacks run (several turns of the microtask queue). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** Collects the process's warnings (MaxListenersExceededWarning among them) while a test runs. */
export function watchWarnings(): { seen: string[]; stop: () => void } {
  const seen: string[] = [];
  const listener = (warning: Error) => seen.push(`${warning.name}: ${warning.message}`);
  process.on('warning', listener);
  return { seen, stop: () => process.off('warning', listener) };
}

/** Waits for the process's next tick, where Node emits its warnings; never faked by the tests. */
export const nextTick = (): Promise<void> =>
  new Promise<void>((resolve) => process.nextTick(resolve));
