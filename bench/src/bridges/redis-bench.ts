import { randomUUID } from 'node:crypto';
import { createRedisTransport, type RedisTransport } from '@gossip/redis';
import { Redis } from 'ioredis';
import { bridgeConsumeSide, bridgePublishSide, fillThroughBridge, WINDOW } from './bridge-sides.js';
import { turnNow } from './measure.js';
import { type BrokerBench, EVENT_TYPE, payloadOf, TIMEOUT_MS } from './scenario.js';

/** How many entries one XREADGROUP of the raw client asks for: the transport's batchSize. */
const READ_COUNT = 100;

/**
 * The fields @gossip/redis writes for an event published on a bus with schemas, written by
 * hand as an ioredis user writes them: every field a string, the payload its JSON text. The raw
 * client stores the same bytes as the bridge (storedBytes checks it). Strings, not Buffers: one
 * Buffer among a command's arguments makes ioredis assemble the command in a buffer of its own,
 * 3 to 4 µs more per XADD, a cost a user sending JSON never pays.
 */
function rawFields(i: number): string[] {
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
    JSON.stringify(payloadOf(i)),
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
    await fillThroughBridge(await transportOf(prefix), count);
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
            const started = turnNow();
            const last = Math.min(count, first + WINDOW);
            for (let i = first; i < last; i++) pipeline.xadd(key, '*', ...rawFields(i));
            const results = (await pipeline.exec()) ?? [];
            const took = turnNow() - started;
            for (const [error] of results) {
              if (error) throw error;
              latencies.add(took);
            }
          }
          return undefined;
        },
        async teardown() {
          client.disconnect();
          bytes.raw = await bytesPerMessage(prefix);
          await dropKeys(prefix);
        },
      };
    },

    // Bridge: see bridgePublishSide.
    async bridgePublish(count) {
      const prefix = freshPrefix();
      return bridgePublishSide(await transportOf(prefix), count, async () => {
        bytes.bridge = await bytesPerMessage(prefix);
        await dropKeys(prefix);
      });
    },

    // Raw: XREADGROUP of READ_COUNT entries (blocking, string replies, as a user reading JSON
    // asks for), each entry's payload parsed, then one XACK of the batch, sent without waiting
    // for its reply (the next read follows it on the connection); timed per message from the
    // read's reply to its XACK being sent.
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
            const reply = (await client.xreadgroup(
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
            )) as Array<[string, Array<[string, string[]]>]> | null;
            const entries = reply?.[0]?.[1] ?? [];
            const handed = turnNow();
            const ids: string[] = [];
            for (const [id, fields] of entries) {
              for (let f = 0; f < fields.length; f += 2) {
                if (fields[f] === 'p') JSON.parse(fields[f + 1] ?? 'null');
              }
              ids.push(id);
            }
            if (ids.length === 0) continue;
            acked = client.xack(key, 'bench', ...ids);
            const took = performance.now() - handed;
            for (let i = 0; i < ids.length; i++) latencies.add(took);
            seen += ids.length;
          }
          await acked;
          return undefined;
        },
        async teardown() {
          client.disconnect();
          await dropKeys(prefix);
        },
      };
    },

    // Bridge: see bridgeConsumeSide; the group made at '0' beforehand.
    async bridgeConsume(count) {
      const prefix = await filledStream(count);
      return bridgeConsumeSide(await transportOf(prefix), count, 'bench', async () => {
        const [pending] = (await admin.xpending(streamOf(prefix), 'bench')) as [number];
        await dropKeys(prefix);
        if (pending !== 0) throw new Error(`bridge consume: ${pending} left unacked`);
      });
    },

    async storedBytes() {
      return { ...bytes };
    },

    async close() {
      admin.disconnect();
    },
  };
}
