import { randomUUID } from 'node:crypto';
import {
  type BusOf,
  createEventBus,
  defineEvents,
  type GossipError,
  type InferEventMap,
} from '@gossip/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type Bridge, type BridgeOptions, bridge } from './bridge.js';
import { jsonCodec } from './codec.js';
import type { Envelope } from './envelope.js';
import { sleep, testEnvelope, waitFor } from './test-helpers.js';
import type {
  DeadLetterReason,
  Transport,
  TransportCapabilities,
  TransportMessage,
  TransportSubscription,
} from './transport.js';
import { TransportError } from './transport-error.js';

export { portOpen, recordMessages, sleep, testEnvelope, waitFor } from './test-helpers.js';

/**
 * What the suite tells `create`: a namespace unique to the test (a random suffix, so that runs
 * and tests never share a stream), the same for every `create` call of one test.
 *
 * @example
 * ```ts
 * create: async ({ namespace }) => createNatsTransport({ servers, stream: namespace })
 * ```
 */
export interface ConformanceContext {
  /** Letters, digits and dashes: usable as a stream, key prefix or consumer name. */
  readonly namespace: string;
}

/**
 * Options of {@link describeTransportConformance}.
 *
 * @example
 * ```ts
 * const options: ConformanceOptions = {
 *   create: async () => createMemoryTransport(),
 *   capabilities: { persistent: false, deduplication: true, nativeRedelivery: true, ordering: true },
 * };
 * ```
 */
export interface ConformanceOptions {
  /**
   * Opens a new connection to the broker (each call a separate one, as a separate process
   * would), using `context.namespace` for the stream or keys. Every call of one test must reach
   * the same messages and groups.
   */
  readonly create: (context: ConformanceContext) => Promise<Transport>;
  /** What the transport is expected to declare; the cases it lacks are skipped. */
  readonly capabilities: TransportCapabilities;
  /**
   * Stops and starts the broker (and resolves once it is up again): the broker-restart case
   * runs only when it is given.
   */
  readonly restart?: () => Promise<void>;
  /**
   * How many messages the load case publishes.
   * @default 2000
   */
  readonly messages?: number;
  /**
   * How long the broker takes to give a message its consumer never settled to another consumer
   * of the group (NATS `ack_wait`, Redis `XAUTOCLAIM` min idle time), in ms.
   * @default 30_000
   */
  readonly redeliveryTimeout?: number;
  /**
   * The time each case may take at most (the load, dead-consumer and restart cases add to it).
   * @default 20_000
   */
  readonly timeout?: number;
}

/**
 * The event catalogue of the suite: typed payloads, validated on receipt.
 *
 * @internal
 */
const catalogue = defineEvents({
  'conformance.order.placed': schema<OrderPlaced>('an order', isOrderPlaced),
  'conformance.order.cancelled': schema<{ orderId: string; reason: string }>(
    'a cancellation',
    (value): value is { orderId: string; reason: string } =>
      isRecord(value) && typeof value.orderId === 'string' && typeof value.reason === 'string',
  ),
  'conformance.item.counted': schema<{ key: string; seq: number }>(
    'a counted item',
    (value): value is { key: string; seq: number } =>
      isRecord(value) && typeof value.key === 'string' && Number.isInteger(value.seq),
  ),
});

interface OrderPlaced {
  orderId: string;
  amount: number;
  lines: Array<{ sku: string; quantity: number }>;
  note: string | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOrderPlaced(value: unknown): value is OrderPlaced {
  return (
    isRecord(value) &&
    typeof value.orderId === 'string' &&
    typeof value.amount === 'number' &&
    (value.note === null || typeof value.note === 'string') &&
    Array.isArray(value.lines) &&
    value.lines.every(
      (line: unknown) =>
        isRecord(line) && typeof line.sku === 'string' && typeof line.quantity === 'number',
    )
  );
}

/** A Standard Schema made of a type guard, so the suite needs no validation library. */
function schema<T>(
  what: string,
  guard: (value: unknown) => value is T,
): {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (
      value: unknown,
    ) => { readonly value: T } | { readonly issues: ReadonlyArray<{ readonly message: string }> };
    readonly types?: { readonly input: T; readonly output: T };
  };
} {
  return {
    '~standard': {
      version: 1,
      vendor: 'gossip-conformance',
      validate: (value) =>
        guard(value) ? { value } : { issues: [{ message: `expected ${what}` }] },
    },
  };
}

