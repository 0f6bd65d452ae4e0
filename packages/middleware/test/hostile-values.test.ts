import { createEventBus, HandlerError, type PublishFn } from '@gossip/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DeadLetterError,
  type DeadLetterPayload,
  withCircuitBreaker,
  withDeadLetter,
  withLogging,
  withRecovery,
  withRetry,
  withTimeout,
  withTrace,
} from '../src/index.js';
import { makeContext, makeEvent } from './fixtures.js';

/**
 * What a promise rejects with, wrapped: a revoked Proxy cannot be returned from an async function
 * (resolving a promise with it reads its `then`, which throws).
 */
function caught(promise: unknown): Promise<{ error: unknown }> {
  return Promise.resolve(promise).then(
    () => {
      throw new Error('expected the promise to reject, but it resolved');
    },
    (error: unknown) => ({ error }),
  );
}

/** A revoked Proxy: every operation on it throws, `instanceof` and `String()` included. */
function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

/** An Error whose `message` getter throws. */
function errorWithThrowingMessage(): Error {
  const error = new Error('unused');
  Object.defineProperty(error, 'message', {
    get() {
      throw new Error('message getter');
    },
  });
  return error;
}

const throwing = (value: unknown) => () => {
  throw value;
};

describe('middleware given a hostile thrown value', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('withRetry, withTimeout and withLogging pass a revoked Proxy through unchanged', async () => {
    const proxy = revokedProxy();
    const logger = { info: vi.fn(), error: vi.fn() };
    const retried = caught(
      withRetry({ attempts: 2, delay: 1 })(throwing(proxy))(makeEvent(), makeContext()),
    );
    await vi.advanceTimersByTimeAsync(1);
    expect((await retried).error).toBe(proxy);
    expect(
      (await caught(withTimeout(100)(throwing(proxy))(makeEvent(), makeContext()))).error,
    ).toBe(proxy);
    expect(
      (await caught(withLogging({ logger })(throwing(proxy))(makeEvent(), makeContext()))).error,
    ).toBe(proxy);
    expect(logger.error).toHaveBeenCalledTimes(1);
  });

  it('withRecovery turns a revoked Proxy into a HandlerError carrying it', async () => {
    const proxy = revokedProxy();
    const error = (await caught(withRecovery()(throwing(proxy))(makeEvent(), makeContext()))).error;
    expect(error).toBeInstanceOf(HandlerError);
    expect((error as HandlerError).cause).toBe(proxy);
  });

  it('withRecovery keeps both failures when its onError throws a revoked Proxy', async () => {
    const proxy = revokedProxy();
    const error = (
      await caught(
        withRecovery({ onError: throwing(proxy) })(throwing(new Error('handler broke')))(
          makeEvent(),
          makeContext(),
        ),
      )
    ).error;
    expect(error).toBeInstanceOf(HandlerError);
    const cause = (error as HandlerError).cause as AggregateError;
    expect(cause.errors[1]).toBe(proxy);
    expect(cause.message).toContain('a value that cannot be read');
  });

  it('withDeadLetter publishes a dead letter for an Error whose message getter throws', async () => {
    const ctx = makeContext();
    await withDeadLetter({ publish: 'dead.letter' })(throwing(errorWithThrowingMessage()))(
      makeEvent(),
      ctx,
    );
    const payload = ctx.publish.mock.calls[0]?.[1] as DeadLetterPayload;
    expect(payload.error).toEqual({ name: 'NonError', message: 'a value that cannot be read' });
  });

  it('withDeadLetter publishes a dead letter for a revoked Proxy', async () => {
    const ctx = makeContext();
    await withDeadLetter({ publish: 'dead.letter' })(throwing(revokedProxy()))(makeEvent(), ctx);
    const payload = ctx.publish.mock.calls[0]?.[1] as DeadLetterPayload;
    expect(payload.error).toEqual({ name: 'NonError', message: 'a value that cannot be read' });
  });

  it('withDeadLetter fails with a DeadLetterError when neither failure can be read', async () => {
    const proxy = revokedProxy();
    const publish = vi.fn<PublishFn>(async () => {
      throw errorWithThrowingMessage();
    });
    const error = (
      await caught(
        withDeadLetter({ publish: 'dead.letter' })(throwing(proxy))(
          makeEvent(),
          makeContext({ publish }),
        ),
      )
    ).error;
    expect(error).toBeInstanceOf(DeadLetterError);
    expect((error as DeadLetterError).cause).toBe(proxy);
  });
});

describe('observers that return a promise which rejects', () => {
  /** Collects unhandled rejections while a test runs. */
  const unhandled: unknown[] = [];
  const listener = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', listener);
  });
  afterEach(() => {
    process.off('unhandledRejection', listener);
  });
  /** Lets the process report unhandled rejections (after the microtask queue drains). */
  const settleRealTime = () => new Promise<void>((resolve) => setImmediate(resolve));
  const rejecting = (name: string) => async () => {
    throw new Error(`${name} rejected`);
  };

  it('are ignored, as their throws are: no unhandled rejection, the outcome unchanged', async () => {
    const bus = createEventBus<{ 'a.x': number; 'b.x': number; 'c.x': number; 'd.x': number }>({
      onError: () => {},
    });
    const logger = {
      info: rejecting('info'),
      error: rejecting('error'),
      debug: rejecting('debug'),
    };
    const handled: string[] = [];
    bus.subscribe('a.x', () => void handled.push('a'), {
      middleware: [withLogging({ logger })],
    });
    bus.subscribe('b.x', () => void handled.push('b'), { middleware: [withTrace(logger)] });
    bus.subscribe(
      'c.x',
      () => {
        throw new Error('down');
      },
      {
        middleware: [
          withCircuitBreaker({ failureThreshold: 1, onStateChange: rejecting('onStateChange') }),
        ],
      },
    );
    bus.subscribe('d.x', () => new Promise<void>((_, reject) => setTimeout(reject, 20, 'late')), {
      middleware: [withTimeout(5, { onLateError: rejecting('onLateError') })],
    });
    await bus.publish('a.x', 1);
    await bus.publish('b.x', 1);
    await bus.publish('c.x', 1);
    await bus.publish('d.x', 1);
    await new Promise((resolve) => setTimeout(resolve, 40));
    await bus.shutdown({ timeout: 500 });
    await settleRealTime();
    expect(unhandled).toEqual([]);
    expect(handled).toEqual(['a', 'b']);
    expect(bus.stats()).toMatchObject({ delivered: 2, failed: 2 });
  });
});
