import { describe, expect, it } from 'vitest';
import { createEventBus } from '../src/index.js';
import type { AppEvents } from './fixtures.js';

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
});
