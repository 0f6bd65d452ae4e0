import { randomUUID } from 'node:crypto';
import type { BridgeOptions } from '../bridge-settings.js';
import { jsonCodec } from '../codec.js';
import type { Envelope } from '../envelope.js';
import { testEnvelope, waitFor } from '../test-helpers.js';
import type { Transport } from '../transport.js';
import type { ConformanceTest } from './suite.js';

/** A random suffix for names (namespaces, groups), so that runs and tests never share one. */
export function suffix(): string {
  return randomUUID().replaceAll('-', '').slice(0, 10);
}

/** Polls until `done` holds, for at most `timeout` ms; fails naming `what`. */
export function eventually(what: string, done: () => boolean, timeout: number): Promise<void> {
  return waitFor(done, timeout, what);
}

/** Resolves with what `promise` resolves with, or rejects after `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A JSON envelope of `type` with no schema version, as another process might publish it. */
export function envelopeOf(type: string, data: unknown, id = randomUUID()): Envelope {
  return testEnvelope(
    type,
    data,
    { 'content-type': jsonCodec.contentType },
    {
      id,
      schemaVersion: undefined,
    },
  );
}

/** Retries after 10 ms, so that redelivery cases do not wait for a real backoff. */
export const FAST: Pick<BridgeOptions, 'backoff'> = { backoff: () => 10 };

/**
 * A bus that records the ids of the `conformance.order.placed` events it handles, bridged to a
 * new connection as the group named after `role`; returns the connection and the ids.
 */
export async function recordOrders(
  test: ConformanceTest,
  role: string,
  options: Omit<BridgeOptions, 'subscribe' | 'group'> = {},
): Promise<{ transport: Transport; handled: string[] }> {
  const incoming = test.bus();
  const handled: string[] = [];
  incoming.subscribe('conformance.order.placed', (event) => void handled.push(event.id));
  const transport = await test.connect();
  await test.link(incoming, transport, {
    subscribe: ['conformance.order.placed'],
    group: test.group(role),
    ...options,
  });
  return { transport, handled };
}
