import {
  createEventBus,
  defineEvents,
  type GossipError,
  InvalidOptionError,
  versions,
} from '@gossip/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  bridge,
  createMemoryTransport,
  type Envelope,
  exponentialBackoff,
  jsonCodec,
  type MemoryTransport,
  type Transport,
  TransportError,
  TransportErrorCode,
} from '../src/index.js';

const events = defineEvents({
  'order.placed': z.object({ orderId: z.string(), amount: z.number() }),
  'user.created': z.object({ email: z.string() }),
});

function setup() {
  const errors: GossipError[] = [];
  const bus = createEventBus({ schemas: events, onError: (error) => errors.push(error) });
  return { bus, errors };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function until(done: () => boolean, timeout = 2000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(5);
  }
}

/** A transport that is the memory transport but for the methods given. */
function over(memory: MemoryTransport, methods: Partial<Transport>): Transport {
  return {
    name: memory.name,
    capabilities: memory.capabilities,
    publish: (e) => memory.publish(e),
    subscribe: (r) => memory.subscribe(r),
    deadLetter: (e, r) => memory.deadLetter(e, r),
    close: () => memory.close(),
    ...methods,
  };
}

const envelope = (type: string, data: unknown, extra: Partial<Envelope> = {}): Envelope => ({
  id: crypto.randomUUID(),
  type,
  timestamp: Date.now(),
  payload: jsonCodec.encode(data),
  headers: {},
  ...extra,
});

describe('bridge options', () => {
  const { bus } = setup();
  const transport = createMemoryTransport();

  it('requires a group with subscribe', () => {
    expect(() => bridge(bus, transport, { subscribe: ['user.*'] })).toThrow(
      /Invalid option "bridge\(\{ group \}\)"/,
    );
  });

  it('refuses a bridge with nothing to publish or subscribe', () => {
    expect(() => bridge(bus, transport, {})).toThrow(InvalidOptionError);
  });

  it('names a bad maxAttempts, backoff, codec, deadLetter and an unknown option', () => {
    const bad = [
      [{ publish: ['order.*'], maxAttempts: 0 }, 'maxAttempts'],
      [{ publish: ['order.*'], backoff: 100 }, 'backoff'],
      [{ publish: ['order.*'], codec: {} }, 'codec'],
      [{ publish: ['order.*'], deadLetter: 'yes' }, 'deadLetter'],
      [{ publish: ['order.*'], maxOutgoing: 0 }, 'maxOutgoing'],
      [{ publish: ['order.*'], maxOutgoing: 1.5 }, 'maxOutgoing'],
      [{ publish: ['order.*'], grup: 'x' }, 'grup'],
      [{ publish: ['order.**.x'] }, 'publish'],
    ] as const;
    for (const [options, name] of bad) {
      expect(() => bridge(bus, transport, options as never)).toThrow(`bridge({ ${name} })`);
    }
    expect(() => bridge(bus, transport, { publish: ['order.*'], grup: 'x' } as never)).toThrow(
      'Invalid option "bridge({ grup })": expected a known option (did you mean "group"?), received "x".',
    );
  });

  it('refuses a transport whose publishBatch is not a function', () => {
    const odd = { ...over(transport, {}), publishBatch: 'yes' } as unknown as Transport;
    expect(() => bridge(bus, odd, { publish: ['order.*'] })).toThrow(/bridge\(transport\)/);
  });

  it('backs off exponentially from 100 ms up to 30 s by default', () => {
    expect([1, 2, 3, 4].map(exponentialBackoff)).toEqual([100, 200, 400, 800]);
    expect(exponentialBackoff(20)).toBe(30_000);
  });
});

