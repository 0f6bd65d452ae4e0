import { describe, expectTypeOf, it } from 'vitest';
import {
  type BusHandler,
  type BusOf,
  createEventBus,
  type Event,
  type Handler,
  type PublishFn,
} from '../src/index.js';
import { type AppEvents, events } from './fixtures.js';

const bus = createEventBus<AppEvents>();
const zodBus = createEventBus({ schemas: events });

type UserCreated = Event<'user.created', AppEvents['user.created']>;
type UserDeleted = Event<'user.deleted', AppEvents['user.deleted']>;

describe('Handler, the documented handler type', () => {
  it('subscribes to the event it names', () => {
    const onCreated: Handler<UserCreated> = async (event, ctx) => {
      expectTypeOf(ctx.publish).toEqualTypeOf<PublishFn>();
      await ctx.publish('audit.logged', { userId: event.data.userId });
    };
    bus.subscribe('user.created', onCreated);
    zodBus.subscribe('user.created', onCreated);
  });

  it('subscribes to a pattern when it takes every event the pattern matches', () => {
    const onUser: Handler<UserCreated | UserDeleted> = (event) => {
      expectTypeOf(event.data.userId).toEqualTypeOf<string>();
    };
    bus.subscribe('user.*', onUser);
    bus.subscribe(['user.created', 'user.deleted'], onUser);
    const onAny: Handler = () => {};
    bus.subscribe('**', onAny);
  });

  it('is refused by a subscription that can deliver an event it does not take', () => {
    const onCreated: Handler<UserCreated> = () => {};
    // @ts-expect-error user.* also delivers user.deleted, which has no email
    bus.subscribe('user.*', onCreated);
    // @ts-expect-error order.paid is not the event the handler takes
    bus.subscribe('order.paid', onCreated);
    const wrongPayload: Handler<Event<'user.created', { userId: number }>> = () => {};
    // @ts-expect-error the payload's userId is a string
    bus.subscribe('user.created', wrongPayload);
  });
});

describe('BusHandler and BusOf, the long form for a typed bus', () => {
  it('types a handler written apart from the subscription, ctx.publish included', () => {
    const onCreated: BusHandler<AppEvents, 'user.created'> = async (event, ctx) => {
      expectTypeOf(event).toEqualTypeOf<UserCreated>();
      await ctx.publish('user.deleted', { userId: event.data.userId });
      // @ts-expect-error a misspelt name does not compile on the typed ctx.publish
      await ctx.publish('user.delted', { userId: event.data.userId });
    };
    bus.subscribe('user.created', onCreated);
  });

  it('types a function that takes the bus of a schema map', () => {
    const register = (target: BusOf<typeof events>) =>
      target.subscribe('job.queued', (event) => {
        expectTypeOf(event.data.tries).toEqualTypeOf<number>();
      });
    register(zodBus);
  });

  it('keeps an inline handler’s ctx.publish typed', () => {
    bus.subscribe('user.created', async (event, ctx) => {
      // @ts-expect-error a misspelt name does not compile
      await ctx.publish('user.delted', { userId: event.data.userId });
      // @ts-expect-error the payload of user.deleted has a userId
      await ctx.publish('user.deleted', { id: event.data.userId });
    });
  });
});
