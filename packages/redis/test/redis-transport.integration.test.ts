import { createEventBus, defineEvents, InvalidOptionError } from '@gossip/core';
import { bridge, jsonCodec, type TransportMessage } from '@gossip/transport';
import {
  type ConformanceContext,
  describeTransportConformance,
  recordMessages,
  sleep,
  testEnvelope,
  waitFor,
} from '@gossip/transport/conformance';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createRedisTransport,
  RedisTransportError,
  type RedisTransportOptions,
} from '../src/index.js';
import { trimStream } from '../src/trim-stream.js';
import { deleteKeys, REDIS_URL, RedisFixture } from './fixtures.js';
import { restartRedis } from './redis-server.js';

// Every Redis test of the package is in this one file, because vitest runs files side by side
// and the restart cases stop the server: the tests of one file run one after another.

describe('createRedisTransport', () => {
  let fixture: RedisFixture;

  beforeEach(async () => {
    fixture = new RedisFixture();
    await fixture.client.connect();
  });

  afterEach(async () => {
    await fixture.cleanup();
    // No background read, claim, ack or trim failed.
    expect(fixture.errors).toEqual([]);
  });

  it('reports its capabilities: not persistent on a server without an append-only file', async () => {
    const transport = await fixture.transport();
    expect(transport.name).toBe('redis');
    expect(transport.capabilities).toEqual({
      persistent: false,
      deduplication: false,
      nativeRedelivery: true,
      ordering: true,
    });
  });

  it('refuses an unknown option at once', async () => {
    await expect(fixture.transport({ claimIdelMs: 5 } as never)).rejects.toThrow(/claimIdelMs/);
  });

  it('carries an envelope from publish to a subscriber, and nothing stays pending after the ack', async () => {
    const transport = await fixture.transport();
    const { received } = await recordMessages(transport, 'billing', ['order.placed']);
    const sent = testEnvelope('order.placed', { orderId: 'o1' }, { 'gossip.correlationId': 'c1' });
    await transport.publish(sent);
    await waitFor(() => received.length === 1);
    const [message] = received;
    expect(message?.attempt).toBe(1);
    expect(message?.envelope).toMatchObject({
      id: sent.id,
      type: 'order.placed',
      timestamp: sent.timestamp,
      schemaVersion: 1,
      headers: { 'gossip.correlationId': 'c1' },
    });
    expect(jsonCodec.decode(message?.envelope.payload ?? new Uint8Array())).toEqual({
      orderId: 'o1',
    });
    await waitFor(async () => (await fixture.pending('order.placed', 'billing', transport)) === 0);
  });

  it('gives back the exact bytes of a payload, text or binary', async () => {
    const transport = await fixture.transport();
    const { received } = await recordMessages(transport, 'billing', ['blob.*']);
    const payloads = [
      new TextEncoder().encode('{"name":"Zoë","price":"€ 5"}'),
      new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), // a byte order mark, then {}
      new Uint8Array([0xff, 0x00, 0xc3, 0x28, 0x80]), // not UTF-8
      new Uint8Array(0),
    ];
    for (const [i, payload] of payloads.entries()) {
      await transport.publish({ ...testEnvelope(`blob.b${i}`, {}), payload });
    }
    await waitFor(() => received.length === payloads.length);
    const byType = new Map(received.map((message) => [message.envelope.type, message]));
    for (const [i, payload] of payloads.entries()) {
      expect([...(byType.get(`blob.b${i}`)?.envelope.payload ?? [])]).toEqual([...payload]);
    }
  });

  it('stores a batch in pipelines, and names by index the entries Redis refused', async () => {
    const transport = await fixture.transport();
    // A key of another type where the stream of "bad.type" would be: XADD answers WRONGTYPE.
    await fixture.client.set(transport.streamKey('bad.type'), 'not a stream');
    const batch = Array.from({ length: 2500 }, (_, i) =>
      testEnvelope(i === 5 || i === 1500 ? 'bad.type' : 'order.placed', { i }),
    );
    const failures = await transport.publishBatch(batch);
    expect(failures.map(({ index }) => index)).toEqual([5, 1500]);
    for (const { error } of failures) {
      expect(error).toBeInstanceOf(RedisTransportError);
      expect(error).toMatchObject({ code: 'REDIS_PUBLISH_FAILED' });
      expect((error as Error).message).toMatch(/"bad\.type".*WRONGTYPE/);
    }
    expect(await fixture.client.xlen(transport.streamKey('order.placed'))).toBe(2498);
    const firstIds = await fixture.client.xrange(
      transport.streamKey('order.placed'),
      '-',
      '+',
      'COUNT',
      3,
    );
    expect(firstIds.map(([, fields]) => fields[fields.indexOf('id') + 1])).toEqual(
      [0, 1, 2].map((i) => batch[i]?.id),
    );
    expect(await transport.publishBatch([])).toEqual([]);
    // publish() of one turn shares a pipeline: each call settles by its own entry's reply.
    const outcomes = await Promise.allSettled([
      transport.publish(testEnvelope('order.placed', {})),
      transport.publish(testEnvelope('bad.type', {})),
      transport.publish(testEnvelope('order.placed', {})),
    ]);
    expect(outcomes.map(({ status }) => status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('fails only the envelope it cannot write, in a batch and among publishes', async () => {
    const transport = await fixture.transport();
    const unwritable = { ...testEnvelope('order.placed', {}), payload: 'not bytes' as never };
    const batch = [
      testEnvelope('order.placed', { i: 0 }),
      unwritable,
      testEnvelope('order.placed', { i: 2 }),
    ];
    const failures = await transport.publishBatch(batch);
    expect(failures.map(({ index }) => index)).toEqual([1]);
    expect(failures[0]?.error).toMatchObject({ code: 'REDIS_PUBLISH_FAILED' });
    expect(await fixture.client.xlen(transport.streamKey('order.placed'))).toBe(2);
    const outcomes = await Promise.allSettled([
      transport.publish(unwritable),
      transport.publish(testEnvelope('order.placed', {})),
    ]);
    expect(outcomes.map(({ status }) => status)).toEqual(['rejected', 'fulfilled']);
  });

  it('carries a typed event from one bus to another through bridge()', async () => {
    const events = defineEvents({
      'order.placed': z.object({ orderId: z.string(), amount: z.number() }),
    });
    const [outgoing, incoming] = [
      createEventBus({ schemas: events }),
      createEventBus({ schemas: events }),
    ];
    const seen: Array<{ orderId: string; origin: string | undefined }> = [];
    incoming.subscribe('order.placed', (event) => {
      seen.push({ orderId: event.data.orderId, origin: event.metadata['gossip.origin'] });
    });
    const links = [
      bridge(incoming, await fixture.transport(), {
        subscribe: ['order.*'],
        group: 'billing',
      }),
      bridge(outgoing, await fixture.transport(), { publish: ['order.**'] }),
    ];
    try {
      await Promise.all(links.map((link) => link.ready));
      await outgoing.publish('order.placed', { orderId: 'o1', amount: 5 });
      await waitFor(() => seen.length === 1);
      expect(seen).toEqual([{ orderId: 'o1', origin: 'remote' }]);
    } finally {
      await Promise.all(links.map((link) => link.close()));
      await Promise.all([outgoing.shutdown(), incoming.shutdown()]);
    }
  });

  it('refuses a subscription without a group or patterns', async () => {
    const transport = await fixture.transport();
    const onMessage = async () => {};
    await expect(transport.subscribe({ group: '', patterns: ['a'], onMessage })).rejects.toThrow(
      InvalidOptionError,
    );
    await expect(transport.subscribe({ group: 'g', patterns: [], onMessage })).rejects.toThrow(
      InvalidOptionError,
    );
  });

  it('stores the publishes still waiting for the end of the turn when it closes', async () => {
    const transport = await fixture.transport();
    const envelopes = Array.from({ length: 20 }, (_, i) => testEnvelope('order.placed', { i }));
    const published = envelopes.map((envelope) => transport.publish(envelope));
    await transport.close();
    await expect(Promise.all(published)).resolves.toHaveLength(20);
    expect(await fixture.client.xlen(transport.streamKey('order.placed'))).toBe(20);
  });

  it('pipelines the publishes of one turn and keeps their order in the stream', async () => {
    const transport = await fixture.transport();
    const envelopes = Array.from({ length: 50 }, (_, i) => testEnvelope('order.placed', { i }));
    await Promise.all(envelopes.map((envelope) => transport.publish(envelope)));
    const entries = await fixture.client.xrange(transport.streamKey('order.placed'), '-', '+');
    const ids = entries.map(([, fields]) => fields[fields.indexOf('id') + 1]);
    expect(ids).toEqual(envelopes.map((envelope) => envelope.id));
  });

  it('finds streams made after a wildcard subscription started', async () => {
    const transport = await fixture.transport();
    const { received: types } = await recordMessages(
      transport,
      'audit',
      ['order.*'],
      (message) => message.envelope.type,
    );
    await transport.publish(testEnvelope('order.paid', {}));
    await transport.publish(testEnvelope('user.created', {}));
    await transport.publish(testEnvelope('order.shipped', {}));
    await waitFor(() => types.length === 2);
    expect(types.sort()).toEqual(['order.paid', 'order.shipped']);
  });

  it('gives every group every message, and shares a group between its consumers', async () => {
    const publisher = await fixture.transport();
    const consumers = [await fixture.transport(), await fixture.transport()];
    const seen = new Map<string, string[]>();
    const record = (name: string) => async (message: TransportMessage) => {
      await sleep(2);
      seen.set(name, [...(seen.get(name) ?? []), message.envelope.id]);
      await message.ack();
    };
    for (const [index, consumer] of consumers.entries()) {
      await consumer.subscribe({
        group: 'shipping',
        patterns: ['order.placed'],
        onMessage: record(`shipping-${index}`),
      });
    }
    await publisher.subscribe({
      group: 'audit',
      patterns: ['order.placed'],
      onMessage: record('audit'),
    });
    const sent: string[] = [];
    for (let round = 0; round < 8; round++) {
      const batch = Array.from({ length: 5 }, () => testEnvelope('order.placed', { round }));
      sent.push(...batch.map((envelope) => envelope.id));
      await Promise.all(batch.map((envelope) => publisher.publish(envelope)));
      await sleep(5);
    }
    const shipping = () => [...(seen.get('shipping-0') ?? []), ...(seen.get('shipping-1') ?? [])];
    await waitFor(() => shipping().length === 40 && seen.get('audit')?.length === 40);
    expect(shipping().sort()).toEqual([...sent].sort());
    expect(seen.get('audit')).toEqual(sent);
    expect(seen.get('shipping-0')?.length).toBeGreaterThan(0);
    expect(seen.get('shipping-1')?.length).toBeGreaterThan(0);
  });

  it('delivers a nacked message again with its attempt count, and an unsettled one too', async () => {
    const transport = await fixture.transport();
    const attempts: number[] = [];
    await transport.subscribe({
      group: 'billing',
      patterns: ['order.placed'],
      onMessage: async (message) => {
        attempts.push(message.attempt);
        if (message.attempt === 1) await message.nack(30);
        else if (message.attempt === 2) throw new Error('flaky');
        else await message.ack();
      },
    });
    const started = Date.now();
    await transport.publish(testEnvelope('order.placed', {}));
    await waitFor(() => attempts.length === 3);
    expect(attempts).toEqual([1, 2, 3]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(30);
    await waitFor(async () => (await fixture.pending('order.placed', 'billing', transport)) === 0);
  });

  it('dead-letters a message after maxAttempts with the last error in its fields', async () => {
    const transport = await fixture.transport({ maxAttempts: 3 });
    const attempts: number[] = [];
    await transport.subscribe({
      group: 'billing',
      patterns: ['order.placed'],
      onMessage: async (message) => {
        attempts.push(message.attempt);
        throw new Error(`card declined on try ${message.attempt}`);
      },
    });
    const sent = testEnvelope('order.placed', { orderId: 'o9' });
    await transport.publish(sent);
    await waitFor(async () => (await transport.readDeadLetters()).length === 1);
    const [letter] = await transport.readDeadLetters();
    expect(attempts).toEqual([1, 2, 3]);
    expect(letter?.envelope?.id).toBe(sent.id);
    expect(letter?.reason).toEqual({
      code: 'REDIS_MAX_ATTEMPTS',
      message: expect.stringContaining('card declined on try 3'),
      attempts: 3,
    });
    const raw = await fixture.client.xrange(transport.deadLetterKey, '-', '+');
    expect(raw[0]?.[1]).toEqual(expect.arrayContaining(['error.code', 'error.message']));
    await waitFor(async () => (await fixture.pending('order.placed', 'billing', transport)) === 0);
  });

  it('stores what deadLetter is given, and term() keeps the message from coming back', async () => {
    const transport = await fixture.transport();
    const attempts: number[] = [];
    await transport.subscribe({
      group: 'billing',
      patterns: ['order.placed'],
      onMessage: async (message) => {
        attempts.push(message.attempt);
        await transport.deadLetter(message.envelope, {
          code: 'VALIDATION_FAILED',
          message: 'orderId: expected string',
          attempts: message.attempt,
        });
        await message.term();
      },
    });
    await transport.publish(testEnvelope('order.placed', { orderId: 1 }));
    await waitFor(async () => (await transport.readDeadLetters()).length === 1);
    const [letter] = await transport.readDeadLetters();
    expect(letter?.reason).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'orderId: expected string',
      attempts: 1,
    });
    await sleep(150);
    expect(attempts).toEqual([1]);
    expect(await fixture.pending('order.placed', 'billing', transport)).toBe(0);
  });

  it("claims a dead consumer's messages for another consumer, with the attempt raised", async () => {
    const transport = await fixture.transport({ claimIdleMs: 200 });
    const key = transport.streamKey('order.placed');
    const sent = [testEnvelope('order.placed', { n: 1 }), testEnvelope('order.placed', { n: 2 })];
    const subscription = await transport.subscribe({
      group: 'billing',
      patterns: ['order.placed'],
      onMessage: async () => {},
    });
    await subscription.close();
    // A consumer that reads two entries and dies before settling them.
    await Promise.all(sent.map((envelope) => transport.publish(envelope)));
    const read = await fixture.client.xreadgroup(
      'GROUP',
      'billing',
      'dead-consumer',
      'COUNT',
      10,
      'STREAMS',
      key,
      '>',
    );
    expect(read).not.toBeNull();
    const { received } = await recordMessages(
      transport,
      'billing',
      ['order.placed'],
      (message) => ({
        id: message.envelope.id,
        attempt: message.attempt,
      }),
    );
    await waitFor(() => received.length === 2);
    expect(received).toEqual(sent.map((envelope) => ({ id: envelope.id, attempt: 2 })));
    await waitFor(async () => (await fixture.pending('order.placed', 'billing', transport)) === 0);
  });

  it('closes with messages in flight: settles those being handled, leaves the rest pending', async () => {
    const transport = await fixture.transport({ batchSize: 10 });
    const handled: string[] = [];
    let started = 0;
    const subscription = await transport.subscribe({
      group: 'billing',
      patterns: ['order.placed'],
      onMessage: async (message) => {
        started++;
        await sleep(100);
        handled.push(message.envelope.id);
        await message.ack();
      },
    });
    const sent = Array.from({ length: 5 }, (_, i) => testEnvelope('order.placed', { i }));
    await Promise.all(sent.map((envelope) => transport.publish(envelope)));
    await waitFor(() => started === 1);
    await subscription.close();
    expect(handled).toEqual([sent[0]?.id]);
    // The four read but not started stay pending for another consumer to claim.
    expect(await fixture.pending('order.placed', 'billing', transport)).toBe(4);
    await transport.close();
    await expect(transport.publish(testEnvelope('order.placed', {}))).rejects.toBeInstanceOf(
      RedisTransportError,
    );
    await expect(transport.publish(testEnvelope('order.placed', {}))).rejects.toMatchObject({
      code: 'REDIS_CLOSED',
    });
    await expect(transport.publishBatch([testEnvelope('order.placed', {})])).rejects.toMatchObject({
      code: 'REDIS_CLOSED',
    });
  });

  it('drops a republished id within the dedupe window', async () => {
    const transport = await fixture.transport({ dedupeWindowMs: 10_000 });
    expect(transport.capabilities.deduplication).toBe(true);
    const sent = testEnvelope('order.placed', {});
    await transport.publish(sent);
    await transport.publish(sent);
    await transport.publish(testEnvelope('order.placed', {}));
    expect(await fixture.client.xlen(transport.streamKey('order.placed'))).toBe(2);
  });

  it('with one stream per prefix, gives a group only the types it asked for', async () => {
    const transport = await fixture.transport({ streamPer: 'prefix' });
    expect(transport.streamKey('order.placed')).toBe(`${fixture.prefix}:stream:order`);
    const { received: types } = await recordMessages(
      transport,
      'billing',
      ['order.paid'],
      (message) => message.envelope.type,
    );
    await transport.publish(testEnvelope('order.placed', {}));
    await transport.publish(testEnvelope('order.paid', {}));
    await waitFor(() => types.length === 1);
    expect(types).toEqual(['order.paid']);
    await waitFor(async () => (await fixture.pending('order.placed', 'billing', transport)) === 0);
  });

  it('trims to maxLen without removing entries a group has not acknowledged', async () => {
    const transport = await fixture.transport({ maxLen: 5, trimIntervalMs: 20 });
    const key = transport.streamKey('order.placed');
    let release = false;
    const held: TransportMessage[] = [];
    await transport.subscribe({
      group: 'billing',
      patterns: ['order.placed'],
      onMessage: async (message) => {
        // Left unsettled until released: delivered again and again, pending all the while.
        if (release) await message.ack();
        else held.push(message);
      },
    });
    const sent = Array.from({ length: 20 }, (_, i) => testEnvelope('order.placed', { i }));
    await Promise.all(sent.map((envelope) => transport.publish(envelope)));
    await waitFor(() => held.length >= 20);
    await sleep(100);
    expect(await fixture.client.xlen(key)).toBe(20);
    release = true;
    await waitFor(async () => (await fixture.pending('order.placed', 'billing', transport)) === 0);
    await transport.publish(testEnvelope('order.placed', {}));
    await waitFor(async () => (await fixture.client.xlen(key)) === 5);
  });

  it("trims only what every group has acknowledged: a group made at '0' keeps every entry", async () => {
    const transport = await fixture.transport();
    const key = transport.streamKey('audit.logged');
    const sent = Array.from({ length: 20 }, (_, i) => testEnvelope('audit.logged', { i }));
    await Promise.all(sent.map((envelope) => transport.publish(envelope)));
    // A group made at '0' that has read nothing yet: it owes all 20.
    await fixture.client.xgroup('CREATE', key, 'late', '0');
    expect(await trimStream(fixture.client, key, 5)).toBe(0);
    expect(await fixture.client.xlen(key)).toBe(20);
    // It reads and acknowledges 8: those may go, and no more.
    const read = (await fixture.client.xreadgroup(
      'GROUP',
      'late',
      'c1',
      'COUNT',
      8,
      'STREAMS',
      key,
      '>',
    )) as Array<[string, Array<[string, string[]]>]>;
    const ids = read[0]?.[1].map(([id]) => id) ?? [];
    await fixture.client.xack(key, 'late', ...ids);
    // The last entry read is kept (the bound is inclusive), so 7 of the 8 go.
    expect(await trimStream(fixture.client, key, 5)).toBe(7);
    expect(await fixture.client.xlen(key)).toBe(13);
    // Once the group has read and acknowledged everything, trimming stops at maxLen.
    const rest = (await fixture.client.xreadgroup(
      'GROUP',
      'late',
      'c1',
      'STREAMS',
      key,
      '>',
    )) as Array<[string, Array<[string, string[]]>]>;
    await fixture.client.xack(key, 'late', ...(rest[0]?.[1].map(([id]) => id) ?? []));
    expect(await trimStream(fixture.client, key, 5)).toBe(8);
    expect(await fixture.client.xlen(key)).toBe(5);
    expect(await trimStream(fixture.client, key, 5)).toBe(0);
  });

  it('reports the entries a wildcard group never gets because they were trimmed before it joined', async () => {
    // The subscription looks for new streams rarely (3 s, so that a slow machine still trims
    // first), and the stream is new to it: it joins at the start and finds 15 entries gone.
    const subscriber = await fixture.transport({ discoverIntervalMs: 3000 });
    const { received } = await recordMessages(subscriber, 'audit', ['audit.*'], (message) =>
      Number((jsonCodec.decode(message.envelope.payload) as { i: number }).i),
    );
    const publisher = await fixture.transport({ maxLen: 5, trimIntervalMs: 20 });
    const key = publisher.streamKey('audit.logged');
    for (let i = 0; i < 20; i++) await publisher.publish(testEnvelope('audit.logged', { i }));
    await waitFor(async () => (await fixture.client.xlen(key)) === 5, 2000, 'the trim');
    await waitFor(() => received.length === 5, 10_000, 'the entries left');
    expect(received).toEqual([15, 16, 17, 18, 19]);
    const missed = fixture.errors.filter(
      (error) => error instanceof RedisTransportError && error.code === 'REDIS_ENTRIES_MISSED',
    );
    expect(missed).toHaveLength(1);
    expect(String((missed[0] as Error).message)).toMatch(/15 of its entries were removed/);
    fixture.errors.length = 0;
  });

  // Last in the file: the other tests of the file run before it, never beside it.
  it('recovers from a server restart: fails publishes clearly while down, then delivers again', async () => {
    const transport = await fixture.transport({ publishTimeoutMs: 300 });
    const { received } = await recordMessages(
      transport,
      'billing',
      ['order.placed'],
      (message) => message.envelope.id,
    );
    const before = testEnvelope('order.placed', { n: 1 });
    await transport.publish(before);
    await waitFor(() => received.length === 1);
    const outcomes: Array<'stored' | string> = [];
    await restartRedis(500).finally(async () => {
      fixture.errors.length = 0;
    });
    const during = transport.publish(testEnvelope('order.placed', { n: 2 })).then(
      () => 'stored',
      (error: { code?: string }) => String(error.code),
    );
    outcomes.push(await during);
    // The server kept nothing (no persistence): its stream and group are made again.
    const after = testEnvelope('order.placed', { n: 3 });
    await waitFor(async () => {
      try {
        await transport.publish(after);
        return true;
      } catch {
        return false;
      }
    }, 10_000);
    await waitFor(() => received.includes(after.id), 10_000);
    expect(outcomes[0]).toMatch(/^(stored|REDIS_PUBLISH_FAILED)$/);
    fixture.errors.length = 0;
  });
});

// The shared suite, with the Redis settings a test can wait for: a consumer's messages are
// claimed after 3 s idle (long enough that a slow machine's pauses never hand a message in hand
// to another consumer, as the NATS run's ack wait), reads block 200 ms.
const CLAIM_IDLE_MS = 3000;
const namespaces = new Set<string>();

afterAll(async () => {
  await deleteKeys([...namespaces].map((namespace) => `${namespace}:*`));
});

/** Makes the suite's transports, with the settings above and `options`. */
const create =
  (options: RedisTransportOptions = {}) =>
  async ({ namespace }: ConformanceContext) => {
    namespaces.add(namespace);
    return createRedisTransport({
      url: REDIS_URL,
      prefix: namespace,
      claimIdleMs: CLAIM_IDLE_MS,
      claimIntervalMs: 100,
      blockMs: 200,
      discoverIntervalMs: 100,
      ...options,
    });
  };

describeTransportConformance('redis', {
  create: create({ publishTimeoutMs: 2000 }),
  capabilities: { persistent: false, deduplication: false, nativeRedelivery: true, ordering: true },
  restart: () => restartRedis(300),
  messages: 10_000,
  redeliveryTimeout: CLAIM_IDLE_MS,
  timeout: 15_000,
});

// Again with publish de-duplication on (SET NX in the XADD script), which runs the suite's
// de-duplication case; without the restart, which the run above covers.
describeTransportConformance('redis with dedupeWindowMs', {
  create: create({ dedupeWindowMs: 60_000 }),
  capabilities: { persistent: false, deduplication: true, nativeRedelivery: true, ordering: true },
  messages: 500,
  redeliveryTimeout: CLAIM_IDLE_MS,
  timeout: 15_000,
});
