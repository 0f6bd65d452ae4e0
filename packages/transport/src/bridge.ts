import {
  type AnyEvent,
  BusClosedError,
  compilePattern,
  ErrorCode,
  type EventBus,
  type EventMap,
  GossipError,
  InvalidOptionError,
  type Metadata,
  MetadataKey,
  type Pattern,
} from '@gossip/core';
import { jsonCodec } from './codec.js';
import type { Codec, Envelope } from './envelope.js';
import type {
  DeadLetterReason,
  Transport,
  TransportMessage,
  TransportSubscription,
} from './transport.js';
import { TransportError, TransportErrorCode } from './transport-error.js';

/** The header that names the codec's content type; not handed to handlers as metadata. */
const CONTENT_TYPE = 'content-type';

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

/**
 * A running bridge. `close()` stops forwarding local events, closes the subscription (the
 * transport lets the messages being handled settle, each acked or nacked) and waits for the
 * outgoing publishes already started. It is also `AsyncDisposable`.
 *
 * @example
 * ```ts
 * await using link = bridge(bus, transport, { subscribe: ['user.*'], group: 'billing' });
 * await link.ready;
 * ```
 */
export interface Bridge extends AsyncDisposable {
  /**
   * Resolves once the subscription is in place (at once without `subscribe`); rejects if the
   * transport refused it (the failure is reported through the bus as well).
   */
  readonly ready: Promise<void>;
  /** Stops the bridge; calling it again returns the same promise. */
  close(): Promise<void>;
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

/**
 * Connects a bus to a broker. Local events matching `publish` are encoded into envelopes and
 * published; messages of the broker matching `subscribe` are decoded, validated (and upcast) by
 * `bus.receive()` and handled by the local subscriptions.
 *
 * A message is acknowledged when every handler succeeded, nacked with `backoff` when one
 * failed, and after `maxAttempts` deliveries moved to the dead letters with the last error. A
 * message that cannot be decoded, or that its schema refuses (ValidationError, UpcastError,
 * UnknownEventError), is dead-lettered at once: it would fail the same way every time. A
 * message arriving while the bus shuts down is nacked without delay, for another process of the
 * group, and the bridge closes itself.
 *
 * Failures (a publish the broker refused, a message that could not be settled) are reported
 * through `bus.report()` as {@link TransportError}s, never thrown or left as unhandled
 * rejections. Options are checked at once (InvalidOptionError).
 *
 * Shutdown: close the bridge before `bus.shutdown()` to stop taking messages and let the bus
 * drain what it has, or after; the bridge also closes itself when the bus has shut down.
 *
 * @param bus - the bus to connect
 * @param transport - the broker, such as `@gossip/nats`'s or {@link createMemoryTransport}
 * @param options - what to send and receive; see {@link BridgeOptions}
 * @returns the bridge, with `ready` and `close()`
 *
 * @example
 * ```ts
 * const link = bridge(bus, transport, {
 *   publish: ['order.**'],
 *   subscribe: ['user.*'],
 *   group: 'billing',
 * });
 * await link.ready;
 * // ...
 * await bus.shutdown();
 * await link.close();
 * ```
 */
export function bridge<TEvents extends EventMap, TInputs extends EventMap>(
  bus: EventBus<TEvents, TInputs>,
  transport: Transport,
  options: NoInfer<BridgeOptions<TEvents>>,
): Bridge {
  const settings = checkOptions(bus, transport, options);
  makeDisposable();
  return new BusBridge(bus as unknown as BridgedBus, transport, settings);
}

/** The part of a bus a bridge uses. */
type BridgedBus = Pick<EventBus<EventMap>, 'lifecycle' | 'receive' | 'report' | 'closed'>;

interface Settings {
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

function checkOptions(bus: unknown, transport: unknown, options: unknown): Settings {
  if (typeof bus !== 'object' || bus === null || typeof (bus as BridgedBus).receive !== 'function')
    throw new InvalidOptionError('bridge(bus)', 'an event bus', bus);
  const t = transport as Partial<Transport> | null;
  if (
    typeof t !== 'object' ||
    t === null ||
    typeof t.publish !== 'function' ||
    typeof t.subscribe !== 'function' ||
    typeof t.deadLetter !== 'function'
  )
    throw new InvalidOptionError(
      'bridge(transport)',
      'a Transport (publish, subscribe, deadLetter)',
      transport,
    );
  if (typeof options !== 'object' || options === null)
    throw new InvalidOptionError('bridge(options)', 'an object', options);
  const given = options as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!KNOWN.includes(key))
      throw new InvalidOptionError(`bridge({ ${key} })`, `one of ${KNOWN.join(', ')}`, key);
  }
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

/** How many event types' forwarding decisions a bridge keeps (see `#goesOut`). */
const GOES_OUT_TYPES = 1024;

/** The headers made of one metadata object, and the schema version it carries. */
interface Headers {
  readonly metadata: Metadata;
  readonly headers: Readonly<Record<string, string>>;
  readonly version: number;
}

/** What {@link BusBridge} `#decode` returns for a payload its codec could not read. */
class DecodeFailure {
  constructor(readonly cause: unknown) {}
}

/** The bridge's state for one message it was handed. */
interface Taken {
  readonly message: TransportMessage;
  settled: boolean;
}

class BusBridge implements Bridge {
  readonly #bus: BridgedBus;
  readonly #transport: Transport;
  readonly #settings: Settings;
  /** Publishes handed to the transport and not yet settled. */
  #outgoing = 0;
  /** Resolves `close()`'s wait once the last outgoing publish settles. */
  #outgoingDone: (() => void) | undefined;
  readonly #taken = new Set<Taken>();
  readonly #matches: (type: string) => boolean;
  /** Whether an event type goes out, per type seen (cleared past GOES_OUT_TYPES types). */
  readonly #goesOutByType = new Map<string, boolean>();
  #lastHeaders: Headers | undefined;
  readonly #stops: Array<() => void> = [];
  readonly #subscription: Promise<TransportSubscription | undefined>;
  #closing: Promise<void> | undefined;
  readonly ready: Promise<void>;

