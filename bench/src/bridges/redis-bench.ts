import { randomUUID } from 'node:crypto';
import { createEventBus, defineEvents } from '@gossip/core';
import { createRedisTransport, type RedisTransport } from '@gossip/redis';
import { bridge, jsonCodec } from '@gossip/transport';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { TimedTransport } from './instrument.js';
import { type Latencies, until } from './measure.js';
import { type BrokerBench, EVENT_TYPE, payloadOf, TIMEOUT_MS } from './scenario.js';

/** How many XADDs the raw client sends per pipeline, and the bridge keeps waiting at most. */
const WINDOW = 256;
/** How many entries one XREADGROUP of the raw client asks for: the transport's batchSize. */
const READ_COUNT = 100;

const events = defineEvents({
  [EVENT_TYPE]: z.object({ orderId: z.string(), amount: z.number() }),
});

/**
 * The fields @gossip/redis writes for an event published on a bus with schemas, written by
 * hand: the raw client stores the same bytes as the bridge (storedBytes checks it).
 */
function rawFields(i: number): Array<string | Buffer> {
  return [
    'id',
    randomUUID(),
    'type',
    EVENT_TYPE,
    'ts',
    String(Date.now()),
    'h',
    '{"content-type":"application/json"}',
    'p',
    Buffer.from(jsonCodec.encode(payloadOf(i))),
    'v',
    '1',
  ];
}

