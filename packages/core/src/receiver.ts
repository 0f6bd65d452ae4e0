import type { BusCore, Thrown } from './bus-core.js';
import { now } from './clock.js';
import { BusClosedError, type GossipError, UpcastError } from './errors.js';
import { type AnyEvent, MetadataKey } from './event.js';
import {
  type CheckedIncoming,
  checkIncoming,
  type IncomingEvent,
  incomingType,
} from './incoming-event.js';
import { isPromiseLike } from './is-promise-like.js';
import { noop } from './noop.js';
import type { TypeEntry } from './router.js';
import type { Subscription } from './subscription.js';
import type { Tracker } from './tracker.js';
import { upcastPayload } from './upcast.js';

/** What `receive` resolves with: the event as dispatched, and every failure of its delivery. */
export interface Received {
  event: AnyEvent;
  errors: GossipError[];
}

/**
 * `receive`: an event from elsewhere (a transport), untrusted until checked and validated,
 * then dispatched through the worker pool like a published one. It never drops: under every
 * overflow policy it waits for room, behind earlier waiting events. It resolves once every
 * delivery has settled, with their failures, so a transport can acknowledge or redeliver.
 */
export class Receiver {
  readonly #core: BusCore;

  constructor(core: BusCore) {
    this.#core = core;
  }

  // No async function on this path: each costs a generator and a promise per await, about a
  // kilobyte per received event, on the path every message from a broker takes.
  receive(message: IncomingEvent): Promise<Received> {
    const core = this.#core;
    if (core.life.closed) {
      return Promise.reject(new BusClosedError(incomingType(message), 'receive'));
    }
    let incoming: CheckedIncoming;
    let data: unknown;
    try {
      incoming = checkIncoming(message);
      const registry = core.settings.registry;
      // The payload as its type's latest version: a value, or a promise of it when an upcaster
      // or an asynchronous schema runs.
      data =
        registry === undefined
          ? incoming.data
          : upcastPayload(
              registry,
              incoming.type,
              incoming.data,
              incoming.metadata[MetadataKey.SchemaVersion],
            );
    } catch (error) {
      return this.#failed(error);
    }
    return isPromiseLike(data)
      ? Promise.resolve(data).then((lifted) => this.#dispatch(incoming, lifted), this.#failed)
      : this.#dispatch(incoming, data);
  }

  /**
   * The rejection of a message that could not be received. An UpcastError is reported as well:
   * an event that cannot be lifted is a fault of the deployment, not only of the message.
   */
  readonly #failed = (error: unknown): Promise<never> => {
    if (error instanceof UpcastError) this.#core.report(error);
    return Promise.reject(error);
  };

  /** Dispatches the checked, lifted event; resolves once every delivery has settled. */
  #dispatch(incoming: CheckedIncoming, data: unknown): Promise<Received> {
    const core = this.#core;
    const { type } = incoming;
    // Checked again: an asynchronous schema may settle after shutdown started.
    if (core.life.closed) return Promise.reject(new BusClosedError(type, 'receive'));
    const event: AnyEvent = {
      id: incoming.id ?? core.nextId(),
      type,
      timestamp: incoming.timestamp ?? now(),
      data,
      // The sender's keys, then gossip's over them, in the one copy checkIncoming made.
      metadata: Object.freeze(
        Object.assign(
          incoming.metadata,
          { [MetadataKey.Origin]: 'remote' },
          core.settings.registry?.stampOf(type),
        ),
      ),
    };
    const entry = core.router.entry(type, 'receive');
    if (!entry.filtered) return this.#enqueue(event, entry, entry.targets, []);
    // Filters and onError are user code: the bus is receiving until the event is queued, so
    // that a shutdown started from that code waits for it.
    return core.whilePublishing(() => {
      const thrown: Thrown[] = [];
      const targets = core.select(entry, event, thrown);
      const errors: GossipError[] = [];
      const received = this.#enqueue(event, entry, targets, errors);
      // Its filters' failures come first: its deliveries settle after this returns.
      errors.push(...core.filterFailures(entry, event, thrown, true));
      return received;
    });
  }

  /**
   * Counts the event and queues it for `targets`; resolves once every delivery has settled,
   * with `errors` and theirs.
   */
  #enqueue(
    event: AnyEvent,
    entry: TypeEntry,
    targets: Subscription[],
    errors: GossipError[],
  ): Promise<Received> {
    const core = this.#core;
    core.counted(entry);
    const received: Received = { event, errors };
    if (targets.length === 0) return Promise.resolve(received);
    return new Promise((resolve) => {
      const tracker: Tracker = {
        pending: targets.length,
        errors,
        done: () => resolve(received),
      };
      core.dispatcher
        .enqueue(core.publisher.job(event, 5, targets, entry, tracker), false, 'block')
        .catch(noop);
    });
  }
}