describe('bridge outgoing', () => {
  it('publishes matching local events as envelopes with metadata as headers', async () => {
    const { bus } = setup();
    const transport = createMemoryTransport();
    const sent: Envelope[] = [];
    const spy = over(transport, { publish: async (e) => void sent.push(e) });
    await using _link = bridge(bus, spy, { publish: ['order.*'] });
    await bus.publish(
      'order.placed',
      { orderId: 'o1', amount: 3 },
      { metadata: { requestId: 'r1' } },
    );
    await bus.publish('user.created', { email: 'a@example.com' });
    await bus.idle();
    expect(sent).toHaveLength(1);
    // The schema version travels once, as schemaVersion, not again among the headers.
    expect(sent[0]).toMatchObject({ type: 'order.placed', schemaVersion: 1 });
    expect(sent[0]?.headers).toEqual({ requestId: 'r1', 'content-type': 'application/json' });
    expect(jsonCodec.decode(sent[0]?.payload ?? new Uint8Array())).toEqual({
      orderId: 'o1',
      amount: 3,
    });
  });

  it("gives each event its own metadata's headers, with or without metadata, in any order", async () => {
    const { bus } = setup();
    const transport = createMemoryTransport();
    const sent: Envelope[] = [];
    const spy = over(transport, { publish: async (e) => void sent.push(e) });
    await using _link = bridge(bus, spy, { publish: ['order.*'] });
    const placed = { orderId: 'o1', amount: 3 };
    await bus.publish('order.placed', placed);
    await bus.publish('order.placed', placed, { metadata: { requestId: 'r1' } });
    await bus.publish('order.placed', placed);
    await bus.publish('order.placed', placed, { metadata: { requestId: 'r2' } });
    await bus.idle();
    const plain = { 'content-type': 'application/json' };
    expect(sent.map((envelope) => envelope.headers)).toEqual([
      plain,
      { requestId: 'r1', ...plain },
      plain,
      { requestId: 'r2', ...plain },
    ]);
    expect(sent.map((envelope) => envelope.schemaVersion)).toEqual([1, 1, 1, 1]);
    expect(sent.every((envelope) => Object.isFrozen(envelope.headers))).toBe(true);
  });

  it('forwards by its patterns for every type, however many types are published', async () => {
    const bus = createEventBus();
    const transport = createMemoryTransport();
    const sent: string[] = [];
    const spy = over(transport, { publish: async (e) => void sent.push(e.type) });
    await using _link = bridge(bus, spy, { publish: ['order.*'] });
    const types = Array.from({ length: 1500 }, (_, i) =>
      i % 2 === 0 ? `order.t${i}` : `user.t${i}`,
    );
    // Twice over: the second round meets types whose decision was kept, and ones cleared since.
    for (const type of [...types, ...types]) await bus.publish(type, type);
    await bus.idle();
    const expected = types.filter((type) => type.startsWith('order.'));
    expect(sent).toEqual([...expected, ...expected]);
  });

  it('reports a publish the broker refused as a TransportError naming the event and transport', async () => {
    const { bus, errors } = setup();
    const failing = over(createMemoryTransport({ name: 'flaky' }), {
      publish: () => Promise.reject(new Error('connection refused')),
    });
    const link = bridge(bus, failing, { publish: ['order.*'] });
    await bus.publish('order.placed', { orderId: 'o1', amount: 3 });
    await link.close();
    expect(errors).toHaveLength(1);
    const [error] = errors;
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({
      code: TransportErrorCode.PublishFailed,
      transport: 'flaky',
      eventType: 'order.placed',
    });
    expect(error?.message).toContain('connection refused');
  });

  it('handles an event locally only, and reports it, while maxOutgoing events wait for their ack', async () => {
    const { bus, errors } = setup();
    const waiting: Array<{ envelope: Envelope; resolve: () => void }> = [];
    const slow = over(createMemoryTransport({ name: 'slow' }), {
      publish: (envelope) => new Promise<void>((resolve) => waiting.push({ envelope, resolve })),
    });
    const handled: string[] = [];
    bus.subscribe('order.placed', (event) => void handled.push(event.data.orderId));
    const link = bridge(bus, slow, { publish: ['order.*'], maxOutgoing: 2 });
    for (const orderId of ['o1', 'o2', 'o3']) {
      await bus.publish('order.placed', { orderId, amount: 1 });
    }
    await bus.idle();
    // Every event is handled locally; the third was not sent, and says so.
    expect(handled).toEqual(['o1', 'o2', 'o3']);
    expect(waiting.map(({ envelope }) => envelope.type)).toHaveLength(2);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(TransportError);
    expect(errors[0]).toMatchObject({
      code: TransportErrorCode.OutgoingFull,
      transport: 'slow',
      eventType: 'order.placed',
    });
    expect(errors[0]?.message).toContain('maxOutgoing');
    // Once the broker acks, forwarding resumes.
    for (const { resolve } of waiting.splice(0)) resolve();
    await sleep(0);
    await bus.publish('order.placed', { orderId: 'o4', amount: 1 });
    await bus.idle();
    expect(waiting).toHaveLength(1);
    expect(jsonCodec.decode(waiting[0]?.envelope.payload ?? new Uint8Array())).toMatchObject({
      orderId: 'o4',
    });
    expect(errors).toHaveLength(1);
    for (const { resolve } of waiting.splice(0)) resolve();
    await link.close();
  });

  it("hands a transport with publishBatch one turn's events as one batch, in order", async () => {
    const { bus, errors } = setup();
    const batches: string[][] = [];
    const batching = over(createMemoryTransport(), {
      publish: () => Promise.reject(new Error('publish is not used when publishBatch is there')),
      publishBatch: async (envelopes) => {
        batches.push(
          envelopes.map((e) => (jsonCodec.decode(e.payload) as { orderId: string }).orderId),
        );
        return [];
      },
    });
    const link = bridge(bus, batching, { publish: ['order.*'] });
    for (const orderId of ['o1', 'o2', 'o3']) {
      await bus.publish('order.placed', { orderId, amount: 1 });
    }
    await until(() => batches.length === 1);
    await bus.publish('order.placed', { orderId: 'o4', amount: 1 });
    await link.close();
    expect(batches).toEqual([['o1', 'o2', 'o3'], ['o4']]);
    expect(errors).toEqual([]);
  });

  it('sends a batch early at 1,000 events, and close() waits for every batch', async () => {
    const { bus } = setup();
    const sizes: number[] = [];
    const acks: Array<() => void> = [];
    const batching = over(createMemoryTransport(), {
      publishBatch: (envelopes) => {
        sizes.push(envelopes.length);
        return new Promise((resolve) => acks.push(() => resolve([])));
      },
    });
    const link = bridge(bus, batching, { publish: ['order.*'] });
    for (let i = 0; i < 2500; i++)
      void bus.publish('order.placed', { orderId: `o${i}`, amount: i });
    await bus.idle();
    expect(sizes).toEqual([1000, 1000]);
    let closed = false;
    const closing = link.close().then(() => {
      closed = true;
    });
    // The last 500 go at the end of the turn; a loaded machine may run a 5 ms timer first.
    await until(() => sizes.length === 3);
    expect(sizes).toEqual([1000, 1000, 500]);
    expect(closed).toBe(false);
    for (const ack of acks.splice(0)) ack();
    await closing;
    expect(closed).toBe(true);
  });

  it('reports each envelope of a batch the broker did not store, and only those', async () => {
    const { bus, errors } = setup();
    const batching = over(createMemoryTransport({ name: 'partial' }), {
      publishBatch: async (envelopes) =>
        envelopes.flatMap((envelope, index) =>
          (jsonCodec.decode(envelope.payload) as { amount: number }).amount % 2 === 1
            ? [{ index, error: new Error(`stream full at ${index}`) }]
            : [],
        ),
    });
    const link = bridge(bus, batching, { publish: ['order.*'] });
    for (let amount = 0; amount < 4; amount++) {
      await bus.publish('order.placed', { orderId: `o${amount}`, amount });
    }
    await link.close();
    expect(errors.map((error) => error.code)).toEqual([
      TransportErrorCode.PublishFailed,
      TransportErrorCode.PublishFailed,
    ]);
    expect(errors.map((error) => error.message)).toEqual([
      expect.stringContaining('stream full at 1'),
      expect.stringContaining('stream full at 3'),
    ]);
    expect(errors[0]).toMatchObject({ transport: 'partial', eventType: 'order.placed' });
  });

  it('reports every envelope of a batch that was refused or threw', async () => {
    for (const publishBatch of [
      () => Promise.reject(new Error('connection refused')),
      () => {
        throw new Error('transport bug');
      },
    ]) {
      const { bus, errors } = setup();
      const link = bridge(bus, over(createMemoryTransport(), { publishBatch }), {
        publish: ['order.*'],
      });
      await bus.publish('order.placed', { orderId: 'o1', amount: 1 });
      await bus.publish('order.placed', { orderId: 'o2', amount: 2 });
      await link.close();
      expect(errors.map((error) => error.code)).toEqual([
        TransportErrorCode.PublishFailed,
        TransportErrorCode.PublishFailed,
      ]);
    }
  });

  it('reports, and never hangs on, a transport that answers with something else', async () => {
    const answers: Array<Partial<Transport>> = [
      { publish: () => undefined as never },
      { publishBatch: async () => undefined as never },
      { publishBatch: async () => [null, { index: 99, error: 'x' }] as never },
    ];
    const codes: string[][] = [];
    for (const answer of answers) {
      const { bus, errors } = setup();
      const link = bridge(bus, over(createMemoryTransport(), answer), { publish: ['order.*'] });
      await bus.publish('order.placed', { orderId: 'o1', amount: 1 });
      await link.close();
      codes.push(errors.map((error) => error.code));
    }
    // publish() answering undefined counts as stored; a batch answer that is not an array
    // fails its events; entries that name no event of the batch are ignored.
    expect(codes).toEqual([[], [TransportErrorCode.PublishFailed], []]);
  });

  it('stops forwarding once closed', async () => {
    const { bus } = setup();
    const sent: Envelope[] = [];
    const spy = over(createMemoryTransport(), { publish: async (e) => void sent.push(e) });
    const link = bridge(bus, spy, { publish: ['order.*'] });
    await link.close();
    await bus.publish('order.placed', { orderId: 'o1', amount: 3 });
    expect(sent).toEqual([]);
  });
});