type ConformanceBus = BusOf<typeof catalogue>;

function makeBus(errors: GossipError[], workers = 8): ConformanceBus {
  return createEventBus({ schemas: catalogue, workers, onError: (error) => errors.push(error) });
}

/** What happened to the messages of one test, per event id, across every connection. */
interface Ledger {
  readonly acked: Map<string, number>;
  readonly nacked: Map<string, number>;
  readonly termed: Map<string, number>;
  readonly deadLettered: Map<string, DeadLetterReason[]>;
  delivered: number;
  settled: number;
}

function newLedger(): Ledger {
  return {
    acked: new Map(),
    nacked: new Map(),
    termed: new Map(),
    deadLettered: new Map(),
    delivered: 0,
    settled: 0,
  };
}

function bump(map: Map<string, number>, id: string): void {
  map.set(id, (map.get(id) ?? 0) + 1);
}

/** Wraps a transport so that every settle and dead letter is written in the ledger. */
function instrument(transport: Transport, ledger: Ledger): Transport {
  const wrap = (message: TransportMessage): TransportMessage => {
    const { id } = message.envelope;
    return {
      envelope: message.envelope,
      attempt: message.attempt,
      ack: async () => {
        await message.ack();
        ledger.settled += 1;
        bump(ledger.acked, id);
      },
      nack: async (delayMs?: number) => {
        await message.nack(delayMs);
        ledger.settled += 1;
        bump(ledger.nacked, id);
      },
      term: async () => {
        await message.term();
        ledger.settled += 1;
        bump(ledger.termed, id);
      },
    };
  };
  return {
    name: transport.name,
    capabilities: transport.capabilities,
    publish: (envelope) => transport.publish(envelope),
    deadLetter: async (envelope, reason) => {
      await transport.deadLetter(envelope, reason);
      const reasons = ledger.deadLettered.get(envelope.id) ?? [];
      reasons.push(reason);
      ledger.deadLettered.set(envelope.id, reasons);
    },
    subscribe: (request) =>
      transport.subscribe({
        ...request,
        onMessage: (message) => {
          ledger.delivered += 1;
          return request.onMessage(wrap(message));
        },
      }),
    close: () => transport.close(),
  };
}

function suffix(): string {
  return randomUUID().replaceAll('-', '').slice(0, 10);
}

/** Polls until `done` holds, for at most `timeout` ms; fails naming `what`. */
function eventually(what: string, done: () => boolean, timeout: number): Promise<void> {
  return waitFor(done, timeout, what);
}

