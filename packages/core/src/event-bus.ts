import type { GossipError, HandlerError } from './errors.js';
import type { EventMap } from './event-map.js';
import type { HandlerContext, Middleware, SubscribeOptions, Unsubscribe } from './handler.js';
import type { IncomingEvent } from './incoming-event.js';
import type { Lifecycle } from './lifecycle.js';
import type { OnceOptions } from './once-options.js';
import type { NamesOf, Pattern, PatternEvent } from './pattern.js';
import type { ArgsFor, CheckedType, TypedPublish } from './publish-args.js';
import type { PublishSyncOptions } from './publish-sync.js';
import type { ReceiveResult } from './receive-result.js';
import type { SchemaRegistry } from './schema-registry.js';
import type { ShutdownReport } from './shutdown-report.js';
import type { BusStats } from './stats.js';
import type { EventStream } from './stream.js';
import type { StreamOptions } from './stream-options.js';
import type { SubscriptionInfo } from './subscription-info.js';

/**
 * A typed event bus. Create one with {@link createEventBus}.
 *
 * @typeParam TEvents - the event map: names to payload types as handlers receive them
 * @typeParam TInputs - the payload types publish accepts (schema inputs); the same by default
 *
 * @example
 * ```ts
 * const bus = createEventBus({ schemas: events });
 * bus.subscribe('user.*', (event) => logger.info(event.type, event.data));
 * await bus.publish('user.created', { userId: 'u1', email: 'ada@example.com' });
 * await bus.shutdown();
 * ```
 */