describe('bridge incoming', () => {
  it('acks handled messages and marks them remote', async () => {
    const { bus } = setup();
    const transport = createMemoryTransport();
    const seen: string[] = [];
    bus.subscribe('order.placed', (event) => void seen.push(event.metadata['gossip.origin'] ?? ''));
    const link = bridge(bus, transport, { subscribe: ['order.*'], group: 'g' });
    await link.ready;
    await transport.publish(envelope('order.placed', { orderId: 'o1', amount: 1 }));
    await until(() => seen.length === 1);
    await link.close();
    expect(seen).toEqual(['remote']);
  });

  it('upcasts an old schema version carried by the envelope', async () => {
    const schemas = defineEvents({
      'order.placed': versions(z.object({ id: z.string() })).upcast(
        z.object({ orderId: z.string() }),
        (v1) => ({ orderId: v1.id }),
      ),
    });
    const bus = createEventBus({ schemas });
    const transport = createMemoryTransport();
    const seen: string[] = [];
    bus.subscribe('order.placed', (event) => void seen.push(event.data.orderId));
    const link = bridge(bus, transport, { subscribe: ['order.placed'], group: 'g' });
    await link.ready;
    await transport.publish(envelope('order.placed', { id: 'o9' }, { schemaVersion: 1 }));
    await until(() => seen.length === 1);
    await link.close();
    expect(seen).toEqual(['o9']);
  });

  it('dead-letters a payload of another content type at once', async () => {
    const { bus } = setup();
    const transport = createMemoryTransport();
    const link = bridge(bus, transport, { subscribe: ['order.*'], group: 'g' });
    await link.ready;
    await transport.publish(
      envelope(
        'order.placed',
        { orderId: 'o1', amount: 1 },
        { headers: { 'content-type': 'application/avro' } },
      ),
    );
    await until(() => transport.deadLetters.length === 1);
    await link.close();
    expect(transport.deadLetters[0]?.reason).toMatchObject({
      code: TransportErrorCode.DecodeFailed,
      attempts: 1,
    });
  });

  it('gives a message up without keeping it when deadLetter is false', async () => {
    const { bus, errors } = setup();
    const transport = createMemoryTransport();
    let calls = 0;
    bus.subscribe('order.placed', () => {
      calls += 1;
      throw new Error('no');
    });
    const link = bridge(bus, transport, {
      subscribe: ['order.*'],
      group: 'g',
      maxAttempts: 2,
      backoff: () => 1,
      deadLetter: false,
    });
    await link.ready;
    await transport.publish(envelope('order.placed', { orderId: 'o1', amount: 1 }));
    await until(() => calls === 2);
    await sleep(30);
    await link.close();
    expect(calls).toBe(2);
    expect(transport.deadLetters).toEqual([]);
    expect(errors.map((error) => error.code)).toEqual(['HANDLER_FAILED', 'HANDLER_FAILED']);
  });

  it('redelivers a message whose dead-lettering failed, and reports it', async () => {
    const { bus, errors } = setup();
    const memory = createMemoryTransport();
    let refusals = 1;
    const transport: Transport = {
      ...memory,
      name: memory.name,
      capabilities: memory.capabilities,
      publish: (e) => memory.publish(e),
      subscribe: (r) => memory.subscribe(r),
      deadLetter: (e, r) =>
        refusals-- > 0 ? Promise.reject(new Error('DLQ down')) : memory.deadLetter(e, r),
    };
    const link = bridge(bus, transport, { subscribe: ['order.*'], group: 'g', backoff: () => 1 });
    await link.ready;
    await memory.publish(envelope('order.placed', { orderId: 42 }));
    await until(() => memory.deadLetters.length === 1);
    await link.close();
    expect(errors.map((error) => error.code)).toContain(TransportErrorCode.DeadLetterFailed);
    expect(memory.deadLetters[0]?.reason.attempts).toBe(2);
  });

  it('reports a message it could not settle', async () => {
    const { bus, errors } = setup();
    const memory = createMemoryTransport();
    const transport: Transport = {
      name: 'broken',
      capabilities: memory.capabilities,
      publish: (e) => memory.publish(e),
      deadLetter: (e, r) => memory.deadLetter(e, r),
      close: () => memory.close(),
      subscribe: (request) =>
        memory.subscribe({
          ...request,
          onMessage: (message) =>
            request.onMessage({
              ...message,
              envelope: message.envelope,
              attempt: message.attempt,
              ack: () => Promise.reject(new Error('gone')),
              nack: message.nack,
              term: message.term,
            }),
        }),
    };
    const link = bridge(bus, transport, { subscribe: ['order.*'], group: 'g' });
    await link.ready;
    await memory.publish(envelope('order.placed', { orderId: 'o1', amount: 1 }));
    await until(() => errors.length > 0);
    await link.close();
    expect(errors.map((error) => error.code)).toEqual(
      expect.arrayContaining([TransportErrorCode.SettleFailed, TransportErrorCode.Unsettled]),
    );
  });
  it('names at close exactly the messages it could not settle, among many settled', async () => {
    const { bus, errors } = setup();
    const memory = createMemoryTransport();
    const stuck = new Set(['o3', 'o7', 'o9']);
    const transport = over(memory, {
      subscribe: (request) =>
        memory.subscribe({
          ...request,
          onMessage: (message) => {
            const { orderId } = jsonCodec.decode(message.envelope.payload) as { orderId: string };
            return request.onMessage({
              envelope: message.envelope,
              attempt: message.attempt,
              ack: stuck.has(orderId)
                ? () => Promise.reject(new Error('gone'))
                : () => message.ack(),
              nack: (delayMs) => message.nack(delayMs),
              term: () => message.term(),
            });
          },
        }),
    });
    const link = bridge(bus, transport, { subscribe: ['order.*'], group: 'g' });
    await link.ready;
    const ids = new Map<string, string>();
    for (let i = 0; i < 10; i++) {
      const sent = envelope('order.placed', { orderId: `o${i}`, amount: i });
      ids.set(sent.id, `o${i}`);
      await memory.publish(sent);
    }
    await until(() => errors.filter((e) => e.code === TransportErrorCode.SettleFailed).length >= 3);
    await link.close();
    // Each delivery of a stuck message is named (the broker may have redelivered it), and no
    // message that was acked.
    const named = new Set(
      errors
        .filter((error) => error.code === TransportErrorCode.Unsettled)
        .map((error) => ids.get((error as TransportError).eventId ?? '')),
    );
    expect([...named].sort()).toEqual(['o3', 'o7', 'o9']);
  });

  it('reports a message it failed on by itself, and has it redelivered and handled', async () => {
    const { bus, errors } = setup();
    const memory = createMemoryTransport();
    const unreadable = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('unreadable headers');
        },
      },
    );
    const acks: number[] = [];
    const transport = over(memory, {
      subscribe: (request) =>
        memory.subscribe({
          ...request,
          onMessage: (message) =>
            request.onMessage({
              envelope:
                message.attempt === 1
                  ? { ...message.envelope, headers: unreadable }
                  : message.envelope,
              attempt: message.attempt,
              ack: () => {
                acks.push(message.attempt);
                return message.ack();
              },
              nack: (delay) => message.nack(delay),
              term: () => message.term(),
            }),
        }),
    });
    const seen: string[] = [];
    bus.subscribe('order.placed', (event) => {
      seen.push(event.data.orderId);
    });
    const link = bridge(bus, transport, {
      subscribe: ['order.*'],
      group: 'g',
      backoff: () => 0,
    });
    await link.ready;
    await memory.publish(envelope('order.placed', { orderId: 'o1', amount: 1 }));
    await until(() => acks.length > 0);
    await link.close();
    expect(seen).toEqual(['o1']);
    expect(acks).toEqual([2]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(TransportError);
    expect(errors[0]?.code).toBe(TransportErrorCode.Unexpected);
    expect(errors[0]?.message).toContain('order.placed');
    expect(errors[0]?.cause).toEqual(new Error('unreadable headers'));
  });
});

