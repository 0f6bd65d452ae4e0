import type { AnyEvent, Metadata } from './event.js';

/**
 * Options for publishing one event.
 *
 * @example
 * ```ts
 * await bus.publish('order.paid', data, { metadata: { requestId: 'r1' }, priority: 'high' });
 * ```
 */
export interface PublishOptions {
  /** String metadata carried by the event (request id, source, trace context). */
  readonly metadata?: Metadata;
  /** The event id to use instead of a generated one; an idempotency key from upstream, say. */
  readonly id?: string;
  /**
   * The event's priority: `'high'`, `'normal'`, `'low'` or a number (high 10, normal 5, low 1).
   * The default scheduler is first-in first-out and ignores it; a priority scheduler honours it.
   * @default 'normal'
   */
  readonly priority?: Priority;
}

/**
 * An event's priority: a level name or a number, higher first (high is 10, normal 5, low 1).
 *
 * @example
 * ```ts
 * await bus.publish('order.created', data, { priority: 'high' });
 * ```
 */
export type Priority = 'high' | 'normal' | 'low' | number;

/**
 * What a handler receives beside the event.
 *
 * @typeParam TPublish - the typed `publish` function of the bus the handler runs on
 *
 * @example
 * ```ts
 * bus.subscribe('order.paid', async (event, ctx) => {
 *   await fetch(url, { signal: ctx.signal });
 *   await ctx.publish('order.shipped', { orderId: event.data.orderId });
 * });
 * ```
 */
export interface HandlerContext<TPublish = PublishFn> {
  /** Aborted when the handler should stop: at the shutdown deadline, or a timeout. */
  readonly signal: AbortSignal;
  /** Which try this is, from 1; retry middleware raises it. */
  readonly attempt: number;
  /** The subscription's name: its `name` option, or its pattern. */
  readonly subscription: string;
  /**
   * Publishes an event caused by this one: its metadata carries the causation id, the
   * correlation id and the chain's depth, so loops are stopped.
   */
  readonly publish: TPublish;
}

/**
 * An untyped publish function, the shape of `ctx.publish` where the event map is not known
 * (in a {@link Handler} written without its bus's types). A bus's typed `publish` is one: it
 * checks the name and the payload at run time instead (an unknown name rejects with an
 * `UnknownEventError`).
 *
 * @example
 * ```ts
 * const forward = (publish: PublishFn) => publish('audit.logged', { at: Date.now() });
 * ```
 */
// Declared as a method so that its parameters compare both ways (method bivariance): the bus's
// typed publish, whose `type` is a union of names, is then assignable to it, and a `Handler<E>`
// (whose ctx.publish is this one) subscribes to a typed bus, which hands it the typed publish.
export type PublishFn = {
  /** Publishes `data` as an event of `type`; resolves once it is queued. */
  publish(type: string, data?: unknown, options?: PublishOptions): Promise<void>;
}['publish'];

/**
 * A handler: called with each event its subscription receives. It reports failure by throwing
 * or rejecting.
 *
 * @typeParam TEvent - the event the handler receives
 * @typeParam TPublish - the typed `publish` function of its bus
 *
 * @example
 * ```ts
 * const onCreated: Handler<Event<'user.created', { email: string }>> = async (event) => {
 *   await sendWelcome(event.data.email);
 * };
 * ```
 */
export type Handler<TEvent extends AnyEvent = AnyEvent, TPublish = PublishFn> = (
  event: TEvent,
  ctx: HandlerContext<TPublish>,
) => void | Promise<void>;

/**
 * Middleware: wraps a handler into another handler of the same event type. Generic, so one
 * middleware serves every subscription and a wrapped handler keeps its event type.
 *
 * @example
 * ```ts
 * const timing: Middleware = (next) => async (event, ctx) => {
 *   const start = performance.now();
 *   try { await next(event, ctx); } finally { record(event.type, performance.now() - start); }
 * };
 * ```
 */
export type Middleware = <TEvent extends AnyEvent, TPublish>(
  next: Handler<TEvent, TPublish>,
) => Handler<TEvent, TPublish>;

/**
 * A filter: decides, before a handler is scheduled, whether its subscription takes an event.
 * An event a filter refuses uses no worker and no buffer slot.
 *
 * @example
 * ```ts
 * bus.subscribe('order.paid', handler, { filter: (event) => event.data.amount > 100 });
 * ```
 */
export type Filter<TEvent extends AnyEvent = AnyEvent> = (event: TEvent) => boolean;

/**
 * Options of one subscription.
 *
 * @example
 * ```ts
 * bus.subscribe('order.*', handler, {
 *   name: 'billing',
 *   filter: (event) => event.metadata.source === 'api',
 *   orderingKey: (event) => event.data.orderId,
 *   signal: controller.signal,
 * });
 * ```
 */
export interface SubscribeOptions<TEvent extends AnyEvent = AnyEvent> {
  /** A name for errors and stats. @default the pattern */
  readonly name?: string;
  /** Checked before the handler is scheduled; an event it refuses costs no worker. */
  readonly filter?: Filter<TEvent>;
  /**
   * Events with the same key are handled one after another, in publish order; different keys
   * still run in parallel. It orders queued deliveries (`publish`, `receive`); `publishSync`
   * runs its handlers at once and does not wait for a key.
   */
  readonly orderingKey?: (event: TEvent) => string | number;
  /** Unsubscribes when aborted. */
  readonly signal?: AbortSignal;
  /** Middleware for this subscription only, inside the bus's own; the first is outermost. */
  readonly middleware?: ReadonlyArray<Middleware>;
}

/**
 * Ends a subscription: call it, or let `using` dispose of it. Calling it again does nothing.
 * (`using` needs TypeScript 5.2+ with lib `esnext.disposable`, which compiles it down for Node
 * 20 and 22, or a runtime that has it, Node 24.)
 *
 * @example
 * ```ts
 * const off = bus.subscribe('user.created', handler);
 * off();
 * {
 *   using sub = bus.subscribe('user.created', handler);
 * } // unsubscribed here
 * ```
 */
export interface Unsubscribe extends Disposable {
  (): void;
}
