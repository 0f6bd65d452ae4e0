import { createEventBus, GossipError, type HandlerError, InvalidOptionError } from '@gossip/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CircuitOpenError,
  type CircuitState,
  MiddlewareErrorCode,
  withCircuitBreaker,
} from '../src/index.js';
import { makeContext, makeEvent, rejectionOf, type TestEvents } from './fixtures.js';

describe('withCircuitBreaker', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function setUp(options = { failureThreshold: 3, resetAfter: 1000 }) {
    let healthy = false;
    const handler = vi.fn(() => {
      if (!healthy) throw new Error('dependency down');
    });
    const changes: Array<[CircuitState, CircuitState]> = [];
    const guarded = withCircuitBreaker({
      ...options,
      onStateChange: (state, previous) => changes.push([state, previous]),
    })(handler);
    const call = () => guarded(makeEvent(), makeContext());
    return { handler, call, changes, heal: () => (healthy = true) };
  }

  it('opens after failureThreshold failures in a row and then fails fast', async () => {
    const { handler, call, changes } = setUp();
    for (let i = 0; i < 3; i++)
      expect(await rejectionOf(call())).toEqual(new Error('dependency down'));
    expect(changes).toEqual([['open', 'closed']]);
    await vi.advanceTimersByTimeAsync(400);
    const error = await rejectionOf(call());
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect(error).toBeInstanceOf(GossipError);
    expect((error as CircuitOpenError).code).toBe(MiddlewareErrorCode.CircuitOpen);
    expect((error as CircuitOpenError).code).toBe('CIRCUIT_OPEN');
    expect((error as CircuitOpenError).retryAfter).toBe(600);
    expect((error as CircuitOpenError).message).toMatch(/3 calls failed in a row.*600 ms/);
    expect(handler).toHaveBeenCalledTimes(3);
  });

  it('counts failures in a row only: a success resets the count', async () => {
    const handler = vi
      .fn<() => void>()
      .mockImplementationOnce(() => {
        throw new Error('1');
      })
      .mockImplementationOnce(() => {
        throw new Error('2');
      })
      .mockImplementationOnce(() => {})
      .mockImplementation(() => {
        throw new Error('again');
      });
    const guarded = withCircuitBreaker({ failureThreshold: 3 })(handler);
    const outcomes: string[] = [];
    for (let i = 0; i < 7; i++) {
      await Promise.resolve(guarded(makeEvent(), makeContext())).then(
        () => outcomes.push('ok'),
        (error: Error) => outcomes.push(error instanceof CircuitOpenError ? 'fast' : error.message),
      );
    }
    expect(outcomes).toEqual(['1', '2', 'ok', 'again', 'again', 'again', 'fast']);
    expect(handler).toHaveBeenCalledTimes(6);
  });

  it('half-opens after resetAfter and closes when the trial call succeeds', async () => {
    const { handler, call, changes, heal } = setUp();
    for (let i = 0; i < 3; i++) await rejectionOf(call());
    await vi.advanceTimersByTimeAsync(1000);
    heal();
    await call();
    expect(changes).toEqual([
      ['open', 'closed'],
      ['half-open', 'open'],
      ['closed', 'half-open'],
    ]);
    await call();
    expect(handler).toHaveBeenCalledTimes(5);
  });

  it('opens again at once when the trial call fails', async () => {
    const { handler, call, changes } = setUp();
    for (let i = 0; i < 3; i++) await rejectionOf(call());
    await vi.advanceTimersByTimeAsync(1000);
    expect(await rejectionOf(call())).toEqual(new Error('dependency down'));
    expect(changes.at(-1)).toEqual(['open', 'half-open']);
    expect(await rejectionOf(call())).toBeInstanceOf(CircuitOpenError);
    expect(handler).toHaveBeenCalledTimes(4);
  });

  it('lets a single trial through while half-open', async () => {
    let release = () => {};
    let slow = false;
    const handler = vi.fn(async () => {
      if (!slow) throw new Error('down');
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    const guarded = withCircuitBreaker({ failureThreshold: 1, resetAfter: 100 })(handler);
    await rejectionOf(guarded(makeEvent(), makeContext()));
    await vi.advanceTimersByTimeAsync(100);
    slow = true;
    const trial = guarded(makeEvent(), makeContext());
    const other = await rejectionOf(guarded(makeEvent(), makeContext()));
    expect(other).toBeInstanceOf(CircuitOpenError);
    expect((other as CircuitOpenError).retryAfter).toBe(0);
    release();
    await trial;
    slow = false;
    expect(await rejectionOf(guarded(makeEvent(), makeContext()))).toEqual(new Error('down'));
    expect(handler).toHaveBeenCalledTimes(3);
  });

  it('fails fast on a live bus, reporting the CircuitOpenError', async () => {
    const reported: HandlerError[] = [];
    const bus = createEventBus<TestEvents>({
      onError: (error) => reported.push(error as HandlerError),
    });
    const handler = vi.fn(() => {
      throw new Error('down');
    });
    bus.subscribe('order.paid', handler, {
      middleware: [withCircuitBreaker({ failureThreshold: 2, resetAfter: 60_000 })],
    });
    for (let i = 0; i < 4; i++) await bus.publish('order.paid', { orderId: `o${i}`, amount: 1 });
    const report = await bus.shutdown();
    expect(handler).toHaveBeenCalledTimes(2);
    expect(report.failed).toBe(4);
    expect(reported.map((error) => error.cause instanceof CircuitOpenError)).toEqual([
      false,
      false,
      true,
      true,
    ]);
  });

  it('keeps the outcome of each call when onStateChange throws, and lets nothing escape to the host', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => void uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      let healthy = false;
      const handler = vi.fn(() => {
        if (!healthy) throw new Error('down');
      });
      const guarded = withCircuitBreaker({
        failureThreshold: 1,
        resetAfter: 100,
        onStateChange: (state) => {
          throw new Error(`observer failed on ${state}`);
        },
      })(handler);
      // Opening: the handler's own error, not the observer's.
      expect(await rejectionOf(guarded(makeEvent(), makeContext()))).toEqual(new Error('down'));
      await vi.advanceTimersByTimeAsync(100);
      // Half-open, then closed: the trial runs and succeeds.
      healthy = true;
      await expect(guarded(makeEvent(), makeContext())).resolves.toBeUndefined();
      expect(handler).toHaveBeenCalledTimes(2);
      await vi.advanceTimersByTimeAsync(0);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });

  it('refuses bad options when made', () => {
    expect(() => withCircuitBreaker({ failureThreshold: 0 })).toThrow(InvalidOptionError);
    expect(() => withCircuitBreaker({ failureThreshold: -2 })).toThrow(/failureThreshold/);
    expect(() => withCircuitBreaker({ resetAfter: -1 })).toThrow(/resetAfter/);
    expect(() => withCircuitBreaker({ onStateChange: {} as never })).toThrow(/onStateChange/);
  });

  it('refuses a misspelt option when made, suggesting the right one', () => {
    expect(() => withCircuitBreaker({ failureTreshold: 3 } as never)).toThrow(InvalidOptionError);
    expect(() => withCircuitBreaker({ failureTreshold: 3 } as never)).toThrow(
      'Invalid option "withCircuitBreaker({ failureTreshold })": expected a known option (did you mean "failureThreshold"?), received 3.',
    );
    expect(() => withCircuitBreaker({ resetAfterMs: 10 } as never)).toThrow(
      '(did you mean "resetAfter"?)',
    );
  });
});
