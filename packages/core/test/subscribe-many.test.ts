import { describe, expect, it, vi } from 'vitest';
import {
  BusClosedError,
  createEventBus,
  InvalidOptionError,
  UnmatchedPatternError,
} from '../src/index.js';
import { type AppEvents, events } from './fixtures.js';

describe('subscribe to several patterns', () => {
  it('delivers the events of each pattern to the one handler', async () => {
    const bus = createEventBus<AppEvents>();
    const seen: string[] = [];
    bus.subscribe(['user.created', 'user.deleted'], (event) => {
      seen.push(event.type);
    });
    await bus.publish('user.created', { userId: 'u1', email: 'a@b.c' });
    await bus.publish('user.deleted', { userId: 'u1' });
    await bus.publish('order.paid', { orderId: 'o1', amount: 1 });
    await bus.idle();
    expect(seen).toEqual(['user.created', 'user.deleted']);
  });

  it('returns one unsubscribe function that ends every subscription, also disposable', () => {
    const bus = createEventBus<AppEvents>();
    const off = bus.subscribe(['user.created', 'order.*'], () => {});
    expect(bus.listenerCount()).toBe(2);
    off();
    expect(bus.listenerCount()).toBe(0);
    {
      using _both = bus.subscribe(['user.created', 'order.*'], () => {});
      expect(bus.listenerCount()).toBe(2);
    }
    expect(bus.listenerCount()).toBe(0);
  });

  it('makes one subscription of a pattern given twice', async () => {
    const bus = createEventBus<AppEvents>();
    const handler = vi.fn();
    bus.subscribe(['user.created', 'user.created'], handler, { name: 'welcome' });
    expect(bus.subscriptions().map((s) => s.name)).toEqual(['welcome']);
    await bus.publish('user.created', { userId: 'u1', email: 'a@b.c' });
    await bus.idle();
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('refuses an empty array with InvalidOptionError', () => {
    const bus = createEventBus<AppEvents>();
    expect(() => bus.subscribe([] as never, () => {})).toThrow(InvalidOptionError);
  });

  it('checks every pattern before subscribing any', () => {
    const bus = createEventBus({ schemas: events });
    expect(() => bus.subscribe(['user.created', 'ordr.*'] as never, () => {})).toThrow(
      UnmatchedPatternError,
    );
    expect(() => bus.subscribe(['user.created', 'user..x'] as never, () => {})).toThrow(
      InvalidOptionError,
    );
    expect(bus.listenerCount()).toBe(0);
  });

  it('refuses after shutdown, subscribing nothing', async () => {
    const bus = createEventBus<AppEvents>();
    await bus.shutdown();
    expect(() => bus.subscribe(['user.created', 'user.deleted'], () => {})).toThrow(BusClosedError);
  });
});
