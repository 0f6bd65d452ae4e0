import { createEventBus, type Event } from '@gossip/core';
import { describe, expectTypeOf, it } from 'vitest';
import { type DeepPartial, type Recorder, recordBus } from '../src/index.js';

type Events = {
  'order.placed': {
    orderId: string;
    customer: { id: string; tier: 'gold' | 'basic' };
    items: Array<{ sku: string; quantity: number }>;
  };
  'order.shipped': { orderId: string };
};

const bus = createEventBus<Events>();
const recorder = recordBus(bus);

describe('recordBus types', () => {
  it('is typed by the bus event map, without type arguments', () => {
    expectTypeOf(recorder).toEqualTypeOf<Recorder<Events>>();
    expectTypeOf(recorder.ofType('order.shipped')).toEqualTypeOf<
      Array<Event<'order.shipped', { orderId: string }>>
    >();
    expectTypeOf(recorder.events[0]?.type).toEqualTypeOf<
      'order.placed' | 'order.shipped' | undefined
    >();
    expectTypeOf(recorder.expectPublished('order.placed').data.customer.tier).toEqualTypeOf<
      'gold' | 'basic'
    >();
  });

  it('takes a deep partial of the payload', () => {
    recorder.expectPublished('order.placed', { customer: { tier: 'gold' } });
    recorder.expectPublished('order.placed', { items: [{ sku: 'KB-1' }] });
    recorder.expectPublished('order.placed', {});
    expectTypeOf<DeepPartial<{ a: { b: number } }>>().toEqualTypeOf<{
      readonly a?: { readonly b?: number };
    }>();
  });

  it('refuses a misspelt event name and a payload of the wrong shape', () => {
    // @ts-expect-error no such event
    recorder.expectPublished('order.shiped');
    // @ts-expect-error no such event
    recorder.ofType('order.misspelt');
    // @ts-expect-error orderId is a string
    recorder.expectPublished('order.shipped', { orderId: 1 });
    // @ts-expect-error not a field of the payload
    recorder.expectPublished('order.shipped', { orderID: 'o1' });
    // @ts-expect-error not a tier
    recorder.expectPublished('order.placed', { customer: { tier: 'platinum' } });
  });
});
