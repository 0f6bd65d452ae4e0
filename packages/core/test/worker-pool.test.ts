import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEventBus, type ShutdownReport } from '../src/index.js';
import { type AppEvents, gate, settle } from './fixtures.js';

describe('the worker pool', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('never runs more handler calls at once than `workers`', async () => {
    vi.useFakeTimers();
    const bus = createEventBus<AppEvents>({ workers: 3 });
    let running = 0;
    let peak = 0;
    const handler = async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 1));
      running--;
    };
    bus.subscribe('user.deleted', handler);
    bus.subscribe('user.*', handler);
    for (let i = 0; i < 50; i++) await bus.publish('user.deleted', { userId: `u${i}` });
    let report: ShutdownReport | undefined;
    void bus.shutdown().then((done) => {
      report = done;
    });
    // 100 calls of a fake millisecond each, three at a time: 34 fake milliseconds drain them.
    for (let ms = 0; report === undefined && ms < 100; ms++) await vi.advanceTimersByTimeAsync(1);
    expect(peak).toBe(3);
    expect(report?.delivered).toBe(100);
  });

  it('reports how many calls are in flight and queued', async () => {
    const bus = createEventBus<AppEvents>({ workers: 2 });
    const hold = gate();
    bus.subscribe('user.deleted', () => hold.promise);
    for (let i = 0; i < 5; i++) await bus.publish('user.deleted', { userId: `u${i}` });
    await settle();
    expect(bus.stats()).toMatchObject({ inFlight: 2, queued: 3 });
    hold.open();
    await bus.shutdown();
    expect(bus.stats()).toMatchObject({ inFlight: 0, queued: 0, delivered: 5 });
  });

  it('starts handlers in publish order with one worker', async () => {
    const bus = createEventBus<AppEvents>({ workers: 1 });
    const seen: string[] = [];
    bus.subscribe('user.deleted', async (event) => {
      await settle();
      seen.push(event.data.userId);
    });
    for (let i = 0; i < 10; i++) await bus.publish('user.deleted', { userId: `${i}` });
    await bus.shutdown();
    expect(seen).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('handles a burst of synchronous events beyond the buffer, blocking publishers meanwhile', async () => {
    const bus = createEventBus<AppEvents>({ workers: 1, bufferSize: 100 });
    let count = 0;
    bus.subscribe('user.deleted', () => {
      count++;
    });
    const published = Array.from({ length: 10_000 }, () =>
      bus.publish('user.deleted', { userId: 'u' }),
    );
    await Promise.all(published);
    await bus.shutdown();
    expect(count).toBe(10_000);
  });

  // On the real event loop on purpose: it proves that the host's own timers get a turn while the
  // bus works through a long burst, which fake timers, run only when the test says, cannot show.
  // The timer waits no time (0 ms) and the test waits only for the burst to finish.
  it('lets timers run during a long burst of synchronous handlers', async () => {
    const bus = createEventBus<AppEvents>({ bufferSize: 100_000 });
    let count = 0;
    let countWhenTimerRan = -1;
    bus.subscribe('user.deleted', () => {
      count++;
    });
    for (let i = 0; i < 50_000; i++) bus.publish('user.deleted', { userId: 'u' });
    setTimeout(() => {
      countWhenTimerRan = count;
    }, 0);
    await bus.shutdown();
    expect(count).toBe(50_000);
    expect(countWhenTimerRan).toBeGreaterThan(0);
    expect(countWhenTimerRan).toBeLessThan(50_000);
  });
});
