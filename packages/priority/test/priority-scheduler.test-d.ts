import { createEventBus, type SchedulerFactory } from '@gossip/core';
import { describe, expectTypeOf, it } from 'vitest';
import { PriorityQueue, priorityScheduler } from '../src/index.js';

describe('priorityScheduler', () => {
  it('returns a core SchedulerFactory that createEventBus takes', () => {
    expectTypeOf(priorityScheduler()).toEqualTypeOf<SchedulerFactory>();
    createEventBus<{ 'job.run': undefined }>({ scheduler: priorityScheduler({ aging: 500 }) });
    createEventBus<{ 'job.run': undefined }>({ scheduler: priorityScheduler({ aging: false }) });
  });

  it('refuses an aging option of the wrong type', () => {
    // @ts-expect-error aging is a number of milliseconds or false
    priorityScheduler({ aging: true });
    // @ts-expect-error aging is a number of milliseconds or false
    priorityScheduler({ aging: '1s' });
  });
});

describe('PriorityQueue', () => {
  it('gives back the type it holds, or undefined when empty', () => {
    const queue = new PriorityQueue<{ id: string }>();
    expectTypeOf(queue.dequeue()).toEqualTypeOf<{ id: string } | undefined>();
    expectTypeOf(queue.peek()).toEqualTypeOf<{ id: string } | undefined>();
    expectTypeOf(queue.removeLowest()).toEqualTypeOf<{ id: string } | undefined>();
    expectTypeOf(queue.clear()).toEqualTypeOf<{ id: string }[]>();
    expectTypeOf(queue.size).toEqualTypeOf<number>();
  });

  it('takes the level names and numbers as priorities, and refuses other names', () => {
    const queue = new PriorityQueue<string>();
    queue.enqueue('a', 'high');
    queue.enqueue('b', 'normal');
    queue.enqueue('c', 'low');
    queue.enqueue('d', 42);
    queue.enqueue('e');
    // @ts-expect-error 'urgent' is not a level
    queue.enqueue('f', 'urgent');
    // @ts-expect-error the queue holds strings
    queue.enqueue(1, 'high');
  });
});