/** Resolves with what `promise` resolves with, or rejects after `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function envelopeOf(type: string, data: unknown, id = randomUUID()): Envelope {
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

const order = (orderId: string): OrderPlaced => ({
  orderId,
  amount: 12.5,
  lines: [{ sku: 'tea-ßü-☕', quantity: 2 }],
  note: null,
});

const FAST: Pick<BridgeOptions, 'backoff'> = { backoff: () => 10 };

/**
 * Declares the transport conformance suite with vitest's `describe` and `it`: the cases every
 * gossip transport must pass against its real broker, modelled on watermill's universal pub/sub
 * tests. The capability flags decide which cases run (de-duplication, ordering); the restart
 * case runs when `restart` is given. Each case is bounded in time (vitest timeouts) and in
 * count, and uses its own namespace and group names (random suffixes), so runs never collide.
 *
 * Cases: round trip of typed payloads through two buses; fan-out to two groups; competing
 * consumers within a group; at-least-once under a handler that fails twice; dead letter after
 * `maxAttempts` with the error; invalid payloads dead-lettered at once; de-duplication of a
 * republished id; per-type order; `messages` messages with exact accounting (published = acked
 * + dead-lettered); close with messages in flight; a consumer that dies mid-batch; broker
 * restart mid-stream.
 *
 * @param name - the transport's name, in the suite's title
 * @param options - how to connect, what the transport can do; see {@link ConformanceOptions}
 *
 * @example
 * ```ts
 * // test/conformance.integration.test.ts of a transport package
 * import { describeTransportConformance } from '@gossip/transport/conformance';
 *
 * describeTransportConformance('memory', {
 *   create: async () => createMemoryTransport(),
 *   capabilities: { persistent: false, deduplication: true, nativeRedelivery: true, ordering: true },
 * });
 * ```
 */