  constructor(bus: BridgedBus, transport: Transport, settings: Settings) {
    this.#bus = bus;
    this.#transport = transport;
    this.#settings = settings;
    const matchers = settings.publish.map(compilePattern);
    this.#matches = (type) => matchers.some((matches) => matches(type));
    if (settings.publish.length > 0) {
      this.#stops.push(bus.lifecycle.on('publish', (event) => this.#forward(event)));
    }
    this.#stops.push(bus.lifecycle.on('shutdown', () => void this.close()));
    this.#subscription = this.#subscribe();
    this.ready = this.#subscription.then(() => undefined);
  }

  async #subscribe(): Promise<TransportSubscription | undefined> {
    const { subscribe: patterns, group } = this.#settings;
    if (patterns.length === 0) return undefined;
    try {
      return await this.#transport.subscribe({
        group,
        patterns,
        onMessage: (message) => this.#onMessage(message),
      });
    } catch (cause) {
      this.#report(
        TransportErrorCode.SubscribeFailed,
        undefined,
        `Could not subscribe group "${group}" to ${patterns.join(', ')}; nothing is received. Check the broker and the patterns, then bridge again`,
        cause,
      );
      throw cause;
    }
  }

  // --- outgoing -------------------------------------------------------------------------------

  #forward(event: AnyEvent): void {
    if (this.#closing !== undefined || !this.#goesOut(event.type)) return;
    if (this.#outgoing >= this.#settings.maxOutgoing) {
      this.#report(
        TransportErrorCode.OutgoingFull,
        event,
        `${this.#outgoing} events wait for the broker's ack (maxOutgoing), so this one was handled locally only. Check that the broker is reachable, or raise maxOutgoing if it is only slower than the bus in bursts`,
        undefined,
      );
      return;
    }
    let envelope: Envelope;
    try {
      envelope = this.#envelopeOf(event);
    } catch (cause) {
      this.#report(
        TransportErrorCode.EncodeFailed,
        event,
        'Could not encode the event for the broker; it was handled locally only. Make its payload encodable by the codec',
        cause,
      );
      return;
    }
    this.#outgoing++;
    let sent: Promise<void>;
    try {
      sent = this.#transport.publish(envelope);
    } catch (cause) {
      sent = Promise.reject(cause);
    }
    // A counter and one reaction per event, rather than a set of promises: close() waits for
    // the count to reach zero.
    sent.then(this.#published, (cause: unknown) => {
      this.#report(
        TransportErrorCode.PublishFailed,
        envelope,
        'The broker did not store the event; it was handled locally only. Publish it again once the broker is reachable',
        cause,
      );
      this.#published();
    });
  }

  /**
   * Whether events of a type go to the broker. Kept per type: a wildcard pattern splits the type
   * at every test, on the path of every published event. Cleared when it holds GOES_OUT_TYPES
   * types, so that an application publishing ever new names does not grow it without bound.
   */
  #goesOut(type: string): boolean {
    let goes = this.#goesOutByType.get(type);
    if (goes === undefined) {
      goes = this.#matches(type);
      if (this.#goesOutByType.size >= GOES_OUT_TYPES) this.#goesOutByType.clear();
      this.#goesOutByType.set(type, goes);
    }
    return goes;
  }

  readonly #published = (): void => {
    if (--this.#outgoing === 0) this.#outgoingDone?.();
  };

  #envelopeOf(event: AnyEvent): Envelope {
    const { headers, version } = this.#headersOf(event.metadata);
    const payload = this.#settings.codec.encode(event.data);
    // Two literals rather than a conditional spread, which builds a throwaway object and copies
    // it, per forwarded event.
    return isVersion(version)
      ? {
          id: event.id,
          type: event.type,
          timestamp: event.timestamp,
          schemaVersion: version,
          payload,
          headers,
        }
      : { id: event.id, type: event.type, timestamp: event.timestamp, payload, headers };
  }

  /**
   * The headers an event's metadata travels as, and the schema version it carries. Events of a
   * type published without metadata share one frozen metadata object, so the last one's headers
   * (frozen too) are used again while the object is the same.
   */
  #headersOf(metadata: Metadata): Headers {
    if (this.#lastHeaders?.metadata === metadata) return this.#lastHeaders;
    const stamp = metadata[MetadataKey.SchemaVersion];
    const version = Number(stamp);
    // The version travels once, as the envelope's schemaVersion (#metadataOf puts it back), when
    // the stamp is exactly a version; anything else in that key travels as it is.
    const skip = isVersion(version) && String(version) === stamp ? MetadataKey.SchemaVersion : '';
    const headers: Record<string, string> = {};
    for (const key in metadata) {
      if (key !== skip) headers[key] = metadata[key] as string;
    }
    headers[CONTENT_TYPE] = this.#settings.codec.contentType;
    const made: Headers = { metadata, headers: Object.freeze(headers), version };
    // Kept only for a metadata object that cannot change under it.
    if (Object.isFrozen(metadata)) this.#lastHeaders = made;
    return made;
  }

  // --- incoming -------------------------------------------------------------------------------

  // Not async functions, here and in #settle: every received message takes this path, and an
  // async function's suspended state (about a kilobyte a message, measured) costs several times
  // the reactions of a promise chain.
  #onMessage(message: TransportMessage): Promise<void> {
    const taken: Taken = { message, settled: false };
    this.#taken.add(taken);
    let handled: Promise<void>;
    try {
      handled = this.#handle(taken);
    } catch (cause) {
      handled = Promise.reject(cause);
    }
    return handled.then(
      () => this.#release(taken),
      (cause: unknown) => this.#unexpected(taken, cause),
    );
  }

  /** Hands the message to the bus and settles it by what its handlers did. */
  #handle(taken: Taken): Promise<void> {
    const { envelope, attempt } = taken.message;
    if (this.#bus.closed) return this.#handBack(taken);
    const data = this.#decode(envelope);
    if (data instanceof DecodeFailure) {
      return this.#deadLetter(taken, {
        code: TransportErrorCode.DecodeFailed,
        message: `Cannot decode the payload of "${envelope.type}" (${envelope.id}): ${messageOf(data.cause)}`,
        attempts: attempt,
      });
    }
    return this.#bus
      .receive({
        id: envelope.id,
        type: envelope.type,
        timestamp: envelope.timestamp,
        data,
        metadata: this.#metadataOf(envelope),
      })
      .then(
        ({ errors }) => this.#settleBy(taken, errors),
        (error: unknown) => this.#refused(taken, error),
      );
  }

  /** Acks a message its handlers all took, and nacks or dead-letters one they failed. */
  #settleBy(taken: Taken, errors: ReadonlyArray<GossipError>): Promise<void> {
    const { attempt } = taken.message;
    if (errors.length === 0) return this.#settle(taken, 'ack');
    if (errors.every((error) => error instanceof BusClosedError)) {
      // Abandoned at the shutdown deadline: not the handler's fault, so not an attempt used up.
      return this.#settle(taken, 'nack', 0);
    }
    if (attempt >= this.#settings.maxAttempts) {
      return this.#deadLetter(taken, reasonOf(errors, attempt));
    }
    return this.#settle(taken, 'nack', this.#delayAfter(attempt));
  }

  /** What `receive` threw: a closed bus hands the message back, a refused one is dead-lettered. */
  #refused(taken: Taken, error: unknown): Promise<void> {
    if (error instanceof BusClosedError) return this.#handBack(taken);
    if (error instanceof GossipError && REFUSED.has(error.code)) {
      return this.#deadLetter(taken, reasonOf([error], taken.message.attempt));
    }
    return Promise.reject(error);
  }

  /** The bus takes no more events: hand the message back at once, for another process. */
  #handBack(taken: Taken): Promise<void> {
    return this.#settle(taken, 'nack', 0).then(() => {
      void this.close();
    });
  }

  #unexpected(taken: Taken, cause: unknown): Promise<void> | undefined {
    const { message } = taken;
    this.#report(
      TransportErrorCode.Unexpected,
      message.envelope,
      'The bridge failed while handling a message; it is redelivered',
      cause,
    );
    if (taken.settled) return this.#release(taken);
    return this.#settle(taken, 'nack', this.#delayAfter(message.attempt)).then(() =>
      this.#release(taken),
    );
  }

  /** Forgets a settled message; one left unsettled stays, for close() to report. */
  #release(taken: Taken): undefined {
    if (taken.settled) this.#taken.delete(taken);
    return undefined;
  }

  /** The payload decoded by the codec, or a DecodeFailure saying why it could not be. */
  #decode(envelope: Envelope): unknown {
    const { codec } = this.#settings;
    const contentType = envelope.headers[CONTENT_TYPE];
    try {
      if (contentType !== undefined && contentType !== codec.contentType) {
        throw new Error(
          `its content type is "${contentType}", the codec reads "${codec.contentType}"`,
        );
      }
      return codec.decode(envelope.payload);
    } catch (cause) {
      return new DecodeFailure(cause);
    }
  }

  #metadataOf(envelope: Envelope): Metadata {
    // Copied key by key rather than spread and deleted from: a deleted key turns the object
    // into a slow dictionary, and the bus copies it again.
    const metadata: Record<string, string> = {};
    const { headers } = envelope;
    for (const key in headers) {
      if (key !== CONTENT_TYPE) metadata[key] = headers[key] as string;
    }
    if (envelope.schemaVersion !== undefined && metadata[MetadataKey.SchemaVersion] === undefined) {
      metadata[MetadataKey.SchemaVersion] = String(envelope.schemaVersion);
    }
    return metadata;
  }

  #delayAfter(attempt: number): number {
    try {
      const ms = this.#settings.backoff(attempt);
      if (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0) return ms;
    } catch {
      // A backoff that throws falls back on the default, as one that returns nonsense does.
    }
    return exponentialBackoff(attempt);
  }

  async #deadLetter(taken: Taken, reason: DeadLetterReason): Promise<void> {
    const { envelope, attempt } = taken.message;
    if (this.#settings.deadLetter) {
      try {
        await this.#transport.deadLetter(envelope, reason);
      } catch (cause) {
        this.#report(
          TransportErrorCode.DeadLetterFailed,
          envelope,
          `Could not dead-letter the message (${reason.code}); it is redelivered and dead-lettered again then`,
          cause,
        );
        await this.#settle(taken, 'nack', this.#delayAfter(attempt));
        return;
      }
    }
    await this.#settle(taken, 'term');
  }

  /**
   * Acks, nacks or terms a message; a failure is reported (the broker redelivers it), never
   * rejected. Not an async function: each message is settled once, on the path every message
   * takes, and an async function's state costs several times the two reactions here.
   */
  #settle(taken: Taken, action: 'ack' | 'nack' | 'term', delay?: number): Promise<void> {
    const { message } = taken;
    let settling: Promise<void>;
    try {
      // Promise.resolve: a transport's message that returns nothing is settled all the same.
      settling = Promise.resolve(
        action === 'ack' ? message.ack() : action === 'term' ? message.term() : message.nack(delay),
      );
    } catch (cause) {
      settling = Promise.reject(cause);
    }
    return settling.then(
      () => {
        taken.settled = true;
      },
      (cause: unknown) =>
        this.#report(
          TransportErrorCode.SettleFailed,
          message.envelope,
          `Could not ${action} the message; the broker redelivers it`,
          cause,
        ),
    );
  }

  #report(
    code: TransportErrorCode,
    envelope: Pick<Envelope, 'id' | 'type'> | undefined,
    message: string,
    cause: unknown,
  ): void {
    this.#bus.report(new TransportError(code, this.#transport.name, envelope, message, { cause }));
  }

  // --- closing --------------------------------------------------------------------------------

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    for (const stop of this.#stops) stop();
    const subscription = await this.#subscription.catch(() => undefined);
    try {
      await subscription?.close();
    } catch (cause) {
      this.#report(
        TransportErrorCode.SubscribeFailed,
        undefined,
        `Could not close the subscription of group "${this.#settings.group}"; the broker redelivers what it had not settled`,
        cause,
      );
    }
    if (this.#outgoing > 0) {
      await new Promise<void>((resolve) => {
        this.#outgoingDone = resolve;
      });
    }
    for (const { message, settled } of this.#taken) {
      if (settled) continue;
      this.#report(
        TransportErrorCode.Unsettled,
        message.envelope,
        'The message was neither acked nor nacked when the bridge closed; the broker redelivers it',
        undefined,
      );
    }
    this.#taken.clear();
  }

  declare readonly [Symbol.asyncDispose]: () => Promise<void>;
}

