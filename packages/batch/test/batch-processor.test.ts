import { InvalidOptionError, TimeoutError } from '@gossip/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BatchClosedError, BatchError, type BatchOptions, BatchProcessor } from '../src/index.js';
import {
  deferred,
  nextTick,
  numbers,
  type OrderCreated,
  order,
  settle,
  watchWarnings,
} from './fixtures.js';

/** A processor that records the payload numbers of each batch it handles. */
function recording(options: BatchOptions<OrderCreated> = {}) {
  const batches: number[][] = [];
  const processor = new BatchProcessor<OrderCreated>(
    'order.created',
    { flushInterval: Number.POSITIVE_INFINITY, ...options },
    (events) => {
      batches.push(numbers(events));
    },
  );
  return { processor, batches, handle: processor.asHandler() };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('BatchProcessor', () => {
  it('refuses a shutdown timeout longer than a timer can wait', async () => {
    const processor = new BatchProcessor<OrderCreated>('order.created', {}, () => {});
    await expect(processor.shutdown({ timeout: 2 ** 31 })).rejects.toThrow(InvalidOptionError);
    await processor.shutdown({ timeout: Number.POSITIVE_INFINITY });
  });

  describe('forming batches', () => {
    it('hands over batches of 3 and 3 from 7 events, and the remainder on flush', async () => {
      const { processor, batches, handle } = recording({ batchSize: 3 });
      for (let n = 1; n <= 7; n++) handle(order(n));
      await settle();
      expect(batches).toEqual([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      await processor.flush();
      expect(batches).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    });

    it('hands over a partial batch when flushInterval has passed (5 events, fake timers)', async () => {
      vi.useFakeTimers();
      const { batches, handle } = recording({ batchSize: 100, flushInterval: 100 });
      for (let n = 1; n <= 5; n++) handle(order(n));
      await vi.advanceTimersByTimeAsync(99);
      expect(batches).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(batches).toEqual([[1, 2, 3, 4, 5]]);
    });

    it('counts flushInterval from the first event of the batch, not the last', async () => {
      vi.useFakeTimers();
      const { batches, handle } = recording({ batchSize: 100, flushInterval: 100 });
      handle(order(1));
      await vi.advanceTimersByTimeAsync(60);
      handle(order(2));
      await vi.advanceTimersByTimeAsync(40);
      expect(batches).toEqual([[1, 2]]);
      handle(order(3));
      await vi.advanceTimersByTimeAsync(99);
      expect(batches).toEqual([[1, 2]]);
      await vi.advanceTimersByTimeAsync(1);
      expect(batches).toEqual([[1, 2], [3]]);
    });

    it('restarts the interval for the next batch when a batch fills by size', async () => {
      vi.useFakeTimers();
      const { batches, handle } = recording({ batchSize: 2, flushInterval: 100 });
      handle(order(1));
      await vi.advanceTimersByTimeAsync(90);
      handle(order(2));
      handle(order(3));
      await vi.advanceTimersByTimeAsync(20);
      expect(batches).toEqual([[1, 2]]);
      await vi.advanceTimersByTimeAsync(80);
      expect(batches).toEqual([[1, 2], [3]]);
    });

    it('with flushInterval Infinity, hands over only on size, flush() or shutdown()', async () => {
      vi.useFakeTimers();
      const { processor, batches, handle } = recording({ batchSize: 10 });
      handle(order(1));
      await vi.advanceTimersByTimeAsync(1_000_000);
      expect(batches).toEqual([]);
      await processor.shutdown();
      expect(batches).toEqual([[1]]);
    });

    it('keeps the order the events arrived in inside a batch', async () => {
      const { processor, batches, handle } = recording({ batchSize: 1000 });
      const sent = Array.from({ length: 200 }, (_, i) => (i * 7919) % 1000);
      for (const n of sent) handle(order(n));
      await processor.flush();
      expect(batches).toEqual([sent]);
    });

    it('takes 50 concurrent adds and hands over each event exactly once', async () => {
      const { processor, batches, handle } = recording({ batchSize: 7 });
      await Promise.all(
        Array.from({ length: 50 }, async (_, n) => {
          await Promise.resolve();
          await handle(order(n));
        }),
      );
      await processor.shutdown();
      const all = batches.flat();
      expect(all).toHaveLength(50);
      expect(new Set(all).size).toBe(50);
      expect(batches.slice(0, -1).every((batch) => batch.length === 7)).toBe(true);
    });

    it('gives each attempt its own copy of the events', async () => {
      const seen: number[][] = [];
      let calls = 0;
      const errors: BatchError<OrderCreated>[] = [];
      const processor = new BatchProcessor<OrderCreated>(
        'order.created',
        {
          batchSize: 2,
          retry: { attempts: 2, delay: 0 },
          onError: (error) => void errors.push(error),
        },
        (events) => {
          seen.push(numbers(events));
          events.length = 0;
          if (++calls === 1) throw new Error('first try fails');
        },
      );
      processor.asHandler()(order(1));
      processor.asHandler()(order(2));
      await processor.flush();
      expect(seen).toEqual([
        [1, 2],
        [1, 2],
      ]);
      expect(errors).toEqual([]);
    });
  });

  describe('flush', () => {
    it('resolves once the flushed batch has been handled', async () => {
      const gate = deferred();
      let handled = false;
      const processor = new BatchProcessor<OrderCreated>('order.created', {}, async () => {
        await gate.promise;
        handled = true;
      });
      processor.asHandler()(order(1));
      let flushed = false;
      const flushing = processor.flush().then(() => {
        flushed = true;
      });
      await settle();
      expect(flushed).toBe(false);
      gate.resolve();
      await flushing;
      expect(handled).toBe(true);
    });

    it('does not call the handler when nothing was gathered', async () => {
      const handler = vi.fn();
      const processor = new BatchProcessor<OrderCreated>('order.created', {}, handler);
      const report = await processor.flush();
      expect(handler).not.toHaveBeenCalled();
      expect(report).toEqual({ batches: 0, events: 0, failed: [] });
    });

    it('waits for earlier batches still running, and reports what it waited for', async () => {
      const gate = deferred();
      const batches: number[][] = [];
      const processor = new BatchProcessor<OrderCreated>(
        'order.created',
        { batchSize: 2 },
        async (events) => {
          await gate.promise;
          batches.push(numbers(events));
        },
      );
      const handle = processor.asHandler();
      for (let n = 1; n <= 3; n++) handle(order(n));
      const flushing = processor.flush();
      await settle();
      gate.resolve();
      const report = await flushing;
      expect(batches).toEqual([[1, 2], [3]]);
      expect(report).toEqual({ batches: 2, events: 3, failed: [] });
    });
  });

  describe('concurrency', () => {
    it('never runs two batches at once with the default maxConcurrency of 1', async () => {
      vi.useFakeTimers();
      let running = 0;
      let most = 0;
      const order_: number[] = [];
      const processor = new BatchProcessor<OrderCreated>(
        'order.created',
        { batchSize: 2, maxPending: 100 },
        async (events) => {
          running++;
          most = Math.max(most, running);
          await new Promise((resolve) => setTimeout(resolve, 50 - events.length * 10));
          order_.push(...numbers(events));
          running--;
        },
      );
      const handle = processor.asHandler();
      for (let n = 1; n <= 9; n++) handle(order(n));
      const done = processor.shutdown();
      await vi.advanceTimersByTimeAsync(1000);
      await done;
      expect(most).toBe(1);
      expect(order_).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });

    it('runs up to maxConcurrency batches at once, and no more', async () => {
      const gates: Array<() => void> = [];
      let running = 0;
      let most = 0;
      const processor = new BatchProcessor<OrderCreated>(
        'order.created',
        { batchSize: 1, maxConcurrency: 3, maxPending: 10 },
        async () => {
          running++;
          most = Math.max(most, running);
          await new Promise<void>((resolve) => gates.push(resolve));
          running--;
        },
      );
      const handle = processor.asHandler();
      for (let n = 1; n <= 6; n++) handle(order(n));
      await settle();
      expect(running).toBe(3);
      while (gates.length > 0) {
        for (const open of gates.splice(0)) open();
        await settle();
      }
      await processor.flush();
      expect(most).toBe(3);
    });
  });

  describe('failures', () => {
    it('reports a failing batch to onError as a BatchError carrying its events', async () => {
      const errors: BatchError<OrderCreated>[] = [];
      const cause = new Error('database down');
      const processor = new BatchProcessor<OrderCreated>(
        'order.created',
        { batchSize: 2, onError: (error) => void errors.push(error) },
        () => {
          throw cause;
        },
      );
      const handle = processor.asHandler();
      handle(order(1));
      handle(order(2));
      handle(order(3));
      const report = await processor.flush();
      expect(errors).toHaveLength(2);
      const [first, second] = errors;
      expect(first).toBeInstanceOf(BatchError);
      expect(first?.code).toBe('BATCH_FAILED');
      expect(first?.cause).toBe(cause);
      expect(first?.attempts).toBe(1);
      expect(first?.processor).toBe('order.created');
      expect(numbers(first?.events ?? [])).toEqual([1, 2]);
      expect(numbers(second?.events ?? [])).toEqual([3]);
      expect(first?.message).toMatch(
        /Batch of 2 "order.created" events failed after 1 attempt: database down\. The events are on error\.events/,
      );
      expect(report.failed).toEqual(errors);
      expect(report).toMatchObject({ batches: 2, events: 3 });
    });

    it('carries on with the next batch after a failure', async () => {
      const batches: number[][] = [];
      const processor = new BatchProcessor<OrderCreated>(
        'order.created',
        { batchSize: 1, onError: () => {} },
        (events) => {
          if (events[0]?.data.n === 2) throw new Error('bad batch');
          batches.push(numbers(events));
        },
      );
      const handle = processor.asHandler();
      for (let n = 1; n <= 3; n++) handle(order(n));
      await processor.flush();
      expect(batches).toEqual([[1], [3]]);
    });

    it('retries a failing batch with doubling delays, then reports it with the last error', async () => {
      vi.useFakeTimers();
      const calls: Array<{ at: number; attempt: number }> = [];
      const errors: BatchError<OrderCreated>[] = [];
      const start = Date.now();
      const processor = new BatchProcessor<OrderCreated>(
        'order.created',
        {
          batchSize: 1,
          retry: { attempts: 3, delay: 50 },
          onError: (error) => void errors.push(error),
        },
        (_events, ctx) => {
          calls.push({ at: Date.now() - start, attempt: ctx.attempt });
          throw new Error(`attempt ${ctx.attempt} failed`);
        },
      );
      processor.asHandler()(order(1));
      await vi.advanceTimersByTimeAsync(1000);
      expect(calls).toEqual([
        { at: 0, attempt: 1 },
        { at: 50, attempt: 2 },
        { at: 150, attempt: 3 },
      ]);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.attempts).toBe(3);
      expect(errors[0]?.cause).toEqual(new Error('attempt 3 failed'));
      expect(numbers(errors[0]?.events ?? [])).toEqual([1]);
    });

    it('keeps retry delays fixed with backoff fixed, and caps them at maxDelay', async () => {
      vi.useFakeTimers();
      const at: number[] = [];
      const start = Date.now();
      const make = (retry: BatchOptions['retry']) =>
        new BatchProcessor<OrderCreated>(
          'order.created',
          { batchSize: 1, ...(retry ? { retry } : {}), onError: () => {} },
          () => {
            at.push(Date.now() - start);
            throw new Error('no');
          },
        );
      make({ attempts: 4, delay: 30, backoff: 'fixed' }).asHandler()(order(1));
      await vi.advanceTimersByTimeAsync(1000);
      expect(at).toEqual([0, 30, 60, 90]);
      at.length = 0;
      const capped = Date.now() - start;
      make({ attempts: 4, delay: 100, maxDelay: 150 }).asHandler()(order(1));
      await vi.advanceTimersByTimeAsync(1000);
      expect(at.map((t) => t - capped)).toEqual([0, 100, 250, 400]);
    });

    it('reports nothing when a retry succeeds', async () => {
      vi.useFakeTimers();
      const onError = vi.fn();
      let calls = 0;
      const processor = new BatchProcessor<OrderCreated>(
        'order.created',
        { batchSize: 1, retry: { attempts: 3, delay: 10 }, onError },
        () => {
          if (++calls < 3) throw new Error('flaky');
        },
      );
      processor.asHandler()(order(1));
      const flushed = processor.flush();
      await vi.advanceTimersByTimeAsync(100);
      expect(await flushed).toEqual({ batches: 1, events: 1, failed: [] });
      expect(calls).toBe(3);
      expect(onError).not.toHaveBeenCalled();
    });

    it('keeps the next batch waiting while a batch waits to retry', async () => {
      vi.useFakeTimers();
      const log: string[] = [];
      let failedOnce = false;
      const processor = new BatchProcessor<OrderCreated>(
        'order.created',
        { batchSize: 1, retry: { attempts: 2, delay: 100 }, onError: () => {} },
        (events) => {
          const n = events[0]?.data.n;
          log.push(`start ${n}`);
          if (n === 1 && !failedOnce) {
            failedOnce = true;
            throw new Error('retry me');
          }
        },
      );
      processor.asHandler()(order(1));
      processor.asHandler()(order(2));
      await vi.advanceTimersByTimeAsync(50);
      expect(log).toEqual(['start 1']);
      await vi.advanceTimersByTimeAsync(100);
      expect(log).toEqual(['start 1', 'start 1', 'start 2']);
    });

    it('throws a failed batch as an uncaught error when there is no onError', async () => {
      const uncaught: Array<() => void> = [];
      vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((callback) => {
        uncaught.push(callback);
      });
      const processor = new BatchProcessor<OrderCreated>('order.created', {}, () => {
        throw new Error('nobody listens');
      });
      processor.asHandler()(order(1));
      const report = await processor.flush();
      expect(report.failed).toHaveLength(1);
      expect(uncaught).toHaveLength(1);
      expect(() => uncaught[0]?.()).toThrow(BatchError);
    });

    it('throws the error of an onError that fails as uncaught, and still settles the batch', async () => {
      const uncaught: Array<() => void> = [];
      vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((callback) => {
        uncaught.push(callback);
      });
      const processor = new BatchProcessor<OrderCreated>(
        'order.created',
        {
          onError: async () => {
            throw new Error('dead-letter store down');
          },
        },
        () => {
          throw new Error('batch failed');
        },
      );
      processor.asHandler()(order(1));
      const report = await processor.flush();
      expect(report.failed).toHaveLength(1);
      expect(uncaught).toHaveLength(1);
      expect(() => uncaught[0]?.()).toThrow('dead-letter store down');
    });

    it('waits for an asynchronous onError before flush() resolves', async () => {
      const stored: number[] = [];
      const processor = new BatchProcessor<OrderCreated>(
        'order.created',
        {
          onError: async (error) => {
            await settle();
            stored.push(...numbers(error.events));
          },
        },
        () => {
          throw new Error('no');
        },
      );
      processor.asHandler()(order(1));
      processor.asHandler()(order(2));
      await processor.flush();
      expect(stored).toEqual([1, 2]);
    });

    it('names a non-Error cause in the message', () => {
      const error = new BatchError('order.created', [order(1)], 2, 'boom');
      expect(error.message).toContain('after 2 attempts: threw a non-Error value: "boom"');
      expect(error.name).toBe('BatchError');
    });
  });

  describe('backpressure', () => {
    it('accepts at once while there is room, then waits for room when maxPending events are held', async () => {
      const gate = deferred();
      const processor = new BatchProcessor<OrderCreated>(
        'order.created',
        { batchSize: 2, maxPending: 4 },
        async () => {
          await gate.promise;
        },
      );
      const handle = processor.asHandler();
      const results = [1, 2, 3, 4].map((n) => handle(order(n)));
      expect(results).toEqual([undefined, undefined, undefined, undefined]);
      expect(processor.pending).toBe(4);
      let admitted = false;
      const fifth = handle(order(5));
      expect(fifth).toBeInstanceOf(Promise);
      void fifth?.then(() => {
        admitted = true;
      });
      expect(processor.waiting).toBe(1);
      await settle();
      expect(admitted).toBe(false);
      gate.resolve();
      await fifth;
      expect(admitted).toBe(true);
      expect(processor.waiting).toBe(0);
      await processor.flush();
      expect(processor.pending).toBe(0);
    });

    it('lets waiting events in in the order they arrived, behind one another', async () => {
      const gate = deferred();
      const batches: number[][] = [];
      const processor = new BatchProcessor<OrderCreated>(
        'order.created',
        { batchSize: 2, maxPending: 2 },
        async (events) => {
          await gate.promise;
          batches.push(numbers(events));
        },
      );
      const handle = processor.asHandler();
      const calls = [1, 2, 3, 4, 5, 6].map((n) => handle(order(n)));
      expect(processor.waiting).toBe(4);
      gate.resolve();
      await Promise.all(calls);
      await processor.flush();
      expect(batches).toEqual([
        [1, 2],
        [3, 4],
        [5, 6],
      ]);
    });

    it('gives up waiting with the reason of ctx.signal when it aborts', async () => {
      const gate = deferred();
      const processor = new BatchProcessor<OrderCreated>(
        'order.created',
        { batchSize: 1, maxPending: 1 },
        () => gate.promise,
      );
      const handle = processor.asHandler();
      handle(order(1));
      const controller = new AbortController();
      const waiting = handle(order(2), { signal: controller.signal });
      const reason = new Error('shutdown deadline');
      controller.abort(reason);
      await expect(waiting).rejects.toBe(reason);
      expect(processor.waiting).toBe(0);
      await expect(handle(order(3), { signal: controller.signal })).rejects.toBe(reason);
      gate.resolve();
      const report = await processor.flush();
      expect(report.events).toBe(1);
    });
  });

  describe('shutdown', () => {
    it('hands over the remainder and resolves only once it has been handled', async () => {
      const gate = deferred();
      const batches: number[][] = [];
      const processor = new BatchProcessor<OrderCreated>(
        'order.created',
        { batchSize: 10 },
        async (events) => {
          await gate.promise;
          batches.push(numbers(events));
        },
      );
      const handle = processor.asHandler();
      handle(order(1));
      handle(order(2));
      let finished = false;
      const shutdown = processor.shutdown().then((report) => {
        finished = true;
        return report;
      });
      await settle();
      expect(finished).toBe(false);
      gate.resolve();
      expect(await shutdown).toEqual({ batches: 1, events: 2, failed: [] });
      expect(batches).toEqual([[1, 2]]);
    });

    it('gives the batch handler a live signal during the final flush', async () => {
      let aborted: boolean | undefined;
      const processor = new BatchProcessor<OrderCreated>('order.created', {}, (_events, ctx) => {
        aborted = ctx.signal.aborted;
      });
      processor.asHandler()(order(1));
      await processor.shutdown();
      expect(aborted).toBe(false);
    });

    it('flushes the events that were waiting for room too', async () => {
      const gate = deferred();
      const batches: number[][] = [];
      const processor = new BatchProcessor<OrderCreated>(
        'order.created',
        { batchSize: 2, maxPending: 2 },
        async (events) => {
          await gate.promise;
          batches.push(numbers(events));
        },
      );
      const handle = processor.asHandler();
      const calls = [1, 2, 3, 4, 5].map((n) => handle(order(n)));
      const shutdown = processor.shutdown();
      gate.resolve();
      await Promise.all(calls);
      const report = await shutdown;
      expect(batches).toEqual([[1, 2], [3, 4], [5]]);
      expect(report).toEqual({ batches: 3, events: 5, failed: [] });
    });

    it('refuses events afterwards with BatchClosedError', async () => {
      const { processor, handle } = recording();
      await processor.shutdown();
      expect(processor.closed).toBe(true);
      expect(() => handle(order(1))).toThrow(BatchClosedError);
      expect(() => handle(order(1))).toThrow(
        /Cannot add event "order.created" \(e1\) to batch processor "order.created": it is shut down/,
      );
    });

    it('returns the same promise when called twice', async () => {
      const { processor } = recording();
      const first = processor.shutdown();
      expect(processor.shutdown()).toBe(first);
      await first;
    });

    it('at the deadline, aborts running batches and reports every unsettled batch with its events', async () => {
      vi.useFakeTimers();
      const errors: BatchError<OrderCreated>[] = [];
      let signal: AbortSignal | undefined;
      const processor = new BatchProcessor<OrderCreated>(
        'order.created',
        { batchSize: 2, onError: (error) => void errors.push(error) },
        (_events, ctx) => {
          signal = ctx.signal;
          return new Promise<void>(() => {}); // never settles
        },
      );
      const handle = processor.asHandler();
      for (let n = 1; n <= 3; n++) handle(order(n));
      const shutdown = processor.shutdown({ timeout: 500 });
      await vi.advanceTimersByTimeAsync(500);
      const report = await shutdown;
      expect(signal?.aborted).toBe(true);
      expect(signal?.reason).toBeInstanceOf(TimeoutError);
      expect(report.batches).toBe(2);
      expect(report.events).toBe(3);
      expect(report.failed.map((error) => numbers(error.events))).toEqual([[1, 2], [3]]);
      expect(report.failed.map((error) => error.attempts)).toEqual([1, 0]);
      expect(report.failed[0]?.cause).toBeInstanceOf(TimeoutError);
      expect(errors).toEqual(report.failed);
      expect(processor.pending).toBe(0);
    });

    it('refuses a timeout that is not a number of milliseconds, through the promise', async () => {
      const { processor } = recording();
      await expect(processor.shutdown({ timeout: -1 })).rejects.toThrow(InvalidOptionError);
      await expect(processor.shutdown({ timeout: Number.NaN })).rejects.toThrow(
        'Invalid option "shutdown({ timeout })"',
      );
      expect(processor.closed).toBe(false);
      expect((await processor.shutdown()).failed).toEqual([]);
      expect(processor.closed).toBe(true);
    });

    it('refuses a misspelt timeout, through the promise, and stays open', async () => {
      const { processor } = recording();
      const options = { timout: 100 } as { timeout?: number };
      await expect(processor.shutdown(options)).rejects.toThrow(InvalidOptionError);
      await expect(processor.shutdown(options)).rejects.toThrow(
        'Invalid option "shutdown({ timout })": expected a known option (did you mean "timeout"?), received 100.',
      );
      await expect(processor.shutdown(null as unknown as object)).rejects.toThrow(
        'Invalid option "shutdown(options)"',
      );
      expect(processor.closed).toBe(false);
    });
  });

  describe('bad input', () => {
    const handler = () => {};
    const make = (options: unknown) =>
      new BatchProcessor('order.created', options as BatchOptions, handler);

    it.each([
      ['batchSize', 0],
      ['batchSize', -1],
      ['batchSize', 1.5],
      ['batchSize', Number.NaN],
      ['batchSize', '10'],
      ['flushInterval', 0],
      ['flushInterval', -100],
      ['flushInterval', Number.NaN],
      ['flushInterval', 2 ** 31],
      ['flushInterval', '1s'],
      ['maxConcurrency', 0],
      ['maxConcurrency', 2.5],
      ['maxPending', 0],
      ['onError', 'log'],
    ])('refuses %s = %s with InvalidOptionError naming it', (option, value) => {
      expect(() => make({ [option]: value })).toThrow(InvalidOptionError);
      try {
        make({ [option]: value });
      } catch (error) {
        expect((error as InvalidOptionError).option).toBe(`BatchProcessor({ ${option} })`);
      }
    });

    it('refuses a maxPending below batchSize, so a batch can always fill', () => {
      expect(() => make({ batchSize: 10, maxPending: 9 })).toThrow(
        'Invalid option "BatchProcessor({ maxPending })": expected an integer of at least 10, received 9',
      );
      expect(() => make({ batchSize: 10, maxPending: 10 })).not.toThrow();
    });

    it('refuses a flushInterval of 0 or less with a message that says what is expected', () => {
      expect(() => make({ flushInterval: 0 })).toThrow(
        'Invalid option "BatchProcessor({ flushInterval })": expected a number of milliseconds above 0',
      );
    });

    it.each([
      ['retry', 3],
      ['retry.attempts', { attempts: 0 }],
      ['retry.attempts', {}],
      ['retry.delay', { attempts: 2, delay: -1 }],
      ['retry.backoff', { attempts: 2, backoff: 'linear' }],
      ['retry.maxDelay', { attempts: 2, maxDelay: Number.POSITIVE_INFINITY }],
    ])('refuses a bad %s', (option, retry) => {
      try {
        make({ retry });
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidOptionError);
        expect((error as InvalidOptionError).option).toBe(`BatchProcessor({ ${option} })`);
      }
    });

    it('refuses a misspelt option, suggesting the right one', () => {
      expect(() => make({ batchSzie: 10 })).toThrow(InvalidOptionError);
      expect(() => make({ batchSzie: 10 })).toThrow(
        'Invalid option "BatchProcessor({ batchSzie })": expected a known option (did you mean "batchSize"?), received 10.',
      );
      expect(() => make({ onErorr: () => {} })).toThrow('(did you mean "onError"?)');
    });

    it('refuses a misspelt retry option before its values, naming it with its prefix', () => {
      expect(() => make({ retry: { atempts: 3 } })).toThrow(InvalidOptionError);
      expect(() => make({ retry: { atempts: 3 } })).toThrow(
        'Invalid option "BatchProcessor({ retry.atempts })": expected a known option (did you mean "retry.attempts"?), received 3.',
      );
      expect(() => make({ retry: { attempts: 2, maxDleay: 10 } })).toThrow(
        '"BatchProcessor({ retry.maxDleay })": expected a known option (did you mean "retry.maxDelay"?)',
      );
    });

    it('refuses a missing handler, an empty pattern and options that are not an object', () => {
      expect(
        () => new BatchProcessor('order.created', {}, undefined as unknown as () => void),
      ).toThrow('Invalid option "BatchProcessor(handler)"');
      expect(() => new BatchProcessor('', {}, handler)).toThrow(
        'Invalid option "BatchProcessor(pattern)"',
      );
      expect(() => make(null)).toThrow('Invalid option "BatchProcessor(options)"');
    });

    it('accepts flushInterval Infinity and the defaults', () => {
      expect(() => make({ flushInterval: Number.POSITIVE_INFINITY })).not.toThrow();
      expect(() => make({})).not.toThrow();
    });

    it('refuses an event that does not match its pattern', () => {
      const processor = new BatchProcessor('order.*', {}, handler);
      const wrong = { ...order(1), type: 'user.created' };
      expect(() => processor.asHandler()(wrong)).toThrow(
        /expected an event matching "order\.\*" .*received "user.created"/,
      );
      expect(processor.pending).toBe(0);
    });
  });
});

// Handler calls share the bus's shutdown signal, and retrying batches the processor's: a
// listener added per wait would pile up on it, and Node warns (MaxListenersExceededWarning)
// past 10.
describe('BatchProcessor waiting on a shared signal', () => {
  it('holds 50 handler calls waiting for room without a listener warning', async () => {
    const warnings = watchWarnings();
    try {
      const gate = deferred();
      const processor = new BatchProcessor<OrderCreated>(
        'order.created',
        { batchSize: 1, maxPending: 1, flushInterval: Number.POSITIVE_INFINITY },
        () => gate.promise,
      );
      const handle = processor.asHandler();
      const shutdown = new AbortController();
      const calls = Array.from({ length: 51 }, (_, i) =>
        handle(order(i), { signal: shutdown.signal }),
      );
      expect(processor.waiting).toBe(50);
      await nextTick();
      gate.resolve();
      await Promise.all(calls);
      await processor.shutdown();
      expect(warnings.seen).toEqual([]);
    } finally {
      warnings.stop();
    }
  });

  it('waits between the tries of 50 concurrent batches without a listener warning', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const warnings = watchWarnings();
    try {
      const processor = new BatchProcessor<OrderCreated>(
        'order.created',
        {
          batchSize: 1,
          maxConcurrency: 50,
          flushInterval: Number.POSITIVE_INFINITY,
          retry: { attempts: 2, delay: 60_000 },
          onError: () => {},
        },
        () => {
          throw new Error('fails');
        },
      );
      const handle = processor.asHandler();
      for (let i = 0; i < 50; i++) await handle(order(i));
      await vi.advanceTimersByTimeAsync(1);
      await nextTick();
      expect(warnings.seen).toEqual([]);
      const report = processor.shutdown({ timeout: 0 });
      await vi.advanceTimersByTimeAsync(1);
      expect((await report).failed).toHaveLength(50);
    } finally {
      warnings.stop();
    }
  });
});

