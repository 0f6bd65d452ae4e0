import { describe, expectTypeOf, it } from 'vitest';
import {
  assertKnownOptions,
  type CheckedType,
  createEventBus,
  type Event,
  type EventBus,
  type InferEventInputs,
  type InferEventMap,
  type MatchedType,
  type Pattern,
  type PublishUnionMessage,
  SchemaRegistry,
  type SubscriptionChange,
  type SubscriptionInfo,
  type Unsubscribe,
} from '../src/index.js';
import { type AppEvents, events } from './fixtures.js';

const bus = createEventBus({ schemas: events });
const typedOnly = createEventBus<AppEvents>();

describe('event maps', () => {
  it('infers the event map from zod schemas', () => {
    type Map = InferEventMap<typeof events>;
    expectTypeOf<Map['user.created']>().toEqualTypeOf<{ userId: string; email: string }>();
    expectTypeOf<Map['app.started']>().toEqualTypeOf<undefined>();
    expectTypeOf<Map['job.queued']>().toEqualTypeOf<{ jobId: string; tries: number }>();
  });

  it('takes schema inputs at publish and outputs in handlers', () => {
    type Inputs = InferEventInputs<typeof events>;
    expectTypeOf<Inputs['job.queued']>().toEqualTypeOf<{
      jobId: string;
      tries?: number | undefined;
    }>();
    bus.publish('job.queued', { jobId: 'j1' });
    bus.subscribe('job.queued', (event) => {
      expectTypeOf(event.data.tries).toEqualTypeOf<number>();
    });
  });

  it('gives the bus the map of its schemas, of its registry, or of its type argument', () => {
    expectTypeOf(bus).toEqualTypeOf<
      EventBus<InferEventMap<typeof events>, InferEventInputs<typeof events>>
    >();
    const registry = SchemaRegistry.from(events);
    expectTypeOf(createEventBus({ registry })).toEqualTypeOf<
      EventBus<InferEventMap<typeof events>>
    >();
    expectTypeOf(typedOnly).toEqualTypeOf<EventBus<AppEvents>>();
  });
});

describe('publish', () => {
  it('accepts a payload of the event type', () => {
    typedOnly.publish('user.created', { userId: 'u1', email: 'a@b.c' });
    typedOnly.publish(
      'order.paid',
      { orderId: 'o1', amount: 1 },
      { metadata: { requestId: 'r1' } },
    );
    expectTypeOf(typedOnly.publish('user.deleted', { userId: 'u1' })).toEqualTypeOf<
      Promise<void>
    >();
  });

  it('refuses metadata that is not an object of strings', () => {
    // @ts-expect-error metadata values are strings
    typedOnly.publish('user.deleted', { userId: 'u1' }, { metadata: { attempt: 1 } });
    // @ts-expect-error metadata is an object, not a string
    typedOnly.publish('user.deleted', { userId: 'u1' }, { metadata: 'requestId=r1' });
    // @ts-expect-error metadata is an object, not null
    typedOnly.publishSync('user.deleted', { userId: 'u1' }, { metadata: null });
  });

  it('refuses a misspelt event name', () => {
    // @ts-expect-error 'user.craeted' is not an event
    typedOnly.publish('user.craeted', { userId: 'u1', email: 'a@b.c' });
    // @ts-expect-error 'user.craeted' is not an event
    bus.publish('user.craeted', { userId: 'u1', email: 'a@b.c' });
  });

  it('refuses a wrongly typed field', () => {
    // @ts-expect-error amount must be a number
    typedOnly.publish('order.paid', { orderId: 'o1', amount: '10' });
    // @ts-expect-error amount must be a number
    bus.publish('order.paid', { orderId: 'o1', amount: '10' });
  });

  it('refuses a missing field', () => {
    // @ts-expect-error email is missing
    typedOnly.publish('user.created', { userId: 'u1' });
    // @ts-expect-error the payload is missing
    typedOnly.publish('user.created');
  });

  it('refuses an extra field in an object literal', () => {
    // @ts-expect-error 'name' is not a field of user.deleted
    typedOnly.publish('user.deleted', { userId: 'u1', name: 'Ada' });
  });

  it('publishes a void event without data, and refuses an extra argument', () => {
    typedOnly.publish('app.started');
    bus.publish('app.started');
    typedOnly.publish('app.started', undefined, { metadata: { source: 'test' } });
    // @ts-expect-error app.started carries no data
    typedOnly.publish('app.started', { at: 1 });
    // @ts-expect-error app.started carries no data
    bus.publish('app.started', 42);
  });

  it('refuses a union of event types, whose payload cannot be checked', () => {
    const type = 'user.deleted' as 'user.deleted' | 'order.paid';
    // @ts-expect-error the payload of order.paid, sent as a union that may be user.deleted
    typedOnly.publish(type, { orderId: 'o1', amount: 1 });
    // @ts-expect-error the same for publishSync
    typedOnly.publishSync(type, { userId: 'u1' });
  });

  it('refuses a name typed string on a bus with an event map', () => {
    const name: string = 'user.deleted';
    // @ts-expect-error a string may be any name, so its payload cannot be checked
    typedOnly.publish(name, { userId: 'u1' });
    // @ts-expect-error the same for publishSync
    typedOnly.publishSync(name, { userId: 'u1' });
  });

  it('checks publishSync the same way and returns handler errors', () => {
    expectTypeOf(typedOnly.publishSync('user.deleted', { userId: 'u1' })).resolves.toBeArray();
    // @ts-expect-error userId must be a string
    typedOnly.publishSync('user.deleted', { userId: 1 });
    typedOnly.publishSync('app.started', undefined, { timeout: 100, sequential: true });
  });
});

