import type { BusCore, Thrown } from './bus-core.js';
import { now } from './clock.js';
import { BusClosedError, type GossipError, UpcastError } from './errors.js';
import { type AnyEvent, MetadataKey } from './event.js';
import { checkIncoming, type IncomingEvent, incomingType } from './incoming-event.js';
import { noop } from './noop.js';
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

  receive(message: IncomingEvent): Promise<Received> {
    if (this.#core.life.closed) {
      return Promise.reject(new BusClosedError(incomingType(message), 'receive'));
    }
    return this.#receive(message);
  }

  async #receive(message: IncomingEvent): Promise<Received> {
    const core = this.#core;
    const incoming = checkIncoming(message);
    const { type } = incoming;
    const registry = core.settings.registry;
    let data = incoming.data;
    if (registry !== undefined) {
      try {
        // A value, not a promise, when nothing is lifted: awaited without a promise of its own.
        data = await upcastPayload(
          registry,
          type,
          data,
          incoming.metadata[MetadataKey.SchemaVersion],
        );
      } catch (error) {
        // Reported as well as thrown: an event that cannot be lifted is a fault of the
        // deployment, not only of the message.
        if (error instanceof UpcastError) core.report(error);
        throw error;
      }
    }
    if (core.life.closed) throw new BusClosedError(type, 'receive');
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
          registry?.stampOf(type),
        ),
      ),
    };
    const entry = core.router.entry(type, 'receive');
    const thrown: Thrown[] = [];
    const targets = entry.filtered ? core.select(entry, event, thrown) : entry.targets;
    core.accepted(entry, event, false);
    const errors: GossipError[] = core.filterFailures(entry, event, thrown, true);
    if (targets.length === 0) return { event, errors };
    await new Promise<void>((resolve) => {
      const tracker: Tracker = { pending: targets.length, errors, done: resolve };
      core.dispatcher
        .enqueue(core.publisher.job(event, 5, targets, entry, tracker), false, 'block')
        .catch(noop);
    });
    return { event, errors };
  }
}
