import { afterEach, describe, expect, it, vi } from 'vitest';
import { BusClosedError, createEventBus, HandlerError, TimeoutError } from '../src/index.js';
import { type AppEvents, catchUnhandled, gate, settle } from './fixtures.js';

describe('publishSync', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs every handler before it resolves', async () => {
    const bus = createEventBus<AppEvents>();
    const done: string[] = [];
    bus.subscribe('user.deleted', async () => {
      await settle();
      done.push('slow');
    });
    bus.subscribe('user.deleted', () => void done.push('fast'));
    const errors = await bus.publishSync('user.deleted', { userId: 'u1' });
    expect(errors).toEqual([]);
    expect(done.sort()).toEqual(['fast', 'slow']);
  });

  it('runs handlers concurrently by default', async () => {
    const bus = createEventBus<AppEvents>();
    let running = 0;
    let peak = 0;
    const handler = async () => {
      running++;
      peak = Math.max(peak, running);
      await settle();
      running--;
    };
    bus.subscribe('user.deleted', handler);
    bus.subscribe('user.deleted', handler);
    bus.subscribe('user.deleted', handler);
    await bus.publishSync('user.deleted', { userId: 'u1' });
    expect(peak).toBe(3);
  });

  it('runs handlers one after another in subscription order with `sequential`', async () => {
    const bus = createEventBus<AppEvents>();
    const log: string[] = [];
    for (const name of ['a', 'b', 'c']) {
      bus.subscribe('user.deleted', async () => {
        log.push(`${name}>`);
        await settle();
        log.push(`<${name}`);
      });
    }
    await bus.publishSync('user.deleted', { userId: 'u1' }, { sequential: true });
    expect(log).toEqual(['a>', '<a', 'b>', '<b', 'c>', '<c']);
  });

  it('collects every failure as a HandlerError and still runs every handler', async () => {
    const onError = vi.fn();
    const bus = createEventBus<AppEvents>({ onError });
    const healthy = vi.fn();
    bus.subscribe(
      'user.deleted',
      () => {
        throw new Error('one');
      },
      { name: 'first' },
    );
    bus.subscribe('user.deleted', healthy);
    bus.subscribe(
      'user.deleted',
      async () => {
        throw new Error('two');
      },
      { name: 'third' },
    );
    const errors = await bus.publishSync('user.deleted', { userId: 'u1' }, { sequential: true });
    expect(healthy).toHaveBeenCalledTimes(1);
    expect(errors.map((e) => [e.subscription, (e.cause as Error).message])).toEqual([
      ['first', 'one'],
      ['third', 'two'],
    ]);
    for (const error of errors) expect(error).toBeInstanceOf(HandlerError);
    expect(onError).not.toHaveBeenCalled(); // the caller has the errors
    expect(bus.stats()).toMatchObject({ delivered: 1, failed: 2 });
  });

  it('fails handlers unfinished at the timeout with a TimeoutError and aborts their signal', async () => {
    vi.useFakeTimers();
    const bus = createEventBus<AppEvents>();
    let signal: AbortSignal | undefined;
    bus.subscribe('user.deleted', (_event, ctx) => {
      signal = ctx.signal;
      return new Promise<void>(() => {});
    });
    bus.subscribe('user.deleted', () => {});
    const result = bus.publishSync('user.deleted', { userId: 'u1' }, { timeout: 50 });
    await vi.advanceTimersByTimeAsync(50);
    const errors = await result;
    expect(errors).toHaveLength(1);
    expect(errors[0]?.cause).toBeInstanceOf(TimeoutError);
    expect(signal?.aborted).toBe(true);
  });

  it('honours an AbortSignal: aborted before, it rejects; aborted during, unfinished handlers fail', async () => {
    const bus = createEventBus<AppEvents>();
    const handler = vi.fn(() => new Promise<void>(() => {}));
    bus.subscribe('user.deleted', handler);
    await expect(
      bus.publishSync(
        'user.deleted',
        { userId: 'u1' },
        { signal: AbortSignal.abort(new Error('stop')) },
      ),
    ).rejects.toThrow('stop');
    expect(handler).not.toHaveBeenCalled();
    const controller = new AbortController();
    const result = bus.publishSync('user.deleted', { userId: 'u1' }, { signal: controller.signal });
    await settle();
    controller.abort(new Error('cancelled'));
    const errors = await result;
    expect(errors[0]?.cause).toEqual(new Error('cancelled'));
  });

  it.each([
    ['a handler that aborts the signal, then returns a promise', 'promise'],
    ['a thenable that aborts the signal from its then', 'thenable'],
  ] as const)('settles when %s: every unfinished handler fails with the reason', async (_, how) => {
    const bus = createEventBus<AppEvents>();
    const controller = new AbortController();
    const stop = new Error('stop');
    bus.subscribe('user.deleted', () => new Promise<void>(() => {}), { name: 'first' });
    bus.subscribe(
      'user.deleted',
      () => {
        if (how === 'promise') {
          controller.abort(stop);
          return new Promise<void>(() => {});
        }
        // biome-ignore lint/suspicious/noThenProperty: a hand-made thenable is the point
        const thenable = { then: () => controller.abort(stop) };
        return thenable as unknown as Promise<void>;
      },
      { name: 'aborts' },
    );
    bus.subscribe('user.deleted', () => new Promise<void>(() => {}), { name: 'never started' });
    const errors = await bus.publishSync(
      'user.deleted',
      { userId: 'u1' },
      { signal: controller.signal },
    );
    expect(errors.map((error) => [error.subscription, error.cause])).toEqual([
      ['first', stop],
      ['aborts', stop],
      ['never started', stop],
    ]);
    expect(bus.stats()).toMatchObject({ published: 1, delivered: 0, failed: 3, inFlight: 0 });
    await expect(bus.shutdown({ timeout: 0 })).resolves.toMatchObject({ complete: true });
  });

  it('does not let an abandoned handler rejection escape', async () => {
    const unhandled = catchUnhandled('unhandledRejection');
    vi.useFakeTimers();
    const bus = createEventBus<AppEvents>();
    let thrown = false;
    bus.subscribe('user.deleted', async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      thrown = true;
      throw new Error('late');
    });
    const run = bus.publishSync('user.deleted', { userId: 'u1' }, { timeout: 5 });
    await vi.advanceTimersByTimeAsync(5);
    const errors = await run;
    await vi.advanceTimersByTimeAsync(15);
    expect(thrown).toBe(true);
    vi.useRealTimers();
    // The host reports an unhandled rejection after the microtasks of its turn: give it two.
    await settle();
    await settle();
    unhandled.stop();
    expect(errors).toHaveLength(1);
    expect(unhandled.caught).toEqual([]);
  });

  it('rejects with BusClosedError after shutdown', async () => {
    const bus = createEventBus<AppEvents>();
    await bus.shutdown();
    await expect(bus.publishSync('user.deleted', { userId: 'u1' })).rejects.toThrow(BusClosedError);
  });

  it('resolves with no errors when nothing is subscribed', async () => {
    const bus = createEventBus<AppEvents>();
    await expect(bus.publishSync('user.deleted', { userId: 'u1' })).resolves.toEqual([]);
  });

  describe('with one subscription and no options', () => {
    it('resolves with no errors and counts the delivery, sync or async', async () => {
      const bus = createEventBus<AppEvents>();
      bus.subscribe('user.deleted', () => {});
      bus.subscribe('order.paid', async () => {
        await settle();
      });
      await expect(bus.publishSync('user.deleted', { userId: 'u1' })).resolves.toEqual([]);
      await expect(bus.publishSync('order.paid', { orderId: 'o1', amount: 1 })).resolves.toEqual(
        [],
      );
      const stats = bus.stats();
      expect(stats).toMatchObject({ published: 2, delivered: 2, failed: 0, inFlight: 0 });
      expect(stats.byType['user.deleted']).toMatchObject({ published: 1, delivered: 1 });
      expect(stats.byType['order.paid']).toMatchObject({ published: 1, delivered: 1 });
    });

    it('resolves with one HandlerError for a throw, a rejection or a non-Error', async () => {
      const onError = vi.fn();
      const bus = createEventBus<AppEvents>({ onError });
      const causes: unknown[] = [new Error('thrown'), new Error('rejected'), 'a string'];
      let next = 0;
      bus.subscribe(
        'user.deleted',
        (event) => {
          const cause = causes[next++];
          if (event.data.userId === 'sync') throw cause;
          return Promise.reject(cause);
        },
        { name: 'cleanup' },
      );
      const results = [
        await bus.publishSync('user.deleted', { userId: 'sync' }),
        await bus.publishSync('user.deleted', { userId: 'async' }),
        await bus.publishSync('user.deleted', { userId: 'async' }),
      ];
      expect(results.map((errors) => errors.length)).toEqual([1, 1, 1]);
      const errors = results.flat();
      for (const error of errors) expect(error).toBeInstanceOf(HandlerError);
      expect(errors.map((e) => [e.subscription, e.cause])).toEqual(
        causes.map((cause) => ['cleanup', cause]),
      );
      expect(errors.map((e) => e.event.data)).toEqual([
        { userId: 'sync' },
        { userId: 'async' },
        { userId: 'async' },
      ]);
      expect(onError).not.toHaveBeenCalled();
      expect(bus.stats()).toMatchObject({ delivered: 0, failed: 3, inFlight: 0 });
    });

    it('counts the handler in flight until it settles', async () => {
      const bus = createEventBus<AppEvents>();
      const hold = gate();
      bus.subscribe('user.deleted', () => hold.promise);
      const run = bus.publishSync('user.deleted', { userId: 'u1' });
      expect(bus.stats().inFlight).toBe(1);
      hold.open();
      await run;
      expect(bus.stats()).toMatchObject({ inFlight: 0, delivered: 1 });
    });

    it('does not call a handler unsubscribed by a publish observer before it ran', async () => {
      const bus = createEventBus<AppEvents>();
      const handler = vi.fn();
      const unsubscribe = bus.subscribe('user.deleted', handler);
      bus.lifecycle.on('publish', () => unsubscribe());
      await expect(bus.publishSync('user.deleted', { userId: 'u1' })).resolves.toEqual([]);
      expect(handler).not.toHaveBeenCalled();
      expect(bus.stats()).toMatchObject({ delivered: 0, failed: 0, inFlight: 0 });
    });

    it('at the shutdown deadline, reports the unfinished handler once, as undelivered, even if it settles later', async () => {
      vi.useFakeTimers();
      const bus = createEventBus<AppEvents>();
      const hold = gate();
      let signal: AbortSignal | undefined;
      bus.subscribe(
        'user.deleted',
        (_event, ctx) => {
          signal = ctx.signal;
          return hold.promise; // ignores its signal
        },
        { name: 'slow' },
      );
      const run = bus.publishSync('user.deleted', { userId: 'u1' });
      const shutdown = bus.shutdown({ timeout: 100 });
      await vi.advanceTimersByTimeAsync(100);
      const [errors, report] = await Promise.all([run, shutdown]);
      expect(signal?.aborted).toBe(true);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.subscription).toBe('slow');
      expect(errors[0]?.cause).toBeInstanceOf(TimeoutError);
      expect(report.undelivered).toEqual([
        { event: errors[0]?.event, subscription: 'slow', reason: 'in-flight' },
      ]);
      expect(report).toMatchObject({ published: 1, delivered: 0, failed: 0 });
      hold.open();
      await vi.advanceTimersByTimeAsync(0);
      // Undelivered, in the report, and in no counter: one outcome per delivery.
      expect(bus.stats()).toMatchObject({ delivered: 0, failed: 0, inFlight: 0 });
    });
  });
});
