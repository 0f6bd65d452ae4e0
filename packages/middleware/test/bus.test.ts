import {
  createEventBus,
  type EventBus,
  type GossipError,
  type HandlerError,
  type Middleware,
  TimeoutError,
} from '@gossip/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CircuitOpenError,
  chain,
  type DeadLetter,
  withCircuitBreaker,
  withDeadLetter,
  withDedupe,
  withLogging,
  withRateLimit,
  withRecovery,
  withRetry,
  withTimeout,
} from '../src/index.js';
import type { TestEvents } from './fixtures.js';

type Place = 'bus.use' | 'createEventBus({ middleware })' | 'subscribe({ middleware })';
const places: Place[] = ['bus.use', 'createEventBus({ middleware })', 'subscribe({ middleware })'];

type Handler = Parameters<EventBus<TestEvents>['subscribe']>[1];

/** A live bus with the middleware in the chosen place, and what it reported. */
function setUp(place: Place, middleware: Middleware) {
  const reported: GossipError[] = [];
  const onError = (error: GossipError) => void reported.push(error);
  const bus =
    place === 'createEventBus({ middleware })'
      ? createEventBus<TestEvents>({ middleware: [middleware], onError })
      : createEventBus<TestEvents>({ onError });
  if (place === 'bus.use') bus.use(middleware);
  const subscribe = (handler: Handler) =>
    bus.subscribe(
      'order.paid',
      handler,
      place === 'subscribe({ middleware })' ? { middleware: [middleware] } : {},
    );
  const publish = (orderId = 'o1') => bus.publish('order.paid', { orderId, amount: 1 });
  return { bus, reported, subscribe, publish };
}

describe.each(places)('middleware on a live bus, through %s', (place) => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('withRecovery reports a throw as a failure with its cause', async () => {
    const recovered: HandlerError[] = [];
    const { bus, reported, subscribe, publish } = setUp(
      place,
      withRecovery({ onError: (error) => recovered.push(error) }),
    );
    subscribe(() => {
      throw 'panic';
    });
    await publish();
    const report = await bus.shutdown();
    expect(report.failed).toBe(1);
    expect(reported).toEqual(recovered);
    expect(reported[0]?.cause).toBe('panic');
  });

  it('withRetry calls the handler again until it succeeds', async () => {
    const { bus, subscribe, publish } = setUp(place, withRetry({ attempts: 3, delay: 10 }));
    const attempts: number[] = [];
    subscribe((_event, ctx) => {
      attempts.push(ctx.attempt);
      if (ctx.attempt < 3) throw new Error('again');
    });
    await publish();
    await vi.runAllTimersAsync();
    const report = await bus.shutdown();
    expect(attempts).toEqual([1, 2, 3]);
    expect(report.delivered).toBe(1);
  });

  it('withTimeout fails a slow handler with a TimeoutError and aborts it', async () => {
    const { bus, reported, subscribe, publish } = setUp(place, withTimeout(100));
    let aborted = false;
    subscribe(
      (_event, ctx) =>
        new Promise<void>((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => {
            aborted = true;
            reject(ctx.signal.reason);
          });
        }),
    );
    await publish();
    await vi.advanceTimersByTimeAsync(100);
    const report = await bus.shutdown();
    expect(aborted).toBe(true);
    expect(report.failed).toBe(1);
    expect(reported[0]?.cause).toBeInstanceOf(TimeoutError);
  });

  it('withLogging logs each delivery', async () => {
    const lines: string[] = [];
    const logger = {
      info: (message: unknown) => void lines.push(String(message)),
      error: (message: unknown) => void lines.push(String(message)),
    };
    const { bus, subscribe, publish } = setUp(place, withLogging({ logger }));
    subscribe(() => {});
    await publish();
    await bus.shutdown();
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^Handled "order\.paid" \(.+\) in "order\.paid" in 0 ms$/);
  });

  it('withDeadLetter hands over a finally failed event', async () => {
    const letters: DeadLetter[] = [];
    const { bus, subscribe, publish } = setUp(
      place,
      withDeadLetter({ handler: (letter) => void letters.push(letter) }),
    );
    subscribe(() => {
      throw new Error('poison');
    });
    await publish();
    const report = await bus.shutdown();
    expect(letters).toHaveLength(1);
    expect(letters[0]?.event.data).toEqual({ orderId: 'o1', amount: 1 });
    expect(report.failed).toBe(0);
  });

  it('withDedupe skips a redelivered event', async () => {
    const { bus, subscribe } = setUp(place, withDedupe());
    const handler = vi.fn();
    subscribe(handler);
    const message = { id: 'm1', type: 'order.paid', data: { orderId: 'o1', amount: 1 } };
    await bus.receive(message);
    await bus.receive(message);
    await bus.shutdown();
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('withCircuitBreaker fails fast once open', async () => {
    const { bus, reported, subscribe, publish } = setUp(
      place,
      withCircuitBreaker({ failureThreshold: 2, resetAfter: 1000 }),
    );
    const handler = vi.fn(() => {
      throw new Error('down');
    });
    subscribe(handler);
    for (const id of ['o1', 'o2', 'o3']) await publish(id);
    await bus.shutdown();
    expect(handler).toHaveBeenCalledTimes(2);
    expect(reported[2]?.cause).toBeInstanceOf(CircuitOpenError);
  });

  it('withRateLimit spaces handler calls', async () => {
    const { bus, subscribe, publish } = setUp(place, withRateLimit({ perSecond: 10 }));
    const at: number[] = [];
    const start = Date.now();
    subscribe(() => void at.push(Date.now() - start));
    for (const id of ['o1', 'o2', 'o3']) await publish(id);
    await vi.advanceTimersByTimeAsync(200);
    await bus.shutdown();
    expect(at).toEqual([0, 100, 200]);
  });
});

describe('bus and subscription middleware together', () => {
  it('runs the bus middleware outside the subscription middleware, each chain outermost first', async () => {
    const trace: string[] = [];
    const tracing =
      (name: string): Middleware =>
      (next) =>
      async (event, ctx) => {
        trace.push(`${name}>`);
        await next(event, ctx);
        trace.push(`<${name}`);
      };
    const bus = createEventBus<TestEvents>({ middleware: [chain(tracing('A'), tracing('B'))] });
    bus.use(tracing('C'));
    bus.subscribe(
      'order.paid',
      () => {
        trace.push('H');
      },
      { middleware: [chain(tracing('D'), tracing('E'))] },
    );
    await bus.publish('order.paid', { orderId: 'o1', amount: 1 });
    await bus.shutdown();
    expect(trace.join(' ')).toBe('A> B> C> D> E> H <E <D <C <B <A');
  });
});
