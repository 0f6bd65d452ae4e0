import { describe, expect, it, vi } from 'vitest';
import { createEventBus, type Event } from '../src/index.js';
import { type AppEvents, events, settle } from './fixtures.js';

describe('publish and subscribe', () => {
  it('calls one handler once with the event', async () => {
    const bus = createEventBus({ schemas: events });
    const handler = vi.fn();
    bus.subscribe('user.created', handler);
    await bus.publish('user.created', { userId: 'u1', email: 'ada@example.com' });
    await settle();
    expect(handler).toHaveBeenCalledTimes(1);
    const [event] = handler.mock.calls[0] as [Event];
    expect(event).toMatchObject({
      type: 'user.created',
      data: { userId: 'u1', email: 'ada@example.com' },
    });
    expect(typeof event.id).toBe('string');
    expect(event.timestamp).toBeGreaterThan(0);
  });

  it('calls each of five subscribers', async () => {
    const bus = createEventBus<AppEvents>();
    const handlers = Array.from({ length: 5 }, () => vi.fn());
    for (const handler of handlers) bus.subscribe('user.deleted', handler);
    await bus.publish('user.deleted', { userId: 'u1' });
    await settle();
    for (const handler of handlers) expect(handler).toHaveBeenCalledTimes(1);
  });

  it('invokes subscriptions in subscription order within one event', async () => {
    const bus = createEventBus<AppEvents>();
    const order: string[] = [];
    bus.subscribe('order.paid', () => void order.push('exact'));
    bus.subscribe('order.*', () => void order.push('star'));
    bus.subscribe('**', () => void order.push('all'));
    await bus.publish('order.paid', { orderId: 'o1', amount: 1 });
    await settle();
    expect(order).toEqual(['exact', 'star', 'all']);
  });

  it('handles 100 concurrent publishes, each once', async () => {
    const bus = createEventBus<AppEvents>();
    const seen: string[] = [];
    bus.subscribe('user.deleted', (event) => void seen.push(event.data.userId));
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => bus.publish('user.deleted', { userId: `u${i}` })),
    );
    await bus.shutdown();
    expect(seen).toHaveLength(100);
    expect(new Set(seen).size).toBe(100);
  });

  it('gives every event a unique id', async () => {
    const bus = createEventBus<AppEvents>();
    const ids = new Set<string>();
    bus.subscribe('user.deleted', (event) => void ids.add(event.id));
    for (let i = 0; i < 1000; i++) await bus.publish('user.deleted', { userId: 'u' });
    await bus.shutdown();
    expect(ids.size).toBe(1000);
  });

  it('stamps events with a faked clock, even when awaited one after another', async () => {
    vi.useFakeTimers({ now: 1_000 });
    try {
      const bus = createEventBus<AppEvents>();
      const stamps: number[] = [];
      bus.subscribe('user.deleted', (event) => void stamps.push(event.timestamp));
      await bus.publishSync('user.deleted', { userId: 'u1' });
      vi.setSystemTime(5_000);
      await bus.publishSync('user.deleted', { userId: 'u2' });
      vi.setSystemTime(9_000);
      await bus.publish('user.deleted', { userId: 'u3' });
      await vi.runAllTimersAsync();
      expect(stamps).toEqual([1_000, 5_000, 9_000]);
    } finally {
      vi.useRealTimers();
    }
    // Back on the real clock, no faked time lingers in the timestamp cache.
    const bus = createEventBus<AppEvents>();
    const before = Date.now();
    let stamp = 0;
    bus.subscribe('user.deleted', (event) => {
      stamp = event.timestamp;
    });
    await bus.publishSync('user.deleted', { userId: 'u4' });
    expect(stamp).toBeGreaterThanOrEqual(before);
  });

  it('uses the id given at publish', async () => {
    const bus = createEventBus<AppEvents>();
    const seen = bus.once('user.deleted');
    await bus.publish('user.deleted', { userId: 'u1' }, { id: 'upstream-42' });
    expect((await seen).id).toBe('upstream-42');
  });

  it('carries metadata from publish to the handler', async () => {
    const bus = createEventBus<AppEvents>();
    const seen = bus.once('user.deleted');
    await bus.publish(
      'user.deleted',
      { userId: 'u1' },
      { metadata: { requestId: 'r1', source: 'api' } },
    );
    expect((await seen).metadata).toEqual({ requestId: 'r1', source: 'api' });
  });

  it('gives events without metadata an empty, frozen metadata object', async () => {
    const bus = createEventBus<AppEvents>();
    const seen = bus.once('user.deleted');
    await bus.publish('user.deleted', { userId: 'u1' });
    const { metadata } = await seen;
    expect(metadata).toEqual({});
    expect(Object.isFrozen(metadata)).toBe(true);
  });

  it('publishes a void event without data', async () => {
    const bus = createEventBus({ schemas: events });
    const seen = bus.once('app.started');
    await bus.publish('app.started');
    expect((await seen).data).toBeUndefined();
  });

  it('hands handlers the validated payload, with schema defaults applied', async () => {
    const bus = createEventBus({ schemas: events });
    const seen = bus.once('job.queued');
    await bus.publish('job.queued', { jobId: 'j1' });
    expect((await seen).data).toEqual({ jobId: 'j1', tries: 0 });
  });

  it('dispatches asynchronously: publish returns before handlers run', async () => {
    const bus = createEventBus<AppEvents>();
    const handler = vi.fn();
    bus.subscribe('user.deleted', handler);
    const published = bus.publish('user.deleted', { userId: 'u1' });
    expect(handler).not.toHaveBeenCalled();
    await published;
    await settle();
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('publishes to nobody without error', async () => {
    const bus = createEventBus<AppEvents>();
    await expect(bus.publish('user.deleted', { userId: 'u1' })).resolves.toBeUndefined();
    expect(bus.stats().published).toBe(1);
  });
});
