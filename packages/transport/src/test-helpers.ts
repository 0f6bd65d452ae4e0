import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { jsonCodec } from './codec.js';
import type { Envelope } from './envelope.js';
import type { Transport, TransportMessage, TransportSubscription } from './transport.js';

/**
 * An envelope for a transport's tests: a fresh id, the JSON payload of `data`, the given
 * headers, schema version 1 unless told.
 *
 * @param type - the event type, such as `order.placed`
 * @param data - the payload, encoded by {@link jsonCodec}
 * @param headers - the metadata headers
 * @param options - `id`, `schemaVersion` (`undefined` for none) and `timestamp` instead of the
 * defaults
 * @returns the envelope
 *
 * @example
 * ```ts
 * await transport.publish(testEnvelope('order.placed', { orderId: 'o1' }, { traceparent }));
 * ```
 */
export function testEnvelope(
  type: string,
  data: unknown,
  headers: Record<string, string> = {},
  options: {
    readonly id?: string;
    readonly schemaVersion?: number | undefined;
    readonly timestamp?: number;
  } = {},
): Envelope {
  const schemaVersion = 'schemaVersion' in options ? options.schemaVersion : 1;
  return {
    id: options.id ?? randomUUID(),
    type,
    timestamp: options.timestamp ?? Date.now(),
    ...(schemaVersion === undefined ? {} : { schemaVersion }),
    payload: jsonCodec.encode(data),
    headers,
  };
}

/**
 * Sleeps, for a test that checks that nothing more arrives.
 *
 * @param ms - how long
 * @returns a promise that resolves after `ms`
 *
 * @example
 * ```ts
 * await sleep(200);
 * expect(received).toHaveLength(1);
 * ```
 */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Whether a server listens on a loopback port: a connection is tried and closed at once, and
 * one that neither connects nor fails within `timeoutMs` counts as closed. For tests that skip,
 * or wait, while their broker is down or restarting.
 *
 * @param port - the port on 127.0.0.1
 * @param timeoutMs - how long one try may take
 * @returns true if the connection was accepted
 *
 * @example
 * ```ts
 * const up = await portOpen(6379);
 * it.skipIf(!up)('round-trips through Redis', async () => { ... });
 * ```
 */
export function portOpen(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Polls `check` every 10 ms until it holds, for at most `timeoutMs`: every wait of a transport's
 * tests is bounded. The check may be asynchronous (a query to the broker).
 *
 * @param check - what must come true
 * @param timeoutMs - how long to wait at most
 * @param what - what is waited for, in the error
 * @returns a promise that resolves once `check` holds
 * @throws Error after `timeoutMs`, naming `what`
 *
 * @example
 * ```ts
 * await waitFor(() => received.length === 3, 5000, 'three messages');
 * ```
 */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  what = 'the condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/**
 * Subscribes a group that keeps every message it is handed (or what `pick` takes of it) and
 * acks it: the subscriber most transport tests need.
 *
 * @param transport - the transport under test
 * @param group - the consumer group
 * @param patterns - gossip patterns
 * @param pick - what to keep of each message; the message itself by default
 * @returns what was received so far (it fills as messages arrive), and the subscription
 *
 * @example
 * ```ts
 * const { received } = await recordMessages(transport, 'billing', ['order.*'], (m) => m.envelope.id);
 * await transport.publish(testEnvelope('order.placed', {}));
 * await waitFor(() => received.length === 1);
 * ```
 */
export async function recordMessages<T = TransportMessage>(
  transport: Transport,
  group: string,
  patterns: readonly string[],
  pick: (message: TransportMessage) => T = (message) => message as T,
): Promise<{ readonly received: T[]; readonly subscription: TransportSubscription }> {
  const received: T[] = [];
  const subscription = await transport.subscribe({
    group,
    patterns,
    onMessage: async (message) => {
      received.push(pick(message));
      await message.ack();
    },
  });
  return { received, subscription };
}
