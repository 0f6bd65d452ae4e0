import { assertEventType, patternError } from './assert.js';
import { BusCore, type BusSettings } from './bus-core.js';
import { BusShutdown } from './bus-shutdown.js';
import { busStats } from './bus-stats.js';
import { asyncDisposeSymbol } from './dispose-symbols.js';
import type { GossipError, HandlerError } from './errors.js';
import type { AnyEvent } from './event.js';
import type {
  Handler,
  Middleware,
  PublishOptions,
  SubscribeOptions,
  Unsubscribe,
} from './handler.js';
import type { IncomingEvent } from './incoming-event.js';
import type { Lifecycle } from './lifecycle.js';
import { noop } from './noop.js';
import { type Subscribe, waitForNext } from './once.js';
import type { OnceOptions } from './once-options.js';
import type { SyncOptions } from './publish-sync.js';
import { type Received, Receiver } from './receiver.js';
import type { SchemaRegistry } from './schema-registry.js';
import type { ShutdownReport } from './shutdown-report.js';
import type { BusStats } from './stats.js';
import { type EventStream, openStream } from './stream.js';
import type { StreamOptions } from './stream-options.js';
import { Subscriber } from './subscriber.js';
import type { SubscriptionInfo } from './subscription-info.js';
import { SyncPublisher } from './sync-publisher.js';

export type { BusSettings } from './bus-core.js';

/**
 * The runtime of every bus; `createEventBus` gives it its types. A thin facade: each method is
 * one of the bus's parts (publisher, sync publisher, receiver, subscriber, stats, shutdown),
 * and every member is an own property bound to the bus, so the bus works through a Proxy (a
 * framework's reactive wrapper) and its methods can be passed around unbound.
 */
export class GossipBus {
  readonly lifecycle: Lifecycle;
  declare readonly closed: boolean;
  readonly registry: SchemaRegistry<object> | undefined;
  readonly publish: (type: string, data?: unknown, options?: PublishOptions) => Promise<void>;
  readonly publishSync: (
    type: string,
    data?: unknown,
    options?: SyncOptions,
  ) => Promise<HandlerError[]>;
  readonly receive: (message: IncomingEvent) => Promise<Received>;
  readonly subscribe: (
    pattern: string | readonly string[],
    handler: Handler,
    options?: SubscribeOptions,
  ) => Unsubscribe;
  readonly clear: (pattern?: string) => number;
  readonly listenerCount: (pattern?: string) => number;
  readonly hasSubscribers: (type: string) => boolean;
  readonly subscriptions: () => SubscriptionInfo[];
  readonly idle: () => Promise<void>;
  readonly once: (pattern: string | readonly string[], options?: OnceOptions) => Promise<AnyEvent>;
  readonly stream: (pattern: string, options?: StreamOptions) => EventStream<AnyEvent>;
  readonly use: (middleware: Middleware) => void;
  readonly report: (error: GossipError) => void;
  readonly stats: () => BusStats;
  readonly shutdown: (options?: { timeout?: number }) => Promise<ShutdownReport>;
  /** Defined in the constructor: core reads no symbol at import. */
  declare readonly [Symbol.asyncDispose]: () => Promise<void>;

  constructor(settings: BusSettings) {
    const core = new BusCore(settings);
    const publisher = core.publisher;
    const sync = new SyncPublisher(core);
    const receiver = new Receiver(core);
    const subscriber = new Subscriber(core);
    const shutdown = new BusShutdown(core);
    this.lifecycle = core.lifecycle;
    this.registry = settings.registry;
    Object.defineProperty(this, 'closed', { get: () => core.life.closed, enumerable: true });
    this.publish = (type, data, options) => publisher.publish(type, data, options, false);
    this.publishSync = (type, data, options) => sync.publishSync(type, data, options);
    this.receive = (message) => receiver.receive(message);
    this.subscribe = (pattern, handler, options) => subscriber.subscribe(pattern, handler, options);
    // once and stream subscribe under their own names, which errors in their options give.
    const as =
      (fn: string): Subscribe =>
      (pattern, handler, options, cleared) =>
        subscriber.subscribe(pattern, handler, options, fn, cleared);
    this.clear = (pattern) => subscriber.clear(pattern);
    this.listenerCount = (pattern) => countOf(core, pattern);
    this.hasSubscribers = (type) => {
      assertEventType('hasSubscribers(type)', type);
      return core.router.count(type) > 0;
    };
    this.subscriptions = () => core.router.subscriptions().map((sub) => sub.info());
    this.idle = () => core.idle();
    this.once = (pattern, options = {}) => waitForNext(as('once'), pattern, options, core.closers);
    this.stream = (pattern, options = {}) =>
      openStream(as('stream'), pattern, options, core.closers);
    this.use = (middleware) => subscriber.use(middleware);
    this.report = (error) => core.report(error);
    this.stats = () => busStats(core);
    this.shutdown = (options) => shutdown.shutdown(options);
    Object.defineProperty(this, asyncDisposeSymbol(), {
      value: () => shutdown.shutdown().then(noop),
      enumerable: true,
    });
  }
}

/** `listenerCount`: the pattern checked, then counted by the router. */
function countOf(core: BusCore, pattern: string | undefined): number {
  const invalid = pattern === undefined ? undefined : patternError('listenerCount', pattern);
  if (invalid !== undefined) throw invalid;
  return core.router.count(pattern);
}
