import { describe, expect, it } from 'vitest';
import { createEventBus } from '../src/index.js';
import { type AppEvents, gate, settle } from './fixtures.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('per-key ordering', () => {
  it('handles events with the same key one at a time, in publish order, while keys run in parallel', async () => {
    const bus = createEventBus<AppEvents>({ workers: 8 });
    const running = new Map<string, number>();
    const log: string[] = [];
    let overlapSameKey = false;
    let peakParallel = 0;
    let parallel = 0;
    bus.subscribe(
      'order.paid',
      async (event) => {
        const key = event.data.orderId;
        running.set(key, (running.get(key) ?? 0) + 1);
        if ((running.get(key) ?? 0) > 1) overlapSameKey = true;
        parallel++;
        peakParallel = Math.max(peakParallel, parallel);
        // Later events of a key finish faster, so without ordering they would overtake.
        await tick(event.data.amount);
        log.push(`${key}:${event.data.amount}`);
        parallel--;
        running.set(key, (running.get(key) ?? 1) - 1);
      },
      { orderingKey: (event) => event.data.orderId },
    );
    for (const amount of [5, 4, 3, 2, 1]) {
      for (const orderId of ['a', 'b', 'c']) await bus.publish('order.paid', { orderId, amount });
    }
    await bus.shutdown();
    expect(overlapSameKey).toBe(false);
    expect(peakParallel).toBe(3);
    for (const key of ['a', 'b', 'c']) {
      expect(log.filter((entry) => entry.startsWith(key))).toEqual(
        [5, 4, 3, 2, 1].map((n) => `${key}:${n}`),
      );
    }
  });

  it('keeps order when the handler fails for one event of a key', async () => {
    const errors: unknown[] = [];
    const bus = createEventBus<AppEvents>({ onError: (e) => errors.push(e) });
    const log: number[] = [];
    bus.subscribe(
      'order.paid',
      async (event) => {
        await tick(1);
        log.push(event.data.amount);
        if (event.data.amount === 2) throw new Error('two');
      },
      { orderingKey: (event) => event.data.orderId },
    );
    for (const amount of [1, 2, 3]) await bus.publish('order.paid', { orderId: 'k', amount });
    await bus.shutdown();
    expect(log).toEqual([1, 2, 3]);
    expect(errors).toHaveLength(1);
  });

  it('counts a throwing key function as a failure of that delivery', async () => {
    const errors: unknown[] = [];
    const bus = createEventBus<AppEvents>({ onError: (e) => errors.push(e) });
    const seen: string[] = [];
    bus.subscribe('user.deleted', (event) => void seen.push(event.data.userId), {
      orderingKey: (event) => {
        if (event.data.userId === 'bad') throw new Error('no key');
        return event.data.userId;
      },
    });
    await bus.publish('user.deleted', { userId: 'bad' });
    await bus.publish('user.deleted', { userId: 'good' });
    await bus.shutdown();
    expect(seen).toEqual(['good']);
    expect(errors).toHaveLength(1);
  });

  it('makes no delivery whose key function ended its own subscription', async () => {
    const bus = createEventBus<AppEvents>();
    const seen: string[] = [];
    const off = bus.subscribe('user.deleted', (event) => void seen.push(event.data.userId), {
      orderingKey: (event) => {
        if (event.data.userId === 'last') off();
        return 'k';
      },
    });
    await bus.publish('user.deleted', { userId: 'first' });
    await bus.publish('user.deleted', { userId: 'last' });
    await bus.publish('user.deleted', { userId: 'after' });
    const report = await bus.shutdown();
    expect(seen).toEqual(['first']);
    expect(bus.listenerCount()).toBe(0);
    expect(report).toMatchObject({ complete: true, published: 3, delivered: 1, failed: 0 });
  });

  it('an event a handler publishes waits behind publishers blocked for room: it overtakes none of its key', async () => {
    type Jobs = {
      'job.run': { key: string; n: number };
      'job.slow': Record<string, never>;
      'job.fill': Record<string, never>;
    };
    const bus = createEventBus<Jobs>({ workers: 2, bufferSize: 1 });
    const order: number[] = [];
    const slow = gate();
    const fill = gate();
    bus.subscribe(
      'job.run',
      (event) => {
        order.push(event.data.n);
      },
      { orderingKey: (event) => event.data.key },
    );
    let publishFromHandler = (): Promise<void> => Promise.resolve();
    bus.subscribe('job.slow', (_event, ctx) => {
      publishFromHandler = () => ctx.publish('job.run', { key: 'K', n: 2 });
      return slow.promise;
    });
    bus.subscribe('job.fill', () => fill.promise);
    await bus.publish('job.slow', {});
    await bus.publish('job.fill', {});
    await settle(); // both workers busy
    await bus.publish('job.fill', {}); // the buffer is full
    const first = bus.publish('job.run', { key: 'K', n: 1 }); // waits for room
    await settle();
    // Resolves at once: the handler does not wait, though its event waits behind `first`.
    await publishFromHandler();
    expect(bus.stats()).toMatchObject({ queued: 1, blocked: 2 });
    slow.open();
    fill.open();
    await first;
    await bus.idle();
    expect(order).toEqual([1, 2]);
    expect(bus.stats()).toMatchObject({ published: 5, delivered: 5 });
  });
});
