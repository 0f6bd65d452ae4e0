import { assertFunction } from './assert.js';
import { checkDispatchOptions, checkMiddleware, checkScheduler } from './bus-options.js';
import type { OverflowPolicy } from './dispatcher.js';
import { type GossipError, type HandlerError, InvalidOptionError } from './errors.js';
import type { AnyEvent } from './event.js';
import type { EventMap, InferEventInputs, InferEventMap, SchemaMap } from './event-map.js';
import { GossipBus } from './gossip-bus.js';
import type {
  Filter,
  Handler,
  Middleware,
  PublishOptions,
  SubscribeOptions,
  Unsubscribe,
} from './handler.js';
import type { IncomingEvent } from './incoming-event.js';
import type { Lifecycle } from './lifecycle.js';
import type { IsOpenMap, NamesOf, Pattern, PatternEvent } from './pattern.js';
import type { PublishSyncOptions } from './publish-sync.js';
import { fifoScheduler, type SchedulerFactory } from './scheduler.js';
import { SchemaRegistry } from './schema-registry.js';
import type { ShutdownReport } from './shutdown-report.js';
import type { BusStats } from './stats.js';
import type { EventStream } from './stream.js';

/**
 * The arguments after the event type: the payload (optional when the payload type admits
 * `undefined`, so void events take no data), then the options.
 *
 * @example
 * ```ts
 * type A = PublishArgs<{ id: string }, PublishOptions>; // [data: { id: string }, options?: PublishOptions]
 * ```
 */
export type PublishArgs<TData, TOptions> = undefined extends TData
  ? [data?: TData, options?: TOptions]
  : [data: TData, options?: TOptions];

/**
 * True for a union of two or more types.
 *
 * @example
 * ```ts
 * type A = IsUnion<'a.b' | 'c.d'>; // true
 * type B = IsUnion<'a.b'>; // false
 * ```
 */
export type IsUnion<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never;

/**
 * The event type parameter of publish: a name of the map, or (for a misspelt name) the names
 * of the map, so the error lists them.
 *
 * @example
 * ```ts
 * type T = CheckedType<{ 'a.b': number; 'c.d': string }, 'a.x'>; // 'a.b' | 'c.d'
 * ```
 */
export type CheckedType<TInputs extends EventMap, TType extends string> =
  TType extends NamesOf<TInputs> ? TType : NamesOf<TInputs>;

/**
 * The arguments of publish after the event type: the payload of that type (optional when it
 * admits `undefined`, so void events take no data), then the options. A union of event types
 * (a variable typed `'a' | 'b'`) gets none, so it does not compile: its payload could not be
 * checked against the type it will have at run time. A bus without an event map takes any
 * payload.
 *
 * A misspelt type gets `unknown` here: the type argument reports it. Keeping this branch wide
 * also keeps the compiler from typing the payload against every payload of the map while it
 * infers the event type (one union of N payloads per call).
 *
 * @typeParam TAll - the whole type argument, so a union is seen while `TType` distributes
 *
 * @example
 * ```ts
 * type A = ArgsFor<{ 'a.b': { n: number } }, 'a.b', PublishOptions>; // [data: { n: number }, options?: PublishOptions]
 * ```
 */
export type ArgsFor<
  TInputs extends EventMap,
  TType extends string,
  TOptions,
  TAll extends string = TType,
> =
  TType extends NamesOf<TInputs>
    ? true extends IsUnion<TAll>
      ? true extends IsOpenMap<TInputs>
        ? PublishArgs<TInputs[TType], TOptions>
        : [data: never, options?: TOptions]
      : PublishArgs<TInputs[TType], TOptions>
    : [data?: unknown, options?: TOptions];

/**
 * The typed `publish` of a bus: the event type must be a name of the map and the payload its
 * payload type.
 *
 * @typeParam TEvents - the event map, as handlers receive the payloads
 * @typeParam TInputs - the payloads publish accepts (schema inputs; the same names)
 *
 * @example
 * ```ts
 * const publish: TypedPublish<AppEvents> = bus.publish;
 * ```
 */
export type TypedPublish<TEvents extends EventMap, TInputs extends EventMap = TEvents> = <
  TType extends string,