describe('bridge and bus.shutdown()', () => {
  it('nacks without delay what arrives after shutdown, and closes itself', async () => {
    const { bus } = setup();
    const memory = createMemoryTransport();
    const nacks: Array<number | undefined> = [];
    const transport: Transport = {
      name: memory.name,
      capabilities: memory.capabilities,
      publish: (e) => memory.publish(e),
      deadLetter: (e, r) => memory.deadLetter(e, r),
      close: () => memory.close(),
      subscribe: (request) =>
        memory.subscribe({
          ...request,
          onMessage: (message) =>
            request.onMessage({
              envelope: message.envelope,
              attempt: message.attempt,
              ack: message.ack,
              term: message.term,
              nack: (delay) => {
                nacks.push(delay);
                return message.nack(delay);
              },
            }),
        }),
    };
    const link = bridge(bus, transport, { subscribe: ['order.*'], group: 'g' });
    await link.ready;
    const shutdown = bus.shutdown();
    await memory.publish(envelope('order.placed', { orderId: 'o1', amount: 1 }));
    await shutdown;
    await link.close();
    expect(nacks).toEqual([0]);
    // Another process of the group gets it.
    const other = setup();
    const seen: string[] = [];
    other.bus.subscribe('order.placed', (event) => void seen.push(event.data.orderId));
    const next = bridge(other.bus, memory.connect(), { subscribe: ['order.*'], group: 'g' });
    await until(() => seen.length === 1);
    await next.close();
  });

  it('lets the messages being handled finish when closed before shutdown', async () => {
    const { bus } = setup();
    const transport = createMemoryTransport();
    const done: string[] = [];
    bus.subscribe('order.placed', async (event) => {
      await sleep(20);
      done.push(event.data.orderId);
    });
    const link = bridge(bus, transport, { subscribe: ['order.*'], group: 'g' });
    await link.ready;
    await transport.publish(envelope('order.placed', { orderId: 'o1', amount: 1 }));
    await until(() => bus.stats().inFlight > 0);
    await link.close();
    await bus.shutdown();
    expect(done).toEqual(['o1']);
  });
});
