import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createIdSource } from '../src/clock.js';
import { createEventBus, type Event } from '../src/index.js';

/** RFC 9562 UUIDv7 in lower case: version nibble 7, variant bits 10. */
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const uuid = z.uuid();
const FIXED_TIME = Date.UTC(2025, 2, 1, 12, 0, 0, 123);

/** The Unix time in milliseconds held in an id's first 48 bits. */
const timeOf = (id: string): number => Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);

/**
 * The 26-bit counter of an id: its high 18 bits after the time (12 after the version, 6 after
 * the variant), its low byte last.
 */
const counterOf = (id: string): number =>
  (Number.parseInt(id.slice(15, 18), 16) * 2 ** 6 +
    (Number.parseInt(id.slice(19, 21), 16) & 0x3f)) *
    2 ** 8 +
  Number.parseInt(id.slice(34, 36), 16);

/** Makes `count` ids from `next`. */
const take = (next: (ms?: number) => string, count: number): string[] =>
  Array.from({ length: count }, () => next());

/** Expects each id to sort after the one before it. */
function expectIncreasing(ids: readonly string[]): void {
  let previous = '';
  let outOfOrder = 0;
  for (const id of ids) {
    if (id <= previous) outOfOrder++;
    previous = id;
  }
  expect(outOfOrder).toBe(0);
}

/** A `crypto` whose random bytes are all 0xff: each millisecond's counter starts at its highest. */
const highestCrypto = {
  getRandomValues: <T extends ArrayBufferView>(bytes: T): T => {
    new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength).fill(0xff);
    return bytes;
  },
};

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('event ids', () => {
  it('are UUIDv7 strings that z.uuid() accepts', () => {
    for (const id of take(createIdSource(), 2000)) {
      expect(id).toMatch(UUID_V7);
      expect(uuid.safeParse(id).success).toBe(true);
    }
  });

  it('are unique and strictly increasing across 100,000 ids from one source', () => {
    const ids = take(createIdSource(), 100_000);
    expect(new Set(ids).size).toBe(ids.length);
    expectIncreasing(ids);
  });

  it('differ between two sources made in the same millisecond', () => {
    vi.useFakeTimers({ now: FIXED_TIME });
    const first = take(createIdSource(), 1000);
    const second = take(createIdSource(), 1000);
    expect(new Set([...first, ...second]).size).toBe(2000);
  });

  it('hold the time of their creation in their first 48 bits', () => {
    vi.useFakeTimers({ now: FIXED_TIME });
    const next = createIdSource();
    expect(timeOf(next())).toBe(FIXED_TIME);
    vi.advanceTimersByTime(5);
    expect(timeOf(next())).toBe(FIXED_TIME + 5);
  });

  it('hold the time of the real clock when timers are not faked', () => {
    const before = Date.now();
    const id = createIdSource()();
    // The bus's clock may serve a reading from earlier in this task, never one from the future.
    expect(timeOf(id)).toBeLessThanOrEqual(Date.now());
    expect(timeOf(id)).toBeGreaterThan(before - 60_000);
  });

  it('keep increasing when the clock goes back', () => {
    vi.useFakeTimers({ now: FIXED_TIME });
    const next = createIdSource();
    const before = take(next, 1000);
    vi.setSystemTime(FIXED_TIME - 10_000);
    const after = take(next, 1000);
    expectIncreasing([...before, ...after]);
    expect(after.map(timeOf)).toEqual(after.map(() => FIXED_TIME));
  });

  it('are valid UUIDv7 without crypto.getRandomValues and crypto.randomUUID', () => {
    vi.stubGlobal('crypto', {});
    const ids = take(createIdSource(), 2000);
    for (const id of ids) expect(id).toMatch(UUID_V7);
    expect(new Set(ids).size).toBe(ids.length);
    expectIncreasing(ids);
  });

  it('are valid UUIDv7 when crypto.getRandomValues throws, as on a locked-down page', () => {
    const getRandomValues = vi.fn(() => {
      throw new Error('The operation is insecure.');
    });
    vi.stubGlobal('crypto', { getRandomValues });
    const ids = take(createIdSource(), 1000);
    expect(getRandomValues).toHaveBeenCalled();
    for (const id of ids) expect(uuid.parse(id)).toMatch(UUID_V7);
    expectIncreasing(ids);
  });

  it('start the counter of each millisecond with its top bit clear, so 2^25 ids fit in it', () => {
    vi.useFakeTimers({ now: FIXED_TIME });
    vi.stubGlobal('crypto', highestCrypto);
    expect(counterOf(createIdSource()())).toBe(2 ** 25 - 1);
  });

  it('keep increasing when the counter runs out within one millisecond', () => {
    vi.useFakeTimers({ now: FIXED_TIME });
    vi.stubGlobal('crypto', highestCrypto);
    // No guard bit: the counter starts at its highest value and runs out at the next id.
    const next = createIdSource({ guardBits: 0 });
    const ids = take(next, 600);
    expect(counterOf(ids[0] ?? '')).toBe(2 ** 26 - 1);
    for (const id of ids) expect(id).toMatch(UUID_V7);
    expectIncreasing(ids);
    // Each overflow moves the ids one millisecond ahead of the clock, which has not moved.
    expect(ids.slice(0, 2).map(timeOf)).toEqual([FIXED_TIME, FIXED_TIME + 1]);
    expect(new Set(ids.map(timeOf)).size).toBeGreaterThan(2);
  });

  it('read no crypto when the module is imported, and fetch random bytes in batches', async () => {
    const getRandomValues = vi.fn(highestCrypto.getRandomValues);
    const randomUUID = vi.fn();
    vi.stubGlobal('crypto', { getRandomValues, randomUUID });
    vi.resetModules();
    const { createEventBus: create } = await import('../src/index.js');
    expect(getRandomValues).not.toHaveBeenCalled();

    vi.useFakeTimers({ now: FIXED_TIME });
    const bus = create<{ 'job.done': { i: number } }>();
    for (let i = 0; i < 20; i++) {
      bus.publish('job.done', { i }).catch(() => {});
      vi.advanceTimersByTime(1);
    }
    await bus.shutdown();
    expect(getRandomValues).toHaveBeenCalledTimes(1);
    expect(randomUUID).not.toHaveBeenCalled();
  });

  it('of a bus are UUIDv7 holding the event timestamp', async () => {
    vi.useFakeTimers({ now: FIXED_TIME });
    const bus = createEventBus<{ 'job.done': { i: number } }>();
    const seen: Event[] = [];
    bus.subscribe('job.done', (event) => void seen.push(event));
    await bus.publish('job.done', { i: 1 });
    await bus.publish('job.done', { i: 2 });
    await bus.shutdown();
    expect(seen).toHaveLength(2);
    for (const event of seen) {
      expect(event.id).toMatch(UUID_V7);
      expect(timeOf(event.id)).toBe(event.timestamp);
    }
  });
});