>(
  type: CheckedType<TInputs, TType>,
  ...args: ArgsFor<TInputs, TType, PublishOptions>
) => Promise<void>;

/**
 * The handler of a subscription to `TPattern`: it receives the union of the matched events.
 *
 * @example
 * ```ts
 * const onOrder: BusHandler<AppEvents, 'order.*'> = (event) => console.log(event.type);
 * ```
 */
export type BusHandler<
  TEvents extends EventMap,
  TPattern extends string,
  TInputs extends EventMap = TEvents,
> = Handler<PatternEvent<TEvents, TPattern>, TypedPublish<TEvents, TInputs>>;

/**
 * Options of `once`.
 *
 * @example
 * ```ts
 * const event = await bus.once('user.created', { timeout: 5000, signal });
 * ```
 */
export interface OnceOptions<TEvent extends AnyEvent = AnyEvent> {
  /** Rejects with the signal's reason when aborted. */
  readonly signal?: AbortSignal;
  /** Rejects with a TimeoutError after this many milliseconds. */
  readonly timeout?: number;
  /** Waits for the next event the filter accepts. */
  readonly filter?: Filter<TEvent>;
}

/**
 * Options of `stream`.
 *
 * @example
 * ```ts
 * for await (const event of bus.stream('order.*', { bufferSize: 10, signal })) handle(event);
 * ```
 */
export interface StreamOptions {
  /** Ends the iteration (normally, `done: true`) when aborted. */
  readonly signal?: AbortSignal;
  /**
   * How many events the stream holds for a slow consumer; when full, delivery waits for room.
   * @default 100
   */
  readonly bufferSize?: number;
}

/**
 * The outcome of `receive`: the event as dispatched, and the failures of its handlers (empty
 * when every handler succeeded, so a bridge acknowledges the message).
 *
 * @example
 * ```ts
 * const { errors } = await bus.receive(message);
 * if (errors.length === 0) ack(); else nak();
 * ```
 */
export interface ReceiveResult {
  /** The event, validated. */
  readonly event: AnyEvent;
  /** HandlerErrors, or a BusClosedError for deliveries abandoned at the shutdown deadline. */
  readonly errors: ReadonlyArray<GossipError>;
}

/**
 * A typed event bus. Create one with {@link createEventBus}.
 *
 * @typeParam TEvents - the event map: names to payload types as handlers receive them
 * @typeParam TInputs - the payload types publish accepts (schema inputs); the same by default
 *
 * @example
 * ```ts
 * const bus = createEventBus({ schemas: events });
 * bus.subscribe('user.*', (event) => console.log(event.type, event.data));
 * await bus.publish('user.created', { userId: 'u1', email: 'ada@example.com' });
 * await bus.shutdown();
 * ```
 */
export interface EventBus<TEvents extends EventMap, TInputs extends EventMap = TEvents> {
  /**
   * Validates the payload, then queues the event for asynchronous dispatch. Resolves once the
   * event is queued (or dropped by a drop policy); with overflow `block`, waits for room.
   * Rejects with ValidationError, UnknownEventError, BufferFullError or BusClosedError.
   *
   * @example
   * ```ts
   * await bus.publish('user.created', { userId: 'u1', email: 'ada@example.com' }, { metadata: { requestId: 'r1' } });
   * ```
   */
  readonly publish: TypedPublish<TEvents, TInputs>;

  /**
   * Validates, then runs every matching handler now, concurrently (or one after another with
   * `sequential`), and resolves when all have settled with their failures (empty on success).
   * Failures are returned, not reported to `onError`.
   *
   * @example
   * ```ts
   * const errors = await bus.publishSync('order.paid', { orderId: 'o1', amount: 10 });
   * if (errors.length > 0) throw new AggregateError(errors);
   * ```
   */
  publishSync<TType extends string>(
    type: CheckedType<TInputs, TType>,
    ...args: ArgsFor<TInputs, TType, PublishSyncOptions>
  ): Promise<HandlerError[]>;

