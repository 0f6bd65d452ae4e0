import {
  assertKnownOptions,
  type EventBus,
  type EventMap,
  InvalidOptionError,
  type Pattern,
} from '@gossip/core';
import { jsonCodec } from './codec.js';
import type { Codec, Envelope } from './envelope.js';
import type { Transport } from './transport.js';
import type { TransportErrorCode } from './transport-error.js';

/** @internal The header that names the codec's content type; not handed to handlers as metadata. */
export const CONTENT_TYPE = 'content-type';

/** @internal The part of a bus a bridge uses. */
export type BridgedBus = Pick<EventBus<EventMap>, 'lifecycle' | 'receive' | 'report' | 'closed'>;

/** @internal How a bridge's halves report a failure: as a TransportError, through the bus. */
export type Report = (
  code: TransportErrorCode,
  envelope: Pick<Envelope, 'id' | 'type'> | undefined,
  message: string,
  cause: unknown,
) => void;

/**
 * Options of {@link bridge}: which local events go out, which broker messages come in (and
 * for which consumer group), and what happens to a message whose handlers keep failing.
 *
 * @typeParam TEvents - the bus's event map, so that patterns are checked against it
 *
 * @example
 * ```ts
 * const options: BridgeOptions<AppEvents> = {
 *   publish: ['order.**'],
 *   subscribe: ['user.*'],
 *   group: 'billing',
 *   maxAttempts: 5,
 * };
 * ```
 */
export interface BridgeOptions<TEvents extends EventMap = EventMap> {
  /** Patterns of the locally published events to send to the broker. */
  readonly publish?: readonly Pattern<TEvents>[];
  /** Patterns of the broker's messages to receive and dispatch on this bus. */
  readonly subscribe?: readonly Pattern<TEvents>[];
  /**
   * The consumer group (required with `subscribe`): every group gets every message, the
   * processes of one group share them.
   */
  readonly group?: string;
  /**
   * How many deliveries a message gets before it is dead-lettered, the first included.
   * @default 5
   */
  readonly maxAttempts?: number;
  /**
   * The delay before redelivery after the `attempt`-th delivery failed, in milliseconds.
   * @default (attempt) => Math.min(100 * 2 ** (attempt - 1), 30_000)
   */
  readonly backoff?: (attempt: number) => number;
  /**
   * Turns payloads into bytes and back.
   * @default jsonCodec
   */
  readonly codec?: Codec;
  /**
   * Moves a message that will not be handled to the transport's dead-letter subject or stream
   * before giving it up; `false` gives it up (term) without keeping it anywhere.
   * @default true
   */
  readonly deadLetter?: boolean;
  /**
   * How many local events may wait for the broker's ack at once. Past it (a broker that is
   * down, or slower than the bus publishes) an event is handled locally only and reported as
   * a {@link TransportError} with code `TRANSPORT_OUTGOING_FULL`, so that memory stays
   * bounded; forwarding resumes as acks come back. The default leaves room for bursts.
   * @default 100000
   */
  readonly maxOutgoing?: number;
}

const DEFAULT_MAX_ATTEMPTS = 5;
const DEFAULT_MAX_OUTGOING = 100_000;

/**
 * The default backoff: 100 ms after the first failed delivery, doubling each time, at most 30 s.
 *
 * @param attempt - the delivery that failed, from 1
 * @returns the delay in milliseconds
 *
 * @example
 * ```ts
 * exponentialBackoff(1); // 100
 * exponentialBackoff(4); // 800
 * ```
 */
export function exponentialBackoff(attempt: number): number {
  return Math.min(100 * 2 ** (attempt - 1), 30_000);
}

/** @internal A bridge's options, checked, with their defaults. */
export interface Settings {
  readonly publish: readonly string[];
  readonly subscribe: readonly string[];
  readonly group: string;
  readonly maxAttempts: number;
  readonly backoff: (attempt: number) => number;
  readonly codec: Codec;
  readonly deadLetter: boolean;
  readonly maxOutgoing: number;
}

