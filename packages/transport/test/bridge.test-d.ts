import { createEventBus, defineEvents, type Pattern } from '@gossip/core';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { type Bridge, type BridgeOptions, bridge, createMemoryTransport } from '../src/index.js';

const events = defineEvents({
  'order.placed': z.object({ orderId: z.string(), amount: z.number() }),
  'order.item.added': z.object({ orderId: z.string(), sku: z.string() }),
  'user.created': z.object({ userId: z.string() }),
});
const bus = createEventBus({ schemas: events });
const transport = createMemoryTransport();

type AppEvents = {
  'order.placed': { orderId: string };
  'user.created': { userId: string };
};

describe('bridge options', () => {
  it('take the patterns of the bus event map, exact or wildcard', () => {
    bridge(bus, transport, {
      publish: ['order.placed', 'order.*', 'order.**', '**'],
      subscribe: ['user.created', '*.created'],
      group: 'billing',
    });
    const options: BridgeOptions<AppEvents> = { publish: ['order.*'], subscribe: ['user.*'] };
    expectTypeOf(options.publish).toEqualTypeOf<readonly Pattern<AppEvents>[] | undefined>();
  });

  it('refuse a pattern that matches no event of the map', () => {
    // @ts-expect-error a misspelt event name
    bridge(bus, transport, { publish: ['order.placd'] });
    // @ts-expect-error a wildcard under a prefix the map does not have
    bridge(bus, transport, { subscribe: ['invoice.*'], group: 'billing' });
    // @ts-expect-error `**` must end a pattern
    bridge(bus, transport, { publish: ['order.**.added'] });
    // @ts-expect-error the options' map is the bus's: another map's patterns are checked there
    const other: BridgeOptions<AppEvents> = { publish: ['order.item.added'] };
    void other;
  });

  it('refuse options of the wrong type, and options the bridge does not know', () => {
    // @ts-expect-error maxAttempts is a number
    bridge(bus, transport, { publish: ['order.*'], maxAttempts: '5' });
    // @ts-expect-error the group is a string
    bridge(bus, transport, { subscribe: ['user.created'], group: 7 });
    // @ts-expect-error backoff takes the attempt and returns a delay
    bridge(bus, transport, { publish: ['order.*'], backoff: (attempt: string) => attempt });
    // @ts-expect-error an option the bridge does not have
    bridge(bus, transport, { publish: ['order.*'], retries: 3 });
    // @ts-expect-error maxOutgoing is a number
    bridge(bus, transport, { publish: ['order.*'], maxOutgoing: '1000' });
  });

  it('take maxOutgoing, a number of events', () => {
    expectTypeOf<BridgeOptions['maxOutgoing']>().toEqualTypeOf<number | undefined>();
    bridge(bus, transport, { publish: ['order.*'], maxOutgoing: 1000 });
  });

  it('are read by the bridge as the map of the bus, not widened by the options', () => {
    const typed = createEventBus<AppEvents>();
    bridge(typed, transport, { publish: ['order.placed'] });
    // @ts-expect-error the typed bus has no order.item.added
    bridge(typed, transport, { publish: ['order.item.added'] });
  });

  it('take any string on a bus with an open map', () => {
    const open = createEventBus<Record<string, unknown>>();
    bridge(open, transport, { publish: ['anything.at.all'], subscribe: ['x.**'], group: 'g' });
  });

  it('give a Bridge that is closed, awaited and disposed', () => {
    const link = bridge(bus, transport, { publish: ['order.*'] });
    expectTypeOf(link).toEqualTypeOf<Bridge>();
    expectTypeOf(link.ready).toEqualTypeOf<Promise<void>>();
    expectTypeOf(link.close).returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf(link).toExtend<AsyncDisposable>();
  });
});