describe('BatchProcessor with long lines', () => {
  it('lets 100 000 handler calls waiting for room in, in arrival order', async () => {
    const { processor, batches, handle } = recording({ batchSize: 100, maxPending: 100 });
    const shutdown = new AbortController();
    const calls = Array.from({ length: 100_000 }, (_, n) =>
      handle(order(n), { signal: shutdown.signal }),
    );
    expect(processor.waiting).toBe(99_900);
    await Promise.all(calls);
    await processor.shutdown();
    expect(batches.flat()).toEqual(Array.from({ length: 100_000 }, (_, n) => n));
  }, 30_000);

  it('hands 100 000 batches waiting for a slot to the handler in the order they were formed', async () => {
    const { processor, batches, handle } = recording({ batchSize: 1, maxPending: 100_000 });
    for (let n = 0; n < 100_000; n++) await handle(order(n));
    await processor.shutdown();
    expect(batches.flat()).toEqual(Array.from({ length: 100_000 }, (_, n) => n));
  }, 30_000);
});

describe('BatchProcessor given a hostile thrown value', () => {
  it('reports a batch whose handler throws a revoked Proxy, and settles it', async () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const reported: BatchError<OrderCreated>[] = [];
    const processor = new BatchProcessor<OrderCreated>(
      'order.created',
      { batchSize: 1, onError: (error) => void reported.push(error) },
      () => {
        throw proxy;
      },
    );
    await processor.asHandler()(order(1));
    const report = await processor.flush();
    expect(report.failed).toHaveLength(1);
    expect(reported).toHaveLength(1);
    expect(reported[0]?.cause).toBe(proxy);
    expect(reported[0]?.message).toContain('threw a value that cannot be read');
    await processor.shutdown();
  });

  it('reports a batch whose handler throws an Error with a throwing message getter', async () => {
    const error = new Error('unused');
    Object.defineProperty(error, 'message', {
      get() {
        throw new Error('message getter');
      },
    });
    const reported: BatchError<OrderCreated>[] = [];
    const processor = new BatchProcessor<OrderCreated>(
      'order.created',
      { batchSize: 1, onError: (failure) => void reported.push(failure) },
      () => {
        throw error;
      },
    );
    await processor.asHandler()(order(1));
    expect((await processor.flush()).failed).toHaveLength(1);
    expect(reported[0]?.cause).toBe(error);
    await processor.shutdown();
  });
});
