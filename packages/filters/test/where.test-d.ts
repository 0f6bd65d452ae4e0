import { type AnyEvent, createEventBus, type Event, type Filter } from '@gossip/core';
import { describe, expectTypeOf, it } from 'vitest';
import { and, byMetadata, filtered, not, or, where } from '../src/index.js';

type AppEvents = {
  'order.paid': { orderId: string; amount: number };
  'order.shipped': { orderId: string; carrier: string };
  'user.created': { email: string };
};
type OrderPaid = Event<'order.paid', AppEvents['order.paid']>;

const bus = createEventBus<AppEvents>();

describe('where', () => {
  it('infers the event from the subscription pattern', () => {
    bus.subscribe('order.paid', () => {}, {
      filter: where((event) => {
        expectTypeOf(event).toEqualTypeOf<OrderPaid>();
        return event.data.amount > 100;
      }),
    });
  });

  it('infers the union of events a wildcard pattern matches', () => {
    bus.subscribe('order.*', () => {}, {
      filter: where((event) => event.type === 'order.paid' && event.data.amount > 100),
    });
  });

  it('refuses a predicate that reads a field the event does not have', () => {
    bus.subscribe('order.paid', () => {}, {
      // @ts-expect-error order.paid has no field "total"
      filter: where((event) => event.data.total > 100),
    });
    bus.subscribe('user.created', () => {}, {
      // @ts-expect-error user.created has no amount
      filter: where((event) => event.data.amount > 100),
    });
  });

  it('takes the event type as a type argument or from an annotated predicate', () => {
    const big = where<OrderPaid>((event) => event.data.amount > 100);
    expectTypeOf(big).toEqualTypeOf<Filter<OrderPaid>>();
    const annotated = where((event: OrderPaid) => event.data.amount > 100);
    expectTypeOf(annotated).toEqualTypeOf<Filter<OrderPaid>>();
    // @ts-expect-error OrderPaid has no field "total"
    where<OrderPaid>((event) => event.data.total > 100);
    bus.subscribe('order.paid', () => {}, { filter: big });
    // @ts-expect-error a filter of order.paid does not fit a subscription to user.created
    bus.subscribe('user.created', () => {}, { filter: big });
  });

  it('defaults to any event without context', () => {
    expectTypeOf(where((event) => event.type.length > 0)).toEqualTypeOf<Filter<AnyEvent>>();
  });
});

describe('byMetadata, and, or, not', () => {
  it('fit the filter option of any subscription', () => {
    bus.subscribe('user.created', () => {}, { filter: byMetadata('source', 'api') });
    bus.subscribe('order.*', () => {}, {
      filter: and(
        byMetadata('customer_type', 'vip'),
        or(byMetadata('priority', 'high'), not(byMetadata('x', 'y'))),
      ),
    });
  });

  it('combine metadata filters with typed predicates', () => {
    bus.subscribe('order.paid', () => {}, {
      filter: and(
        byMetadata('source', 'api'),
        where((event) => event.data.amount > 100),
      ),
    });
    bus.subscribe('order.paid', () => {}, {
      filter: or(
        not(where((event) => event.data.amount > 100)),
        // @ts-expect-error order.paid has no carrier
        where((event) => event.data.carrier === 'ups'),
      ),
    });
  });
});

describe('filtered', () => {
  it('keeps the handler type and types its filter by the event', () => {
    bus.subscribe(
      'order.paid',
      filtered(
        where((event) => event.data.amount > 100),
        (event) => {
          expectTypeOf(event).toEqualTypeOf<OrderPaid>();
        },
      ),
    );
    const handler = (event: OrderPaid) => {
      void event.data.amount;
    };
    expectTypeOf(filtered(byMetadata('a', 'b'), handler))
      .parameter(0)
      .toEqualTypeOf<OrderPaid>();
  });
});
