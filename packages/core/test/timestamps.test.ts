import { describe, expect, it, vi } from 'vitest';
import { createEventBus, type EventBus } from '../src/index.js';
import { settle } from './fixtures.js';

type Events = { 'job.done': { i: number } };

/** Keeps the CPU busy, as a handler doing real work would: the clock moves on meanwhile. */
function work(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // spin
  }
}

/** Publishes 5 events the way `publish` says, each after reading the clock; returns how late each stamp is. */
async function staleness(
  publish: (bus: EventBus<Events>, i: number) => Promise<unknown> | unknown,
  { throws = false } = {},
): Promise<number[]> {
  const bus = createEventBus<Events>();
  const calledAt: number[] = [];
  const late: number[] = [];
  bus.subscribe('job.done', (event) => {
    late.push((calledAt[event.data.i] ?? 0) - event.timestamp);
    work(5);
    if (throws) throw new Error('busy, then failed');
  });
  await settle();
  for (let i = 0; i < 5; i++) {
    calledAt[i] = Date.now();
    await publish(bus, i);
  }
  await bus.shutdown();
  return late;
}

describe('event timestamps', () => {
  it('are never older than the publish call, when awaited publishes run busy handlers', async () => {
    const late = await staleness((bus, i) => bus.publish('job.done', { i }));
    expect(late).toHaveLength(5);
    for (const ms of late) expect(ms).toBeLessThanOrEqual(0);
  });

  it('are never older than the publishSync call, awaited or not', async () => {
    const awaited = await staleness((bus, i) => bus.publishSync('job.done', { i }));
    // Not awaited: the handlers of one call run before the next call, in one synchronous run.
    const inOneRun = await staleness((bus, i) => void bus.publishSync('job.done', { i }));
    for (const ms of [...awaited, ...inOneRun]) expect(ms).toBeLessThanOrEqual(0);
  });

  it('are never older than the publishSync call after a busy handler that threw', async () => {
    const late = await staleness((bus, i) => bus.publishSync('job.done', { i }), { throws: true });
    expect(late).toHaveLength(5);
    for (const ms of late) expect(ms).toBeLessThanOrEqual(0);
  });

  it('follow a clock faked before the bus was loaded', async () => {
    vi.useFakeTimers();
    try {
      vi.resetModules();
      const { createEventBus: create } = await import('../src/index.js');
      const bus = create<{ 'a.b': undefined }>();
      const stamps: number[] = [];
      bus.subscribe('a.b', (event) => void stamps.push(event.timestamp));
      vi.setSystemTime(Date.parse('2024-01-01T00:00:00Z'));
      await bus.publishSync('a.b');
      vi.setSystemTime(Date.parse('2025-01-01T00:00:00Z'));
      await bus.publishSync('a.b');
      expect(stamps).toEqual([
        Date.parse('2024-01-01T00:00:00Z'),
        Date.parse('2025-01-01T00:00:00Z'),
      ]);
    } finally {
      vi.useRealTimers();
    }
  });
});
