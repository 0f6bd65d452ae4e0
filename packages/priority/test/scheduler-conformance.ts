import type { ScheduledEvent, Scheduler, SchedulerFactory } from '@gossip/core';
import { describe, expect, it } from 'vitest';

/**
 * What a scheduler under test does beyond the contract every scheduler keeps. A case that
 * depends on a capability runs only for the schedulers that declare it.
 */
export interface SchedulerCapabilities {
  /**
   * True if the scheduler orders by priority: a higher priority is shifted first and the
   * lowest is dropped first. False if it ignores priorities (first in, first out).
   */
  readonly ordersByPriority: boolean;
}

/** A queued item as the bus would push it: the sequence grows with each push. */
export function scheduled(sequence: number, priority = 5): ScheduledEvent {
  const event = {
    id: `e${sequence}`,
    type: 'job.run',
    timestamp: 0,
    data: sequence,
    metadata: {},
  };
  return { event, priority, sequence };
}

function sequences(items: readonly ScheduledEvent[]): number[] {
  return items.map((item) => item.sequence);
}

function shiftAll(scheduler: Scheduler): number[] {
  const out: number[] = [];
  for (let item = scheduler.shift(); item !== undefined; item = scheduler.shift()) {
    out.push(item.sequence);
  }
  return out;
}

/**
 * The contract of core's `Scheduler` seam, run against one implementation: `size`, `push` and
 * `shift` in order, `dropOldest` taking exactly one item, `clear` giving everything back in
 * dispatch order, and what each does on an empty scheduler. Every scheduler the bus can take
 * runs it, so that they stay interchangeable.
 *
 * @param name - the scheduler's name, for the test titles
 * @param factory - makes the scheduler, as `createEventBus({ scheduler })` would
 * @param capabilities - what the scheduler does beyond the common contract
 */
export function describeSchedulerConformance(
  name: string,
  factory: SchedulerFactory,
  capabilities: SchedulerCapabilities,
): void {
  const make = (): Scheduler => factory<ScheduledEvent>();
  const filled = (count: number, priorityOf: (sequence: number) => number = () => 5) => {
    const scheduler = make();
    for (let sequence = 1; sequence <= count; sequence++) {
      scheduler.push(scheduled(sequence, priorityOf(sequence)));
    }
    return scheduler;
  };
  /** A scheduler holding one item per priority given, numbered from 1 in that order. */
  const withPriorities = (priorities: readonly number[]) =>
    filled(priorities.length, (sequence) => priorities[sequence - 1] ?? 5);

  describe(`${name} (scheduler conformance)`, () => {
    it('starts empty: size 0, and shift, dropOldest and clear find nothing', () => {
      const scheduler = make();
      expect(scheduler.size).toBe(0);
      expect(scheduler.shift()).toBeUndefined();
      expect(scheduler.dropOldest()).toBeUndefined();
      expect(scheduler.clear()).toEqual([]);
      expect(scheduler.size).toBe(0);
    });

    it('counts each push and each item taken out', () => {
      const scheduler = filled(3);
      expect(scheduler.size).toBe(3);
      scheduler.shift();
      expect(scheduler.size).toBe(2);
      scheduler.dropOldest();
      expect(scheduler.size).toBe(1);
      scheduler.push(scheduled(4));
      expect(scheduler.size).toBe(2);
    });

    it('shifts items of equal priority first in, first out', () => {
      expect(shiftAll(filled(10))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });

    it('returns the very item pushed, not a copy', () => {
      const scheduler = make();
      const item = scheduled(1);
      scheduler.push(item);
      expect(scheduler.shift()).toBe(item);
    });

    it('keeps first in, first out while pushes and shifts interleave over many items', () => {
      const scheduler = make();
      const out: number[] = [];
      let next = 1;
      // Grows to a few hundred items, then shrinks: crosses any internal block or wrap point.
      for (let round = 0; round < 2000; round++) {
        scheduler.push(scheduled(next++));
        if (round % 3 === 0) scheduler.push(scheduled(next++));
        const item = round % 2 === 0 ? scheduler.shift() : undefined;
        if (item !== undefined) out.push(item.sequence);
      }
      out.push(...shiftAll(scheduler));
      expect(out).toEqual(Array.from({ length: next - 1 }, (_, i) => i + 1));
      expect(scheduler.size).toBe(0);
    });

    it('drops exactly one item with dropOldest, the oldest among equal priorities', () => {
      const scheduler = filled(4);
      expect(scheduler.dropOldest()?.sequence).toBe(1);
      expect(scheduler.size).toBe(3);
      expect(shiftAll(scheduler)).toEqual([2, 3, 4]);
    });

    it('never gives back a dropped item again', () => {
      const scheduler = filled(6, (sequence) => [1, 10, 5][sequence % 3] ?? 5);
      const dropped = scheduler.dropOldest();
      expect(dropped).toBeDefined();
      const rest = scheduler.clear();
      expect(rest).toHaveLength(5);
      expect(rest).not.toContain(dropped);
    });

    it('clears itself and returns every item in the order shift would have', () => {
      const priorityOf = (sequence: number) => [1, 10, 5, 7][sequence % 4] ?? 5;
      const shifted = shiftAll(filled(12, priorityOf));
      const cleared = filled(12, priorityOf);
      expect(sequences(cleared.clear())).toEqual(shifted);
      expect(cleared.size).toBe(0);
      expect(cleared.shift()).toBeUndefined();
      expect(cleared.clear()).toEqual([]);
    });

    it('works as new after clear', () => {
      const scheduler = filled(3);
      scheduler.clear();
      scheduler.push(scheduled(4));
      scheduler.push(scheduled(5));
      expect(scheduler.size).toBe(2);
      expect(shiftAll(scheduler)).toEqual([4, 5]);
    });

    it('gives each call of the factory its own queue', () => {
      const a = make();
      const b = make();
      a.push(scheduled(1));
      expect(a.size).toBe(1);
      expect(b.size).toBe(0);
      expect(b.shift()).toBeUndefined();
    });

    if (capabilities.ordersByPriority) {
      it('shifts the highest priority first, first in, first out within a priority', () => {
        const scheduler = withPriorities([1, 10, 5, 10, 1, 5]);
        expect(shiftAll(scheduler)).toEqual([2, 4, 3, 6, 1, 5]);
      });

      it('drops the oldest item of the lowest priority', () => {
        const scheduler = withPriorities([10, 5, 1, 5, 1]);
        expect(scheduler.dropOldest()?.sequence).toBe(3);
        expect(scheduler.dropOldest()?.sequence).toBe(5);
        expect(scheduler.dropOldest()?.sequence).toBe(2);
        expect(shiftAll(scheduler)).toEqual([1, 4]);
      });
    } else {
      it('ignores priorities: shifts and drops in the order of pushes', () => {
        const scheduler = filled(5, (sequence) => (sequence % 2 === 0 ? 10 : 1));
        expect(scheduler.dropOldest()?.sequence).toBe(1);
        expect(shiftAll(scheduler)).toEqual([2, 3, 4, 5]);
      });
    }
  });
}
