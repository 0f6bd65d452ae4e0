import { createEventBus, InvalidOptionError } from '@gossip/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withRateLimit } from '../src/index.js';
import { makeContext, makeEvent, rejectionOf, type TestEvents } from './fixtures.js';

describe('withRateLimit', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function starts() {
    const at: number[] = [];
    const start = Date.now();
    const handler = vi.fn(() => {
      at.push(Date.now() - start);
    });
    return { handler, at };
  }

  it('spaces calls evenly at perSecond with a burst of 1', async () => {
    const { handler, at } = starts();
    const limited = withRateLimit({ perSecond: 10 })(handler);
    const calls = Array.from({ length: 4 }, () => limited(makeEvent(), makeContext()));
    await vi.advanceTimersByTimeAsync(0);
    expect(at).toEqual([0]);
    await vi.advanceTimersByTimeAsync(300);
    await Promise.all(calls);
    expect(at).toEqual([0, 100, 200, 300]);
  });

  it('starts 100 000 waiting calls in arrival order, after some left the line', async () => {
    const started: number[] = [];
    // A hundred calls let in per fake millisecond: the line is as long, with fewer timer steps.
    const limited = withRateLimit({ perSecond: 100_000, burst: 1000 })((event) => {
      started.push((event.data as { n: number }).n);
    });
    const ctx = makeContext();
    const leaving = new Map<number, AbortController>();
    for (let n = 50_000; n < 50_100; n++) leaving.set(n, new AbortController());
    const calls = Array.from({ length: 100_000 }, (_, n) =>
      Promise.resolve(
        limited(makeEvent({ data: { n } }), {
          ...ctx,
          signal: leaving.get(n)?.signal ?? ctx.signal,
        }),
      ).catch(() => {}),
    );
    for (const controller of leaving.values()) controller.abort();
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all(calls);
    const expected = Array.from({ length: 100_000 }, (_, n) => n).filter(
      (n) => n < 50_000 || n >= 50_100,
    );
    expect(started).toEqual(expected);
  }, 30_000);

  it('lets a burst through at once, then refills at perSecond', async () => {
    const { handler, at } = starts();
    const limited = withRateLimit({ perSecond: 2, burst: 3 })(handler);
    const calls = Array.from({ length: 5 }, () => limited(makeEvent(), makeContext()));
    await vi.advanceTimersByTimeAsync(1000);
    await Promise.all(calls);
    expect(at).toEqual([0, 0, 0, 500, 1000]);
  });

  it('starts waiting calls in arrival order', async () => {
    const order: string[] = [];
    const limited = withRateLimit({ perSecond: 100 })((event) => {
      order.push(event.id);
    });
    const calls = ['a', 'b', 'c'].map((id) => limited(makeEvent({ id }), makeContext()));
    await vi.advanceTimersByTimeAsync(20);
    await Promise.all(calls);
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('serves a waiting call before a newcomer, even when a token frees before the timer fires', async () => {
    const order: string[] = [];
    const limited = withRateLimit({ perSecond: 1 })((event) => {
      order.push(event.id);
    });
    const first = limited(makeEvent({ id: 'a' }), makeContext());
    const waiting = limited(makeEvent({ id: 'b' }), makeContext());
    vi.setSystemTime(Date.now() + 1000); // the clock moves on; the timer has not fired yet
    const newcomer = limited(makeEvent({ id: 'c' }), makeContext());
    await vi.advanceTimersByTimeAsync(2000);
    await Promise.all([first, waiting, newcomer]);
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('fails a waiting call when its signal aborts, without running it or losing its place to others', async () => {
    const { handler, at } = starts();
    const limited = withRateLimit({ perSecond: 1 })(handler);
    const controller = new AbortController();
    await limited(makeEvent(), makeContext());
    const aborted = rejectionOf(limited(makeEvent(), makeContext({ signal: controller.signal })));
    const next = limited(makeEvent(), makeContext());
    await vi.advanceTimersByTimeAsync(200);
    controller.abort(new Error('shutting down'));
    expect(await aborted).toEqual(new Error('shutting down'));
    await vi.advanceTimersByTimeAsync(800);
    await next;
    expect(at).toEqual([0, 1000]);
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it('refuses at once a call whose signal has already aborted and must wait', async () => {
    const handler = vi.fn();
    const limited = withRateLimit({ perSecond: 1 })(handler);
    await limited(makeEvent(), makeContext());
    const error = await rejectionOf(
      limited(makeEvent(), makeContext({ signal: AbortSignal.abort(new Error('gone')) })),
    );
    expect(error).toEqual(new Error('gone'));
    expect(handler).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('bounds a live bus through bus.use, shared by its subscriptions', async () => {
    const bus = createEventBus<TestEvents>({ middleware: [withRateLimit({ perSecond: 5 })] });
    const at: number[] = [];
    const start = Date.now();
    bus.subscribe('order.paid', () => void at.push(Date.now() - start));
    bus.subscribe('order.paid', () => void at.push(Date.now() - start));
    await bus.publish('order.paid', { orderId: 'o1', amount: 1 });
    await bus.publish('order.paid', { orderId: 'o2', amount: 1 });
    await vi.advanceTimersByTimeAsync(600);
    const report = await bus.shutdown();
    expect(at).toEqual([0, 200, 400, 600]);
    expect(report.delivered).toBe(4);
  });

  it('refuses a rate of 0 or less and a bad burst, when made', () => {
    expect(() => withRateLimit({ perSecond: 0 })).toThrow(InvalidOptionError);
    expect(() => withRateLimit({ perSecond: -1 })).toThrow(/withRateLimit\(\{ perSecond \}\)/);
    expect(() => withRateLimit({} as never)).toThrow(/withRateLimit\(\{ perSecond \}\)/);
    expect(() => withRateLimit({ perSecond: 1, burst: 0 })).toThrow(/withRateLimit\(\{ burst \}\)/);
    expect(() => withRateLimit({ perSecond: 1, burst: 1.5 })).toThrow(
      /withRateLimit\(\{ burst \}\)/,
    );
  });

  it('refuses a misspelt option when made, suggesting the right one', () => {
    expect(() => withRateLimit({ perSecond: 5, brust: 2 } as never)).toThrow(InvalidOptionError);
    expect(() => withRateLimit({ perSecond: 5, brust: 2 } as never)).toThrow(
      'Invalid option "withRateLimit({ brust })": expected a known option (did you mean "burst"?), received 2.',
    );
    expect(() => withRateLimit({ persecond: 5 } as never)).toThrow('(did you mean "perSecond"?)');
  });
});