  /**
   * Subscribes a handler to a pattern: an exact name, `*` for one segment, `**` for one or
   * more trailing segments. The handler's event is the union of the matched events.
   *
   * @returns a function that unsubscribes, also `Disposable`
   *
   * @example
   * ```ts
   * const off = bus.subscribe('order.*', (event) => {
   *   if (event.type === 'order.paid') console.log(event.data.amount);
   * });
   * ```
   */
  subscribe<const TPattern extends Pattern<TEvents>>(
    pattern: TPattern,
    handler: NoInfer<BusHandler<TEvents, TPattern, TInputs>>,
    options?: NoInfer<SubscribeOptions<PatternEvent<TEvents, TPattern>>>,
  ): Unsubscribe;

  /**
   * Resolves with the next event matching the pattern.
   *
   * @example
   * ```ts
   * const created = await bus.once('user.created', { timeout: 1000 });
   * ```
   */
  once<const TPattern extends Pattern<TEvents>>(
    pattern: TPattern,
    options?: NoInfer<OnceOptions<PatternEvent<TEvents, TPattern>>>,
  ): Promise<PatternEvent<TEvents, TPattern>>;

  /**
   * An async iterator of the events matching the pattern, holding at most `bufferSize`.
   *
   * @example
   * ```ts
   * for await (const event of bus.stream('order.**')) console.log(event.type);
   * ```
   */
  stream<const TPattern extends Pattern<TEvents>>(
    pattern: TPattern,
    options?: StreamOptions,
  ): EventStream<PatternEvent<TEvents, TPattern>>;

  /**
   * Adds middleware around every subscription, present and future; per-subscription
   * middleware runs inside it.
   *
   * @example
   * ```ts
   * bus.use((next) => async (event, ctx) => { try { await next(event, ctx); } finally { done(event); } });
   * ```
   */
  use(middleware: Middleware): void;

  /**
   * The transport seam: takes an event from elsewhere as untrusted input, validates it,
   * dispatches it to local subscriptions (waiting for room, whatever the overflow policy) and
   * resolves with the handlers' failures. Received events are not emitted as `publish` on the
   * lifecycle, so a bridge never forwards them back.
   *
   * @example
   * ```ts
   * const { errors } = await bus.receive({ id, type, data: JSON.parse(body), metadata });
   * ```
   */
  receive(message: IncomingEvent): Promise<ReceiveResult>;

  /**
   * Reports a failure that happened outside a handler call, such as a batch that failed after
   * its events were handed to a batch processor, through `onError` and the `error` lifecycle
   * event: the same path as a handler failure. Meant for sibling packages and bridges.
   *
   * @example
   * ```ts
   * processorOptions.onError = (error) => bus.report(error);
   * ```
   */
  report(error: GossipError): void;

  /**
   * The bus's own events: `error`, `drop`, `publish`, `shutdown`.
   *
   * @example
   * ```ts
   * bus.lifecycle.on('drop', ({ event, reason }) => console.warn(reason, event.id));
   * ```
   */
  readonly lifecycle: Lifecycle;

  /** True once `shutdown` has been called. */
  readonly closed: boolean;

  /**
   * A snapshot of the counters: published, delivered, failed, dropped, queued, in flight, per type.
   *
   * @example
   * ```ts
   * console.log(bus.stats().byType['user.created']?.delivered);
   * ```
   */
  stats(): BusStats;

  /**
   * Stops accepting events, drains the buffer, waits for running handlers, aborts those still
   * running at the deadline (through `ctx.signal`) and resolves with a report of what was and
   * was not delivered. Calling it again returns the same promise.
   *
   * @param options - `timeout`: the deadline in milliseconds (default 30 000; `Infinity` for none)
   *
   * @example
   * ```ts
   * const report = await bus.shutdown({ timeout: 5000 });
   * console.log(report.delivered, report.undelivered.length);
   * ```
   */
  shutdown(options?: { timeout?: number }): Promise<ShutdownReport>;
}

/**
 * The bus of a schema map, as `createEventBus({ schemas })` returns it: handy to type a
 * function or a class field that takes the bus.
 *
 * @example
 * ```ts
 * const events = defineEvents({ 'user.created': z.object({ email: z.string() }) });
 * class Mailer {
 *   constructor(bus: BusOf<typeof events>) {
 *     bus.subscribe('user.created', (event) => send(event.data.email));
 *   }
 * }
 * ```
 */
export type BusOf<TSchemas extends SchemaMap> = EventBus<
  InferEventMap<TSchemas>,
  InferEventInputs<TSchemas>
