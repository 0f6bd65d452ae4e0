import { describe, expect, it, vi } from 'vitest';
import { createEventBus, InvalidOptionError } from '../src/index.js';
import { type AppEvents, gate, settle } from './fixtures.js';

const created = { userId: 'u1', email: 'a@b.c' };

describe('clear', () => {
  it('with no argument ends every subscription and returns how many', async () => {
    const bus = createEventBus<AppEvents>();
    const handler = vi.fn();
    bus.subscribe('user.created', handler);
    bus.subscribe('user.*', handler);
    bus.subscribe('**', handler);
    expect(bus.clear()).toBe(3);
    expect(bus.listenerCount()).toBe(0);
    await bus.publish('user.created', created);
    await settle();
    expect(handler).not.toHaveBeenCalled();
    expect(bus.clear()).toBe(0);
  });

  it('with a pattern ends only the subscriptions made with exactly that pattern', async () => {
    const bus = createEventBus<AppEvents>();
    const exact = vi.fn();
    const wildcard = vi.fn();
    bus.subscribe('user.created', exact);
    bus.subscribe('user.created', exact);
    bus.subscribe('user.*', wildcard);
    expect(bus.clear('user.created')).toBe(2);
    await bus.publish('user.created', created);
    await settle();
    expect(exact).not.toHaveBeenCalled();
    expect(wildcard).toHaveBeenCalledTimes(1);
    expect(bus.clear('user.*')).toBe(1);
    expect(bus.listenerCount()).toBe(0);
  });

  it('skips deliveries still queued for a removed subscription and lets running ones finish', async () => {
    const bus = createEventBus<AppEvents>({ workers: 1 });
    const held = gate();
    const seen: string[] = [];
    bus.subscribe('user.created', async (event) => {
      seen.push(`start ${event.data.userId}`);
      await held.promise;
      seen.push(`end ${event.data.userId}`);
    });
    await bus.publish('user.created', { userId: 'u1', email: 'a@b.c' });
    await bus.publish('user.created', { userId: 'u2', email: 'a@b.c' });
    await settle();
    expect(bus.clear()).toBe(1);
    held.open();
    await bus.idle();
    expect(seen).toEqual(['start u1', 'end u1']);
    expect(bus.stats().delivered).toBe(1);
  });

  it('may be called from a handler during dispatch', async () => {
    const bus = createEventBus<AppEvents>({ workers: 1 });
    const later = vi.fn();
    bus.subscribe('user.created', () => {
      bus.clear();
    });
    bus.subscribe('user.created', later);
    await bus.publish('user.created', created);
    await bus.idle();
    expect(later).not.toHaveBeenCalled();
    expect(bus.listenerCount()).toBe(0);
  });

  it('forgets the abort listener of a subscription made with a signal', () => {
    const bus = createEventBus<AppEvents>();
    const controller = new AbortController();
    const onUnsubscribe = vi.fn();
    bus.subscribe('user.created', () => {}, { signal: controller.signal });
    bus.clear();
    bus.lifecycle.on('unsubscribe', onUnsubscribe);
    controller.abort();
    expect(onUnsubscribe).not.toHaveBeenCalled();
  });

  it('refuses a pattern that is not valid', () => {
    const bus = createEventBus<AppEvents>();
    expect(() => bus.clear('user.**.x' as never)).toThrow(InvalidOptionError);
  });
});