/** The Redis sides: each run gets a fresh key prefix, whose keys are deleted at teardown. */
export async function redisBench(url: string): Promise<BrokerBench & { close(): Promise<void> }> {
  const admin = new Redis(url, { lazyConnect: true });
  await admin.connect();
  const server = await admin.info('server');
  const version = /redis_version:(\S+)/.exec(server)?.[1] ?? 'unknown';
  const bytes = { raw: Number.NaN, bridge: Number.NaN };

  const freshPrefix = (): string => `gossip-bench-${randomUUID().slice(0, 8)}`;
  const streamOf = (prefix: string): string => `${prefix}:stream:${EVENT_TYPE}`;

  const dropKeys = async (prefix: string): Promise<void> => {
    let cursor = '0';
    for (let round = 0; round < 1000; round++) {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await admin.del(...keys);
      cursor = next;
      if (cursor === '0') return;
    }
  };

  /** The bytes of one entry's fields: what a message costs the stream, apart from overhead. */
  const bytesPerMessage = async (prefix: string): Promise<number> => {
    const [entry] = (await admin.xrangeBuffer(streamOf(prefix), '-', '+', 'COUNT', 1)) as Array<
      [Buffer, Buffer[]]
    >;
    return (entry?.[1] ?? []).reduce((sum, field) => sum + field.length, 0);
  };

  const transportOf = (prefix: string): Promise<RedisTransport> =>
    createRedisTransport({ url, prefix, persistent: false });

  /** Fills a stream with `count` events as the transport stores them, and a group at '0'. */
  async function filledStream(count: number): Promise<string> {
    const prefix = freshPrefix();
    const transport = await transportOf(prefix);
    const bus = createEventBus({ schemas: events });
    const link = bridge(bus, transport, { publish: ['bench.**'] });
    for (let i = 0; i < count; i++) await bus.publish(EVENT_TYPE, payloadOf(i));
    await link.close();
    await bus.shutdown();
    await transport.close();
    // Both sides read the stream from its start: the transport makes new groups at its end.
    await admin.xgroup('CREATE', streamOf(prefix), 'bench', '0');
    return prefix;
  }

  return {
    name: `Redis Streams ${version}`,

    // Raw: pipelines of WINDOW XADDs, one after the other; each message timed from its XADD to
    // the pipeline's reply.
    async rawPublish(count) {
      const prefix = freshPrefix();
      const key = streamOf(prefix);
      const client = new Redis(url, { lazyConnect: true });
      await client.connect();
      return {
        async run(latencies) {
          for (let first = 0; first < count; first += WINDOW) {
            const pipeline = client.pipeline();
            const started = performance.now();
            const last = Math.min(count, first + WINDOW);
            for (let i = first; i < last; i++) pipeline.xadd(key, '*', ...rawFields(i));
            const results = (await pipeline.exec()) ?? [];
            const took = performance.now() - started;
            for (const [error] of results) {
              if (error) throw error;
              latencies.add(took);
            }
          }
        },
        async teardown() {
          client.disconnect();
          bytes.raw = await bytesPerMessage(prefix);
          await dropKeys(prefix);
        },
      };
    },

    // Bridge: bus.publish of each event, forwarded by the bridge through @gossip/redis (which
    // pipelines the publishes of one turn), at most WINDOW waiting for their reply; timed from
    // the bus.publish call to the stored reply.
    async bridgePublish(count) {
      const prefix = freshPrefix();
      const timed = new TimedTransport(await transportOf(prefix), count);
      const bus = createEventBus({ schemas: events });
      const link = bridge(bus, timed.transport, { publish: ['bench.**'] });
      return {
        async run(latencies) {
          timed.record(latencies);
          for (let i = 0; i < count; i++) {
            if (i >= WINDOW) await timed.publishedAtLeast(i - WINDOW + 1);
            timed.started[i] = performance.now();
            await bus.publish(EVENT_TYPE, payloadOf(i));
          }
          await until('bridge publish', () => timed.published >= count, TIMEOUT_MS);
        },
        async teardown() {
          await link.close();
          await bus.shutdown();
          await timed.transport.close();
          bytes.bridge = await bytesPerMessage(prefix);
          await dropKeys(prefix);
        },
      };
    },

    // Raw: XREADGROUP of READ_COUNT entries (blocking), each entry's payload decoded, then one
    // XACK of the batch, sent without waiting for its reply (the next read follows it on the
    // connection); timed per message from the read's reply to its XACK being sent.
    async rawConsume(count) {
      const prefix = await filledStream(count);
      const key = streamOf(prefix);
      const client = new Redis(url, { lazyConnect: true });
      await client.connect();
      return {
        async run(latencies) {
          let seen = 0;
          let acked: Promise<unknown> = Promise.resolve();
          const deadline = Date.now() + TIMEOUT_MS;
          while (seen < count) {
            if (Date.now() > deadline) throw new Error('raw consume: not done in time');
            const reply = (await client.xreadgroupBuffer(
              'GROUP',
              'bench',
              'raw',
              'COUNT',
              READ_COUNT,
              'BLOCK',
              1000,
              'STREAMS',
              key,
              '>',
            )) as Array<[Buffer, Array<[Buffer, Buffer[]]>]> | null;
            const entries = reply?.[0]?.[1] ?? [];
            const handed = performance.now();
            const ids: Buffer[] = [];
            for (const [id, fields] of entries) {
              const p = fields.findIndex((field, i) => i % 2 === 0 && field.toString() === 'p');
              jsonCodec.decode(fields[p + 1] ?? new Uint8Array(0));
              ids.push(id);
            }
            if (ids.length === 0) continue;
            acked = client.xack(key, 'bench', ...ids);
            const took = performance.now() - handed;
            for (let i = 0; i < ids.length; i++) latencies.add(took);
            seen += ids.length;
          }
          await acked;
        },
        async teardown() {
          client.disconnect();
          await dropKeys(prefix);
        },
      };
    },

    // Bridge: the bridge's group reads the stream through @gossip/redis (blocking XREADGROUP,
    // XACKs batched per turn); each message decoded, validated, dispatched to a handler on the
    // bus and acked; timed per message from the transport's hand-over to the bridge's ack.
    async bridgeConsume(count) {
      const prefix = await filledStream(count);
      const timed = new TimedTransport(await transportOf(prefix), count);
      const bus = createEventBus({ schemas: events });
      let handled = 0;
      bus.subscribe(EVENT_TYPE, () => {
        handled++;
      });
      let link: ReturnType<typeof bridge> | undefined;
      return {
        async run(latencies: Latencies) {
          timed.record(latencies);
          link = bridge(bus, timed.transport, { subscribe: [EVENT_TYPE], group: 'bench' });
          await link.ready;
          await until('bridge consume', () => timed.acked >= count, TIMEOUT_MS);
        },
        async teardown() {
          await link?.close();
          await bus.shutdown();
          await timed.transport.close();
          const pending = (await admin.xpending(streamOf(prefix), 'bench')) as [number];
          await dropKeys(prefix);
          if (handled < count) throw new Error(`bridge consume: ${handled} of ${count} handled`);
          if (pending[0] !== 0) throw new Error(`bridge consume: ${pending[0]} left unacked`);
        },
      };
    },

    async storedBytes() {
      return { ...bytes };
    },

    async close() {
      admin.disconnect();
    },
  };
}
