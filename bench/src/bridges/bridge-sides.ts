import { createEventBus, defineEvents } from '@gossip/core';
import { type Bridge, bridge, type Transport } from '@gossip/transport';
import { z } from 'zod';
import { TimedTransport } from './instrument.js';
import { type Prepared, startedNow, turnNow, within } from './measure.js';
import { EVENT_TYPE, payloadOf, TIMEOUT_MS } from './scenario.js';

/** How many publishes wait for their ack at most, on every side. */
export const WINDOW = 256;

/** The bench's catalogue: the bridges validate every event on publish and on receipt. */
const events = defineEvents({
  [EVENT_TYPE]: z.object({ orderId: z.string(), amount: z.number() }),
});

/**
 * The bridge side of "publish with ack", the same for every broker: `bus.publish` of each event,
 * forwarded by `bridge()` through the transport, at most WINDOW waiting for their ack (as the
 * raw clients have); timed from the `bus.publish` call to the stored ack. `after` runs at
 * teardown, once the transport is closed.
 */
export function bridgePublishSide(
  transport: Transport,
  count: number,
  after: () => Promise<void>,
): Prepared {
  const timed = new TimedTransport(transport, count);
  const bus = createEventBus({ schemas: events });
  const link = bridge(bus, timed.transport, { publish: ['bench.**'] });
  return {
    async run(latencies) {
      timed.record(latencies);
      for (let i = 0; i < count; i++) {
        // Waits only when the window is full, as the raw sides do (an await per event costs
        // a promise and a turn of the microtask queue that the raw loops do not pay).
        if (timed.published < i - WINDOW + 1) await timed.publishedAtLeast(i - WINDOW + 1);
        timed.started[i] = turnNow();
        await bus.publish(EVENT_TYPE, payloadOf(i));
      }
      // Awaited, not polled: the raw sides end at their last reply, so the bridge side ends
      // at its last ack instead of at the next poll after it (up to a millisecond later).
      await within(timed.publishedAtLeast(count), TIMEOUT_MS, 'bridge publish');
      return undefined;
    },
    async teardown() {
      await link.close();
      await bus.shutdown();
      await timed.transport.close();
      await after();
    },
  };
}

/**
 * The bridge side of "consume with ack", the same for every broker: the bridge's group reads
 * what the stream holds through the transport, each message decoded, validated, dispatched to
 * a handler on the bus and acked; timed per message from the transport's hand-over to the
 * bridge's ack. `after` runs at teardown, once the transport is closed.
 */
export function bridgeConsumeSide(
  transport: Transport,
  count: number,
  group: string,
  after: () => Promise<void>,
): Prepared {
  const timed = new TimedTransport(transport, count);
  const bus = createEventBus({ schemas: events });
  let handled = 0;
  bus.subscribe(EVENT_TYPE, () => {
    handled++;
  });
  let link: Bridge | undefined;
  return {
    async run(latencies) {
      timed.record(latencies);
      link = bridge(bus, timed.transport, { subscribe: [EVENT_TYPE], group });
      await link.ready;
      // Timed from here, as the raw side is timed from its first read: the subscription (a
      // connection for blocking reads on Redis, a consumer on NATS) is set-up, not throughput.
      const started = startedNow();
      await within(timed.ackedAtLeast(count), TIMEOUT_MS, 'bridge consume');
      return started;
    },
    async teardown() {
      await link?.close();
      await bus.shutdown();
      await timed.transport.close();
      await after();
      if (handled < count) throw new Error(`bridge consume: ${handled} of ${count} handled`);
    },
  };
}

/**
 * Publishes `count` events through a bridge, as the consume runs find them, then closes. At most
 * WINDOW wait for their ack, as on the publish sides: a fill of all 20,000 at once kept every
 * event, envelope and queued publish alive together, V8 then allocated those objects' kinds
 * straight into the old generation (allocation-site pretenuring), and the timed consume run
 * that followed paid for it in scavenges that promoted 2 to 3 MB each (2 to 3x its CPU per
 * message, on the raw side too, more on the bridge's).
 */
export async function fillThroughBridge(transport: Transport, count: number): Promise<void> {
  const timed = new TimedTransport(transport, count);
  const bus = createEventBus({ schemas: events });
  const link = bridge(bus, timed.transport, { publish: ['bench.**'] });
  for (let i = 0; i < count; i++) {
    if (timed.published < i - WINDOW + 1) await timed.publishedAtLeast(i - WINDOW + 1);
    await bus.publish(EVENT_TYPE, payloadOf(i));
  }
  await link.close();
  await bus.shutdown();
  await transport.close();
}
