import { createEventBus, type HandlerContext, InvalidOptionError } from '@gossip/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MiddlewareErrorCode, RetryIfError, withRetry } from '../src/index.js';
import { makeContext, makeEvent, rejectionOf, type TestEvents } from './fixtures.js';

/** A handler that fails `failures` times, then succeeds; records the time and attempt of each call. */
function flaky(failures: number) {
  const calls: Array<{ at: number; attempt: number }> = [];
  const handler = vi.fn((_event: unknown, ctx: HandlerContext) => {
    calls.push({ at: Date.now(), attempt: ctx.attempt });
    if (calls.length <= failures) throw new Error(`failure ${calls.length}`);
  });
  return {
    handler,
    calls,
    gaps: () => calls.slice(1).map((call, i) => call.at - (calls[i]?.at ?? 0)),
  };
}

describe('withRetry', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('calls a handler that succeeds at once only once', async () => {
    const { handler } = flaky(0);
    await withRetry({ attempts: 4, delay: 50 })(handler)(makeEvent(), makeContext());
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('retries a failing handler until it succeeds (3 calls)', async () => {
    const { handler, calls } = flaky(2);
    const done = withRetry({ attempts: 4, delay: 50 })(handler)(makeEvent(), makeContext());
    await vi.runAllTimersAsync();
    await expect(done).resolves.toBeUndefined();
    expect(handler).toHaveBeenCalledTimes(3);
    expect(calls.map((call) => call.attempt)).toEqual([1, 2, 3]);
  });

  it('fails with the last error when the attempts are exhausted', async () => {
    const { handler } = flaky(10);
    const done = withRetry({ attempts: 3, delay: 10 })(handler)(makeEvent(), makeContext());
    const outcome = expect(done).rejects.toThrow('failure 3');
    await vi.runAllTimersAsync();
    await outcome;
    expect(handler).toHaveBeenCalledTimes(3);
  });

  it('waits 50 then 100 ms between tries with exponential backoff', async () => {
    const { handler, gaps } = flaky(2);
    const done = withRetry({ attempts: 3, delay: 50 })(handler)(makeEvent(), makeContext());
    await vi.advanceTimersByTimeAsync(49);
    expect(handler).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(handler).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(99);
    expect(handler).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(handler).toHaveBeenCalledTimes(3);
    await done;
    expect(gaps()).toEqual([50, 100]);
  });

  it('doubles the wait, grows it linearly, keeps it fixed, and caps it at maxDelay', async () => {
    const cases = [
      { backoff: 'exponential' as const, gaps: [50, 100, 200, 400] },
      { backoff: 'linear' as const, gaps: [50, 100, 150, 200] },
      { backoff: 'fixed' as const, gaps: [50, 50, 50, 50] },
      { backoff: 'exponential' as const, gaps: [50, 100, 120, 120], maxDelay: 120 },
    ];
    for (const { gaps: expected, ...options } of cases) {
      const { handler, gaps } = flaky(4);
      const done = withRetry({ attempts: 5, delay: 50, ...options })(handler)(
        makeEvent(),
        makeContext(),
      );
      await vi.runAllTimersAsync();
      await done;
      expect(gaps(), options.backoff).toEqual(expected);
    }
  });

  it('takes up to the jitter fraction off each wait, at random', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const { handler, gaps } = flaky(2);
    const done = withRetry({ attempts: 3, delay: 100, jitter: 0.5 })(handler)(
      makeEvent(),
      makeContext(),
    );
    await vi.runAllTimersAsync();
    await done;
    expect(gaps()).toEqual([75, 150]);
  });

  it('stops at once when retryIf says a failure is not worth another try', async () => {
    const retryIf = vi.fn((error: unknown) => !(error instanceof TypeError));
    const handler = vi.fn(() => {
      throw new TypeError('malformed payload');
    });
    await expect(
      withRetry({ attempts: 5, retryIf })(handler)(makeEvent(), makeContext()),
    ).rejects.toThrow(TypeError);
    expect(handler).toHaveBeenCalledTimes(1);
    expect(retryIf).toHaveBeenCalledWith(expect.any(TypeError), 1);
  });

  it('keeps the handler error as the cause when retryIf throws, and retries no more', async () => {
    const failure = new Error('database down');
    const predicateFailure = new Error('retryIf is broken');
    const handler = vi.fn(() => {
      throw failure;
    });
    const retryIf = () => {
      throw predicateFailure;
    };
    const error = await rejectionOf(
      withRetry({ attempts: 5, retryIf })(handler)(
        makeEvent({ type: 'order.paid', id: 'e1' }),
        makeContext(),
      ),
    );
    expect(error).toBeInstanceOf(RetryIfError);
    const retryIfError = error as RetryIfError;
    expect(retryIfError.code).toBe(MiddlewareErrorCode.RetryIfFailed);
    expect(retryIfError.cause).toBe(failure);
    expect(retryIfError.retryIfError).toBe(predicateFailure);
    expect(retryIfError.attempt).toBe(1);
    expect(retryIfError.message).toBe(
      'withRetry\'s retryIf threw (retryIf is broken) on try 1 of handler "billing" for event "order.paid" (e1), so no retry was made; the handler\'s own failure is the cause (database down). Make retryIf return a boolean for every error.',
    );
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('reports a retryIf that throws a revoked Proxy, with the handler error as the cause', async () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const failure = new Error('database down');
    const error = await rejectionOf(
      withRetry({
        retryIf: () => {
          throw proxy;
        },
      })(() => {
        throw failure;
      })(makeEvent(), makeContext()),
    );
    expect(error).toBeInstanceOf(RetryIfError);
    expect((error as RetryIfError).cause).toBe(failure);
    expect((error as RetryIfError).message).toContain('a value that cannot be read');
  });

  it('respects cancellation: stops waiting when ctx.signal aborts and fails with the last error', async () => {
    const controller = new AbortController();
    const { handler } = flaky(10);
    const done = withRetry({ attempts: 5, delay: 1000 })(handler)(
      makeEvent(),
      makeContext({ signal: controller.signal }),
    );
    const outcome = expect(done).rejects.toThrow('failure 1');
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    await outcome;
    expect(handler).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not retry once the signal has aborted during a try', async () => {
    const controller = new AbortController();
    const handler = vi.fn(() => {
      controller.abort();
      throw new Error('interrupted');
    });
    await expect(
      withRetry({ attempts: 5 })(handler)(makeEvent(), makeContext({ signal: controller.signal })),
    ).rejects.toThrow('interrupted');
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('keeps the rest of the context and the event', async () => {
    const event = makeEvent();
    const ctx = makeContext();
    const seen: Array<[unknown, HandlerContext<unknown>]> = [];
    await withRetry()((e, c) => {
      seen.push([e, c]);
    })(event, ctx);
    expect(seen[0]?.[0]).toBe(event);
    expect(seen[0]?.[1]).toMatchObject({ subscription: 'billing', signal: ctx.signal, attempt: 1 });
    expect(seen[0]?.[1].publish).toBe(ctx.publish);
  });

  it('retries a handler on a live bus, which counts one delivery', async () => {
    const bus = createEventBus<TestEvents>();
    const attempts: number[] = [];
    bus.subscribe(
      'order.paid',
      (_event, ctx) => {
        attempts.push(ctx.attempt);
        if (ctx.attempt < 3) throw new Error('try again');
      },
      { middleware: [withRetry({ attempts: 3, delay: 100 })] },
    );
    await bus.publish('order.paid', { orderId: 'o1', amount: 1 });
    await vi.runAllTimersAsync();
    const report = await bus.shutdown();
    expect(attempts).toEqual([1, 2, 3]);
    expect(report.delivered).toBe(1);
    expect(report.failed).toBe(0);
  });

  it('refuses bad options when made', () => {
    expect(() => withRetry({ attempts: -1 })).toThrow(InvalidOptionError);
    expect(() => withRetry({ attempts: 0 })).toThrow(/withRetry\(\{ attempts \}\)/);
    expect(() => withRetry({ attempts: 1.5 })).toThrow(/integer of at least 1/);
    expect(() => withRetry({ delay: -10 })).toThrow(/withRetry\(\{ delay \}\)/);
    expect(() => withRetry({ delay: Number.NaN })).toThrow(/withRetry\(\{ delay \}\)/);
    expect(() => withRetry({ maxDelay: -1 })).toThrow(/withRetry\(\{ maxDelay \}\)/);
    expect(() => withRetry({ delay: 500, maxDelay: 100 })).toThrow(/at least delay/);
    expect(() => withRetry({ backoff: 'quadratic' as never })).toThrow(
      /'exponential', 'linear', 'fixed'/,
    );
    expect(() => withRetry({ jitter: 2 })).toThrow(/withRetry\(\{ jitter \}\)/);
    expect(() => withRetry({ retryIf: true as never })).toThrow(/withRetry\(\{ retryIf \}\)/);
    expect(() => withRetry()('handler' as never)).toThrow('"withRetry()(handler)"');
    expect(() => withRetry(5 as never)).toThrow('Invalid option "withRetry(options)"');
  });

  it('refuses a misspelt option when made, suggesting the right one', () => {
    expect(() => withRetry({ attemps: 5 } as never)).toThrow(InvalidOptionError);
    expect(() => withRetry({ attemps: 5 } as never)).toThrow(
      'Invalid option "withRetry({ attemps })": expected a known option (did you mean "attempts"?), received 5.',
    );
    expect(() => withRetry({ retryif: () => true } as never)).toThrow('(did you mean "retryIf"?)');
  });
});
