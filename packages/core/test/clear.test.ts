import { describe, expect, it, vi } from 'vitest';
import {
  BusClosedError,
  createEventBus,
  type GossipError,
  HandlerError,
  InvalidOptionError,
} from '../src/index.js';
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

  it('ends a stream at once; a delivery still in async middleware then fails and is reported, not lost', async () => {
    const errors: GossipError[] = [];
    const bus = createEventBus<AppEvents>({ onError: (error) => errors.push(error) });
    const held = gate();
    bus.use((next) => async (event, ctx) => {
      if ((event.data as { userId?: string }).userId === 'late') await held.promise;
      return next(event, ctx);
    });
    const stream = bus.stream('user.*');
    await bus.publish('user.created', created);
    await bus.publish('user.deleted', { userId: 'late' });
    await settle(); // 'late' waits in the middleware
    expect(bus.clear()).toBe(1);
    const read: string[] = [];
    for await (const event of stream) read.push(event.data.userId);
    expect(read).toEqual(['u1']);
    held.open();
    await bus.idle();
    expect(bus.stats()).toMatchObject({ published: 2, delivered: 1, failed: 1 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(HandlerError);
    expect(errors[0]).toMatchObject({ subscription: 'stream(user.*)' });
    expect(String((errors[0]?.cause as Error | undefined)?.message)).toMatch(
      /^The stream had ended/,
    );
  });

  it('lets in the deliveries of a stream waiting for room when it ends the stream: none waits on', async () => {
    const bus = createEventBus<AppEvents>({ workers: 1 });
    const stream = bus.stream('user.*', { bufferSize: 1 });
    await bus.publish('user.created', created);
    await bus.publish('user.deleted', { userId: 'waits' });
    await settle();
    expect(bus.stats().inFlight).toBe(1); // the second waits for room
    bus.clear();
    await bus.idle();
    expect(bus.stats()).toMatchObject({ delivered: 2, inFlight: 0 });
    const read: string[] = [];
    for await (const event of stream) read.push(event.data.userId);
    expect(read).toEqual(['u1', 'waits']);
  });

  it('rejects a once at once; a delivery still in async middleware then fails and is reported', async () => {
    const errors: GossipError[] = [];
    const bus = createEventBus<AppEvents>({ onError: (error) => errors.push(error) });
    const held = gate();
    bus.use((next) => async (event, ctx) => {
      await held.promise;
      return next(event, ctx);
    });
    const next = bus.once(['user.created', 'order.paid']);
    await bus.publish('user.created', created);
    await settle();
    expect(bus.clear('order.paid')).toBe(1);
    await expect(next).rejects.toMatchObject({ name: 'AbortError' });
    held.open();
    await bus.idle();
    expect(bus.stats()).toMatchObject({ published: 1, delivered: 0, failed: 1 });
    expect(errors.map((error) => error.code)).toEqual(['HANDLER_FAILED']);
    expect(String((errors[0]?.cause as Error | undefined)?.message)).toBe(
      'once(user.created, order.paid) had ended (timeout, abort, clear() or shutdown) before this event.',
    );
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

  it('ends a once or a stream whose bus a subscribe listener shuts down while it subscribes', async () => {
    const bus = createEventBus<AppEvents>();
    let closing: Promise<unknown> | undefined;
    bus.lifecycle.on('subscribe', () => {
      closing ??= bus.shutdown();
    });
    const next = bus.once('user.created');
    await expect(next).rejects.toBeInstanceOf(BusClosedError);
    const other = createEventBus<AppEvents>();
    other.lifecycle.on('subscribe', () => void other.shutdown());
    const stream = other.stream('user.*');
    expect(await stream.next()).toEqual({ value: undefined, done: true });
    await closing;
  });

  it('rejects a once with an Error named AbortError where the host has no DOMException', async () => {
    vi.stubGlobal('DOMException', undefined);
    try {
      const bus = createEventBus<AppEvents>();
      const next = bus.once('user.created');
      const stream = bus.stream('user.*');
      expect(bus.clear()).toBe(2);
      await expect(next).rejects.toMatchObject({
        name: 'AbortError',
        message: 'once(user.created) was ended by bus.clear()',
      });
      expect(await stream.next()).toEqual({ value: undefined, done: true });
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('refuses a pattern that is not valid', () => {
    const bus = createEventBus<AppEvents>();
    expect(() => bus.clear('user.**.x' as never)).toThrow(InvalidOptionError);
  });
});
