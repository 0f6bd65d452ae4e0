import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type AnyEvent,
  createEventBus,
  type GossipError,
  HandlerError,
  TimeoutError,
} from '../src/index.js';
import { type AppEvents, gate, inNode, settle } from './fixtures.js';

/** Values a handler may throw that break naive error handling. */
function hostileValues(): Array<[string, () => unknown]> {
  return [
    [
      'a revoked Proxy',
      () => {
        const { proxy, revoke } = Proxy.revocable({}, {});
        revoke();
        return proxy;
      },
    ],
    [
      'a Proxy whose getPrototypeOf throws',
      () =>
        new Proxy(
          {},
          {
            getPrototypeOf() {
              throw new Error('no prototype for you');
            },
          },
        ),
    ],
    [
      'an Error whose message getter throws',
      () => {
        const error = new Error('x');
        Object.defineProperty(error, 'message', {
          get() {
            throw new Error('no message for you');
          },
        });
        return error;
      },
    ],
  ];
}

/** Collects failures reported by a bus. */
function collect(): { errors: GossipError[]; onError: (error: GossipError) => void } {
  const errors: GossipError[] = [];
  return { errors, onError: (error) => void errors.push(error) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the one delivery path', () => {
  describe.each(hostileValues())('a handler that throws %s', (_name, make) => {
    it('is reported as a HandlerError when queued, and the bus goes on', async () => {
      const { errors, onError } = collect();
      const bus = createEventBus<AppEvents>({ onError, workers: 1 });
      const seen: string[] = [];
      bus.subscribe('user.deleted', (event) => {
        seen.push(event.data.userId);
        if (event.data.userId === 'u1') throw make();
      });
      await bus.publish('user.deleted', { userId: 'u1' });
      await bus.publish('user.deleted', { userId: 'u2' });
      const report = await bus.shutdown({ timeout: Number.POSITIVE_INFINITY });
      expect(seen).toEqual(['u1', 'u2']);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(HandlerError);
      expect(typeof errors[0]?.message).toBe('string');
      expect(report).toMatchObject({ complete: true, delivered: 1, failed: 1 });
    });

    it('is reported when it rejects, and its ordering key is released', async () => {
      const { errors, onError } = collect();
      const bus = createEventBus<AppEvents>({ onError });
      const seen: string[] = [];
      bus.subscribe(
        'user.deleted',
        async (event) => {
          seen.push(event.data.userId);
          if (event.data.userId === 'u1') throw make();
        },
        { orderingKey: () => 'one' },
      );
      await bus.publish('user.deleted', { userId: 'u1' });
      await bus.publish('user.deleted', { userId: 'u2' });
      const report = await bus.shutdown({ timeout: Number.POSITIVE_INFINITY });
      expect(seen).toEqual(['u1', 'u2']);
      expect(errors).toHaveLength(1);
      expect(report).toMatchObject({ complete: true, delivered: 1, failed: 1 });
    });

    it('is one of the failures publishSync resolves with, and nothing stays in flight', async () => {
      const bus = createEventBus<AppEvents>();
      bus.subscribe('user.deleted', async () => {
        throw make();
      });
      bus.subscribe('user.deleted', () => {
        throw make();
      });
      const failures = await bus.publishSync('user.deleted', { userId: 'u1' });
      expect(failures).toHaveLength(2);
      expect(failures.every((failure) => failure instanceof HandlerError)).toBe(true);
      expect(bus.stats()).toMatchObject({ inFlight: 0, failed: 2 });
      await expect(bus.shutdown({ timeout: Number.POSITIVE_INFINITY })).resolves.toMatchObject({
        complete: true,
      });
    });

    it('is reported when thrown by a filter or an ordering-key function', async () => {
      const { errors, onError } = collect();
      const bus = createEventBus<AppEvents>({ onError });
      const handler = vi.fn();
      bus.subscribe('user.deleted', handler, {
        name: 'filtered',
        filter: () => {
          throw make();
        },
      });
      bus.subscribe('user.deleted', handler, {
        name: 'keyed',
        orderingKey: () => {
          throw make();
        },
      });
      await bus.publish('user.deleted', { userId: 'u1' });
      const report = await bus.shutdown({ timeout: Number.POSITIVE_INFINITY });
      expect(handler).not.toHaveBeenCalled();
      expect(errors.map((error) => (error as HandlerError).subscription).sort()).toEqual([
        'filtered',
        'keyed',
      ]);
      expect(report).toMatchObject({ complete: true, published: 1, failed: 2 });
    });
  });

  describe('a handler whose return value is hostile', () => {
    const returns: Array<[string, () => unknown]> = [
      [
        'an object whose then getter throws',
        () =>
          Object.defineProperty({}, 'then', {
            get() {
              throw new Error('no then');
            },
          }),
      ],
      [
        'an object whose then() throws',
        () => ({
          // biome-ignore lint/suspicious/noThenProperty: the hostile thenable under test
          then() {
            throw new Error('then failed');
          },
        }),
      ],
      [
        'a thenable that settles twice',
        () => ({
          // biome-ignore lint/suspicious/noThenProperty: the hostile thenable under test
          then(resolve: () => void, reject: (error: unknown) => void) {
            resolve();
            reject(new Error('late'));
            resolve();
          },
        }),
      ],
    ];

    it.each(returns)(
      'is settled once when it returns %s, and workers are not lost',
      async (_name, make) => {
        const { errors, onError } = collect();
        const bus = createEventBus<AppEvents>({ onError, workers: 1 });
        const later = vi.fn();
        bus.subscribe('user.deleted', (() => make()) as () => void);
        bus.subscribe('user.created', later);
        await bus.publish('user.deleted', { userId: 'u1' });
        await bus.publish('user.created', { userId: 'u1', email: 'a@b.c' });
        const report = await bus.shutdown({ timeout: Number.POSITIVE_INFINITY });
        expect(later).toHaveBeenCalledTimes(1);
        expect(report.complete).toBe(true);
        expect(report.delivered + report.failed).toBe(2);
        expect(errors).toHaveLength(report.failed);
      },
    );

    it.each(returns)('settles publishSync once when it returns %s', async (_name, make) => {
      const bus = createEventBus<AppEvents>();
      bus.subscribe('user.deleted', (() => make()) as () => void);
      const failures = await bus.publishSync('user.deleted', { userId: 'u1' });
      const stats = bus.stats();
      expect(stats.delivered + stats.failed).toBe(1);
      expect(failures).toHaveLength(stats.failed);
      expect(stats.inFlight).toBe(0);
    });
  });

  describe('accounting: one outcome per delivery', () => {
    it('reports a handler that unsubscribed itself and still runs at the deadline as in flight', async () => {
      vi.useFakeTimers();
      const bus = createEventBus<AppEvents>();
      const hold = gate();
      const off = bus.subscribe(
        'user.deleted',
        () => {
          off();
          return hold.promise;
        },
        { name: 'leaver' },
      );
      await bus.publish('user.deleted', { userId: 'u1' });
      await vi.advanceTimersByTimeAsync(0);
      const shutdown = bus.shutdown({ timeout: 50 });
      await vi.advanceTimersByTimeAsync(50);
      const report = await shutdown;
      expect(report.undelivered).toEqual([
        expect.objectContaining({ subscription: 'leaver', reason: 'in-flight' }),
      ]);
      expect(report).toMatchObject({ published: 1, delivered: 0, failed: 0 });
      hold.open();
    });

    it('reports handlers of a sequential publishSync never started at the deadline as queued, not failed', async () => {
      vi.useFakeTimers();
      const bus = createEventBus<AppEvents>();
      const hold = gate();
      const second = vi.fn();
      bus.subscribe('user.deleted', () => hold.promise, { name: 'first' });
      bus.subscribe('user.deleted', second, { name: 'second' });
      const run = bus.publishSync('user.deleted', { userId: 'u1' }, { sequential: true });
      const shutdown = bus.shutdown({ timeout: 50 });
      await vi.advanceTimersByTimeAsync(50);
      const [failures, report] = await Promise.all([run, shutdown]);
      expect(second).not.toHaveBeenCalled();
      expect(report.undelivered.map(({ subscription, reason }) => [subscription, reason])).toEqual([
        ['first', 'in-flight'],
        ['second', 'queued'],
      ]);
      expect(report).toMatchObject({ published: 1, delivered: 0, failed: 0 });
      expect(failures.map((failure) => failure.subscription)).toEqual(['first', 'second']);
      expect(failures.every((failure) => failure.cause instanceof TimeoutError)).toBe(true);
      hold.open();
      await vi.advanceTimersByTimeAsync(0);
      expect(bus.stats()).toMatchObject({ delivered: 0, failed: 0 });
    });

    it('counts published = delivered + failed + dropped + undelivered under a random mix', async () => {
      vi.useFakeTimers();
      const { errors, onError } = collect();
      const bus = createEventBus<AppEvents>({
        onError,
        workers: 3,
        bufferSize: 20,
        overflow: 'drop-oldest',
      });
      let n = 0;
      bus.subscribe('user.deleted', async (event) => {
        const kind = Number(event.data.userId) % 4;
        if (kind === 0) return;
        if (kind === 1) throw new Error('boom');
        if (kind === 2) await new Promise((resolve) => setTimeout(resolve, 5));
        else await new Promise(() => {}); // never settles
      });
      for (; n < 200; n++) void bus.publish('user.deleted', { userId: String(n) });
      const shutdown = bus.shutdown({ timeout: 100 });
      await vi.advanceTimersByTimeAsync(100);
      const report = await shutdown;
      expect(report.published).toBe(200);
      expect(report.delivered + report.failed + report.dropped + report.undelivered.length).toBe(
        200,
      );
      expect(errors).toHaveLength(report.failed);
    });

    it('does not report a throwing filter for an event refused with BUFFER_FULL', async () => {
      const { errors, onError } = collect();
      const bus = createEventBus<AppEvents>({
        onError,
        bufferSize: 1,
        workers: 1,
        overflow: 'reject',
      });
      const hold = gate();
      bus.subscribe('user.deleted', () => hold.promise);
      bus.subscribe('user.created', vi.fn());
      bus.subscribe('user.created', vi.fn(), {
        filter: () => {
          throw new Error('filter');
        },
      });
      await bus.publish('user.deleted', { userId: 'u1' }); // runs
      await settle();
      await bus.publish('user.deleted', { userId: 'u2' }); // fills the buffer
      await expect(
        bus.publish('user.created', { userId: 'u3', email: 'a@b.c' }),
      ).rejects.toMatchObject({ code: 'BUFFER_FULL' });
      expect(errors).toEqual([]);
      expect(bus.stats()).toMatchObject({ published: 2, failed: 0 });
      hold.open();
      await bus.shutdown();
    });
  });

  describe('publishSync', () => {
    // Node's MaxListenersExceededWarning, read from process 'warning' events: a browser's
    // EventTarget has no listener limit and no process, so there is nothing to check there.
    it.skipIf(!inNode)(
      'adds no listener per call to the bus signal: 50 calls with a timeout raise no warning',
      async () => {
        const warnings: Error[] = [];
        const onWarning = (warning: Error) => void warnings.push(warning);
        process.on('warning', onWarning);
        try {
          const bus = createEventBus<AppEvents>();
          const hold = gate();
          bus.subscribe('user.deleted', () => hold.promise);
          const runs = Array.from({ length: 50 }, () =>
            bus.publishSync('user.deleted', { userId: 'u1' }, { timeout: 60_000 }),
          );
          hold.open();
          await Promise.all(runs);
          await settle();
        } finally {
          process.off('warning', onWarning);
        }
        expect(warnings.map((warning) => warning.name)).not.toContain(
          'MaxListenersExceededWarning',
        );
      },
    );

    it('fails handlers cut short by its timeout once, and ignores them when they settle later', async () => {
      vi.useFakeTimers();
      const bus = createEventBus<AppEvents>();
      const hold = gate();
      bus.subscribe('user.deleted', () => hold.promise, { name: 'slow' });
      const run = bus.publishSync('user.deleted', { userId: 'u1' }, { timeout: 10 });
      await vi.advanceTimersByTimeAsync(10);
      const failures = await run;
      expect(failures.map((failure) => failure.cause)).toEqual([expect.any(TimeoutError)]);
      hold.open();
      await vi.advanceTimersByTimeAsync(0);
      expect(bus.stats()).toMatchObject({ delivered: 0, failed: 1, inFlight: 0 });
    });
  });

  describe('a signal shared by many', () => {
    // Node's MaxListenersExceededWarning, read from process 'warning' events: a browser's
    // EventTarget has no listener limit and no process, so there is nothing to check there.
    it.skipIf(!inNode)(
      'takes one listener for 50 subscriptions, 50 once() calls and 50 publishSync calls sharing it',
      async () => {
        const warnings: Error[] = [];
        const onWarning = (warning: Error) => void warnings.push(warning);
        process.on('warning', onWarning);
        try {
          const bus = createEventBus<AppEvents>();
          const controller = new AbortController();
          const { signal } = controller;
          const handler = vi.fn();
          for (let i = 0; i < 50; i++) bus.subscribe('user.deleted', handler, { signal });
          const waits = Array.from({ length: 50 }, () =>
            bus.once('user.created', { signal }).catch((error: unknown) => error),
          );
          const hold = gate();
          bus.subscribe('order.item.added', () => hold.promise);
          const runs = Array.from({ length: 50 }, () =>
            bus.publishSync('order.item.added', { orderId: 'o1', sku: 's' }, { signal }),
          );
          await bus.publishSync('user.deleted', { userId: 'u1' });
          expect(handler).toHaveBeenCalledTimes(50);
          controller.abort(new Error('stop'));
          await settle();
          await bus.publishSync('user.deleted', { userId: 'u2' });
          expect(handler).toHaveBeenCalledTimes(50);
          expect((await Promise.all(waits)).every((error) => error instanceof Error)).toBe(true);
          expect((await Promise.all(runs)).every((failures) => failures.length === 1)).toBe(true);
          hold.open();
          await settle();
        } finally {
          process.off('warning', onWarning);
        }
        expect(warnings.map((warning) => warning.name)).not.toContain(
          'MaxListenersExceededWarning',
        );
      },
    );
  });

  describe('streams', () => {
    it('gives every delivery waiting for room its turn, in order, when the buffer is full', async () => {
      const bus = createEventBus<AppEvents>();
      const stream = bus.stream('user.deleted', { bufferSize: 1 });
      const runs = ['u1', 'u2', 'u3'].map((userId) => bus.publishSync('user.deleted', { userId }));
      const read: string[] = [];
      for (let i = 0; i < 3; i++) {
        const next = await stream.next();
        read.push((next.value as AnyEvent & { data: { userId: string } }).data.userId);
      }
      await expect(Promise.all(runs)).resolves.toEqual([[], [], []]);
      expect(read).toEqual(['u1', 'u2', 'u3']);
      await stream.return();
      await expect(bus.shutdown({ timeout: 1000 })).resolves.toMatchObject({ complete: true });
    });

    it('releases every waiting delivery when returned', async () => {
      const bus = createEventBus<AppEvents>();
      const stream = bus.stream('user.deleted', { bufferSize: 1 });
      const runs = ['u1', 'u2', 'u3'].map((userId) => bus.publishSync('user.deleted', { userId }));
      await stream.return();
      await expect(Promise.all(runs)).resolves.toEqual([[], [], []]);
      await expect(bus.shutdown({ timeout: 1000 })).resolves.toMatchObject({ complete: true });
    });
  });

  describe('at scale', () => {
    it('delivers 200,000 unawaited publishes with default options, in order', async () => {
      const bus = createEventBus<{ tick: number }>();
      let expected = 0;
      let inOrder = true;
      bus.subscribe('tick', (event) => {
        if (event.data !== expected++) inOrder = false;
      });
      for (let i = 0; i < 200_000; i++) void bus.publish('tick', i);
      const report = await bus.shutdown({ timeout: 60_000 });
      expect(inOrder).toBe(true);
      expect(report).toMatchObject({ complete: true, published: 200_000, delivered: 200_000 });
    }, 30_000);

    it('keeps a bounded set of routes for names without a subscription; totals stay exact', async () => {
      const bus = createEventBus();
      const seen = vi.fn();
      bus.subscribe('job.*', seen);
      for (let i = 0; i < 30_000; i++) await bus.publish(`job.${i}`, i);
      await settle();
      const stats = bus.stats();
      expect(Object.keys(stats.byType).length).toBeLessThanOrEqual(10_000);
      expect(stats).toMatchObject({ published: 30_000, delivered: 30_000 });
      // A wildcard subscribed now sees names that come back after their route was forgotten.
      const late = vi.fn();
      bus.subscribe('job.**', late);
      await bus.publish('job.0', 0);
      await settle();
      expect(late).toHaveBeenCalledTimes(1);
      expect(seen).toHaveBeenCalledTimes(30_001);
    }, 30_000);
  });

  describe('blocked publishers', () => {
    it('resolves every one of 5,000 unawaited publishes once its event is queued, in order', async () => {
      const bus = createEventBus<{ tick: number }>({ bufferSize: 10, workers: 1 });
      const seen: number[] = [];
      bus.subscribe('tick', (event) => void seen.push(event.data));
      const published = Array.from({ length: 5000 }, (_, i) => bus.publish('tick', i));
      expect(bus.stats().blocked).toBe(4990);
      await Promise.all(published);
      await bus.shutdown();
      expect(seen).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    });

    it('refuses the groups of publishers still wholly blocked at the shutdown deadline and lists their events', async () => {
      vi.useFakeTimers();
      const bus = createEventBus<{ tick: number }>({ bufferSize: 1, workers: 1 });
      const hold = gate();
      bus.subscribe('tick', () => hold.promise);
      const published = Array.from({ length: 3000 }, (_, i) =>
        bus.publish('tick', i).then(
          () => 'queued',
          (error: unknown) => (error as GossipError).code,
        ),
      );
      await vi.advanceTimersByTimeAsync(0);
      const shutdown = bus.shutdown({ timeout: 10 });
      await vi.advanceTimersByTimeAsync(10);
      const report = await shutdown;
      const outcomes = await Promise.all(published);
      // The first went straight into the buffer; the rest waited in groups of 1024. The first
      // event of the first group got in when the first started, so that group resolves as a
      // whole; the groups none of whose events got in are refused. Every event is in the
      // report either way.
      expect(outcomes.slice(0, 1025)).toEqual(Array(1025).fill('queued'));
      expect(new Set(outcomes.slice(1025))).toEqual(new Set(['BUS_CLOSED']));
      expect(report.undelivered).toHaveLength(3000);
      expect(report.published).toBe(3000);
      hold.open();
    });
  });

  describe('overflow', () => {
    it('under drop-oldest, a received event waiting for room is not overtaken by a later publish of its key', async () => {
      const bus = createEventBus<AppEvents>({ workers: 1, bufferSize: 1, overflow: 'drop-oldest' });
      const hold = gate();
      const order: string[] = [];
      bus.subscribe(
        'user.deleted',
        async (event) => {
          if (event.data.userId === 'first') await hold.promise;
          order.push(event.data.userId);
        },
        { orderingKey: () => 'k' },
      );
      await bus.publish('user.deleted', { userId: 'first' }); // runs, holds the key
      await settle();
      await bus.publish('user.deleted', { userId: 'queued' }); // fills the buffer
      const received = bus.receive({ type: 'user.deleted', data: { userId: 'received' } });
      await settle(); // the received event now waits for room
      expect(bus.stats().blocked).toBe(1);
      await bus.publish('user.deleted', { userId: 'later' }); // drops 'queued'
      hold.open();
      await received;
      await bus.shutdown();
      expect(order).toEqual(['first', 'received', 'later']);
    });
  });

  describe('overflow reject with a received event waiting for room', () => {
    it('refuses a publish without counting it while the room is owed to the received event', async () => {
      const bus = createEventBus<AppEvents>({ bufferSize: 2, workers: 1, overflow: 'reject' });
      const hold = gate();
      bus.subscribe('user.deleted', () => hold.promise);
      await bus.publish('user.deleted', { userId: 'a' }); // runs
      await settle();
      await bus.publish('user.deleted', { userId: 'b' });
      await bus.publish('user.deleted', { userId: 'c' }); // the buffer is full
      const received = bus.receive({ type: 'user.deleted', data: { userId: 'r' } });
      await settle();
      expect(bus.stats().blocked).toBe(1);
      await expect(bus.publish('user.deleted', { userId: 'd' })).rejects.toMatchObject({
        code: 'BUFFER_FULL',
      });
      expect(bus.stats().published).toBe(4);
      hold.open();
      await received;
      const report = await bus.shutdown();
      expect(report).toMatchObject({ published: 4, delivered: 4, complete: true });
    });
  });

  describe('the bus through a Proxy', () => {
    it('reads closed and lifecycle, and publishes, through a Proxy', async () => {
      const bus = createEventBus<AppEvents>();
      const proxied = new Proxy(bus, {});
      const handler = vi.fn();
      proxied.subscribe('user.deleted', handler);
      expect(proxied.closed).toBe(false);
      expect(proxied.lifecycle.listenerCount('error')).toBe(0);
      await proxied.publishSync('user.deleted', { userId: 'u1' });
      expect(handler).toHaveBeenCalledTimes(1);
      await proxied.shutdown();
      expect(proxied.closed).toBe(true);
    });
  });
});
