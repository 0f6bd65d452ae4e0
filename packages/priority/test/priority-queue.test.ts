import { InvalidOptionError, type Priority } from '@gossip/core';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PriorityQueue } from '../src/index.js';

function drain<T>(queue: PriorityQueue<T>): T[] {
  const out: T[] = [];
  for (let item = queue.dequeue(); item !== undefined; item = queue.dequeue()) out.push(item);
  return out;
}

const LEVELS: Record<string, number> = { high: 10, normal: 5, low: 1 };
const numeric = (priority: Priority): number =>
  typeof priority === 'number' ? priority : (LEVELS[priority] as number);

describe('PriorityQueue', () => {
  it('dequeues high before normal before low', () => {
    const queue = new PriorityQueue<string>();
    queue.enqueue('low', 'low');
    queue.enqueue('normal', 'normal');
    queue.enqueue('high', 'high');
    expect(drain(queue)).toEqual(['high', 'normal', 'low']);
  });

  it('orders custom numeric priorities 100, 50, 1 from highest to lowest', () => {
    const queue = new PriorityQueue<string>();
    queue.enqueue('one', 1);
    queue.enqueue('hundred', 100);
    queue.enqueue('fifty', 50);
    expect(drain(queue)).toEqual(['hundred', 'fifty', 'one']);
  });

  it('places the named levels among numbers as high 10, normal 5, low 1', () => {
    const queue = new PriorityQueue<string>();
    queue.enqueue('eleven', 11);
    queue.enqueue('high', 'high');
    queue.enqueue('six', 6);
    queue.enqueue('normal');
    queue.enqueue('two', 2);
    queue.enqueue('low', 'low');
    queue.enqueue('zero', 0);
    expect(drain(queue)).toEqual(['eleven', 'high', 'six', 'normal', 'two', 'low', 'zero']);
  });

  it('keeps first in, first out within a level (0..9 come out 0..9)', () => {
    const queue = new PriorityQueue<number>();
    for (let i = 0; i < 10; i++) queue.enqueue(i, 'normal');
    expect(drain(queue)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('treats a missing priority as normal', () => {
    const queue = new PriorityQueue<string>();
    queue.enqueue('a');
    queue.enqueue('b', 5);
    queue.enqueue('c', 'normal');
    queue.enqueue('first', 6);
    expect(drain(queue)).toEqual(['first', 'a', 'b', 'c']);
  });

  it('peeks at the next item without removing it, and counts its items', () => {
    const queue = new PriorityQueue<string>();
    expect(queue.peek()).toBeUndefined();
    expect(queue.size).toBe(0);
    queue.enqueue('low', 'low');
    queue.enqueue('high', 'high');
    expect(queue.peek()).toBe('high');
    expect(queue.size).toBe(2);
    expect(queue.dequeue()).toBe('high');
    expect(queue.size).toBe(1);
    expect(queue.peek()).toBe('low');
  });

  it('returns undefined when dequeuing from an empty queue', () => {
    const queue = new PriorityQueue<string>();
    expect(queue.dequeue()).toBeUndefined();
    queue.enqueue('x');
    queue.dequeue();
    expect(queue.dequeue()).toBeUndefined();
    expect(queue.size).toBe(0);
  });

  it('takes 100 concurrent enqueues and gives each back once, by level', async () => {
    const queue = new PriorityQueue<{ id: number; level: 'high' | 'normal' | 'low' }>();
    const levels = ['high', 'normal', 'low'] as const;
    await Promise.all(
      Array.from({ length: 100 }, async (_, id) => {
        await Promise.resolve();
        const level = levels[id % 3] as (typeof levels)[number];
        queue.enqueue({ id, level }, level);
      }),
    );
    expect(queue.size).toBe(100);
    const out = drain(queue);
    expect(new Set(out.map((item) => item.id)).size).toBe(100);
    const ranks = out.map((item) => LEVELS[item.level] as number);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    const highs = out.filter((item) => item.level === 'high').map((item) => item.id);
    expect(highs).toEqual([...highs].sort((a, b) => a - b));
  });

  it('removes the oldest item of the lowest priority with removeLowest', () => {
    const queue = new PriorityQueue<string>();
    queue.enqueue('high', 'high');
    queue.enqueue('low-1', 'low');
    queue.enqueue('normal', 'normal');
    queue.enqueue('low-2', 'low');
    expect(queue.removeLowest()).toBe('low-1');
    expect(queue.removeLowest()).toBe('low-2');
    expect(queue.removeLowest()).toBe('normal');
    expect(queue.size).toBe(1);
    expect(queue.dequeue()).toBe('high');
    expect(queue.removeLowest()).toBeUndefined();
  });

  it('clears itself and returns the items in dequeue order', () => {
    const queue = new PriorityQueue<string>();
    queue.enqueue('low', 'low');
    queue.enqueue('high-1', 'high');
    queue.enqueue('normal', 'normal');
    queue.enqueue('high-2', 'high');
    expect(queue.clear()).toEqual(['high-1', 'high-2', 'normal', 'low']);
    expect(queue.size).toBe(0);
    expect(queue.dequeue()).toBeUndefined();
  });

  it('refuses an unknown level name or a priority that is not a finite number', () => {
    const queue = new PriorityQueue<string>();
    expect(() => queue.enqueue('x', 'urgent' as Priority)).toThrow(InvalidOptionError);
    expect(() => queue.enqueue('x', 'urgent' as Priority)).toThrow(
      /Invalid option "enqueue\(priority\)": expected 'high', 'normal', 'low' or a finite number, received "urgent"/,
    );
    expect(() => queue.enqueue('x', 'constructor' as Priority)).toThrow(InvalidOptionError);
    expect(() => queue.enqueue('x', Number.NaN)).toThrow(InvalidOptionError);
    expect(() => queue.enqueue('x', Number.POSITIVE_INFINITY)).toThrow(InvalidOptionError);
    expect(() => queue.enqueue('x', null as unknown as Priority)).toThrow(InvalidOptionError);
    expect(queue.size).toBe(0);
  });

  it('refuses an aging option that is not false or a positive finite number', () => {
    for (const aging of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, true, '1000']) {
      expect(() => new PriorityQueue({ aging: aging as number })).toThrow(InvalidOptionError);
    }
    expect(() => new PriorityQueue({ aging: 0 })).toThrow(
      'Invalid option "PriorityQueue({ aging })"',
    );
    expect(() => new PriorityQueue(null as unknown as object)).toThrow(
      'Invalid option "PriorityQueue(options)"',
    );
    expect(() => new PriorityQueue({ aging: false })).not.toThrow();
    expect(() => new PriorityQueue({ aging: 0.5 })).not.toThrow();
  });

  it('refuses a misspelt option, suggesting the right one', () => {
    const options = { Aging: 500 } as { aging?: number };
    expect(() => new PriorityQueue(options)).toThrow(InvalidOptionError);
    expect(() => new PriorityQueue(options)).toThrow(
      'Invalid option "PriorityQueue({ Aging })": expected a known option (did you mean "aging"?), received 500.',
    );
  });

  it('matches a reference model over 10,000 random operations (highest level first, FIFO within a level)', () => {
    const priority = fc.oneof(
      fc.constantFrom<Priority>('high', 'normal', 'low'),
      fc.integer({ min: -2, max: 12 }),
    );
    const operation = fc.oneof(
      { weight: 5, arbitrary: priority.map((p) => ({ kind: 'enqueue' as const, priority: p })) },
      { weight: 4, arbitrary: fc.constant({ kind: 'dequeue' as const }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'peek' as const }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'removeLowest' as const }) },
    );
    fc.assert(
      fc.property(fc.array(operation, { minLength: 10_000, maxLength: 10_000 }), (operations) => {
        const queue = new PriorityQueue<number>();
        // The model says the rule directly: one FIFO list per priority, the highest non-empty first.
        const model = new Map<number, number[]>();
        const levels = () => [...model].filter(([, list]) => list.length > 0).map(([p]) => p);
        const head = (p: number) => model.get(p)?.[0];
        const take = (p: number) => model.get(p)?.shift();
        // Outcomes are collected and compared once per run: an expect per operation is too slow.
        const actual: unknown[] = [];
        const expected: unknown[] = [];
        let size = 0;
        let next = 0;
        for (const op of operations) {
          switch (op.kind) {
            case 'enqueue': {
              const p = numeric(op.priority);
              const list = model.get(p) ?? [];
              list.push(next);
              model.set(p, list);
              queue.enqueue(next++, op.priority);
              size++;
              break;
            }
            case 'dequeue':
              actual.push(queue.dequeue());
              expected.push(size === 0 ? undefined : take(Math.max(...levels())));
              break;
            case 'peek':
              actual.push(queue.peek());
              expected.push(size === 0 ? undefined : head(Math.max(...levels())));
              break;
            case 'removeLowest':
              actual.push(queue.removeLowest());
              expected.push(size === 0 ? undefined : take(Math.min(...levels())));
              break;
          }
          if (op.kind === 'dequeue' || op.kind === 'removeLowest') size = Math.max(0, size - 1);
          actual.push(queue.size);
          expected.push(size);
        }
        expect(actual).toEqual(expected);
        const rest = [...model].sort(([a], [b]) => b - a).flatMap(([, list]) => list);
        expect(queue.clear()).toEqual(rest);
      }),
      { numRuns: 10 },
    );
  });

  it('drains 100,000 items of mixed priorities by level, first in, first out within each', () => {
    const queue = new PriorityQueue<number>();
    const priorities: Priority[] = ['low', 'high', 'normal', 7, 'normal', -1, 'high', 100];
    const expected: { id: number; priority: number }[] = [];
    for (let id = 0; id < 100_000; id++) {
      const priority = priorities[(id * 7) % priorities.length] as Priority;
      queue.enqueue(id, priority);
      expected.push({ id, priority: numeric(priority) });
    }
    expect(queue.size).toBe(100_000);
    // Array.prototype.sort is stable: equal priorities keep their order of arrival.
    expected.sort((a, b) => b.priority - a.priority);
    expect(drain(queue)).toEqual(expected.map((entry) => entry.id));
    expect(queue.size).toBe(0);
  });

  it('keeps its order while 100,000 items pass through a queue that stays 50,000 long', () => {
    const queue = new PriorityQueue<number>();
    const out: number[] = [];
    for (let id = 0; id < 50_000; id++) queue.enqueue(id, 'low');
    for (let id = 50_000; id < 150_000; id++) {
      queue.enqueue(id, 'low');
      out.push(queue.dequeue() as number);
    }
    expect(out).toEqual(Array.from({ length: 100_000 }, (_, i) => i));
    expect(queue.size).toBe(50_000);
    expect(queue.peek()).toBe(100_000);
  });

  describe('with aging', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('promotes a starved low item above high items published long after it', () => {
      vi.useFakeTimers();
      const queue = new PriorityQueue<string>({ aging: 1000 });
      queue.enqueue('old-low', 'low');
      vi.advanceTimersByTime(10_000);
      queue.enqueue('new-high', 'high');
      expect(queue.dequeue()).toBe('old-low');
      expect(queue.dequeue()).toBe('new-high');
    });

    it('does not promote a low item that has not waited long enough', () => {
      vi.useFakeTimers();
      const queue = new PriorityQueue<string>({ aging: 1000 });
      queue.enqueue('low', 'low');
      vi.advanceTimersByTime(3999);
      queue.enqueue('normal', 'normal');
      expect(queue.dequeue()).toBe('normal');
      expect(queue.dequeue()).toBe('low');
    });

    it('puts a low item that has waited exactly 4 intervals before a normal item enqueued now', () => {
      vi.useFakeTimers();
      const queue = new PriorityQueue<string>({ aging: 1000 });
      queue.enqueue('low', 'low');
      vi.advanceTimersByTime(4000);
      queue.enqueue('normal', 'normal');
      // Equal ranks (1 + 4000/1000 = 5): the earlier item goes first.
      expect(queue.dequeue()).toBe('low');
    });

    it('without aging, keeps a low item behind every high item, however long it waits', () => {
      vi.useFakeTimers();
      const queue = new PriorityQueue<string>();
      queue.enqueue('old-low', 'low');
      vi.advanceTimersByTime(1_000_000);
      queue.enqueue('new-high', 'high');
      expect(drain(queue)).toEqual(['new-high', 'old-low']);
    });

    it('lets a low item through under a steady stream of normal items', () => {
      vi.useFakeTimers();
      const queue = new PriorityQueue<string>({ aging: 100 });
      queue.enqueue('starving', 'low');
      let served = 0;
      // Each 10 ms a normal item arrives and one item is served: without aging the low item waits forever.
      for (; served < 1000; served++) {
        queue.enqueue(`normal-${served}`, 'normal');
        vi.advanceTimersByTime(10);
        if (queue.dequeue() === 'starving') break;
      }
      expect(served).toBeLessThan(1000);
      // It waits about 4 points x 100 ms = 400 ms: about 40 turns.
      expect(served).toBeGreaterThanOrEqual(35);
      expect(served).toBeLessThanOrEqual(45);
    });

    it('keeps first in, first out within a level while items age', () => {
      vi.useFakeTimers();
      const queue = new PriorityQueue<number>({ aging: 10 });
      for (let i = 0; i < 10; i++) {
        queue.enqueue(i, 'normal');
        vi.advanceTimersByTime(3);
      }
      expect(drain(queue)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });

    it('gives up the least urgent by aged rank with removeLowest: a fresh high item before a low one aged above it', () => {
      vi.useFakeTimers();
      const queue = new PriorityQueue<string>({ aging: 1000 });
      queue.enqueue('old-low', 'low');
      vi.advanceTimersByTime(10_000);
      // old-low ranks 1 + 10 = 11 now, above a fresh high item (10).
      queue.enqueue('new-high', 'high');
      expect(queue.removeLowest()).toBe('new-high');
      expect(queue.removeLowest()).toBe('old-low');
    });

    it('gives up the oldest of a level with removeLowest, though it has aged more than the others', () => {
      vi.useFakeTimers();
      const queue = new PriorityQueue<string>({ aging: 1000 });
      queue.enqueue('low-1', 'low');
      vi.advanceTimersByTime(500);
      queue.enqueue('low-2', 'low');
      queue.enqueue('normal', 'normal');
      expect(queue.removeLowest()).toBe('low-1');
      expect(queue.removeLowest()).toBe('low-2');
    });

    it('matches the documented rules for dequeue and removeLowest (rank = priority + waited / aging) over random operations', () => {
      vi.useFakeTimers();
      const operation = fc.oneof(
        {
          weight: 4,
          arbitrary: fc
            .integer({ min: 0, max: 12 })
            .map((priority) => ({ kind: 'enqueue' as const, priority })),
        },
        { weight: 3, arbitrary: fc.constant({ kind: 'dequeue' as const }) },
        { weight: 1, arbitrary: fc.constant({ kind: 'removeLowest' as const }) },
        {
          weight: 3,
          arbitrary: fc.integer({ min: 0, max: 300 }).map((ms) => ({ kind: 'wait' as const, ms })),
        },
      );
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 200 }),
          fc.array(operation, { maxLength: 1000, size: 'max' }),
          (aging, operations) => {
            const queue = new PriorityQueue<number>({ aging });
            const model: { id: number; priority: number; at: number }[] = [];
            const actual: unknown[] = [];
            const expected: unknown[] = [];
            let next = 0;
            for (const op of operations) {
              if (op.kind === 'wait') {
                vi.advanceTimersByTime(op.ms);
              } else if (op.kind === 'enqueue') {
                model.push({ id: next, priority: op.priority, at: performance.now() });
                queue.enqueue(next++, op.priority);
              } else if (op.kind === 'removeLowest') {
                // The oldest of each priority is a candidate; the one of lowest rank goes,
                // the earliest on a tie.
                const now = performance.now();
                let worst = -1;
                let worstRank = Number.POSITIVE_INFINITY;
                model.forEach((entry, i) => {
                  const oldest =
                    model.findIndex((other) => other.priority === entry.priority) === i;
                  const rank = entry.priority * aging + (now - entry.at);
                  if (oldest && rank < worstRank) {
                    worstRank = rank;
                    worst = i;
                  }
                });
                actual.push(queue.removeLowest());
                expected.push(worst === -1 ? undefined : model.splice(worst, 1)[0]?.id);
              } else {
                // Scaled by aging so the comparison is exact: priority * aging + waited.
                const now = performance.now();
                let best = -1;
                let bestRank = Number.NEGATIVE_INFINITY;
                model.forEach((entry, i) => {
                  const rank = entry.priority * aging + (now - entry.at);
                  if (rank > bestRank) {
                    bestRank = rank;
                    best = i;
                  }
                });
                actual.push(queue.dequeue());
                expected.push(best === -1 ? undefined : model.splice(best, 1)[0]?.id);
              }
            }
            expect(actual).toEqual(expected);
            expect(queue.size).toBe(model.length);
          },
        ),
        { numRuns: 50 },
      );
    });
  });
});