export interface EventBus<TEvents extends EventMap, TInputs extends EventMap = TEvents>
  extends AsyncDisposable {
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
   * Failures are returned, not reported to `onError`. The handlers run outside the worker
   * pool: `workers` does not bound them, and a subscription's `orderingKey` does not order them
   * (the caller is waiting; a publishSync never waits behind queued events).
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
   *   if (event.type === 'order.paid') logger.info(event.data.amount);
   * });
   * ```
   */
  subscribe<const TPattern extends Pattern<TEvents>>(
    pattern: TPattern,
    // BusHandler written out: the alias costs each subscribe call about a fifth more
    // instantiations (a third more for a wildcard), and the type is the same.
    handler: NoInfer<
      (
        event: PatternEvent<TEvents, TPattern>,
        ctx: HandlerContext<TypedPublish<TEvents, TInputs>>,
      ) => void | Promise<void>
    >,
    options?: NoInfer<SubscribeOptions<PatternEvent<TEvents, TPattern>>>,
  ): Unsubscribe;
  /**
   * Subscribes one handler to several patterns at once: its event is the union of the events
   * the patterns match. Each pattern is one subscription (a pattern given twice, one), with the
   * same options; an event that two overlapping patterns match (`user.*` and `user.created`)
   * is delivered to each. An empty array is refused with an InvalidOptionError.
   *
   * @returns one function that ends every one of the subscriptions, also `Disposable`
   *
   * @example
   * ```ts
   * const off = bus.subscribe(['user.created', 'user.deleted'], (event) => {
   *   if (event.type === 'user.created') logger.info(event.data.email);
   * });
   * off(); // both ended
   * ```
   */
  subscribe<const TPatterns extends readonly [Pattern<TEvents>, ...Pattern<TEvents>[]]>(
    patterns: TPatterns,
    handler: NoInfer<
      (
        event: PatternEvent<TEvents, TPatterns[number]>,
        ctx: HandlerContext<TypedPublish<TEvents, TInputs>>,
      ) => void | Promise<void>
    >,
    options?: NoInfer<SubscribeOptions<PatternEvent<TEvents, TPatterns[number]>>>,
  ): Unsubscribe;

  /**
   * Ends subscriptions in bulk, as their unsubscribe functions would: every subscription, or
   * those made with exactly `pattern` (`clear('user.*')` leaves `user.created` alone, and
   * `clear('user.created')` leaves `user.*`). Safe during dispatch: deliveries still queued
   * for an ended subscription are skipped, running ones finish.
   *
   * @param pattern - the pattern whose subscriptions to end; all of them when omitted
   * @returns how many subscriptions were ended
   *
   * @example
   * ```ts
   * bus.clear('order.*'); // the subscriptions to 'order.*'
   * bus.clear(); // every subscription
   * ```
   */
  clear(pattern?: Pattern<TEvents>): number;

  /**
   * Counts active subscriptions, without their filters (a filter sees each event). With no
   * argument, all of them; with an event name, every subscription that would receive an event
   * of that name, wildcard ones included (`listenerCount('user.created')` counts `user.*` and
   * `**`); with a wildcard pattern, the subscriptions made with exactly that pattern.
   *
   * @param pattern - an event name or a pattern; every subscription when omitted
   * @returns the number of subscriptions
   *
   * @example
   * ```ts
   * bus.subscribe('user.*', handler);
   * bus.listenerCount('user.created'); // 1
   * bus.listenerCount('user.*'); // 1
   * bus.listenerCount(); // 1
   * ```
   */
  listenerCount(pattern?: Pattern<TEvents>): number;

  /**
   * Tells whether an event of this name would reach any subscription (wildcards included,
   * filters not consulted): `listenerCount(type) > 0`. Useful to skip building a costly payload.
   *
   * @param type - an event name of the map
   * @returns true if at least one subscription matches it
   *
   * @example
   * ```ts
   * if (bus.hasSubscribers('report.built')) await bus.publish('report.built', buildReport());
   * ```
   */
  hasSubscribers(type: NamesOf<TEvents>): boolean;

  /**
   * The active subscriptions, in subscription order: each one's name, pattern and which options
   * it has. A new array of new objects each call.
   *
   * @example
   * ```ts
   * console.table(bus.subscriptions()); // name, pattern, filter, orderingKey, signal, middleware
   * ```
   */
  subscriptions(): SubscriptionInfo[];

  /**
   * Resolves when the bus has nothing queued, blocked or running (its `publishSync` runs
   * included), without shutting it down: publish, `await bus.idle()`, then assert. Resolves at
   * once when already idle, and when shutdown finishes. An event whose asynchronous schema is
   * still validating is not queued yet: await its `publish` first.
   *
   * @example
   * ```ts
   * void bus.publish('order.paid', { orderId: 'o1', amount: 10 });
   * await bus.idle();
   * expect(handled).toEqual(['o1']);
   * ```
   */
  idle(): Promise<void>;

  /**
   * Resolves with the next event matching the pattern, or any of several patterns (its type is
   * then the union of the events they match; one event resolves it, however many of them match
   * it, and an empty array is refused with an InvalidOptionError). Rejects with TimeoutError
   * after `timeout`, with the signal's reason when it aborts, with BusClosedError once the bus
   * has shut down, and with an `AbortError` DOMException when `clear()` ends its subscription.
   *
   * @example
   * ```ts
   * const created = await bus.once('user.created', { timeout: 1000 });
   * const outcome = await bus.once(['order.paid', 'order.cancelled'], { timeout: 30_000 });
   * if (outcome.type === 'order.paid') logger.info(outcome.data.amount);
   * ```
   */
  // One signature for both (not overloads), so that a misspelt pattern or option gets one
  // error rather than one per overload.
  once<
    const TPattern extends Pattern<TEvents> | readonly [Pattern<TEvents>, ...Pattern<TEvents>[]],
  >(
    pattern: TPattern,
    options?: NoInfer<
      OnceOptions<
        PatternEvent<
          TEvents,
          TPattern extends readonly (infer TEach extends string)[]
            ? TEach
            : Extract<TPattern, string>
        >
      >
    >,
  ): Promise<
    PatternEvent<
      TEvents,
      TPattern extends readonly (infer TEach extends string)[] ? TEach : Extract<TPattern, string>
    >
  >;

  /**
   * An async iterator of the events matching the pattern, holding at most `bufferSize`. It ends
   * once its held events are read after shutdown or after `clear()` ends its subscription.
   *
   * @example
   * ```ts
   * for await (const event of bus.stream('order.**')) logger.info(event.type);
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
   * The bus's own events: `error`, `drop`, `publish`, `shutdown`, `subscribe`, `unsubscribe`.
   *
   * @example
   * ```ts
   * bus.lifecycle.on('drop', ({ event, reason }) => logger.warn(reason, event.id));
   * ```
   */
  readonly lifecycle: Lifecycle;

  /** True once `shutdown` has been called. */
  readonly closed: boolean;

  /**
   * The schema registry the bus validates with (made from `schemas`, or the one given), or
   * undefined for a bus without schemas: what `@gossip/registry` and `gossip catalog` read.
   *
   * @example
   * ```ts
   * bus.registry?.versions('order.placed'); // [1, 2, 3]
   * ```
   */
  readonly registry: SchemaRegistry<object> | undefined;

  /**
   * A snapshot of the counters: published, delivered, failed, dropped, queued, in flight, per type.
   *
   * @example
   * ```ts
   * logger.info(bus.stats().byType['user.created']?.delivered);
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
   * logger.info(report.delivered, report.undelivered.length);
   * ```
   */
  shutdown(options?: { timeout?: number }): Promise<ShutdownReport>;

  /**
   * `await using bus = createEventBus(...)`: shuts the bus down (with the default timeout) when
   * the scope ends. Same as `await bus.shutdown()`, without the report. (`await using` needs
   * TypeScript 5.2+ with lib `esnext.disposable`, which compiles it down for Node 20 and 22, or a
   * runtime that has it, Node 24.)
   *
   * @example
   * ```ts
   * {
   *   await using bus = createEventBus({ schemas: events });
   *   await bus.publish('user.created', { userId: 'u1', email: 'ada@example.com' });
   * } // drained and shut down here
   * ```
   */
  [Symbol.asyncDispose](): Promise<void>;
}
