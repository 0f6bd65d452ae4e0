import {
  type AnyEvent,
  assertKnownOptions,
  type EventBus,
  type EventMap,
  type EventOf,
  InvalidOptionError,
  MetadataKey,
  type NamesOf,
  type Unsubscribe,
} from '@gossip/core';
import type { DeepPartial } from './deep-partial.js';
import { matches } from './matches.js';
import { NotPublishedError } from './not-published-error.js';

/**
 * Options of {@link recordBus}.
 *
 * @example
 * ```ts
 * const recorder = recordBus(bus, { received: true });
 * ```
 */
export interface RecordOptions {
  /**
   * Also record the events the bus receives from a transport (`bus.receive`), in
   * `recorder.received`. It takes a subscription to `**` (filtered, so it costs no worker and
   * counts no delivery), which `listenerCount`, `hasSubscribers` and `subscriptions()` see.
   * @default false
   */
  readonly received?: boolean;
}

/**
 * What {@link recordBus} returns: the events a bus published, typed by its event map, with
 * ways to find and assert on them.
 *
 * @typeParam TEvents - the bus's event map
 *
 * @example
 * ```ts
 * const recorder = recordBus(bus);
 * await bus.publish('order.paid', { orderId: 'o1', amount: 10 });
 * recorder.expectPublished('order.paid', { orderId: 'o1' });
 * recorder.stop();
 * ```
 */
export interface Recorder<TEvents extends EventMap> {
  /** Every event published locally since recording began (or the last `clear`), in order. A copy. */
  readonly events: ReadonlyArray<EventOf<TEvents, NamesOf<TEvents>>>;
  /** Every event received from a transport, with the `received` option; else empty. A copy. */
  readonly received: ReadonlyArray<EventOf<TEvents, NamesOf<TEvents>>>;
  /**
   * The published events of one type, in order, typed by the map.
   *
   * @param type - an event name of the map
   * @returns a new array of those events
   *
   * @example
   * ```ts
   * const [paid] = recorder.ofType('order.paid');
   * paid?.data.amount; // number
   * ```
   */
  ofType<TType extends NamesOf<TEvents>>(type: TType): Array<EventOf<TEvents, TType>>;
  /**
   * Asserts that an event of this type was published, whose payload matches `partialData` (a
   * deep partial: the properties given, at any depth). Framework-agnostic: it throws a
   * {@link NotPublishedError} listing what was published when nothing matches.
   *
   * @param type - an event name of the map
   * @param partialData - what the payload must contain; any payload when omitted
   * @returns the first matching event
   * @throws NotPublishedError if no published event matches
   *
   * @example
   * ```ts
   * const shipped = recorder.expectPublished('order.shipped', { orderId: 'o1' });
   * expect(shipped.metadata.causationId).toBe(paid.id);
   * ```
   */
  expectPublished<TType extends NamesOf<TEvents>>(
    type: TType,
    partialData?: DeepPartial<TEvents[TType]>,
  ): EventOf<TEvents, TType>;
  /**
   * Forgets what was recorded, and goes on recording.
   *
   * @example
   * ```ts
   * recorder.clear();
   * recorder.events.length; // 0
   * ```
   */
  clear(): void;
  /**
   * Stops recording (what was recorded stays readable). Calling it again does nothing.
   *
   * @example
   * ```ts
   * afterEach(() => recorder.stop());
   * ```
   */
  stop(): void;
}

/**
 * Records every event a bus publishes, through its `publish` lifecycle event (events
 * published by handlers through `ctx.publish` and by `publishSync` included), for assertions in
 * a test: `recorder.events`, `recorder.ofType(type)`, `recorder.expectPublished(type, data)`.
 * With `received: true`, also the events it receives from a transport. Start it before the
 * code under test publishes; it does not see what came before.
 *
 * @param bus - the bus to record
 * @param options - `received` (see {@link RecordOptions})
 * @returns the recorder, typed by the bus's event map
 * @throws InvalidOptionError if `bus` is not an event bus, or an option is bad or misspelt
 *
 * @example
 * ```ts
 * const bus = createEventBus({ schemas: events });
 * const recorder = recordBus(bus);
 * await checkout(bus, cart);
 * recorder.expectPublished('order.placed', { items: [{ sku: 'KB-1' }] });
 * ```
 */
export function recordBus<TEvents extends EventMap, TInputs extends EventMap>(
  bus: EventBus<TEvents, TInputs>,
  options?: RecordOptions,
): Recorder<TEvents> {
  type Recorded = EventOf<TEvents, NamesOf<TEvents>>;
  const lifecycle = (bus as Partial<EventBus<TEvents, TInputs>> | null)?.lifecycle;
  if (typeof lifecycle?.on !== 'function') {
    throw new InvalidOptionError('recordBus(bus)', 'an event bus', bus);
  }
  if (options !== undefined) {
    assertKnownOptions('recordBus', options, ['received']);
  }
  const received = options?.received ?? false;
  if (typeof received !== 'boolean') {
    throw new InvalidOptionError('recordBus({ received })', 'a boolean', received);
  }
  let published: Recorded[] = [];
  let arrived: Recorded[] = [];
  const stops: Array<() => void> = [
    lifecycle.on('publish', (event) => {
      published.push(event as Recorded);
    }),
  ];
  if (received)
    stops.push(recordReceived(bus as RecordableBus, (event) => arrived.push(event as Recorded)));

  return {
    get events() {
      return [...published];
    },
    get received() {
      return [...arrived];
    },
    ofType(type) {
      return published.filter((event) => event.type === type) as never;
    },
    expectPublished(type, partialData) {
      const found = published.find(
        (event) =>
          event.type === type && (partialData === undefined || matches(event.data, partialData)),
      );
      if (found === undefined) throw new NotPublishedError(type, partialData, published);
      return found as never;
    },
    clear() {
      published = [];
      arrived = [];
    },
    stop() {
      for (const stop of stops.splice(0)) stop();
    },
  };
}

/** The part of a bus that records received events, whatever its map. */
interface RecordableBus {
  subscribe(
    pattern: '**',
    handler: () => void,
    options: { name: string; filter: (event: AnyEvent) => boolean },
  ): Unsubscribe;
}

/**
 * Records what arrives through `bus.receive`: a filter sees each event before it is scheduled,
 * so recording there, and refusing, costs no worker and counts no delivery.
 */
function recordReceived(bus: RecordableBus, record: (event: AnyEvent) => void): () => void {
  return bus.subscribe('**', () => {}, {
    name: 'gossip-testing-recorder',
    filter: (event) => {
      if (event.metadata[MetadataKey.Origin] === 'remote') record(event);
      return false;
    },
  });
}