const KNOWN = [
  'publish',
  'subscribe',
  'group',
  'maxAttempts',
  'backoff',
  'codec',
  'deadLetter',
  'maxOutgoing',
];

/** @internal Checks `bridge()`'s arguments (InvalidOptionError) and fills in the defaults. */
export function checkOptions(bus: unknown, transport: unknown, options: unknown): Settings {
  if (typeof bus !== 'object' || bus === null || typeof (bus as BridgedBus).receive !== 'function')
    throw new InvalidOptionError('bridge(bus)', 'an event bus', bus);
  const t = transport as Partial<Transport> | null;
  if (
    typeof t !== 'object' ||
    t === null ||
    typeof t.publish !== 'function' ||
    typeof t.subscribe !== 'function' ||
    typeof t.deadLetter !== 'function' ||
    (t.publishBatch !== undefined && typeof t.publishBatch !== 'function')
  )
    throw new InvalidOptionError(
      'bridge(transport)',
      'a Transport (publish, subscribe, deadLetter; publishBatch a function if present)',
      transport,
    );
  assertKnownOptions('bridge', options, KNOWN);
  const given = options as Record<string, unknown>;
  const publish = patternsOf('publish', given.publish);
  const subscribe = patternsOf('subscribe', given.subscribe);
  if (publish.length === 0 && subscribe.length === 0)
    throw new InvalidOptionError(
      'bridge({ publish, subscribe })',
      'patterns to publish, to subscribe, or both',
      options,
    );
  const { group, maxAttempts = DEFAULT_MAX_ATTEMPTS, backoff = exponentialBackoff } = given;
  const { codec = jsonCodec, deadLetter = true, maxOutgoing = DEFAULT_MAX_OUTGOING } = given;
  if (subscribe.length > 0 && (typeof group !== 'string' || group.length === 0))
    throw new InvalidOptionError(
      'bridge({ group })',
      'a consumer group name with subscribe',
      group,
    );
  if (group !== undefined && typeof group !== 'string')
    throw new InvalidOptionError('bridge({ group })', 'a string', group);
  if (typeof maxAttempts !== 'number' || !Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw new InvalidOptionError('bridge({ maxAttempts })', 'an integer of 1 or more', maxAttempts);
  if (typeof backoff !== 'function')
    throw new InvalidOptionError('bridge({ backoff })', 'a function of the attempt', backoff);
  const c = codec as Partial<Codec> | null;
  if (
    typeof c !== 'object' ||
    c === null ||
    typeof c.encode !== 'function' ||
    typeof c.decode !== 'function' ||
    typeof c.contentType !== 'string'
  )
    throw new InvalidOptionError('bridge({ codec })', 'a Codec (contentType, encode, decode)', c);
  if (typeof deadLetter !== 'boolean')
    throw new InvalidOptionError('bridge({ deadLetter })', 'a boolean', deadLetter);
  if (typeof maxOutgoing !== 'number' || !Number.isSafeInteger(maxOutgoing) || maxOutgoing < 1)
    throw new InvalidOptionError('bridge({ maxOutgoing })', 'an integer of 1 or more', maxOutgoing);
  return {
    publish,
    subscribe,
    group: group ?? '',
    maxAttempts,
    backoff: backoff as (attempt: number) => number,
    codec: codec as Codec,
    deadLetter,
    maxOutgoing,
  };
}

const SEGMENT = /^(\*|\*\*|[^*]+)$/;

function patternsOf(name: string, value: unknown): string[] {
  if (value === undefined) return [];
  const option = `bridge({ ${name} })`;
  if (!Array.isArray(value)) throw new InvalidOptionError(option, 'an array of patterns', value);
  for (const pattern of value as unknown[]) {
    const segments = typeof pattern === 'string' ? pattern.split('.') : [];
    const wellFormed =
      segments.length > 0 &&
      segments.every(
        (segment, i) => SEGMENT.test(segment) && (segment !== '**' || i === segments.length - 1),
      );
    if (!wellFormed)
      throw new InvalidOptionError(
        option,
        'patterns such as "order.placed", "order.*", "order.**"',
        pattern,
      );
  }
  return [...new Set(value as string[])];
}