describe('subscribe', () => {
  it('gives an exact subscription the event of that name', () => {
    typedOnly.subscribe('user.created', (event) => {
      expectTypeOf(event).toEqualTypeOf<Event<'user.created', { userId: string; email: string }>>();
    });
  });

  it('narrows `*` to the events of one more segment', () => {
    typedOnly.subscribe('order.*', (event) => {
      expectTypeOf(event.type).toEqualTypeOf<'order.placed' | 'order.paid'>();
      if (event.type === 'order.paid')
        expectTypeOf(event.data).toEqualTypeOf<{ orderId: string; amount: number }>();
    });
    typedOnly.subscribe('*.deleted', (event) => {
      expectTypeOf(event.type).toEqualTypeOf<'user.deleted'>();
    });
  });

  it('narrows `**` to the events of one or more trailing segments', () => {
    typedOnly.subscribe('order.**', (event) => {
      expectTypeOf(event.type).toEqualTypeOf<'order.placed' | 'order.paid' | 'order.item.added'>();
      if (event.type === 'order.item.added') expectTypeOf(event.data.sku).toEqualTypeOf<string>();
    });
  });

  it('gives `**` alone every event, discriminated by type', () => {
    typedOnly.subscribe('**', (event) => {
      expectTypeOf(event.type).toEqualTypeOf<keyof AppEvents>();
      if (event.type === 'user.deleted')
        expectTypeOf(event.data).toEqualTypeOf<{ userId: string }>();
      if (event.type === 'app.started') expectTypeOf(event.data).toEqualTypeOf<undefined>();
    });
  });

  it('refuses a pattern that matches nothing', () => {
    // @ts-expect-error no event starts with 'ordr'
    typedOnly.subscribe('ordr.*', () => {});
    // @ts-expect-error order.* matches two segments only
    typedOnly.subscribe('order.item.*.*', () => {});
    // @ts-expect-error a misspelt exact name
    bus.subscribe('user.craeted', () => {});
  });

  it('refuses a handler that reads a field the event does not have', () => {
    typedOnly.subscribe('user.deleted', (event) => {
      // @ts-expect-error user.deleted has no email
      event.data.email;
    });
  });

  it('types the options by the matched events', () => {
    typedOnly.subscribe('order.*', () => {}, {
      filter: (event) => event.data.amount > 100,
      orderingKey: (event) => event.data.orderId,
      name: 'billing',
    });
  });

  it('types ctx.publish by the bus', () => {
    typedOnly.subscribe('user.created', async (event, ctx) => {
      await ctx.publish('user.deleted', { userId: event.data.userId });
      // @ts-expect-error not an event
      await ctx.publish('user.removed', { userId: event.data.userId });
    });
  });

  it('returns an unsubscribe function that is Disposable', () => {
    const off = typedOnly.subscribe('user.created', () => {});
    expectTypeOf(off).toBeCallableWith();
    expectTypeOf(off).toExtend<Disposable>();
  });
});