export function describeTransportConformance(name: string, options: ConformanceOptions): void {
  const {
    create,
    capabilities,
    restart,
    messages = 2000,
    redeliveryTimeout = 30_000,
    timeout = 20_000,
  } = options;
  const run = suffix();
  let counter = 0;

  describe(`transport conformance: ${name}`, () => {
    /** Clean-ups of the running test, run in reverse order after it, each bounded. */
    let cleanups: Array<() => Promise<unknown> | unknown> = [];

    afterEach(async () => {
      const pending = cleanups.reverse();
      cleanups = [];
      for (const cleanup of pending) {
        await within(Promise.resolve().then(cleanup), 10_000, 'a clean-up').catch(() => undefined);
      }
    });

    /** The resources of one test: connections, buses, bridges, all closed after it. */
    function setup() {
      const namespace = `gossip-conformance-${run}-${++counter}`;
      const ledger = newLedger();
      const errors: GossipError[] = [];
      const transports: Transport[] = [];
      const connect = async (): Promise<Transport> => {
        const transport = await create({ namespace });
        transports.push(transport);
        cleanups.push(() => transport.close());
        return instrument(transport, ledger);
      };
      const bus = (workers?: number): ConformanceBus => {
        const made = makeBus(errors, workers);
        cleanups.push(() => made.shutdown({ timeout: 1000 }));
        return made;
      };
      const link = async (
        on: ConformanceBus,
        transport: Transport,
        linkOptions: BridgeOptions<InferEventMap<typeof catalogue>>,
      ): Promise<Bridge> => {
        const made = bridge(on, transport, linkOptions);
        cleanups.push(() => made.close());
        await within(made.ready, timeout, 'the subscription');
        return made;
      };
      const group = (role: string): string => `${role}-${suffix()}`;
      const transportErrors = (): GossipError[] =>
        errors.filter((error) => error instanceof TransportError);
      return { namespace, ledger, errors, connect, bus, link, group, transportErrors, transports };
    }

    it('declares the capabilities it is described with', async () => {
      const { connect } = setup();
      const transport = await connect();
      expect(transport.capabilities).toEqual(capabilities);
      expect(typeof transport.name).toBe('string');
    });

    it(
      'carries typed payloads, ids and metadata from one bus to another',
      async () => {
        const { connect, bus, link, group, ledger, transportErrors } = setup();
        const [outgoing, incoming] = [bus(), bus()];
        const seen: Array<{ id: string; data: OrderPlaced; metadata: Record<string, string> }> = [];
        const cancelled: string[] = [];
        incoming.subscribe('conformance.order.placed', (event) => {
          seen.push({ id: event.id, data: event.data, metadata: { ...event.metadata } });
        });
        incoming.subscribe('conformance.order.cancelled', (event) => {
          cancelled.push(event.data.reason);
        });
        await link(incoming, await connect(), {
          subscribe: ['conformance.order.*'],
          group: group('round-trip'),
        });
        await link(outgoing, await connect(), { publish: ['conformance.order.**'] });

        const published = outgoing.lifecycle.on('publish', () => undefined);
        await outgoing.publish('conformance.order.placed', order('o1'), {
          metadata: { requestId: 'r-1' },
        });
        await outgoing.publish('conformance.order.cancelled', { orderId: 'o1', reason: 'late' });
        published();

        await eventually('both events', () => seen.length === 1 && cancelled.length === 1, timeout);
        const [first] = seen;
        expect(first?.data).toEqual(order('o1'));
        expect(first?.metadata).toMatchObject({ requestId: 'r-1', 'gossip.origin': 'remote' });
        expect(cancelled).toEqual(['late']);
        await eventually('the acks', () => ledger.acked.size === 2, timeout);
        expect(first && ledger.acked.get(first.id)).toBe(1);
        expect(transportErrors()).toEqual([]);
      },
      timeout,
    );

    it(
      'fans out every message to each of two groups',
      async () => {
        const { connect, bus, link, group } = setup();
        const outgoing = bus();
        const seenBy = [new Set<string>(), new Set<string>()];
        for (const seen of seenBy) {
          const incoming = bus();
          incoming.subscribe('conformance.item.counted', (event) => void seen.add(event.data.key));
          await link(incoming, await connect(), {
            subscribe: ['conformance.item.counted'],
            group: group('fan-out'),
          });
        }
        await link(outgoing, await connect(), { publish: ['conformance.item.counted'] });
        for (let seq = 0; seq < 20; seq++) {
          await outgoing.publish('conformance.item.counted', { key: `k${seq}`, seq });
        }
        await eventually(
          '20 messages in each group',
          () => seenBy.every((s) => s.size === 20),
          timeout,
        );
      },
      timeout,
    );

    it(
      'shares the messages of one group between its consumers, each handled once',
      async () => {
        const { connect, bus, link, group, ledger } = setup();
        const outgoing = bus();
        const shared = group('competing');
        const handled = [new Map<string, number>(), new Map<string, number>()];
        for (const counts of handled) {
          const incoming = bus();
          incoming.subscribe('conformance.item.counted', async (event) => {
            bump(counts, event.data.key);
            await sleep(5);
          });
          await link(incoming, await connect(), {
            subscribe: ['conformance.item.counted'],
            group: shared,
          });
        }
        await link(outgoing, await connect(), { publish: ['conformance.item.counted'] });
        for (let seq = 0; seq < 100; seq++) {
          await outgoing.publish('conformance.item.counted', { key: `k${seq}`, seq });
        }
        await eventually('100 acks', () => ledger.acked.size === 100, timeout);
        const [a, b] = handled as [Map<string, number>, Map<string, number>];
        expect(a.size).toBeGreaterThan(0);
        expect(b.size).toBeGreaterThan(0);
        expect(new Set([...a.keys(), ...b.keys()]).size).toBe(100);
        expect(a.size + b.size).toBe(100);
      },
      timeout,
    );

    it(
      'redelivers a message until its handler succeeds (fails twice, then succeeds)',
      async () => {
        const { connect, bus, link, group, ledger } = setup();
        const [outgoing, incoming] = [bus(), bus()];
        const calls = new Map<string, number>();
        incoming.subscribe('conformance.order.placed', (event) => {
          const call = (calls.get(event.id) ?? 0) + 1;
          calls.set(event.id, call);
          if (call <= 2) throw new Error(`flaky ${call}`);
        });
        await link(incoming, await connect(), {
          subscribe: ['conformance.order.placed'],
          group: group('at-least-once'),
          maxAttempts: 5,
          ...FAST,
        });
        await link(outgoing, await connect(), { publish: ['conformance.order.placed'] });
        for (let i = 0; i < 5; i++)
          await outgoing.publish('conformance.order.placed', order(`o${i}`));

        await eventually('5 acks', () => ledger.acked.size === 5, timeout);
        expect([...calls.values()]).toEqual([3, 3, 3, 3, 3]);
        expect([...ledger.nacked.values()]).toEqual([2, 2, 2, 2, 2]);
        expect(ledger.deadLettered.size).toBe(0);
      },
      timeout,
    );

    it(
      'dead-letters a message after maxAttempts with the last error, and delivers it no more',
      async () => {
        const { connect, bus, link, group, ledger } = setup();
        const [outgoing, incoming] = [bus(), bus()];
        const calls: number[] = [];
        incoming.subscribe(
          'conformance.order.placed',
          () => {
            calls.push(calls.length + 1);
            throw new Error(`boom ${calls.length}`);
          },
          { name: 'always-fails' },
        );
        await link(incoming, await connect(), {
          subscribe: ['conformance.order.placed'],
          group: group('dead-letter'),
          maxAttempts: 3,
          ...FAST,
        });
        await link(outgoing, await connect(), { publish: ['conformance.order.placed'] });
        await outgoing.publish('conformance.order.placed', order('o1'));

        await eventually('a dead letter', () => ledger.deadLettered.size === 1, timeout);
        const [reason] = [...ledger.deadLettered.values()][0] ?? [];
        expect(reason).toMatchObject({ code: 'HANDLER_FAILED', attempts: 3 });
        expect(reason?.message).toContain('boom 3');
        expect(reason?.message).toContain('always-fails');
        await eventually('the term', () => ledger.termed.size === 1, timeout);
        await sleep(300);
        expect(calls).toEqual([1, 2, 3]);
        expect(ledger.acked.size).toBe(0);
      },
      timeout,
    );

    it(
      'dead-letters an invalid payload at once, without calling a handler',
      async () => {
        const { connect, bus, link, group, ledger } = setup();
        const incoming = bus();
        const handled: string[] = [];
        incoming.subscribe('conformance.order.placed', (event) => void handled.push(event.id));
        const transport = await connect();
        await link(incoming, transport, {
          subscribe: ['conformance.order.placed'],
          group: group('invalid'),
          maxAttempts: 5,
          ...FAST,
        });
        const invalid = envelopeOf('conformance.order.placed', { orderId: 42 });
        const garbled = {
          ...envelopeOf('conformance.order.placed', {}),
          payload: Uint8Array.of(123, 0, 255),
        };
        await transport.publish(invalid);
        await transport.publish(garbled);

        await eventually('two dead letters', () => ledger.deadLettered.size === 2, timeout);
        expect(ledger.deadLettered.get(invalid.id)).toEqual([
          expect.objectContaining({ code: 'VALIDATION_FAILED', attempts: 1 }),
        ]);
        expect(ledger.deadLettered.get(garbled.id)).toEqual([
          expect.objectContaining({ code: 'TRANSPORT_DECODE_FAILED', attempts: 1 }),
        ]);
        await sleep(200);
        expect(ledger.delivered).toBe(2);
        expect(handled).toEqual([]);
      },
      timeout,
    );

    it.skipIf(!capabilities.deduplication)(
      'drops a second publish of the same id',
      async () => {
        const { connect, bus, link, group, ledger } = setup();
        const incoming = bus();
        const handled: string[] = [];
        incoming.subscribe('conformance.order.placed', (event) => void handled.push(event.id));
        const transport = await connect();
        await link(incoming, transport, {
          subscribe: ['conformance.order.placed'],
          group: group('dedupe'),
        });
        const twice = envelopeOf('conformance.order.placed', order('o1'));
        const after = envelopeOf('conformance.order.placed', order('o2'));
        await transport.publish(twice);
        await transport.publish({ ...twice, headers: { ...twice.headers } });
        await transport.publish(after);

        await eventually('the later message', () => ledger.acked.has(after.id), timeout);
        await sleep(300);
        expect(handled.filter((id) => id === twice.id)).toEqual([twice.id]);
        expect(ledger.delivered).toBe(2);
      },
      timeout,
    );

    it.skipIf(!capabilities.ordering)(
      'delivers the messages of one type in publish order',
      async () => {
        const { connect, bus, link, group, ledger } = setup();
        const outgoing = bus();
        const incoming = bus(1);
        const sequence: number[] = [];
        incoming.subscribe(
          'conformance.item.counted',
          (event) => void sequence.push(event.data.seq),
        );
        await link(incoming, await connect(), {
          subscribe: ['conformance.item.counted'],
          group: group('ordering'),
        });
        await link(outgoing, await connect(), { publish: ['conformance.item.counted'] });
        for (let seq = 0; seq < 200; seq++) {
          await outgoing.publish('conformance.item.counted', { key: 'one', seq });
        }
        await eventually('200 acks', () => ledger.acked.size === 200, timeout);
        expect(sequence).toEqual(Array.from({ length: 200 }, (_, seq) => seq));
      },
      timeout,
    );

    it(
      `carries ${messages} messages without loss: published = acked + dead-lettered`,
      async () => {
        const { connect, bus, link, group, ledger, transportErrors } = setup();
        const outgoing = bus();
        const shared = group('load');
        const attempts = new Map<number, number>();
        for (let consumer = 0; consumer < 2; consumer++) {
          const incoming = bus();
          incoming.subscribe('conformance.item.counted', (event) => {
            const { seq } = event.data;
            const attempt = (attempts.get(seq) ?? 0) + 1;
            attempts.set(seq, attempt);
            if (seq % 100 === 99) throw new Error(`poison ${seq}`);
            if (seq % 7 === 3 && attempt === 1) throw new Error(`flaky ${seq}`);
          });
          await link(incoming, await connect(), {
            subscribe: ['conformance.item.counted'],
            group: shared,
            maxAttempts: 2,
            ...FAST,
          });
        }
        await link(outgoing, await connect(), { publish: ['conformance.item.counted'] });
        const published = new Set<string>();
        const off = outgoing.lifecycle.on('publish', (event) => void published.add(event.id));
        for (let seq = 0; seq < messages; seq++) {
          await outgoing.publish('conformance.item.counted', { key: `k${seq}`, seq });
        }
        off();
        expect(published.size).toBe(messages);

        const settled = () => ledger.acked.size + ledger.deadLettered.size;
        await eventually(
          `${messages} settled`,
          () => settled() === messages,
          timeout + messages * 20,
        );
        const acked = new Set(ledger.acked.keys());
        const dead = new Set(ledger.deadLettered.keys());
        expect([...dead].filter((id) => acked.has(id))).toEqual([]);
        expect(new Set([...acked, ...dead])).toEqual(published);
        expect(dead.size).toBe(Math.floor((messages + 1) / 100));
        expect(transportErrors()).toEqual([]);
      },
      timeout + messages * 20,
    );

    it(
      'settles the messages in flight when a bridge closes, and the group goes on with the rest',
      async () => {
        const { connect, bus, link, group, ledger } = setup();
        const outgoing = bus();
        const shared = group('close');
        const handled = new Set<string>();
        let running = 0;
        const slow = bus();
        slow.subscribe('conformance.item.counted', async (event) => {
          running += 1;
          await sleep(50);
          handled.add(event.data.key);
          running -= 1;
        });
        const first = await link(slow, await connect(), {
          subscribe: ['conformance.item.counted'],
          group: shared,
          ...FAST,
        });
        await link(outgoing, await connect(), { publish: ['conformance.item.counted'] });
        for (let seq = 0; seq < 20; seq++) {
          await outgoing.publish('conformance.item.counted', { key: `k${seq}`, seq });
        }
        await eventually('a message in flight', () => running > 0, timeout);
        await within(first.close(), timeout, 'closing the bridge');
        expect(ledger.settled).toBe(ledger.delivered);

        const next = bus();
        next.subscribe('conformance.item.counted', (event) => void handled.add(event.data.key));
        await link(next, await connect(), {
          subscribe: ['conformance.item.counted'],
          group: shared,
          ...FAST,
        });
        await eventually('every message handled', () => handled.size === 20, timeout);
        await eventually('every message acked', () => ledger.acked.size === 20, timeout);
      },
      timeout,
    );

    it(
      'gives the messages of a consumer that died mid-batch to another consumer of the group',
      async () => {
        const { connect, bus, link, group, ledger } = setup();
        const shared = group('dies');
        const outgoing = bus();
        await link(outgoing, await connect(), { publish: ['conformance.item.counted'] });
        // The dying consumer takes messages and never settles them, as a crashed process.
        let release: () => void = () => undefined;
        const gate = new Promise<void>((resolve) => {
          release = resolve;
        });
        const held = new Set<string>();
        const dying = await connect();
        const subscription: TransportSubscription = await dying.subscribe({
          group: shared,
          patterns: ['conformance.item.counted'],
          onMessage: async (message) => {
            held.add(message.envelope.id);
            await gate;
          },
        });
        cleanups.push(() => subscription.close());
        cleanups.push(() => release());
        for (let seq = 0; seq < 20; seq++) {
          await outgoing.publish('conformance.item.counted', { key: `k${seq}`, seq });
        }
        await eventually('messages held by the dying consumer', () => held.size > 0, timeout);

        const handled = new Set<string>();
        const survivor = bus();
        survivor.subscribe('conformance.item.counted', (event) => void handled.add(event.data.key));
        await link(survivor, await connect(), {
          subscribe: ['conformance.item.counted'],
          group: shared,
        });
        await eventually(
          'every message handled by the survivor',
          () => handled.size === 20,
          redeliveryTimeout + timeout,
        );
        expect([...held].every((id) => ledger.acked.has(id))).toBe(true);
      },
      redeliveryTimeout + timeout * 2,
    );

    it.skipIf(restart === undefined)(
      'loses nothing acknowledged across a broker restart mid-stream',
      async () => {
        const { connect, bus, link, group, ledger } = setup();
        const incoming = bus();
        const handled = new Set<string>();
        incoming.subscribe('conformance.item.counted', (event) => void handled.add(event.data.key));
        await link(incoming, await connect(), {
          subscribe: ['conformance.item.counted'],
          group: group('restart'),
          ...FAST,
        });
        const publisher = await connect();
        const stored = new Set<string>();
        const failed: string[] = [];
        const send = async (seq: number): Promise<void> => {
          const envelope = envelopeOf('conformance.item.counted', { key: `k${seq}`, seq });
          try {
            await within(publisher.publish(envelope), timeout, `publish ${seq}`);
            stored.add(`k${seq}`);
          } catch {
            failed.push(`k${seq}`);
          }
        };
        for (let seq = 0; seq < 50; seq++) await send(seq);
        const restarted = (restart as () => Promise<void>)();
        for (let seq = 50; seq < 100; seq++) await send(seq);
        await within(restarted, timeout, 'the restart');
        // After the restart the clients reconnect by themselves: a publish succeeds within a bound.
        for (let seq = 100; seq < 150; seq++) {
          const deadline = Date.now() + timeout;
          while (!stored.has(`k${seq}`) && Date.now() < deadline) {
            await send(seq);
            if (!stored.has(`k${seq}`)) await sleep(200);
          }
        }
        expect(stored.size).toBeGreaterThanOrEqual(100);
        await eventually(
          'every stored message handled',
          () => [...stored].every((key) => handled.has(key)),
          timeout * 2,
        );
        expect(ledger.acked.size).toBeGreaterThanOrEqual(stored.size);
      },
      timeout * 6,
    );
  });
}
