import { createEventBus, defineEvents, type Event } from '@gossip/core';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  type BatchContext,
  type BatchError,
  BatchProcessor,
  type BatchReport,
  createBatchProcessor,
} from '../src/index.js';

const events = defineEvents({
  'order.created': z.object({ orderId: z.string(), amount: z.number() }),
  'order.paid': z.object({ orderId: z.string() }),
  'user.created': z.object({ email: z.string() }),
});
const bus = createEventBus({ schemas: events });

type OrderCreated = Event<'order.created', { orderId: string; amount: number }>;
type OrderPaid = Event<'order.paid', { orderId: string }>;

describe('createBatchProcessor', () => {
  it('types the batch by the bus and an exact pattern, with no annotation', () => {
    const processor = createBatchProcessor(bus, 'order.created', {}, (batch, ctx) => {
      expectTypeOf(batch).toEqualTypeOf<OrderCreated[]>();
      expectTypeOf(batch[0]?.data.amount).toEqualTypeOf<number | undefined>();
      expectTypeOf(ctx).toEqualTypeOf<BatchContext>();
    });
    expectTypeOf(processor).toEqualTypeOf<BatchProcessor<OrderCreated>>();
  });

  it('types a wildcard pattern as the union of the matched events, narrowed by type', () => {
    createBatchProcessor(bus, 'order.*', {}, (batch) => {
      expectTypeOf(batch).toEqualTypeOf<(OrderCreated | OrderPaid)[]>();
      for (const event of batch) {
        if (event.type === 'order.created') expectTypeOf(event.data.amount).toEqualTypeOf<number>();
      }
    });
  });

  it('types onError and the subscribe filter by the same events', () => {
    createBatchProcessor(
      bus,
      'order.created',
      {
        onError: (error) => {
          expectTypeOf(error).toEqualTypeOf<BatchError<OrderCreated>>();
          expectTypeOf(error.events).toEqualTypeOf<ReadonlyArray<OrderCreated>>();
        },
        subscribe: { filter: (event) => event.data.amount > 100 },
      },
      () => {},
    );
  });

  it('refuses a pattern that matches no event, and a misspelt name', () => {
    // @ts-expect-error 'invoice.*' matches no event of the map
    createBatchProcessor(bus, 'invoice.*', {}, () => {});
    // @ts-expect-error 'order.craeted' is not an event
    createBatchProcessor(bus, 'order.craeted', {}, () => {});
  });

  it('refuses a payload field the events do not have', () => {
    createBatchProcessor(bus, 'order.paid', {}, (batch) => {
      // @ts-expect-error order.paid has no amount
      batch[0]?.data.amount;
    });
  });

  it('refuses options of the wrong type', () => {
    // @ts-expect-error batchSize is a number
    createBatchProcessor(bus, 'order.created', { batchSize: '10' }, () => {});
    // @ts-expect-error retry needs attempts
    createBatchProcessor(bus, 'order.created', { retry: { delay: 10 } }, () => {});
    const linear = { attempts: 2, backoff: 'linear' } as const;
    // @ts-expect-error backoff is 'fixed' or 'exponential'
    createBatchProcessor(bus, 'order.created', { retry: linear }, () => {});
  });
});

describe('BatchProcessor', () => {
  it('takes its event type from the annotated handler', () => {
    const processor = new BatchProcessor('order.created', {}, (batch: OrderCreated[]) => {
      expectTypeOf(batch).toEqualTypeOf<OrderCreated[]>();
    });
    expectTypeOf(processor).toEqualTypeOf<BatchProcessor<OrderCreated>>();
    expectTypeOf(processor.flush()).toEqualTypeOf<Promise<BatchReport<OrderCreated>>>();
    expectTypeOf(processor.shutdown()).toEqualTypeOf<Promise<BatchReport<OrderCreated>>>();
  });

  it('plugs into subscribe for events it can take', () => {
    const processor = new BatchProcessor('order.created', {}, (_batch: OrderCreated[]) => {});
    bus.subscribe('order.created', processor.asHandler());
    const anything = new BatchProcessor('**', {}, () => {});
    bus.subscribe('**', anything.asHandler());
  });

  it('refuses to plug into a subscription whose events it cannot take', () => {
    const processor = new BatchProcessor('order.created', {}, (_batch: OrderCreated[]) => {});
    // @ts-expect-error user.created events are not OrderCreated
    bus.subscribe('user.created', processor.asHandler());
    // @ts-expect-error order.* also delivers order.paid
    bus.subscribe('order.*', processor.asHandler());
  });

  it('gives the events of a failed batch their type', () => {
    new BatchProcessor<OrderCreated>(
      'order.created',
      {
        onError: (error) => {
          expectTypeOf(error.events[0]?.data.orderId).toEqualTypeOf<string | undefined>();
        },
      },
      () => {},
    );
  });
});
