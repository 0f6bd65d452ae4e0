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

describe('once for several patterns', () => {
  it('resolves with the first event any of them matches, then ends every subscription', async () => {
    const bus = createEventBus<AppEvents>();
    const next = bus.once(['order.paid', 'user.deleted']);
    expect(bus.listenerCount()).toBe(2);
    expect(bus.subscriptions().map((sub) => sub.name)).toEqual([
      'once(order.paid, user.deleted)',
      'once(order.paid, user.deleted)',
    ]);
    await bus.publish('user.created', { userId: 'u1', email: 'a@b.c' });
    await bus.publish('user.deleted', { userId: 'u1' });
    await bus.publish('order.paid', { orderId: 'o1', amount: 1 });
    const event = await next;
    expect(event.type).toBe('user.deleted');
    expect(bus.listenerCount()).toBe(0);
  });

  it('resolves once with an event two overlapping patterns both match', async () => {
    const bus = createEventBus<AppEvents>({ workers: 1 });
    const next = bus.once(['user.*', 'user.created']);
    await bus.publish('user.created', { userId: 'u1', email: 'a@b.c' });
    await bus.idle();
    expect((await next).data).toEqual({ userId: 'u1', email: 'a@b.c' });
    expect(bus.listenerCount()).toBe(0);
    expect(bus.stats()).toMatchObject({ published: 1, delivered: 1, failed: 0 });
  });

  it('names every pattern when it times out, and leaves no subscription', async () => {
    vi.useFakeTimers();
    try {
      const bus = createEventBus<AppEvents>();
      const next = bus.once(['order.paid', 'order.placed'], { timeout: 50 });
      const outcome = expect(next).rejects.toThrow(
        'once("order.paid, order.placed") timed out after 50 ms.',
      );
      await vi.advanceTimersByTimeAsync(50);
      await outcome;
      expect(bus.listenerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects an empty array or a pattern that matches no event, subscribing nothing', async () => {
    const bus = createEventBus({ schemas: events });
    await expect(bus.once([] as never)).rejects.toThrow(InvalidOptionError);
    await expect(bus.once(['user.created', 'nope.*'] as never)).rejects.toThrow(
      UnmatchedPatternError,
    );
    expect(bus.listenerCount()).toBe(0);
  });

  it('rejects with an AbortError when clear() ends one of its subscriptions, ending the others', async () => {
    const bus = createEventBus<AppEvents>();
    const next = bus.once(['order.paid', 'user.*']);
    expect(bus.clear('user.*')).toBe(1);
    await expect(next).rejects.toMatchObject({ name: 'AbortError' });
    expect(bus.listenerCount()).toBe(0);
  });

  it('resolves with its event when an unsubscribe listener clears another of its patterns as it ends', async () => {
    const bus = createEventBus<AppEvents>();
    bus.lifecycle.on('unsubscribe', ({ pattern }) => {
      if (pattern === 'user.deleted') bus.clear('order.paid');
    });
    const next = bus.once(['user.deleted', 'order.paid']);
    await bus.publish('user.deleted', { userId: 'u1' });
    expect((await next).type).toBe('user.deleted');
    expect(bus.listenerCount()).toBe(0);
  });

  it('refuses a huge sparse array at its first hole, reading no further', async () => {
    const bus = createEventBus<AppEvents>();
    const huge = new Array<string>(2 ** 32 - 1);
    await expect(bus.once(huge as never)).rejects.toThrow(InvalidOptionError);
    expect(() => bus.subscribe(huge as never, () => {})).toThrow(InvalidOptionError);
    expect(bus.listenerCount()).toBe(0);
  });

  it('rejects with BusClosedError naming the patterns when the bus shuts down first', async () => {
    const bus = createEventBus<AppEvents>();
    const next = bus.once(['order.paid', 'user.*']);
    await bus.shutdown();
    await expect(next).rejects.toThrow(
      'Cannot subscribe to "order.paid, user.*": the bus is shut down.',
    );
    await expect(bus.once(['order.paid'])).rejects.toBeInstanceOf(BusClosedError);
  });
});

describe('stream', () => {
  it('refuses several patterns: it would yield an event two of them match twice', () => {
    const bus = createEventBus<AppEvents>();
    expect(() => bus.stream(['user.*', 'user.created'] as never)).toThrow(
      /^Invalid option "stream\(pattern\)": expected one pattern/,
    );
    expect(bus.listenerCount()).toBe(0);
  });
});
