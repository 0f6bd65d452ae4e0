import {
  createEventBus,
  type EventBus,
  InvalidOptionError,
  type Priority,
  type ScheduledEvent,
} from '@gossip/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { priorityScheduler } from '../src/index.js';
import { scheduled } from './scheduler-conformance.js';

type Events = { 'job.blocker': undefined; 'job.run': { name: string } };

/** A bus with one worker held by a handler until `release` is called. */
async function blockedBus(options: Parameters<typeof createEventBus>[0] = {}) {
  const bus: EventBus<Events> = createEventBus<Events>({ workers: 1, ...options });
  const order: string[] = [];
  let release = (): void => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let started = (): void => {};
  const running = new Promise<void>((resolve) => {
    started = resolve;
  });
  bus.subscribe('job.blocker', async () => {
    started();
    await gate;
  });
  bus.subscribe('job.run', (event) => {
    order.push(event.data.name);
  });
  await bus.publish('job.blocker');
  await running;
  return { bus, order, release };
}

describe('priorityScheduler', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('dispatches high before normal before low on a live bus with one worker', async () => {
    const { bus, order, release } = await blockedBus({ scheduler: priorityScheduler() });
    await bus.publish('job.run', { name: 'low' }, { priority: 'low' });
    await bus.publish('job.run', { name: 'normal' }, { priority: 'normal' });
    await bus.publish('job.run', { name: 'high' }, { priority: 'high' });
    release();
    await bus.shutdown();
    expect(order).toEqual(['high', 'normal', 'low']);
  });

  it('leaves the default FIFO scheduler in publish order, priorities ignored', async () => {
    const { bus, order, release } = await blockedBus();
    await bus.publish('job.run', { name: 'low' }, { priority: 'low' });
    await bus.publish('job.run', { name: 'normal' }, { priority: 'normal' });
    await bus.publish('job.run', { name: 'high' }, { priority: 'high' });
    release();
    await bus.shutdown();
    expect(order).toEqual(['low', 'normal', 'high']);
  });

  it('dispatches custom numeric priorities 100, 50, 1 from highest to lowest', async () => {
    const { bus, order, release } = await blockedBus({ scheduler: priorityScheduler() });
    await bus.publish('job.run', { name: '1' }, { priority: 1 });
    await bus.publish('job.run', { name: '100' }, { priority: 100 });
    await bus.publish('job.run', { name: '50' }, { priority: 50 });
    release();
    await bus.shutdown();
    expect(order).toEqual(['100', '50', '1']);
  });

  it('keeps publish order among events of the same priority, a missing priority being normal', async () => {
    const { bus, order, release } = await blockedBus({ scheduler: priorityScheduler() });
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (const [i, name] of names.entries()) {
      const priority: Priority | undefined = i % 2 === 0 ? undefined : 'normal';
      await bus.publish('job.run', { name }, priority === undefined ? {} : { priority });
    }
    await bus.publish('job.run', { name: 'first' }, { priority: 'high' });
    release();
    await bus.shutdown();
    expect(order).toEqual(['first', ...names]);
  });

  it('refuses an unknown priority name at publish with InvalidOptionError', async () => {
    const bus = createEventBus<Events>({ scheduler: priorityScheduler() });
    await expect(
      bus.publish('job.run', { name: 'x' }, { priority: 'urgent' as Priority }),
    ).rejects.toThrow(InvalidOptionError);
    await bus.shutdown();
  });

  it('promotes a low event that waited long enough above high events published later (aging)', async () => {
    vi.useFakeTimers();
    const { bus, order, release } = await blockedBus({ scheduler: priorityScheduler() });
    await bus.publish('job.run', { name: 'old-low' }, { priority: 'low' });
    await vi.advanceTimersByTimeAsync(10_000);
    await bus.publish('job.run', { name: 'new-high' }, { priority: 'high' });
    await bus.publish('job.run', { name: 'new-normal' }, { priority: 'normal' });
    release();
    await bus.shutdown();
    expect(order).toEqual(['old-low', 'new-high', 'new-normal']);
  });

  it('keeps a waiting low event behind later high events with aging: false', async () => {
    vi.useFakeTimers();
    const { bus, order, release } = await blockedBus({
      scheduler: priorityScheduler({ aging: false }),
    });
    await bus.publish('job.run', { name: 'old-low' }, { priority: 'low' });
    await vi.advanceTimersByTimeAsync(1_000_000);
    await bus.publish('job.run', { name: 'new-high' }, { priority: 'high' });
    release();
    await bus.shutdown();
    expect(order).toEqual(['new-high', 'old-low']);
  });

  it('follows a custom aging rate: with 100 ms per point, 1 second lifts low above high', async () => {
    vi.useFakeTimers();
    const { bus, order, release } = await blockedBus({
      scheduler: priorityScheduler({ aging: 100 }),
    });
    await bus.publish('job.run', { name: 'low' }, { priority: 'low' });
    await vi.advanceTimersByTimeAsync(1000);
    await bus.publish('job.run', { name: 'high' }, { priority: 'high' });
    release();
    await bus.shutdown();
    expect(order).toEqual(['low', 'high']);
  });

  it('drops the oldest lowest-priority event under drop-oldest, keeping urgent ones', async () => {
    const dropped: string[] = [];
    const { bus, order, release } = await blockedBus({
      scheduler: priorityScheduler(),
      bufferSize: 3,
      overflow: 'drop-oldest',
      onDrop: (event) => dropped.push((event.data as { name: string }).name),
    });
    await bus.publish('job.run', { name: 'high' }, { priority: 'high' });
    await bus.publish('job.run', { name: 'low-1' }, { priority: 'low' });
    await bus.publish('job.run', { name: 'low-2' }, { priority: 'low' });
    await bus.publish('job.run', { name: 'normal' }, { priority: 'normal' });
    release();
    await bus.shutdown();
    expect(dropped).toEqual(['low-1']);
    expect(order).toEqual(['high', 'normal', 'low-2']);
  });

  it('drops the event of least aged rank under drop-oldest: a fresh high one before a low one aged above it', async () => {
    vi.useFakeTimers();
    const dropped: string[] = [];
    const { bus, order, release } = await blockedBus({
      scheduler: priorityScheduler(),
      bufferSize: 2,
      overflow: 'drop-oldest',
      onDrop: (event) => dropped.push((event.data as { name: string }).name),
    });
    await bus.publish('job.run', { name: 'old-low' }, { priority: 'low' });
    await vi.advanceTimersByTimeAsync(10_000);
    // old-low now ranks 1 + 10 = 11: it would be dispatched before a fresh high event (10).
    await bus.publish('job.run', { name: 'new-high' }, { priority: 'high' });
    // A tie with the new event at rank 10: the one published first goes.
    await bus.publish('job.run', { name: 'high-2' }, { priority: 'high' });
    release();
    await bus.shutdown();
    expect(dropped).toEqual(['new-high']);
    expect(order).toEqual(['old-low', 'high-2']);
  });

  it('drops the oldest of the least urgent priority under drop-oldest while events age', async () => {
    vi.useFakeTimers();
    const dropped: string[] = [];
    const { bus, order, release } = await blockedBus({
      scheduler: priorityScheduler(),
      bufferSize: 3,
      overflow: 'drop-oldest',
      onDrop: (event) => dropped.push((event.data as { name: string }).name),
    });
    await bus.publish('job.run', { name: 'low-1' }, { priority: 'low' });
    await vi.advanceTimersByTimeAsync(1000);
    await bus.publish('job.run', { name: 'low-2' }, { priority: 'low' });
    await bus.publish('job.run', { name: 'high' }, { priority: 'high' });
    await bus.publish('job.run', { name: 'normal' }, { priority: 'normal' });
    release();
    await bus.shutdown();
    expect(dropped).toEqual(['low-1']);
    expect(order).toEqual(['high', 'normal', 'low-2']);
  });

  it('drops the new event under drop-oldest when it is less urgent than every queued one', async () => {
    const dropped: string[] = [];
    const { bus, order, release } = await blockedBus({
      scheduler: priorityScheduler(),
      bufferSize: 2,
      overflow: 'drop-oldest',
      onDrop: (event) => dropped.push((event.data as { name: string }).name),
    });
    await bus.publish('job.run', { name: 'high-1' }, { priority: 'high' });
    await bus.publish('job.run', { name: 'high-2' }, { priority: 'high' });
    // The new event is a candidate too: it is the least urgent, so it is the one dropped.
    await bus.publish('job.run', { name: 'low' }, { priority: 'low' });
    release();
    await bus.shutdown();
    expect(dropped).toEqual(['low']);
    expect(order).toEqual(['high-1', 'high-2']);
  });

  it('reports queued events in dispatch order at the shutdown deadline', async () => {
    vi.useFakeTimers();
    const { bus, release } = await blockedBus({ scheduler: priorityScheduler() });
    await bus.publish('job.run', { name: 'low' }, { priority: 'low' });
    await bus.publish('job.run', { name: 'high' }, { priority: 'high' });
    await bus.publish('job.run', { name: 'normal' }, { priority: 'normal' });
    const report = bus.shutdown({ timeout: 100 });
    await vi.advanceTimersByTimeAsync(100);
    const { undelivered } = await report;
    release();
    const queued = undelivered
      .filter((entry) => entry.reason === 'queued')
      .map((entry) => (entry.event.data as { name: string }).name);
    expect(queued).toEqual(['high', 'normal', 'low']);
  });

  it('dispatches 100,000 queued events highest priority first, in publish order within each', () => {
    const scheduler = priorityScheduler({ aging: false })<ScheduledEvent>();
    const levels = [1, 10, 5];
    for (let sequence = 1; sequence <= 100_000; sequence++) {
      scheduler.push(scheduled(sequence, levels[sequence % 3]));
    }
    const out: ScheduledEvent[] = [];
    for (let next = scheduler.shift(); next !== undefined; next = scheduler.shift()) out.push(next);
    expect(out).toHaveLength(100_000);
    const byLevel = (priority: number) =>
      out.filter((each) => each.priority === priority).map((each) => each.sequence);
    expect(out.map((each) => each.priority)).toEqual(
      [10, 5, 1].flatMap((priority) => byLevel(priority).map(() => priority)),
    );
    for (const priority of levels) {
      const sequences = byLevel(priority);
      expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    }
  });

  it('refuses a bad aging option when the scheduler is made', () => {
    for (const aging of [0, -5, Number.NaN, Number.POSITIVE_INFINITY, true, '1s']) {
      expect(() => priorityScheduler({ aging: aging as number })).toThrow(InvalidOptionError);
    }
    expect(() => priorityScheduler({ aging: 0 })).toThrow(
      'Invalid option "priorityScheduler({ aging })"',
    );
    expect(() => priorityScheduler(null as never)).toThrow(
      'Invalid option "priorityScheduler(options)"',
    );
    expect(() => priorityScheduler(null as unknown as object)).toThrow(InvalidOptionError);
  });

  it('refuses a misspelt option when the scheduler is made, suggesting the right one', () => {
    const options = { agign: 250 } as { aging?: number };
    expect(() => priorityScheduler(options)).toThrow(InvalidOptionError);
    expect(() => priorityScheduler(options)).toThrow(
      'Invalid option "priorityScheduler({ agign })": expected a known option (did you mean "aging"?), received 250.',
    );
  });
});
