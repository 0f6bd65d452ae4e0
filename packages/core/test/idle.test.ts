import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEventBus } from '../src/index.js';
import { type AppEvents, gate, settle } from './fixtures.js';

describe('idle', () => {
  // The tests that need time to pass use fake timers; a failing one must not leave them on.
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves at once when nothing is queued or running', async () => {
    const bus = createEventBus<AppEvents>();
    await expect(bus.idle()).resolves.toBeUndefined();
  });

  it('resolves once every published event is handled, asynchronous handlers included', async () => {
    vi.useFakeTimers();
    const bus = createEventBus<AppEvents>({ workers: 2 });
    const handled: string[] = [];
    bus.subscribe('user.deleted', async (event) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      handled.push(event.data.userId);
    });
    for (const userId of ['u1', 'u2', 'u3']) void bus.publish('user.deleted', { userId });
    let idle = false;
    const waiting = bus.idle().then(() => {
      idle = true;
    });
    // Two workers, 5 ms a call: the third event is handled 10 fake milliseconds in, not before.
    await vi.advanceTimersByTimeAsync(9);
    expect(idle).toBe(false);
    expect(handled).toEqual(['u1', 'u2']);
    await vi.advanceTimersByTimeAsync(1);
    await waiting;
    expect(handled).toEqual(['u1', 'u2', 'u3']);
    expect(bus.closed).toBe(false);
  });

  it('waits for events that handlers publish, and for publishSync runs', async () => {
    const bus = createEventBus<AppEvents>();
    const held = gate();
    const paid = vi.fn();
    bus.subscribe('order.placed', async (event, ctx) => {
      await ctx.publish('order.paid', event.data);
    });
    bus.subscribe('order.paid', paid);
    bus.subscribe('user.deleted', () => held.promise);
    void bus.publishSync('user.deleted', { userId: 'u1' });
    void bus.publish('order.placed', { orderId: 'o1', amount: 1 });
    let idle = false;
    const waiting = bus.idle().then(() => {
      idle = true;
    });
    await settle();
    expect(paid).toHaveBeenCalledTimes(1);
    expect(idle).toBe(false);
    held.open();
    await waiting;
    expect(idle).toBe(true);
  });

  it('lets several callers wait at once, beside a shutdown', async () => {
    const bus = createEventBus<AppEvents>();
    const held = gate();
    bus.subscribe('user.deleted', () => held.promise);
    void bus.publish('user.deleted', { userId: 'u1' });
    await settle();
    const waits = [bus.idle(), bus.idle()];
    const report = bus.shutdown();
    held.open();
    await Promise.all(waits);
    await expect(report).resolves.toMatchObject({ complete: true, delivered: 1 });
  });

  it('resolves when shutdown gives up at its deadline', async () => {
    vi.useFakeTimers();
    const bus = createEventBus<AppEvents>();
    bus.subscribe('user.deleted', () => new Promise<void>(() => {}));
    void bus.publish('user.deleted', { userId: 'u1' });
    await vi.advanceTimersByTimeAsync(0);
    const waiting = bus.idle();
    const shutdown = bus.shutdown({ timeout: 10 });
    await vi.advanceTimersByTimeAsync(10);
    const report = await shutdown;
    expect(report.complete).toBe(false);
    await expect(waiting).resolves.toBeUndefined();
    await expect(bus.idle()).resolves.toBeUndefined();
  });
});
