import { BusCore, type BusSettings } from './bus-core.js';
import { BusShutdown } from './bus-shutdown.js';
import { busStats } from './bus-stats.js';
import type { GossipError, HandlerError } from './errors.js';
import type { AnyEvent } from './event.js';
import type { OnceOptions, StreamOptions } from './event-bus.js';
import type {
  Handler,
  Middleware,
  PublishOptions,
  SubscribeOptions,
  Unsubscribe,
} from './handler.js';
import type { IncomingEvent } from './incoming-event.js';
import type { Lifecycle } from './lifecycle.js';
import { waitForNext } from './once.js';
import type { SyncOptions } from './publish-sync.js';
import { type Received, Receiver } from './receiver.js';
import type { ShutdownReport } from './shutdown-report.js';
import type { BusStats } from './stats.js';
import { type EventStream, openStream } from './stream.js';
import { Subscriber } from './subscriber.js';
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
  readonly publish: (type: string, data?: unknown, options?: PublishOptions) => Promise<void>;
  readonly publishSync: (
    type: string,
    data?: unknown,
    options?: SyncOptions,
  ) => Promise<HandlerError[]>;
  readonly receive: (message: IncomingEvent) => Promise<Received>;
  readonly subscribe: (
    pattern: string,
    handler: Handler,
    options?: SubscribeOptions,
  ) => Unsubscribe;
  readonly once: (pattern: string, options?: OnceOptions) => Promise<AnyEvent>;
  readonly stream: (pattern: string, options?: StreamOptions) => EventStream<AnyEvent>;
  readonly use: (middleware: Middleware) => void;
  readonly report: (error: GossipError) => void;
  readonly stats: () => BusStats;
  readonly shutdown: (options?: { timeout?: number }) => Promise<ShutdownReport>;

  constructor(settings: BusSettings) {
    const core = new BusCore(settings);
    const publisher = core.publisher;
    const sync = new SyncPublisher(core);
    const receiver = new Receiver(core);
    const subscriber = new Subscriber(core);
    const shutdown = new BusShutdown(core);
    this.lifecycle = core.lifecycle;
    Object.defineProperty(this, 'closed', { get: () => core.life.closed, enumerable: true });
    this.publish = (type, data, options) => publisher.publish(type, data, options, false);
    this.publishSync = (type, data, options) => sync.publishSync(type, data, options);
    this.receive = (message) => receiver.receive(message);
    this.subscribe = (pattern, handler, options) => subscriber.subscribe(pattern, handler, options);
    this.once = (pattern, options = {}) =>
      waitForNext(this.subscribe, pattern, options, core.closers);
    this.stream = (pattern, options = {}) =>
      openStream(this.subscribe, pattern, options, core.closers);
    this.use = (middleware) => subscriber.use(middleware);
    this.report = (error) => core.report(error);
    this.stats = () => busStats(core);
    this.shutdown = (options) => shutdown.shutdown(options);
  }
}
