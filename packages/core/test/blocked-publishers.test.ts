import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  type AnyEvent,
  BusClosedError,
  createEventBus,
  InvalidOptionError,
  MetadataKey,
  SchemaRegistry,
} from '../src/index.js';
import { type AppEvents, gate, settle } from './fixtures.js';

/** The millisecond a UUIDv7 holds. */
const timeOf = (id: string): number => Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);

/** A bus whose one worker is held by the first event, with room for one more in the buffer. */
async function heldBus(registry?: SchemaRegistry<AppEvents>) {
  const bus =
    registry === undefined
      ? createEventBus<AppEvents>({ workers: 1, bufferSize: 1 })
      : createEventBus({ workers: 1, bufferSize: 1, registry });
  const hold = gate();
  const seen: AnyEvent[] = [];
  bus.subscribe('user.deleted', async (event) => {
    seen.push(event);
    if (event.data.userId === 'first') await hold.promise;
  });
  await bus.publish('user.deleted', { userId: 'first' });
  await settle(); // 'first' runs and holds the worker
  await bus.publish('user.deleted', { userId: 'queued' }); // the buffer is full now
  return { bus, hold, seen };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('publishers blocked for room (overflow block)', () => {
  it('deliver events stamped, and given ids, when they were published, in publish order', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 1), toFake: ['Date'] });
    const { bus, hold, seen } = await heldBus();
    const publishedAt: number[] = [];
    const waiting: Array<Promise<void>> = [];
    for (let i = 0; i < 5; i++) {
      publishedAt.push(Date.now());
      waiting.push(bus.publish('user.deleted', { userId: `blocked-${i}` }));
      vi.advanceTimersByTime(1000);
    }
    expect(bus.stats().blocked).toBe(5);
    hold.open();
    await Promise.all(waiting);
    await bus.shutdown();
    const blocked = seen.filter((event) => (event.data as { userId: string }).userId !== 'first');
    expect(blocked.map((event) => (event.data as { userId: string }).userId)).toEqual([
      'queued',
      'blocked-0',
      'blocked-1',
      'blocked-2',
      'blocked-3',
      'blocked-4',
    ]);
    expect(blocked.slice(1).map((event) => event.timestamp)).toEqual(publishedAt);
    for (const event of blocked) expect(timeOf(event.id)).toBe(event.timestamp);
    const ids = blocked.map((event) => event.id);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keep their place among publishes with options and filtered subscriptions', async () => {
    const { bus, hold, seen } = await heldBus();
    const filtered: string[] = [];
    bus.subscribe('user.deleted', (event) => void filtered.push(event.data.userId), {
      filter: (event) => event.data.userId !== 'skip-me',
    });
    const waiting = [
      bus.publish('user.deleted', { userId: 'a' }),
      bus.publish('user.deleted', { userId: 'b' }, { metadata: { tenant: 't1' } }),
      bus.publish('user.deleted', { userId: 'skip-me' }),
      bus.publish('user.deleted', { userId: 'c' }),
    ];
    hold.open();
    await Promise.all(waiting);
    await bus.shutdown();
    expect(seen.map((event) => (event.data as { userId: string }).userId)).toEqual([
      'first',
      'queued',
      'a',
      'b',
      'skip-me',
      'c',
    ]);
    expect(seen[3]?.metadata).toEqual({ tenant: 't1' });
    expect(filtered).toEqual(['a', 'b', 'c']);
  });

  it('carry the schema version their payload was validated against, even if a newer one comes meanwhile', async () => {
    const registry = new SchemaRegistry<AppEvents>();
    registry.register('user.deleted', z.object({ userId: z.string() }));
    const { bus, hold, seen } = await heldBus(registry);
    const blocked = bus.publish('user.deleted', { userId: 'v1' });
    registry.register('user.deleted', z.object({ userId: z.string(), reason: z.string() }));
    hold.open();
    await blocked;
    await bus.shutdown();
    const event = seen.find((e) => (e.data as { userId: string }).userId === 'v1');
    expect(event?.metadata).toEqual({ [MetadataKey.SchemaVersion]: '1' });
  });

  it('go to the handlers of their publish: not to a subscription made while they wait', async () => {
    const { bus, hold } = await heldBus();
    const blocked = bus.publish('user.deleted', { userId: 'waiting' });
    const late = vi.fn();
    bus.subscribe('user.deleted', late);
    hold.open();
    await blocked;
    await bus.shutdown();
    expect(late).not.toHaveBeenCalled();
  });

  it('are shown to lifecycle publish observers when they publish, not when they enter the buffer', async () => {
    const { bus, hold } = await heldBus();
    const observed: string[] = [];
    bus.lifecycle.on('publish', (event) =>
      observed.push((event.data as { userId: string }).userId),
    );
    const blocked = bus.publish('user.deleted', { userId: 'observed' });
    expect(observed).toEqual(['observed']);
    hold.open();
    await blocked;
    await bus.shutdown();
  });

  it('are refused and reported undelivered, with their events, when shutdown stops waiting', async () => {
    const { bus, seen } = await heldBus();
    const outcomes = [
      bus.publish('user.deleted', { userId: 'plain' }),
      bus.publish('user.deleted', { userId: 'with-id' }, { id: 'my-id' }),
      bus.publish('user.deleted', { userId: 'plain-2' }),
    ].map((publish) =>
      publish.then(
        () => 'accepted',
        (error: unknown) => error,
      ),
    );
    const report = await bus.shutdown({ timeout: 10 });
    const results = await Promise.all(outcomes);
    for (const result of results) expect(result).toBeInstanceOf(BusClosedError);
    const undelivered = report.undelivered.map((entry) => ({
      userId: (entry.event.data as { userId: string }).userId,
      reason: entry.reason,
    }));
    expect(undelivered).toEqual(
      expect.arrayContaining([
        { userId: 'plain', reason: 'queued' },
        { userId: 'with-id', reason: 'queued' },
        { userId: 'plain-2', reason: 'queued' },
      ]),
    );
    const plain = report.undelivered.find(
      (entry) => (entry.event.data as { userId: string }).userId === 'plain',
    );
    expect(plain?.event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(report.undelivered.find((e) => e.event.id === 'my-id')).toBeDefined();
    const stats = bus.stats();
    expect(stats.published).toBe(5);
    expect(stats.delivered + stats.failed + stats.dropped + report.undelivered.length).toBe(
      stats.published,
    );
    expect(seen).toHaveLength(1);
  });

  it('resolve as a group some of whose events got in when shutdown stops waiting: none is told its delivered event was not published', async () => {
    const bus = createEventBus<AppEvents>({ workers: 1, bufferSize: 1 });
    const hold = gate();
    const seen: string[] = [];
    bus.subscribe('user.deleted', async (event) => {
      seen.push(event.data.userId);
      if (event.data.userId === 'first') await hold.promise;
      if (event.data.userId === 'hangs') await new Promise<void>(() => {});
    });
    await bus.publish('user.deleted', { userId: 'first' });
    await settle();
    await bus.publish('user.deleted', { userId: 'queued' });
    // One group: unawaited, blocked one after another before any got room.
    const outcomes = ['b0', 'b1', 'hangs', 'b3', 'b4'].map((userId) =>
      bus.publish('user.deleted', { userId }).then(
        () => 'accepted',
        (error: unknown) => error,
      ),
    );
    hold.open();
    for (let i = 0; i < 10 && !seen.includes('hangs'); i++) await settle();
    // b0, b1 delivered; 'hangs' runs; b3 is in the buffer; b4 still waits in the group.
    expect(seen).toEqual(['first', 'queued', 'b0', 'b1', 'hangs']);
    expect(bus.stats().blocked).toBe(1);
    const report = await bus.shutdown({ timeout: 10 });
    expect(await Promise.all(outcomes)).toEqual(Array(5).fill('accepted'));
    expect(
      report.undelivered.map((entry) => [
        (entry.event.data as { userId: string }).userId,
        entry.reason,
      ]),
    ).toEqual([
      ['hangs', 'in-flight'],
      ['b3', 'queued'],
      ['b4', 'queued'],
    ]);
    expect(report.delivered + report.failed + report.dropped + report.undelivered.length).toBe(
      report.published,
    );
  });

  it('refuse a bad event name while the buffer is full: nothing counted, nothing waits', async () => {
    const { bus, hold, seen } = await heldBus();
    const before = bus.stats();
    // As untyped JavaScript calls it: the compiler refuses these names.
    const loose = bus as unknown as { publish(type: string, data: unknown): Promise<void> };
    for (const bad of ['', 'user..deleted', 'user.*']) {
      await expect(loose.publish(bad, { userId: 'x' })).rejects.toBeInstanceOf(InvalidOptionError);
    }
    expect(bus.stats().published).toBe(before.published);
    expect(bus.stats().blocked).toBe(0);
    hold.open();
    await bus.shutdown();
    expect(seen.map((event) => (event.data as { userId: string }).userId)).toEqual([
      'first',
      'queued',
    ]);
  });

  it('count an event with no subscription as published, and do not wait for it', async () => {
    const { bus, hold } = await heldBus();
    await bus.publish('user.created', { userId: 'u', email: 'u@example.com' });
    expect(bus.stats().byType['user.created']?.published).toBe(1);
    expect(bus.stats().blocked).toBe(0);
    hold.open();
    await bus.shutdown();
  });
});
