import { assertKnownOptions, InvalidOptionError, optionName } from '@gossip/core';
import type { Envelope } from '@gossip/transport';
import type { NatsConnection } from '@nats-io/transport-node';
import { checkPrefix } from './subjects.js';

/**
 * How {@link createNatsTransport} connects, which stream it uses, and how each group's consumer
 * behaves. Durations are in milliseconds.
 *
 * @example
 * ```ts
 * const transport = await createNatsTransport({
 *   servers: '127.0.0.1:4222',
 *   stream: 'SHOP',
 *   subjectPrefix: 'shop',
 *   maxDeliver: 10,
 * });
 * ```
 */
export interface NatsTransportOptions {
  /**
   * The servers to connect to, as `host:port` or URLs. Ignored when `connection` is given.
   * @default '127.0.0.1:4222'
   */
  readonly servers?: string | readonly string[];
  /**
   * A connection the application made and owns: the transport uses it and leaves it open on
   * `close()`. Without it the transport connects (with `noAsyncTraces`, reconnecting forever)
   * and closes the connection itself.
   */
  readonly connection?: NatsConnection;
  /**
   * The stream that stores the application's events, created at start if it does not exist;
   * if it exists, the event and dead-letter subjects are added to it when missing.
   * @default 'GOSSIP'
   */
  readonly stream?: string;
  /**
   * The first subject token(s): event `order.placed` is stored under `<prefix>.order.placed`
   * and its dead letters under `<prefix>-dlq.order.placed`.
   * @default 'gossip'
   */
  readonly subjectPrefix?: string;
  /**
   * How long the server remembers event ids to drop a republished event (the stream's
   * `duplicate_window`). Set on a stream the transport creates, or changes an existing one.
   * @default 120_000 (the server's default, on a stream the transport creates)
   */
  readonly duplicateWindow?: number;
  /**
   * How many messages a group's consumer hands out without an ack before it waits.
   * @default 1000
   */
  readonly maxAckPending?: number;
  /**
   * How many times the server delivers a message to a group (`max_deliver`). A message nacked
   * or left unsettled on its last delivery is dead-lettered by the transport rather than
   * dropped; keep it above the bridge's `maxAttempts`.
   * @default 10
   */
  readonly maxDeliver?: number;
  /**
   * How long the server waits for an ack before it delivers the message again.
   * @default 30_000
   */
  readonly ackWait?: number;
  /**
   * How many messages a subscription hands to its `onMessage` at once. Messages of one subject
   * (one event type) are always handled one after the other, in stream order.
   * @default 8
   */
  readonly concurrency?: number;
  /**
   * How many messages a subscription asks the server for at a time (the pull batch, the NATS
   * client's `max_messages`). Larger batches cost fewer round trips, and carry more messages per
   * second; but the messages a consumer pulled wait there while its handlers are busy (and until
   * `ackWait` if it hangs) before the group's other consumers get them. A subscription pulls no
   * more while `concurrency` messages are queued or running.
   * @default 100 (the NATS client's own default)
   */
  readonly prefetch?: number;
  /**
   * Where a group that does not exist yet starts: at the next event (`'new'`) or at the first
   * event the stream holds (`'all'`). An existing group resumes where it stopped.
   * @default 'new'
   */
  readonly deliverPolicy?: 'new' | 'all';
  /**
   * How the stream stores messages, if the transport creates it.
   * @default 'file'
   */
  readonly storage?: 'file' | 'memory';
  /**
   * How long `publish` and `deadLetter` wait for the server's ack before they reject.
   * @default 5000
   */
  readonly publishTimeout?: number;
  /**
   * Called with each envelope the server dropped as a duplicate of one it stored within the
   * duplicate window (the publish still resolves: the server has the event).
   */
  readonly onDuplicate?: (envelope: Envelope) => void;
  /**
   * Called with errors the transport cannot return to a caller: an `onMessage` that threw, a
   * consumer that had to be restarted, a failed automatic dead letter.
   */
  readonly onError?: (error: unknown) => void;
}

