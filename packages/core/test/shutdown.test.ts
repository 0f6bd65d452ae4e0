import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  BusClosedError,
  createEventBus,
  InvalidOptionError,
  type ShutdownReport,
} from '../src/index.js';
import { type AppEvents, gate, inNode, settle } from './fixtures.js';

describe('shutdown', () => {
  // The tests below that wait use fake timers; a failing one must not leave them on.
  afterEach(() => {
    vi.useRealTimers();
  });

  // 10,000 events in Node; 1,000 in a browser, where each fake timer step costs far more.
  const count = inNode ? 10_000 : 1_000;

  it(`drains ${String(count)} queued events behind slow handlers: all are delivered or reported`, async () => {
    vi.useFakeTimers();
    const bus = createEventBus<AppEvents>({ workers: 10, bufferSize: count });
    const handled = new Set<string>();
    bus.subscribe('user.deleted', async (event) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      handled.add(event.id);
    });
    const ids = new Set<string>();
    bus.lifecycle.on('publish', (event) => void ids.add(event.id));
    for (let i = 0; i < count; i++) await bus.publish('user.deleted', { userId: `u${i}` });
    let report: ShutdownReport | undefined;
    void bus.shutdown({ timeout: 60_000 }).then((done) => {
      report = done;
    });
    // Ten workers, a millisecond each: count / 10 fake milliseconds drain it, well before the deadline.
    // In steps of 50: each step runs the timers it covers, those set within it included.
    for (let ms = 0; report === undefined && ms < 2_000; ms += 50) {
      await vi.advanceTimersByTimeAsync(50);
    }
    vi.useRealTimers();
    if (report === undefined) throw new Error('the bus did not drain in 2,000 fake milliseconds');
    expect(report.complete).toBe(true);
    expect(report.delivered).toBe(count);
    expect(report.undelivered).toEqual([]);
    expect(handled.size).toBe(count);
    expect([...ids].every((id) => handled.has(id))).toBe(true);
  }, 30_000);

  it('at the deadline, aborts running handlers and reports every delivery not made', async () => {
    vi.useFakeTimers();
    try {
      const bus = createEventBus<AppEvents>({ workers: 2, bufferSize: 100 });
      const signals: AbortSignal[] = [];
      bus.subscribe('user.deleted', (_event, ctx) => {
        signals.push(ctx.signal);
        return new Promise<void>(() => {}); // ignores its signal
      });
      for (let i = 0; i < 5; i++) await bus.publish('user.deleted', { userId: `u${i}` });
      await vi.advanceTimersByTimeAsync(0);
      const shutdown = bus.shutdown({ timeout: 1000 });
      await vi.advanceTimersByTimeAsync(1000);
      const report = await shutdown;
      expect(signals).toHaveLength(2);
      expect(signals.every((signal) => signal.aborted)).toBe(true);
      expect(report.complete).toBe(false);
      expect(report.undelivered.map((u) => u.reason)).toEqual([
        'in-flight',
        'in-flight',
        'queued',
        'queued',
        'queued',
      ]);
      expect(report.undelivered.map((u) => u.event.data)).toEqual(
        [0, 1, 2, 3, 4].map((i) => ({ userId: `u${i}` })),
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it('reports the deliveries still running at the deadline in the order they started', async () => {
    const bus = createEventBus<AppEvents>({ workers: 4 });
    let releaseFirst = () => {};
    bus.subscribe('user.deleted', (event) =>
      event.data.userId === 'u0'
        ? new Promise<void>((resolve) => {
            releaseFirst = resolve;
          })
        : new Promise<void>(() => {}),
    );
    vi.useFakeTimers();
    for (let i = 0; i < 4; i++) await bus.publish('user.deleted', { userId: `u${i}` });
    await vi.advanceTimersByTimeAsync(0);
    releaseFirst();
    await vi.advanceTimersByTimeAsync(0);
    const shutdown = bus.shutdown({ timeout: 5 });
    await vi.advanceTimersByTimeAsync(5);
    const report = await shutdown;
    vi.useRealTimers();
    expect(report.undelivered.map((u) => u.event.data)).toEqual([
      { userId: 'u1' },
      { userId: 'u2' },
      { userId: 'u3' },
    ]);
  });

  it('lists running deliveries of publish and of publishSync together, in the order they started, each once', async () => {
    vi.useFakeTimers();
    const bus = createEventBus<AppEvents>({ workers: 4 });
    const fast = gate();
    bus.subscribe(
      'user.deleted',
      (event) => (event.data.userId === 'fast' ? fast.promise : new Promise<void>(() => {})),
      { name: 'hangs' },
    );
    await bus.publish('user.deleted', { userId: 'queued-1' });
    await vi.advanceTimersByTimeAsync(0);
    const first = bus.publishSync('user.deleted', { userId: 'sync-1' });
    const settled = bus.publishSync('user.deleted', { userId: 'fast' });
    fast.open();
    await expect(settled).resolves.toEqual([]);
    await bus.publish('user.deleted', { userId: 'queued-2' });
    await vi.advanceTimersByTimeAsync(0);
    const second = bus.publishSync('user.deleted', { userId: 'sync-2' });
    expect(bus.stats()).toMatchObject({ inFlight: 4, delivered: 1 });

    const shutdown = bus.shutdown({ timeout: 5 });
    await vi.advanceTimersByTimeAsync(5);
    const report = await shutdown;
    expect(report.undelivered.map((u) => [u.event.data, u.reason])).toEqual(
      ['queued-1', 'sync-1', 'queued-2', 'sync-2'].map((userId) => [{ userId }, 'in-flight']),
    );
    expect(report).toMatchObject({ published: 5, delivered: 1, failed: 0, dropped: 0 });
    for (const run of [first, second]) {
      const errors = await run;
      expect(errors.map((error) => error.subscription)).toEqual(['hangs']);
    }
    expect(bus.stats()).toMatchObject({ inFlight: 0, delivered: 1, failed: 0 });
  });

  it('rejects blocked publishers with BusClosedError at the deadline and reports their events', async () => {
    vi.useFakeTimers();
    try {
      const bus = createEventBus<AppEvents>({ workers: 1, bufferSize: 1 });
      bus.subscribe('user.deleted', () => new Promise<void>(() => {}));
      await bus.publish('user.deleted', { userId: 'running' });
      await vi.advanceTimersByTimeAsync(0);
      await bus.publish('user.deleted', { userId: 'queued' });
      const blocked = bus.publish('user.deleted', { userId: 'blocked' });
      const assertion = expect(blocked).rejects.toThrow(BusClosedError);
      const shutdown = bus.shutdown({ timeout: 10 });
      await vi.advanceTimersByTimeAsync(10);
      const report = await shutdown;
      await assertion;
      expect(report.undelivered.map((u) => u.event.data)).toEqual([
        { userId: 'running' },
        { userId: 'queued' },
        { userId: 'blocked' },
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('lets queued work finish when it finishes before the deadline', async () => {
    const bus = createEventBus<AppEvents>({ workers: 1 });
    const hold = gate();
    const seen: string[] = [];
    bus.subscribe('user.deleted', async (event) => {
      await hold.promise;
      seen.push(event.data.userId);
    });
    await bus.publish('user.deleted', { userId: 'a' });
    await bus.publish('user.deleted', { userId: 'b' });
    const report = bus.shutdown({ timeout: 5000 });
    hold.open();
    expect((await report).complete).toBe(true);
    expect(seen).toEqual(['a', 'b']);
  });

  it('refuses publish, publishSync, receive and subscribe afterwards with BusClosedError', async () => {
    const bus = createEventBus<AppEvents>();
    const report = bus.shutdown();
    expect(bus.closed).toBe(true);
    await expect(bus.publish('user.deleted', { userId: 'u' })).rejects.toThrow(BusClosedError);
    await expect(bus.publish('user.deleted', { userId: 'u' })).rejects.toThrow(/shut down/);
    await expect(bus.publishSync('user.deleted', { userId: 'u' })).rejects.toThrow(BusClosedError);
    await expect(bus.receive({ type: 'user.deleted', data: { userId: 'u' } })).rejects.toThrow(
      BusClosedError,
    );
    expect(() => bus.subscribe('user.deleted', () => {})).toThrow(BusClosedError);
    await report;
  });

  it('is safe to call twice: the same promise, the same report', async () => {
    const bus = createEventBus<AppEvents>();
    const first = bus.shutdown();
    const second = bus.shutdown({ timeout: 1 });
    expect(second).toBe(first);
    expect(await second).toBe(await first);
  });

  it('waits for publishSync runs in progress', async () => {
    const bus = createEventBus<AppEvents>();
    const hold = gate();
    const done = vi.fn();
    bus.subscribe('user.deleted', async () => {
      await hold.promise;
      done();
    });
    const run = bus.publishSync('user.deleted', { userId: 'u' });
    await settle();
    let finished = false;
    const report = bus.shutdown().then(() => {
      finished = true;
    });
    await settle();
    expect(finished).toBe(false);
    hold.open();
    await Promise.all([run, report]);
    expect(done).toHaveBeenCalled();
  });

  it('emits the report on the lifecycle, with lifetime counters', async () => {
    const bus = createEventBus<AppEvents>();
    const reports: ShutdownReport[] = [];
    bus.lifecycle.on('shutdown', (report) => reports.push(report));
    bus.subscribe('user.deleted', () => {});
    await bus.publish('user.deleted', { userId: 'u' });
    const report = await bus.shutdown();
    expect(reports).toEqual([report]);
    expect(report).toMatchObject({
      published: 1,
      delivered: 1,
      failed: 0,
      dropped: 0,
      complete: true,
    });
    expect(report.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('refuses a negative timeout through the promise, and the bus stays open', async () => {
    const bus = createEventBus<AppEvents>();
    const refused = bus.shutdown({ timeout: -1 });
    expect(refused).toBeInstanceOf(Promise);
    await expect(refused).rejects.toThrow('Invalid option "shutdown({ timeout })"');
    await expect(refused).rejects.toBeInstanceOf(InvalidOptionError);
    expect(bus.closed).toBe(false);
    await bus.publishSync('user.created', { userId: 'u1', email: 'a@b.c' });
    expect((await bus.shutdown()).complete).toBe(true);
  });
});
