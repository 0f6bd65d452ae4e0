import { assertKnownOptions, InvalidOptionError, MAX_DELAY, optionName } from '@gossip/core';
import type { RedisTransportError } from './redis-transport-error.js';

/**
 * Where the Redis server is, when not given as a URL. Every field is optional; the defaults
 * are a local server without authentication.
 *
 * @example
 * ```ts
 * await createRedisTransport({ connection: { host: '10.0.0.5', port: 6380, password: secret } });
 * ```
 */
export interface RedisConnection {
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default 6379 */
  readonly port?: number;
  readonly username?: string;
  readonly password?: string;
  /** The logical database. @default 0 */
  readonly db?: number;
  /** Connect with TLS. @default false */
  readonly tls?: boolean;
}

/**
 * How the Redis transport lays out its streams and consumes them. Every option is checked when
 * the transport is made; a bad value throws `InvalidOptionError` at once.
 *
 * @example
 * ```ts
 * const transport = await createRedisTransport({
 *   url: 'redis://127.0.0.1:6379',
 *   prefix: 'shop',
 *   maxLen: 100_000,
 *   claimIdleMs: 30_000,
 * });
 * ```
 */
export interface RedisTransportOptions {
  /** A `redis://` or `rediss://` URL; give this or `connection`. @default 'redis://127.0.0.1:6379' */
  readonly url?: string;
  /** The server as host, port and credentials; give this or `url`. */
  readonly connection?: RedisConnection;
  /** The first part of every key the transport writes. @default 'gossip' */
  readonly prefix?: string;
  /**
   * One stream per event type (`<prefix>:stream:order.placed`), or one per first segment of the
   * type (`<prefix>:stream:order`). Per type keeps each type's order and lets a group read only
   * the types it asked for; per prefix keeps the number of streams small when there are many
   * types, and orders every type of one prefix together, at the price of a group reading (and
   * acknowledging unseen) the types of the prefix it did not ask for.
   * @default 'type'
   */
  readonly streamPer?: 'type' | 'prefix';
  /**
   * Keep about this many entries per stream. Trimming runs every `trimIntervalMs` with XTRIM
   * MINID and never removes an entry a consumer group has not acknowledged (or not yet read),
   * so a stream can hold more while a group lags. Unset: streams are never trimmed.
   */
  readonly maxLen?: number;
  /** How often streams written to are trimmed, when `maxLen` is set. @default 1000 */
  readonly trimIntervalMs?: number;
  /**
   * A message left pending this long by a consumer (one that died, or hangs) is claimed by
   * another consumer of its group, and delivered again with its attempt count raised.
   * @default 30000
   */
  readonly claimIdleMs?: number;
  /** How often each subscription looks for such messages. @default min(claimIdleMs / 2, 5000) */
  readonly claimIntervalMs?: number;
  /**
   * The most entries read (XREADGROUP COUNT) or claimed at once. A subscription holds at most
   * two batches unsettled: it reads the next while it handles one.
   * @default 100
   */
  readonly batchSize?: number;
  /** How long one XREADGROUP waits for entries on the blocking connection. @default 1000 */
  readonly blockMs?: number;
  /**
   * Dead-letter a message once it has been delivered this many times without an ack: a nack of
   * the last attempt moves it to `<prefix>:dlq` with the error the handler threw. Unset: only
   * the caller (the bridge, with its own `maxAttempts`) dead-letters.
   */
  readonly maxAttempts?: number;
  /** The delay before a message left unsettled by `onMessage` is delivered again. @default 1000 */
  readonly redeliveryDelayMs?: number;
  /** How often a wildcard subscription looks for streams it did not know. @default 1000 */
  readonly discoverIntervalMs?: number;
  /**
   * Drop a second publish of the same envelope id within this window (SET NX with a TTL, in
   * one script with the XADD). Unset: no de-duplication; `capabilities.deduplication` is false.
   */
  readonly dedupeWindowMs?: number;
  /** How long a publish waits for Redis to store it before it rejects. @default 5000 */
  readonly publishTimeoutMs?: number;
  /**
   * Whether messages survive a server restart. Unset: true when the server has the append-only
   * file on (CONFIG GET appendonly), else false: RDB snapshots lose what came after the last one.
   */
  readonly persistent?: boolean;
  /** This process's consumer name in each group. @default `<hostname>-<pid>-<random>` */
  readonly consumerName?: string;
  /** Called with failures of background work (reads, claims, acks, trims); each is retried. */
  readonly onError?: (error: RedisTransportError) => void;
}

