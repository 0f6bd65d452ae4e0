import { describe, expect, it } from 'vitest';
import { createEventBus } from '../src/index.js';
import type { AppEvents } from './fixtures.js';

describe('stats', () => {
  it('counts published, delivered and failed, in total and per event type', async () => {
    const bus = createEventBus<AppEvents>({ onError: () => {} });
    bus.subscribe('user.*', () => {});
    bus.subscribe('order.paid', () => {
      throw new Error('x');
    });
    await bus.publish('user.deleted', { userId: 'u1' });
    await bus.publish('user.deleted', { userId: 'u2' });
    await bus.publish('order.paid', { orderId: 'o1', amount: 1 });
    await bus.publish('order.placed', { orderId: 'o1', amount: 1 });
    await bus.shutdown();
    const stats = bus.stats();
    expect(stats).toMatchObject({
      published: 4,
      delivered: 2,
      failed: 1,
      dropped: 0,
      queued: 0,
      inFlight: 0,
    });
    expect(stats.byType).toEqual({
      'user.deleted': { published: 2, delivered: 2, failed: 0, dropped: 0 },
      'order.paid': { published: 1, delivered: 0, failed: 1, dropped: 0 },
      'order.placed': { published: 1, delivered: 0, failed: 0, dropped: 0 },
    });
  });

  it('returns a snapshot that does not change afterwards', async () => {
    const bus = createEventBus<AppEvents>();
    const before = bus.stats();
    await bus.publish('user.deleted', { userId: 'u1' });
    expect(before.published).toBe(0);
    expect(before.byType).toEqual({});
  });
});
