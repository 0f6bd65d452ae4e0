import type { AnyEvent, HandlerContext, PublishFn } from '@gossip/core';
import { vi } from 'vitest';

let sequence = 0;

/** An event as the bus would hand it to a handler. */
export function makeEvent(overrides: Partial<AnyEvent> = {}): AnyEvent {
  sequence++;
  return {
    id: `evt-${sequence}`,
    type: 'order.paid',
    timestamp: 1_700_000_000_000,
    data: { orderId: `o${sequence}`, amount: 10 },
    metadata: {},
    ...overrides,
  };
}

/** A handler context as the bus would make it, with a spy for publish. */
export function makeContext(
  overrides: Partial<HandlerContext> = {},
): HandlerContext & { publish: ReturnType<typeof vi.fn<PublishFn>> } {
  return {
    signal: new AbortController().signal,
    attempt: 1,
    subscription: 'billing',
    publish: vi.fn<PublishFn>(async () => {}),
    ...overrides,
  } as HandlerContext & { publish: ReturnType<typeof vi.fn<PublishFn>> };
}

/** Resolves with what a promise rejects with; fails if it resolves. */
export async function rejectionOf(promise: unknown): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** The events map of the live-bus tests. */
export type TestEvents = {
  'order.paid': { orderId: string; amount: number };
  'dead.letter': unknown;
};

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
