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

  it('ends a stream it unsubscribes: the held events are read, then the iteration is done', async () => {
    const bus = createEventBus<AppEvents>();
    const stream = bus.stream('user.*');
    await bus.publish('user.created', created);
    await bus.idle();
    expect(bus.clear('user.*')).toBe(1);
    expect(bus.listenerCount()).toBe(0);
    const read: string[] = [];
    for await (const event of stream) read.push(event.data.userId);
    expect(read).toEqual(['u1']);
    await bus.publish('user.created', { userId: 'u2', email: 'b@b.c' });
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it('ends a consumer already waiting on a stream it unsubscribes', async () => {
    const bus = createEventBus<AppEvents>();
    const stream = bus.stream('order.*');
    const pending = stream.next();
    bus.clear();
    await expect(pending).resolves.toEqual({ value: undefined, done: true });
  });

  it('rejects a pending once with an AbortError, and leaves the other waits alone', async () => {
    const bus = createEventBus<AppEvents>();
    const cleared = bus.once('user.created', { timeout: 60_000 });
    const kept = bus.once('user.*');
    expect(bus.clear('user.created')).toBe(1);
    await expect(cleared).rejects.toMatchObject({
      name: 'AbortError',
      message: 'once(user.created) was ended by bus.clear()',
    });
    await bus.publish('user.created', created);
    expect((await kept).data).toEqual(created);
    expect(bus.listenerCount()).toBe(0);
    expect((await bus.shutdown()).complete).toBe(true);
  });

  it('lets a stream delivery running in async middleware bring its event before the stream ends', async () => {
    const bus = createEventBus<AppEvents>();
    const held = gate();
    bus.use((next) => async (event, ctx) => {
      await held.promise;
      return next(event, ctx);
    });
    const stream = bus.stream('user.*');
    await bus.publish('user.created', created);
    await settle(); // the delivery waits in the middleware
    expect(bus.clear()).toBe(1);
    held.open();
    const read: string[] = [];
    for await (const event of stream) read.push(event.data.userId);
    expect(read).toEqual(['u1']);
    await bus.idle();
    expect(bus.stats()).toMatchObject({ delivered: 1, failed: 0 });
  });

  it('lets a once delivery running in async middleware resolve it with its event', async () => {
    const bus = createEventBus<AppEvents>();
    const held = gate();
    bus.use((next) => async (event, ctx) => {
      await held.promise;
      return next(event, ctx);
    });
    const next = bus.once('user.created');
    await bus.publish('user.created', created);
    await settle();
    expect(bus.clear()).toBe(1);
    held.open();
    expect((await next).data).toEqual(created);
  });

  it('ends a once or a stream cleared while it subscribes (from a subscribe listener), throwing nothing', async () => {
    const bus = createEventBus<AppEvents>();
    const stop = bus.lifecycle.on('subscribe', () => bus.clear());
    const single = bus.once('user.created', { timeout: 60_000 });
    const several = bus.once(['user.created', 'order.paid', 'user.deleted']);
    const stream = bus.stream('order.*');
    stop();
    await expect(single).rejects.toMatchObject({ name: 'AbortError' });
    await expect(several).rejects.toMatchObject({ name: 'AbortError' });
    expect(await stream.next()).toEqual({ value: undefined, done: true });
    expect(bus.listenerCount()).toBe(0);
    expect((await bus.shutdown()).complete).toBe(true);
  });

  it('refuses a pattern that is not valid', () => {
    const bus = createEventBus<AppEvents>();
    expect(() => bus.clear('user.**.x' as never)).toThrow(InvalidOptionError);
  });
});
