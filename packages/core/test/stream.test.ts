import { describe, expect, it, vi } from 'vitest';
import { createEventBus, TimeoutError } from '../src/index.js';
import { type AppEvents, gate, settle } from './fixtures.js';

/** A bus whose middleware holds every delivery until `release()`: a delivery still running. */
function heldBus(onError: (error: unknown) => void = () => {}) {
  const hold = gate();
  const bus = createEventBus<AppEvents>({ onError });
  bus.use((next) => async (event, ctx) => {
    await hold.promise;
    return next(event, ctx);
  });
  return { bus, release: hold.open };
}

describe('stream', () => {
  it('iterates the matching events in publish order', async () => {
    const bus = createEventBus<AppEvents>();
    const stream = bus.stream('order.*');
    await bus.publish('order.placed', { orderId: 'o1', amount: 1 });
    await bus.publish('user.deleted', { userId: 'u1' });
    await bus.publish('order.paid', { orderId: 'o1', amount: 1 });
    const first = await stream.next();
    const second = await stream.next();
    expect([first.value?.type, second.value?.type]).toEqual(['order.placed', 'order.paid']);
    await stream.return();
  });

  it('works with for await and stops listening on break', async () => {
    const bus = createEventBus<AppEvents>();
    const seen: string[] = [];
    const consumer = (async () => {
      for await (const event of bus.stream('user.deleted')) {
        seen.push(event.data.userId);
        if (seen.length === 3) break;
      }
    })();
    for (let i = 0; i < 5; i++) await bus.publish('user.deleted', { userId: `u${i}` });
    await consumer;
    expect(seen).toEqual(['u0', 'u1', 'u2']);
    await settle();
    await bus.publish('user.deleted', { userId: 'late' });
    await bus.shutdown();
    expect(seen).toHaveLength(3);
  });

  it('holds at most bufferSize events and makes the bus wait for a slow consumer, losing nothing', async () => {
    const bus = createEventBus<AppEvents>({ workers: 4, bufferSize: 1000 });
    const stream = bus.stream('user.deleted', { bufferSize: 2 });
    for (let i = 0; i < 10; i++) await bus.publish('user.deleted', { userId: `${i}` });
    await settle();
    const stats = bus.stats();
    // The stream holds two events; the delivery of the third waits for room (one worker),
    // and the other seven wait in the bus, in order, for the stream to take them.
    expect(stats.inFlight).toBe(1);
    expect(stats.queued).toBe(7);
    expect(stats.delivered).toBe(2);
    const seen: string[] = [];
    for (let i = 0; i < 10; i++) {
      const next = await stream.next();
      seen.push((next.value as { data: { userId: string } }).data.userId);
    }
    expect(seen).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    await stream.return();
  });

  describe('a delivery waiting for room whose signal aborts: its event is not read, and it is reported once', () => {
    /** Reads what the stream holds until it ends. */
    const readAll = async (stream: AsyncIterable<{ data: { userId: string } }>) => {
      const read: string[] = [];
      for await (const event of stream) read.push(event.data.userId);
      return read;
    };

    it('at the shutdown deadline: undelivered, not read', async () => {
      vi.useFakeTimers();
      try {
        const bus = createEventBus<AppEvents>();
        const stream = bus.stream('user.deleted', { bufferSize: 2 });
        for (let i = 0; i < 4; i++) await bus.publish('user.deleted', { userId: `${i}` });
        await vi.advanceTimersByTimeAsync(0);
        const shutdown = bus.shutdown({ timeout: 50 });
        await vi.advanceTimersByTimeAsync(50);
        const report = await shutdown;
        expect(report.undelivered.map((u) => [u.event.data, u.reason])).toEqual([
          [{ userId: '2' }, 'in-flight'],
          [{ userId: '3' }, 'queued'],
        ]);
        expect(report).toMatchObject({ published: 4, delivered: 2, failed: 0 });
        expect(await readAll(stream)).toEqual(['0', '1']);
      } finally {
        vi.useRealTimers();
      }
    });

    it('at a publishSync timeout: failed with the TimeoutError, not read, bufferSize kept', async () => {
      vi.useFakeTimers();
      try {
        const bus = createEventBus<AppEvents>();
        const stream = bus.stream('user.deleted', { bufferSize: 1 });
        const runs = ['0', '1', '2'].map((userId) =>
          bus.publishSync('user.deleted', { userId }, { timeout: 30 }),
        );
        await vi.advanceTimersByTimeAsync(30);
        const results = await Promise.all(runs);
        expect(results.map((errors) => errors[0]?.cause)).toEqual([
          undefined,
          expect.any(TimeoutError),
          expect.any(TimeoutError),
        ]);
        expect(bus.stats()).toMatchObject({ delivered: 1, failed: 2, inFlight: 0 });
        stream.end();
        expect(await readAll(stream)).toEqual(['0']);
      } finally {
        vi.useRealTimers();
      }
    });

    it('lets the next waiting delivery in, in order, once a withdrawn one is passed', async () => {
      const bus = createEventBus<AppEvents>();
      const stream = bus.stream('user.deleted', { bufferSize: 1 });
      const controller = new AbortController();
      const first = bus.publishSync('user.deleted', { userId: 'held' });
      const withdrawn = bus.publishSync(
        'user.deleted',
        { userId: 'withdrawn' },
        { signal: controller.signal },
      );
      const last = bus.publishSync('user.deleted', { userId: 'last' });
      controller.abort(new Error('not now'));
      expect((await withdrawn)[0]?.cause).toEqual(new Error('not now'));
      expect(await first).toEqual([]);
      expect((await stream.next()).value?.data).toEqual({ userId: 'held' });
      expect(await last).toEqual([]);
      expect((await stream.next()).value?.data).toEqual({ userId: 'last' });
      expect(bus.stats()).toMatchObject({ published: 3, delivered: 2, failed: 1, inFlight: 0 });
      await stream.return();
    });
  });

  it('ends when its signal aborts', async () => {
    const bus = createEventBus<AppEvents>();
    const controller = new AbortController();
    const stream = bus.stream('user.deleted', { signal: controller.signal });
    const pending = stream.next();
    controller.abort();
    await expect(pending).resolves.toEqual({ value: undefined, done: true });
  });

  it('ends after shutdown, once what it holds has been read', async () => {
    const bus = createEventBus<AppEvents>();
    const stream = bus.stream('user.deleted');
    await bus.publish('user.deleted', { userId: 'u1' });
    await settle();
    await bus.shutdown();
    expect((await stream.next()).value?.data).toEqual({ userId: 'u1' });
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it('discards, unreported, what reaches it after return(): the consumer asked for no more', async () => {
    const errors: unknown[] = [];
    const { bus, release } = heldBus((error) => errors.push(error));
    const stream = bus.stream('user.deleted');
    await bus.publish('user.deleted', { userId: 'u1' });
    await settle();
    await stream.return();
    release();
    await bus.idle();
    expect(errors).toEqual([]);
    expect(bus.stats()).toMatchObject({ delivered: 1, failed: 0 });
  });

  it('fails a delivery that reaches it after end(): its event can no longer be read', async () => {
    const { bus, release } = heldBus();
    const stream = bus.stream('user.deleted');
    const run = bus.publishSync('user.deleted', { userId: 'u1' });
    await settle();
    stream.end();
    release();
    const failures = await run;
    expect(failures).toHaveLength(1);
    expect(String((failures[0]?.cause as Error | undefined)?.message)).toMatch(
      /^The stream had ended/,
    );
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it('refuses a bufferSize below 1', () => {
    const bus = createEventBus<AppEvents>();
    expect(() => bus.stream('user.deleted', { bufferSize: 0 })).toThrow(
      'Invalid option "stream({ bufferSize })"',
    );
  });
});