describe('once and stream', () => {
  it('resolve with the matched events', () => {
    expectTypeOf(typedOnly.once('user.*')).resolves.toEqualTypeOf<
      | Event<'user.created', { userId: string; email: string }>
      | Event<'user.deleted', { userId: string }>
    >();
    const stream = typedOnly.stream('order.paid');
    expectTypeOf(stream).toExtend<
      AsyncIterable<Event<'order.paid', { orderId: string; amount: number }>>
    >();
    // @ts-expect-error matches nothing
    typedOnly.once('nope.*');
  });

  it('once takes several patterns: its event is the union, and its filter sees it', () => {
    expectTypeOf(
      typedOnly.once(['order.paid', 'user.deleted'], {
        filter: (event) => {
          expectTypeOf(event.type).toEqualTypeOf<'order.paid' | 'user.deleted'>();
          return true;
        },
      }),
    ).resolves.toEqualTypeOf<
      | Event<'order.paid', { orderId: string; amount: number }>
      | Event<'user.deleted', { userId: string }>
    >();
    // @ts-expect-error one of them matches nothing
    typedOnly.once(['order.paid', 'nope.*']);
    // @ts-expect-error an empty array waits for nothing
    typedOnly.once([]);
  });

  it('once takes one pattern or several on a bus without an event map', () => {
    const untyped = createEventBus();
    expectTypeOf(untyped.once('anything.*'))
      .resolves.toHaveProperty('data')
      .toEqualTypeOf<unknown>();
    expectTypeOf(untyped.once(['a', 'b.*']))
      .resolves.toHaveProperty('type')
      .toEqualTypeOf<string>();
  });

  it('stream takes one pattern, not several', () => {
    // @ts-expect-error a stream of several would yield twice an event two of them match
    typedOnly.stream(['order.paid', 'user.deleted']);
  });
});

describe('patterns', () => {
  it('lists every pattern that matches an event, for autocompletion', () => {
    expectTypeOf<'order.*'>().toExtend<Pattern<AppEvents>>();
    expectTypeOf<'*.*.added'>().toExtend<Pattern<AppEvents>>();
    expectTypeOf<'order.*.**'>().toExtend<Pattern<AppEvents>>();
    expectTypeOf<'user.**.x'>().not.toExtend<Pattern<AppEvents>>();
    expectTypeOf<MatchedType<AppEvents, '*.*'>>().toEqualTypeOf<
      'user.created' | 'user.deleted' | 'order.placed' | 'order.paid' | 'app.started'
    >();
  });

  it('accepts any name on a bus without an event map', () => {
    const untyped = createEventBus();
    untyped.subscribe('anything.*', (event) => {
      expectTypeOf(event.type).toEqualTypeOf<string>();
      expectTypeOf(event.data).toEqualTypeOf<unknown>();
    });
    untyped.publish('anything.at.all', { x: 1 });
    untyped.publish('no.data');
    const name: string = 'computed.name';
    untyped.publish(name, 42);
    const either = 'a.b' as 'a.b' | 'c.d';
    untyped.publish(either, { y: 2 });
    untyped.subscribe(either, (event) => {
      expectTypeOf(event.type).toEqualTypeOf<string>();
    });
  });
});

