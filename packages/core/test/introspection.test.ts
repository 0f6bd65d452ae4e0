import { describe, expect, it } from 'vitest';
import { createEventBus, InvalidOptionError } from '../src/index.js';
import { type AppEvents, events } from './fixtures.js';

const noop = () => {};

describe('listenerCount', () => {
  it('counts every subscription with no argument', () => {
    const bus = createEventBus<AppEvents>();
    expect(bus.listenerCount()).toBe(0);
    bus.subscribe('user.created', noop);
    bus.subscribe('order.*', noop);
    expect(bus.listenerCount()).toBe(2);
  });

  it('counts, for an event name, every subscription that would receive it, wildcards included', () => {
    const bus = createEventBus<AppEvents>();
    bus.subscribe('user.created', noop);
    bus.subscribe('user.*', noop);
    bus.subscribe('**', noop);
    bus.subscribe('order.paid', noop);
    expect(bus.listenerCount('user.created')).toBe(3);
    expect(bus.listenerCount('user.deleted')).toBe(2);
    expect(bus.listenerCount('order.placed')).toBe(1);
  });

  it('counts, for a wildcard pattern, the subscriptions made with exactly that pattern', () => {
    const bus = createEventBus<AppEvents>();
    bus.subscribe('user.*', noop);
    bus.subscribe('user.*', noop);
    bus.subscribe('**', noop);
    expect(bus.listenerCount('user.*')).toBe(2);
    expect(bus.listenerCount('order.*')).toBe(0);
  });

  it('counts a subscription once it is made and not after it ends', () => {
    const bus = createEventBus<AppEvents>();
    const off = bus.subscribe('user.created', noop, { filter: () => false });
    expect(bus.listenerCount('user.created')).toBe(1);
    off();
    expect(bus.listenerCount('user.created')).toBe(0);
    expect(bus.listenerCount()).toBe(0);
  });

  it('refuses a pattern that is not valid', () => {
    const bus = createEventBus<AppEvents>();
    expect(() => bus.listenerCount('user..created' as never)).toThrow(InvalidOptionError);
  });
});

describe('hasSubscribers', () => {
  it('tells whether an event of the name would reach a subscription', () => {
    const bus = createEventBus({ schemas: events });
    expect(bus.hasSubscribers('user.created')).toBe(false);
    const off = bus.subscribe('user.**', noop);
    expect(bus.hasSubscribers('user.created')).toBe(true);
    expect(bus.hasSubscribers('order.paid')).toBe(false);
    off();
    expect(bus.hasSubscribers('user.created')).toBe(false);
  });

  it('refuses a pattern where an event name is expected', () => {
    const bus = createEventBus<AppEvents>();
    expect(() => bus.hasSubscribers('user.*' as never)).toThrow(InvalidOptionError);
  });
});

describe('subscriptions', () => {
  it('lists the active subscriptions in subscription order, with a summary of their options', () => {
    const bus = createEventBus<AppEvents>();
    const controller = new AbortController();
    bus.subscribe('user.created', noop);
    const off = bus.subscribe('user.deleted', noop);
    bus.subscribe('order.*', noop, {
      name: 'billing',
      filter: () => true,
      orderingKey: (event) => event.data.orderId,
      signal: controller.signal,
      middleware: [(next) => next],
    });
    off();
    expect(bus.subscriptions()).toEqual([
      {
        name: 'user.created',
        pattern: 'user.created',
        filter: false,
        orderingKey: false,
        signal: false,
        middleware: 0,
      },
      {
        name: 'billing',
        pattern: 'order.*',
        filter: true,
        orderingKey: true,
        signal: true,
        middleware: 1,
      },
    ]);
    controller.abort();
    expect(bus.subscriptions().map((s) => s.name)).toEqual(['user.created']);
  });

  it('returns a new list each call, which changes nothing when changed', () => {
    const bus = createEventBus<AppEvents>();
    bus.subscribe('user.created', noop);
    const list = bus.subscriptions();
    list.pop();
    expect(bus.subscriptions()).toHaveLength(1);
  });
});
