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

/** Resolves after every queued microtask and macrotask so far has run. */
export const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** A promise with its resolve function outside, to hold a handler until the test releases it. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
