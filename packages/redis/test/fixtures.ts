import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import {
  createRedisTransport,
  type RedisTransport,
  type RedisTransportOptions,
} from '../src/index.js';

/** The test server: loopback only. */
export const REDIS_URL = 'redis://127.0.0.1:6379';

/** A key prefix no other run shares. */
export function uniquePrefix(): string {
  return `gossip-test-${process.pid}-${randomUUID().slice(0, 8)}`;
}

/**
 * Transports and a plain client under one prefix; `cleanup()` closes them and deletes every key
 * of the prefix (SCAN, bounded).
 */
export class RedisFixture {
  readonly prefix = uniquePrefix();
  readonly client = new Redis(REDIS_URL, { lazyConnect: true }).on('error', () => {
    // A restart test stops the server; the client reconnects by itself.
  });
  readonly errors: unknown[] = [];
  readonly #transports: RedisTransport[] = [];

  async transport(options: RedisTransportOptions = {}): Promise<RedisTransport> {
    const transport = await createRedisTransport({
      url: REDIS_URL,
      prefix: this.prefix,
      blockMs: 100,
      claimIntervalMs: 50,
      discoverIntervalMs: 50,
      redeliveryDelayMs: 20,
      onError: (error) => this.errors.push(error),
      ...options,
    });
    this.#transports.push(transport);
    return transport;
  }

  async pending(type: string, group: string, transport: RedisTransport): Promise<number> {
    const summary = (await this.client.xpending(transport.streamKey(type), group)) as unknown[];
    return Number(summary[0]);
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.#transports.map((transport) => transport.close()));
    this.client.disconnect();
    await deleteKeys([`${this.prefix}:*`]);
  }
}

/** Deletes the keys matching each pattern (SCAN MATCH, at most 1000 rounds per pattern). */
export async function deleteKeys(patterns: readonly string[]): Promise<void> {
  const client = new Redis(REDIS_URL, { lazyConnect: true });
  client.on('error', () => {});
  await client.connect();
  try {
    for (const pattern of patterns) {
      let cursor = '0';
      for (let round = 0; round < 1000; round++) {
        const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        if (keys.length > 0) await client.del(...keys);
        cursor = next;
        if (cursor === '0') break;
      }
    }
  } finally {
    client.disconnect();
  }
}
