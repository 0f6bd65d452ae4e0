import {
  BufferFullError,
  createEventBus,
  defineEvents,
  type Event,
  type HandlerError,
  InvalidOptionError,
} from '@gossip/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  BatchClosedError,
  BatchError,
  BatchProcessor,
  createBatchProcessor,
} from '../src/index.js';
import { deferred, settle } from './fixtures.js';

const events = defineEvents({
  'order.created': z.object({ orderId: z.string(), amount: z.number() }),
  'order.paid': z.object({ orderId: z.string() }),
  'user.created': z.object({ email: z.string() }),
  'order.dead': z.object({ orderIds: z.array(z.string()), reason: z.string() }),
});

describe('createBatchProcessor', () => {
  it.each([
    ['no onError', {}],
    // As a project without exactOptionalPropertyTypes may write it.
    ['onError: undefined', { onError: undefined } as object],
  ])('reports a failed batch through the bus with %s', async (_, own) => {
    const reported: unknown[] = [];
    const bus = createEventBus({ schemas: events, onError: (error) => reported.push(error) });
    const lifecycle: unknown[] = [];
    bus.lifecycle.on('error', (error) => lifecycle.push(error));
    const processor = createBatchProcessor(
      bus,
      'order.created',
      { batchSize: 10, flushInterval: Number.POSITIVE_INFINITY, ...own },
      () => {
        throw new Error('db down');
      },
    );
    await bus.publish('order.created', { orderId: 'o1', amount: 1 });
    await bus.shutdown();
    const report = await processor.flush();
    expect(report.failed).toHaveLength(1);
    expect(reported).toHaveLength(1);
    expect(reported[0]).toBeInstanceOf(BatchError);
    expect((reported[0] as BatchError).events.map((event) => event.data)).toEqual([
      { orderId: 'o1', amount: 1 },
    ]);
    expect(lifecycle).toEqual(reported);
  });

  it('subscribes to the bus and batches the published events, typed by the pattern', async () => {
    const bus = createEventBus({ schemas: events });
    const batches: string[][] = [];
    const processor = createBatchProcessor(bus, 'order.created', { batchSize: 2 }, (batch) => {
      batches.push(batch.map((event) => `${event.data.orderId}:${event.data.amount}`));
    });
    await bus.publish('order.created', { orderId: 'a', amount: 1 });
    await bus.publish('user.created', { email: 'x@example.com' });
    await bus.publish('order.created', { orderId: 'b', amount: 2 });
    await bus.publish('order.created', { orderId: 'c', amount: 3 });
    await bus.shutdown();
    await processor.shutdown();
    expect(batches).toEqual([['a:1', 'b:2'], ['c:3']]);
  });

  it('batches every event a wildcard pattern matches, in publish order', async () => {
    const bus = createEventBus({ schemas: events, workers: 4 });
    const seen: string[] = [];
    const processor = createBatchProcessor(bus, 'order.*', { batchSize: 3 }, (batch) => {
      for (const event of batch) {
        seen.push(event.type === 'order.created' ? `created ${event.data.amount}` : event.type);
      }
    });
    await bus.publish('order.created', { orderId: 'a', amount: 1 });
    await bus.publish('order.paid', { orderId: 'a' });
    await bus.publish('order.created', { orderId: 'b', amount: 2 });
    await bus.shutdown();
    await processor.shutdown();
    expect(seen).toEqual(['created 1', 'order.paid', 'created 2']);
  });

  it('runs two processors of sizes 5 and 3 on one bus, each with every event', async () => {
    const bus = createEventBus({ schemas: events });
    const fives: number[] = [];
    const threes: number[] = [];
    const five = createBatchProcessor(bus, 'order.created', { batchSize: 5 }, (batch) => {
      fives.push(batch.length);
    });
    const three = createBatchProcessor(bus, 'order.created', { batchSize: 3 }, (batch) => {
      threes.push(batch.length);
    });
    for (let i = 0; i < 10; i++) await bus.publish('order.created', { orderId: `${i}`, amount: i });
    await bus.shutdown();
    await Promise.all([five.shutdown(), three.shutdown()]);
    expect(fives).toEqual([5, 5]);
    expect(threes).toEqual([3, 3, 3, 1]);
  });

  it('receives all of 50 concurrent publishes, each exactly once', async () => {
    const bus = createEventBus({ schemas: events, workers: 10 });
    const ids: string[] = [];
    const processor = createBatchProcessor(bus, 'order.created', { batchSize: 8 }, (batch) => {
      ids.push(...batch.map((event) => event.data.orderId));
    });
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        bus.publish('order.created', { orderId: `o${i}`, amount: i }),
      ),
    );
    await bus.shutdown();
    await processor.shutdown();
    expect(ids).toHaveLength(50);
    expect(new Set(ids).size).toBe(50);
  });

  it('fills a batch with fewer bus workers than batchSize, since the handler returns at once', async () => {
    const bus = createEventBus({ schemas: events, workers: 1 });
    const sizes: number[] = [];
    const processor = createBatchProcessor(
      bus,
      'order.created',
      { batchSize: 10, flushInterval: Number.POSITIVE_INFINITY },
      (batch) => {
        sizes.push(batch.length);
      },
    );
    for (let i = 0; i < 10; i++) await bus.publish('order.created', { orderId: `${i}`, amount: i });
    await settle();
    expect(sizes).toEqual([10]);
    await bus.shutdown();
    await processor.shutdown();
  });

  it('passes subscribe options on: a filtered-out event never reaches a batch', async () => {
    const bus = createEventBus({ schemas: events });
    const amounts: number[] = [];
    const processor = createBatchProcessor(
      bus,
      'order.created',
      { subscribe: { name: 'big-orders', filter: (event) => event.data.amount >= 100 } },
      (batch) => {
        amounts.push(...batch.map((event) => event.data.amount));
      },
    );
    for (const amount of [50, 150, 99, 300]) {
      await bus.publish('order.created', { orderId: `${amount}`, amount });
    }
    await bus.shutdown();
    await processor.shutdown();
    expect(amounts).toEqual([150, 300]);
  });

  it('applies backpressure up to the bus: a full processor fills the buffer, and overflow reject refuses', async () => {
    const bus = createEventBus({ schemas: events, workers: 1, bufferSize: 1, overflow: 'reject' });
    const gate = deferred();
    const processor = createBatchProcessor(
      bus,
      'order.created',
      { batchSize: 1, maxPending: 1 },
      () => gate.promise,
    );
    const publish = (i: number) => bus.publish('order.created', { orderId: `${i}`, amount: i });
    await publish(1); // in a batch, which is stuck
    await publish(2);
    await settle(); // its handler call waits for room, holding the only worker
    expect(processor.waiting).toBe(1);
    await publish(3); // waits in the bus's buffer
    await expect(publish(4)).rejects.toThrow(BufferFullError);
    gate.resolve();
    await bus.shutdown();
    const report = await processor.shutdown();
    expect(report.failed).toEqual([]);
    expect(bus.stats().delivered).toBe(3);
  });

  it('sends the events of a failed batch to a dead-letter event on the same bus', async () => {
    const bus = createEventBus({ schemas: events, workers: 1, bufferSize: 1 });
    const dead: Array<{ orderIds: string[]; reason: string }> = [];
    bus.subscribe('order.dead', (event) => {
      dead.push(event.data);
    });
    const processor = createBatchProcessor(
      bus,
      'order.created',
      {
        batchSize: 2,
        maxPending: 2,
        onError: (error) =>
          bus.publish('order.dead', {
            orderIds: error.events.map((event) => event.data.orderId),
            reason: error.message,
          }),
      },
      () => {
        throw new Error('warehouse API down');
      },
    );
    for (let i = 1; i <= 6; i++)
      await bus.publish('order.created', { orderId: `o${i}`, amount: i });
    await processor.flush();
    await bus.shutdown();
    await processor.shutdown();
    expect(dead.map((entry) => entry.orderIds)).toEqual([
      ['o1', 'o2'],
      ['o3', 'o4'],
      ['o5', 'o6'],
    ]);
    expect(dead[0]?.reason).toContain('warehouse API down');
  });

  it('lets the bus report events that reach a shut processor as failed handler calls', async () => {
    const failures: HandlerError[] = [];
    const bus = createEventBus({
      schemas: events,
      onError: (error) => void failures.push(error as HandlerError),
    });
    const processor = createBatchProcessor(bus, 'order.created', {}, () => {});
    await processor.shutdown();
    await bus.publish('order.created', { orderId: 'late', amount: 1 });
    await bus.shutdown();
    expect(failures).toHaveLength(1);
    expect(failures[0]?.cause).toBeInstanceOf(BatchClosedError);
    expect(bus.stats().failed).toBe(1);
  });

  it('refuses bad options at once', () => {
    const bus = createEventBus({ schemas: events });
    expect(() => createBatchProcessor(bus, 'order.created', { batchSize: 0 }, () => {})).toThrow(
      InvalidOptionError,
    );
    expect(() =>
      createBatchProcessor(bus, 'order.created', { flushInterval: -1 }, () => {}),
    ).toThrow('Invalid option "createBatchProcessor({ flushInterval })"');
    expect(() =>
      createBatchProcessor(bus, 'order.created', { retry: { attempts: 0 } }, () => {}),
    ).toThrow('Invalid option "createBatchProcessor({ retry.attempts })"');
    expect(() =>
      createBatchProcessor(bus, 'order.created', {}, 'x' as unknown as () => void),
    ).toThrow('Invalid option "createBatchProcessor(handler)"');
    expect(() =>
      createBatchProcessor(bus, 'order.created', null as unknown as object, () => {}),
    ).toThrow('Invalid option "createBatchProcessor(options)"');
    expect(bus.listenerCount()).toBe(0);
  });

  it('refuses a misspelt option at once, suggesting the right one', () => {
    const bus = createEventBus({ schemas: events });
    const make = (options: object) =>
      createBatchProcessor(bus, 'order.created', options as { batchSize?: number }, () => {});
    expect(() => make({ flushIntreval: 10 })).toThrow(InvalidOptionError);
    expect(() => make({ flushIntreval: 10 })).toThrow(
      'Invalid option "createBatchProcessor({ flushIntreval })": expected a known option (did you mean "flushInterval"?), received 10.',
    );
    expect(() => make({ subscribes: {} })).toThrow('(did you mean "subscribe"?)');
    expect(() => make({ retry: { attempts: 2, backof: 'fixed' } })).toThrow(
      'Invalid option "createBatchProcessor({ retry.backof })": expected a known option (did you mean "retry.backoff"?), received "fixed".',
    );
    expect(bus.listenerCount()).toBe(0);
  });

  it('works as a plain handler in subscribe with the class', async () => {
    const bus = createEventBus({ schemas: events });
    const totals: number[] = [];
    const processor = new BatchProcessor(
      'order.created',
      { batchSize: 2 },
      (batch: Event<'order.created', { orderId: string; amount: number }>[]) => {
        totals.push(batch.reduce((sum, event) => sum + event.data.amount, 0));
      },
    );
    bus.subscribe('order.created', processor.asHandler());
    for (const amount of [1, 2, 3]) await bus.publish('order.created', { orderId: 'x', amount });
    await bus.shutdown();
    await processor.shutdown();
    expect(totals).toEqual([3, 3]);
  });
});