/** The options with their defaults applied and checked. @internal */
export interface ResolvedNatsOptions {
  readonly servers: string | string[];
  readonly stream: string;
  readonly subjectPrefix: string;
  readonly duplicateWindow: number | undefined;
  readonly maxAckPending: number;
  readonly maxDeliver: number;
  readonly ackWait: number;
  readonly concurrency: number;
  readonly prefetch: number;
  readonly deliverPolicy: 'new' | 'all';
  readonly storage: 'file' | 'memory';
  readonly publishTimeout: number;
  readonly onDuplicate: (envelope: Envelope) => void;
  readonly onError: (error: unknown) => void;
}

/** Every option of createNatsTransport. */
const KNOWN = [
  'servers',
  'connection',
  'stream',
  'subjectPrefix',
  'duplicateWindow',
  'maxAckPending',
  'maxDeliver',
  'ackWait',
  'concurrency',
  'prefetch',
  'deliverPolicy',
  'storage',
  'publishTimeout',
  'onDuplicate',
  'onError',
] as const satisfies readonly (keyof NatsTransportOptions)[];

function positiveInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidOptionError(
      optionName('createNatsTransport', name),
      'a positive integer',
      value,
    );
  }
  return value;
}

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  const found = allowed.find((item) => item === value);
  if (found === undefined && value !== undefined) {
    throw new InvalidOptionError(
      optionName('createNatsTransport', name),
      allowed.map((item) => `'${item}'`).join(' or '),
      value,
    );
  }
  return found ?? (allowed[0] as T);
}

function callback<T>(name: string, value: unknown): ((arg: T) => void) | undefined {
  if (value !== undefined && typeof value !== 'function') {
    throw new InvalidOptionError(optionName('createNatsTransport', name), 'a function', value);
  }
  return value as ((arg: T) => void) | undefined;
}

/**
 * Applies the defaults and checks every option, so that a bad one throws when the transport is
 * made, never while a message is handled. A key that is not an option (a misspelt one) is
 * refused first, named as `createNatsTransport({ key })` with the closest option suggested.
 *
 * @internal
 * @param options - what the caller gave
 * @returns the options the transport runs with
 * @example
 * ```ts
 * resolveOptions({ maxDeliver: 0 }); // throws InvalidOptionError
 * ```
 */
export function resolveOptions(options: NatsTransportOptions): ResolvedNatsOptions {
  assertKnownOptions('createNatsTransport', options, KNOWN);
  const { servers = '127.0.0.1:4222', stream = 'GOSSIP' } = options;
  const validServers =
    typeof servers === 'string'
      ? servers
      : Array.isArray(servers) && servers.every((server) => typeof server === 'string')
        ? [...servers]
        : undefined;
  if (validServers === undefined || validServers.length === 0) {
    throw new InvalidOptionError(
      optionName('createNatsTransport', 'servers'),
      'a server address or a list of them',
      servers,
    );
  }
  if (typeof stream !== 'string' || !/^[A-Za-z0-9_-]+$/.test(stream)) {
    throw new InvalidOptionError(
      optionName('createNatsTransport', 'stream'),
      'a stream name of letters, digits, "_" and "-"',
      stream,
    );
  }
  const onDuplicate = callback<Envelope>('onDuplicate', options.onDuplicate);
  const onError = callback<unknown>('onError', options.onError);
  const concurrency = positiveInteger('concurrency', options.concurrency, 8);
  return {
    servers: validServers,
    stream,
    subjectPrefix: checkPrefix(options.subjectPrefix ?? 'gossip'),
    duplicateWindow:
      options.duplicateWindow === undefined
        ? undefined
        : positiveInteger('duplicateWindow', options.duplicateWindow, 0),
    maxAckPending: positiveInteger('maxAckPending', options.maxAckPending, 1000),
    maxDeliver: positiveInteger('maxDeliver', options.maxDeliver, 10),
    ackWait: positiveInteger('ackWait', options.ackWait, 30_000),
    concurrency,
    prefetch: positiveInteger('prefetch', options.prefetch, 100),
    deliverPolicy: oneOf('deliverPolicy', options.deliverPolicy, ['new', 'all'] as const),
    storage: oneOf('storage', options.storage, ['file', 'memory'] as const),
    publishTimeout: positiveInteger('publishTimeout', options.publishTimeout, 5000),
    onDuplicate: onDuplicate ?? (() => {}),
    onError: onError ?? (() => {}),
  };
}