// Defined on the prototype through the symbol the host has (or the registered one polyfills
// use), read when a bridge is first made, so that importing the package runs no code.
let disposable = false;
function makeDisposable(): void {
  if (disposable) return;
  disposable = true;
  const symbol =
    Symbol.asyncDispose ?? (Symbol.for('Symbol.asyncDispose') as typeof Symbol.asyncDispose);
  Object.defineProperty(BusBridge.prototype, symbol, {
    configurable: true,
    writable: true,
    value(this: BusBridge): Promise<void> {
      return this.close();
    },
  });
}

/** Failures of the message itself, the same at every delivery: never worth redelivering. */
const REFUSED: ReadonlySet<string> = new Set([
  ErrorCode.Validation,
  ErrorCode.Upcast,
  ErrorCode.UnknownEvent,
  ErrorCode.InvalidOption,
]);

function reasonOf(errors: ReadonlyArray<GossipError>, attempts: number): DeadLetterReason {
  const [first] = errors;
  return {
    code: String(first?.code ?? ErrorCode.Handler),
    message: errors.map((error) => messageOf(error)).join('; '),
    attempts,
  };
}

function isVersion(value: number): boolean {
  return Number.isInteger(value) && value > 0;
}

function messageOf(value: unknown): string {
  try {
    return value instanceof Error ? value.message : String(value);
  } catch {
    return 'an unreadable value';
  }
}