/** @internal The options with every default applied. */
export interface ResolvedOptions {
  readonly url: string | undefined;
  readonly connection: RedisConnection;
  readonly prefix: string;
  readonly streamPer: 'type' | 'prefix';
  readonly maxLen: number | undefined;
  readonly trimIntervalMs: number;
  readonly claimIdleMs: number;
  readonly claimIntervalMs: number;
  readonly batchSize: number;
  readonly blockMs: number;
  readonly maxAttempts: number | undefined;
  readonly redeliveryDelayMs: number;
  readonly discoverIntervalMs: number;
  readonly dedupeWindowMs: number | undefined;
  readonly publishTimeoutMs: number;
  readonly persistent: boolean | undefined;
  readonly consumerName: string | undefined;
  readonly onError: (error: RedisTransportError) => void;
}

const KNOWN = new Set([
  'url',
  'connection',
  'prefix',
  'streamPer',
  'maxLen',
  'trimIntervalMs',
  'claimIdleMs',
  'claimIntervalMs',
  'batchSize',
  'blockMs',
  'maxAttempts',
  'redeliveryDelayMs',
  'discoverIntervalMs',
  'dedupeWindowMs',
  'publishTimeoutMs',
  'persistent',
  'consumerName',
  'onError',
]);

function delay(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0) || value > MAX_DELAY) {
    throw new InvalidOptionError(
      optionName('createRedisTransport', name),
      `milliseconds above 0 and at most ${MAX_DELAY}`,
      value,
    );
  }
  return value;
}

function count(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidOptionError(
      optionName('createRedisTransport', name),
      'a whole number of at least 1',
      value,
    );
  }
  return value;
}

function text(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidOptionError(
      optionName('createRedisTransport', name),
      'a non-empty string',
      value,
    );
  }
  return value;
}

/** @internal Checks the options and applies the defaults; throws InvalidOptionError. */
export function resolveOptions(options: RedisTransportOptions): ResolvedOptions {
  assertKnownOptions('createRedisTransport', options, [...KNOWN]);
  if (options.url !== undefined && options.connection !== undefined) {
    throw new InvalidOptionError(
      optionName('createRedisTransport', 'url'),
      'either url or connection, not both',
      options.url,
    );
  }
  const streamPer = options.streamPer ?? 'type';
  if (streamPer !== 'type' && streamPer !== 'prefix') {
    throw new InvalidOptionError(
      optionName('createRedisTransport', 'streamPer'),
      "'type' or 'prefix'",
      streamPer,
    );
  }
  const prefix = text('prefix', options.prefix) ?? 'gossip';
  if (/[\s*]/.test(prefix)) {
    throw new InvalidOptionError(
      optionName('createRedisTransport', 'prefix'),
      'a key prefix without spaces or *',
      prefix,
    );
  }
  const claimIdleMs = delay('claimIdleMs', options.claimIdleMs, 30_000);
  if (options.onError !== undefined && typeof options.onError !== 'function') {
    throw new InvalidOptionError(
      optionName('createRedisTransport', 'onError'),
      'a function',
      options.onError,
    );
  }
  if (options.persistent !== undefined && typeof options.persistent !== 'boolean') {
    throw new InvalidOptionError(
      optionName('createRedisTransport', 'persistent'),
      'a boolean',
      options.persistent,
    );
  }
  return {
    url: text('url', options.url),
    connection: options.connection ?? {},
    prefix,
    streamPer,
    maxLen: count('maxLen', options.maxLen),
    trimIntervalMs: delay('trimIntervalMs', options.trimIntervalMs, 1000),
    claimIdleMs,
    claimIntervalMs: delay(
      'claimIntervalMs',
      options.claimIntervalMs,
      Math.max(1, Math.min(claimIdleMs / 2, 5000)),
    ),
    batchSize: count('batchSize', options.batchSize) ?? 100,
    blockMs: delay('blockMs', options.blockMs, 1000),
    maxAttempts: count('maxAttempts', options.maxAttempts),
    redeliveryDelayMs: delay('redeliveryDelayMs', options.redeliveryDelayMs, 1000),
    discoverIntervalMs: delay('discoverIntervalMs', options.discoverIntervalMs, 1000),
    dedupeWindowMs:
      options.dedupeWindowMs === undefined
        ? undefined
        : delay('dedupeWindowMs', options.dedupeWindowMs, 0),
    publishTimeoutMs: delay('publishTimeoutMs', options.publishTimeoutMs, 5000),
    persistent: options.persistent,
    consumerName: text('consumerName', options.consumerName),
    onError: options.onError ?? (() => {}),
  };
}