>;

/**
 * Options of {@link createEventBus}.
 *
 * @example
 * ```ts
 * createEventBus({ schemas, workers: 4, bufferSize: 10_000, overflow: 'reject', onError: report });
 * ```
 */
export interface EventBusOptions {
  /**
   * How many handler calls may run at once.
   * @default 10
   */
  readonly workers?: number;
  /**
   * How many events the buffer holds before the overflow policy applies.
   * @default 1000
   */
  readonly bufferSize?: number;
  /**
   * What publish does when the buffer is full: `block` waits for room (backpressure),
   * `reject` fails with BufferFullError, `drop-oldest` and `drop-newest` drop an event and
   * report it (stats, `onDrop`, the `drop` lifecycle event).
   * @default 'block' (nothing is lost; a producer that awaits publish slows to the consumers' pace)
   */
  readonly overflow?: OverflowPolicy;
  /**
   * Orders the buffer; `@gossip/priority` provides a priority scheduler.
   * @default fifoScheduler
   */
  readonly scheduler?: SchedulerFactory;
  /**
   * The longest chain of events caused by handlers (`ctx.publish`) before it is refused as a loop.
   * @default 32
   */
  readonly maxCausationDepth?: number;
  /**
   * Called with each failure: a HandlerError, a LoopDetectedError, or an error a sibling
   * package reports with `bus.report()` (a failed batch, say).
   */
  readonly onError?: (error: GossipError) => void;
  /** Called with each event an overflow policy drops. */
  readonly onDrop?: (event: AnyEvent) => void;
  /** Middleware around every subscription; the first is outermost. */
  readonly middleware?: ReadonlyArray<Middleware>;
}

/**
 * Creates an event bus.
 *
 * - With `schemas` (from {@link defineEvents}): the event map is inferred and every payload is
 *   validated at publish.
 * - With `registry`: the same, from a {@link SchemaRegistry}.
 * - With neither, and the map as a type argument: types without run-time validation.
 *
 * @param options - schemas or registry, and the dispatch settings
 * @returns the bus
 * @throws InvalidOptionError for an option of the wrong kind, naming it
 *
 * @example
 * ```ts
 * const bus = createEventBus({
 *   schemas: defineEvents({ 'user.created': z.object({ email: z.email() }) }),
 * });
 * const typedOnly = createEventBus<{ 'app.started': undefined }>();
 * ```
 */
export function createEventBus<const TSchemas extends SchemaMap>(
  options: EventBusOptions & { readonly schemas: TSchemas },
): EventBus<InferEventMap<TSchemas>, InferEventInputs<TSchemas>>;
export function createEventBus<TEvents extends EventMap>(
  options: EventBusOptions & { readonly registry: SchemaRegistry<TEvents> },
): EventBus<TEvents>;
export function createEventBus<TEvents extends EventMap = Record<string, unknown>>(
  options?: EventBusOptions,
): EventBus<TEvents>;
export function createEventBus(
  options: EventBusOptions & {
    readonly schemas?: SchemaMap;
    readonly registry?: SchemaRegistry<object>;
  } = {},
): EventBus<Record<string, unknown>> {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', 'an object', options);
  }
  const {
    schemas,
    registry,
    scheduler = fifoScheduler,
    onError,
    onDrop,
    middleware = [],
  } = options;
  if (schemas !== undefined && registry !== undefined) {
    throw new InvalidOptionError('schemas', 'either schemas or registry, not both', 'both');
  }
  if (registry !== undefined && !(registry instanceof SchemaRegistry)) {
    throw new InvalidOptionError('registry', 'a SchemaRegistry', registry);
  }
  assertFunction('scheduler', scheduler);
  if (onError !== undefined) assertFunction('onError', onError);
  if (onDrop !== undefined) assertFunction('onDrop', onDrop);
  checkMiddleware(middleware);
  checkScheduler(scheduler);
  const bus = new GossipBus({
    ...checkDispatchOptions(options),
    registry: registry ?? (schemas === undefined ? undefined : new SchemaRegistry(schemas)),
    scheduler,
    onError,
    onDrop,
    middleware,
  });
  return bus as unknown as EventBus<Record<string, unknown>>;
}
