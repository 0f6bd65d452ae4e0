import { createEventBus, type EventBus } from '@gossip/core';
import { describe, expect, it } from 'vitest';
import { priorityScheduler } from '../src/index.js';

type Events = { 'job.blocker': undefined; 'order.updated': { orderId: string; step: string } };

/** A promise and the function that resolves it. */
function gate(): { readonly opened: Promise<void>; readonly open: () => void } {
  let open = (): void => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/**
 * A bus with the priority scheduler and a subscription keyed by order id, whose handler records
 * each start and waits for `release`.
 */
function keyedBus(workers: number) {
  const bus: EventBus<Events> = createEventBus<Events>({
    workers,
    scheduler: priorityScheduler(),
  });
  const started: string[] = [];
  const release = gate();
  bus.subscribe(
    'order.updated',
    async (event) => {
      started.push(`${event.data.orderId}:${event.data.step}`);
      await release.opened;
    },
    { orderingKey: (event) => event.data.orderId },
  );
  return { bus, started, release: release.open };
}

describe('priorityScheduler with ordering keys', () => {
  it('lets a high event wait for the running event of its key, whatever its priority, while other keys go ahead', async () => {
    const { bus, started, release } = keyedBus(2);
    await bus.publish('order.updated', { orderId: 'A', step: 'placed' }, { priority: 'low' });
    await Promise.resolve();
    expect(started).toEqual(['A:placed']);
    // A is busy: its high event is taken from the buffer and parked behind A:placed, and the
    // free worker goes to B, of lower priority.
    await bus.publish('order.updated', { orderId: 'A', step: 'cancelled' }, { priority: 'high' });
    await bus.publish('order.updated', { orderId: 'B', step: 'placed' }, { priority: 'normal' });
    await Promise.resolve();
    expect(started).toEqual(['A:placed', 'B:placed']);
    release();
    await bus.shutdown();
    expect(started).toEqual(['A:placed', 'B:placed', 'A:cancelled']);
  });

  it('with one worker, dispatches events of one key still waiting in the buffer by priority', async () => {
    const { bus, started, release } = keyedBus(1);
    const blocker = gate();
    bus.subscribe('job.blocker', () => blocker.opened);
    await bus.publish('job.blocker');
    // Neither event of A has left the buffer when the worker frees: priority decides which
    // goes first, and the key then keeps the other waiting until it is done.
    await bus.publish('order.updated', { orderId: 'A', step: 'placed' }, { priority: 'low' });
    await bus.publish('order.updated', { orderId: 'A', step: 'paid' }, { priority: 'high' });
    blocker.open();
    release();
    await bus.shutdown();
    expect(started).toEqual(['A:paid', 'A:placed']);
  });

  it('keeps publish order within a key when its events share a priority', async () => {
    const { bus, started, release } = keyedBus(1);
    const blocker = gate();
    bus.subscribe('job.blocker', () => blocker.opened);
    await bus.publish('job.blocker');
    await bus.publish('order.updated', { orderId: 'A', step: 'placed' }, { priority: 'high' });
    await bus.publish('order.updated', { orderId: 'B', step: 'placed' }, { priority: 'low' });
    await bus.publish('order.updated', { orderId: 'A', step: 'paid' }, { priority: 'high' });
    blocker.open();
    release();
    await bus.shutdown();
    expect(started).toEqual(['A:placed', 'A:paid', 'B:placed']);
  });
});