describe('a union of event types at publish', () => {
  it('is refused with a message that says so', () => {
    expectTypeOf<
      CheckedType<AppEvents, 'user.deleted' | 'order.paid'>
    >().toEqualTypeOf<'gossip: publish one event type at a time, not a union'>();
    expectTypeOf<PublishUnionMessage>().toEqualTypeOf<'gossip: publish one event type at a time, not a union'>();
    const type = 'user.deleted' as 'user.deleted' | 'order.paid';
    // @ts-expect-error gossip: publish one event type at a time, not a union
    typedOnly.publish(type, { userId: 'u1' });
    typedOnly.subscribe('user.deleted', async (_event, ctx) => {
      // @ts-expect-error the same for ctx.publish
      await ctx.publish(type, { userId: 'u1' });
    });
  });

  it('still lists the names for a misspelt one, and takes one name as before', () => {
    expectTypeOf<CheckedType<AppEvents, 'user.craeted'>>().toEqualTypeOf<keyof AppEvents>();
    expectTypeOf<CheckedType<AppEvents, 'user.deleted'>>().toEqualTypeOf<'user.deleted'>();
  });
});

describe('introspection and bulk removal', () => {
  it('types listenerCount, clear and hasSubscribers like subscribe and publish', () => {
    expectTypeOf(typedOnly.listenerCount()).toEqualTypeOf<number>();
    expectTypeOf(typedOnly.listenerCount('order.*')).toEqualTypeOf<number>();
    expectTypeOf(typedOnly.clear('user.created')).toEqualTypeOf<number>();
    expectTypeOf(bus.hasSubscribers('user.created')).toEqualTypeOf<boolean>();
    // @ts-expect-error a misspelt pattern
    typedOnly.listenerCount('ordr.*');
    // @ts-expect-error a misspelt pattern
    typedOnly.clear('user.craeted');
    // @ts-expect-error a misspelt event name
    bus.hasSubscribers('user.craeted');
    // @ts-expect-error an event name, not a pattern
    bus.hasSubscribers('user.*');
    expectTypeOf(typedOnly.subscriptions()).toEqualTypeOf<SubscriptionInfo[]>();
  });

  it('makes the bus AsyncDisposable, with idle() a promise', () => {
    expectTypeOf(typedOnly).toExtend<AsyncDisposable>();
    expectTypeOf(typedOnly.idle()).toEqualTypeOf<Promise<void>>();
  });

  it('types the subscribe and unsubscribe lifecycle events', () => {
    typedOnly.lifecycle.on('subscribe', (change) => {
      expectTypeOf(change).toEqualTypeOf<SubscriptionChange>();
      expectTypeOf(change.count).toEqualTypeOf<number>();
    });
    typedOnly.lifecycle.on('unsubscribe', ({ pattern, name }) => {
      expectTypeOf(pattern).toEqualTypeOf<string>();
      expectTypeOf(name).toEqualTypeOf<string>();
    });
  });
});

describe('subscribe to several patterns', () => {
  it('gives the handler the union of the patterns events', () => {
    typedOnly.subscribe(['user.created', 'user.deleted'], (event) => {
      expectTypeOf(event.type).toEqualTypeOf<'user.created' | 'user.deleted'>();
      if (event.type === 'user.created') expectTypeOf(event.data.email).toEqualTypeOf<string>();
    });
    typedOnly.subscribe(['user.created', 'order.*'], (event) => {
      expectTypeOf(event.type).toEqualTypeOf<'user.created' | 'order.placed' | 'order.paid'>();
    });
    const off = bus.subscribe(['job.queued', 'app.started'], (event) => {
      if (event.type === 'job.queued') expectTypeOf(event.data.tries).toEqualTypeOf<number>();
    });
    expectTypeOf(off).toEqualTypeOf<Unsubscribe>();
  });

  it('types the options by the union, and refuses a misspelt or empty list', () => {
    typedOnly.subscribe(['order.paid', 'order.placed'], () => {}, {
      orderingKey: (event) => event.data.orderId,
    });
    // @ts-expect-error a misspelt pattern in the list
    typedOnly.subscribe(['user.created', 'user.craeted'], () => {});
    // @ts-expect-error an empty list
    typedOnly.subscribe([], () => {});
  });
});

describe('assertKnownOptions', () => {
  it('narrows options of unknown type to an object, and takes only string keys', () => {
    const options: unknown = { aging: 5 };
    assertKnownOptions('make', options, ['aging']);
    expectTypeOf(options).toEqualTypeOf<object>();
    // @ts-expect-error the known options are names
    assertKnownOptions('make', {}, [1]);
  });
});
