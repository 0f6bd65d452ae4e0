import {
  createEventBus,
  type Event,
  type Handler,
  type Middleware,
  type PublishFn,
  type TypedPublish,
} from '@gossip/core';
import { describe, expectTypeOf, it } from 'vitest';
import {
  chain,
  withCircuitBreaker,
  withDeadLetter,
  withDedupe,
  withLogging,
  withRateLimit,
  withRecovery,
  withRetry,
  withTimeout,
} from '../src/index.js';

type AppEvents = {
  'order.paid': { orderId: string; amount: number };
  'user.created': { email: string };
};
type OrderPaid = Event<'order.paid', AppEvents['order.paid']>;
type UserCreated = Event<'user.created', AppEvents['user.created']>;

const logger = { info: () => {}, error: () => {} };
const every: Middleware[] = [
  withRecovery(),
  withRetry(),
  withTimeout(1000),
  withLogging({ logger }),
  withDeadLetter({ publish: 'dead.letter' }),
  withDedupe(),
  withCircuitBreaker(),
  withRateLimit({ perSecond: 10 }),
  chain(),
];

describe('middleware types', () => {
  it('every middleware is a core Middleware', () => {
    for (const middleware of every) expectTypeOf(middleware).toEqualTypeOf<Middleware>();
  });

  it('a wrapped handler keeps its event type', () => {
    const handler: Handler<OrderPaid> = (event) => {
      void event.data.amount;
    };
    for (const middleware of every) {
      expectTypeOf(middleware(handler)).toEqualTypeOf<Handler<OrderPaid, PublishFn>>();
    }
    const robust = chain(withRecovery(), withRetry({ attempts: 3 }), withTimeout(500));
    expectTypeOf(robust(handler)).toEqualTypeOf<Handler<OrderPaid, PublishFn>>();
    // @ts-expect-error a handler of order.paid does not become a handler of user.created
    const wrong: Handler<UserCreated> = robust(handler);
    void wrong;
  });

  it('a handler wrapped inline in subscribe is typed by the pattern', () => {
    const bus = createEventBus<AppEvents>();
    bus.subscribe(
      'order.paid',
      chain(
        withRecovery(),
        withRetry(),
      )(async (event, ctx) => {
        expectTypeOf(event).toEqualTypeOf<OrderPaid>();
        expectTypeOf(ctx.publish).toEqualTypeOf<TypedPublish<AppEvents>>();
        expectTypeOf(ctx.attempt).toBeNumber();
      }),
    );
    bus.subscribe(
      'order.paid',
      withTimeout(100)((event) => {
        // @ts-expect-error order.paid has no email
        void event.data.email;
      }),
    );
  });

  it('a handler written on its own and wrapped fits a typed bus', () => {
    const bus = createEventBus<AppEvents>();
    const wrapped = withRetry()((event: OrderPaid) => {
      void event.data.amount;
    });
    bus.subscribe('order.paid', wrapped);
    // @ts-expect-error a handler of order.paid does not fit a subscription to user.created
    bus.subscribe('user.created', wrapped);
  });

  it('fits bus.use, the bus middleware option and the subscribe middleware option', () => {
    const bus = createEventBus<AppEvents>({
      middleware: [withRecovery(), withLogging({ logger })],
    });
    bus.use(withRetry({ attempts: 2 }));
    bus.subscribe('user.created', () => {}, { middleware: [withTimeout(50), withDedupe()] });
  });

  it('refuses options of the wrong type', () => {
    // @ts-expect-error backoff is one of three names
    withRetry({ backoff: 'quadratic' });
    // @ts-expect-error a timeout is a number of milliseconds
    withTimeout('1s');
    // @ts-expect-error withLogging needs a logger
    withLogging({});
    // @ts-expect-error a rate limit needs a rate
    withRateLimit({});
    // @ts-expect-error a dead letter goes to an event type or a handler, not both
    withDeadLetter({ publish: 'dead.letter', handler: () => {} });
    // @ts-expect-error chain takes middleware, not handlers
    chain((event: OrderPaid) => void event);
  });
});
