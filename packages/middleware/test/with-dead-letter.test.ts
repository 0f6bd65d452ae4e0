import {
  createEventBus,
  defineEvents,
  ErrorCode,
  type Event,
  HandlerError,
  InvalidOptionError,
  TimeoutError,
} from '@gossip/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  chain,
  type DeadLetter,
  DeadLetterError,
  type DeadLetterPayload,
  MiddlewareErrorCode,
  withDeadLetter,
  withRetry,
  withTimeout,
} from '../src/index.js';
import { makeContext, makeEvent, rejectionOf } from './fixtures.js';

const failing = (error: unknown) => () => {
  throw error;
};

describe('withDeadLetter', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives a finally failed event to the dead-letter handler with the error and attempt count', async () => {
    const letters: DeadLetter[] = [];
    const boom = new Error('card declined');
    const event = makeEvent();
    const handler = vi.fn(failing(boom));
    const done = chain(
      withDeadLetter({ handler: (letter) => void letters.push(letter) }),
      withRetry({ attempts: 3, delay: 10 }),
    )(handler)(event, makeContext());
    await vi.runAllTimersAsync();
    await expect(done).resolves.toBeUndefined();
    expect(handler).toHaveBeenCalledTimes(3);
    expect(letters).toEqual([{ event, error: boom, attempts: 3, subscription: 'billing' }]);
  });

  it('counts one attempt without retry, and the attempts made when retry stops early', async () => {
    const letters: DeadLetter[] = [];
    const deadLetter = withDeadLetter({ handler: (letter) => void letters.push(letter) });
    await deadLetter(failing('x'))(makeEvent(), makeContext());
    const done = chain(
      deadLetter,
      withRetry({ attempts: 5, delay: 10, retryIf: (_error, attempt) => attempt < 2 }),
      withTimeout(1000),
    )(failing('y'))(makeEvent(), makeContext());
    await vi.runAllTimersAsync();
    await done;
    expect(letters.map((letter) => [letter.error, letter.attempts])).toEqual([
      ['x', 1],
      ['y', 2],
    ]);
  });

  it('leaves a success alone', async () => {
    const deadLetters = vi.fn();
    const handler = vi.fn();
    await withDeadLetter({ handler: deadLetters })(handler)(makeEvent(), makeContext());
    expect(handler).toHaveBeenCalledTimes(1);
    expect(deadLetters).not.toHaveBeenCalled();
  });

  it('publishes the dead letter through ctx.publish as plain data', async () => {
    vi.setSystemTime(1_800_000_000_000);
    const ctx = makeContext();
    const event = makeEvent({ metadata: { source: 'api' } });
    await withDeadLetter({ publish: 'dead.letter' })(failing(new TimeoutError('Handler', 50)))(
      event,
      ctx,
    );
    const payload: DeadLetterPayload = {
      event: {
        id: event.id,
        type: event.type,
        timestamp: event.timestamp,
        data: event.data,
        metadata: { source: 'api' },
      },
      error: {
        name: 'TimeoutError',
        message: 'Handler timed out after 50 ms.',
        code: ErrorCode.Timeout,
      },
      attempts: 1,
      subscription: 'billing',
      failedAt: 1_800_000_000_000,
    };
    expect(ctx.publish).toHaveBeenCalledWith('dead.letter', payload);
    await withDeadLetter({ publish: 'dead.letter' })(failing({ reason: 'odd' }))(event, ctx);
    expect(ctx.publish.mock.calls[1]?.[1]).toMatchObject({
      error: { name: 'NonError', message: '{"reason":"odd"}' },
    });
  });

  it('still fails the delivery after sending, with rethrow', async () => {
    const deadLetters = vi.fn();
    const boom = new Error('boom');
    const error = await rejectionOf(
      withDeadLetter({ handler: deadLetters, rethrow: true })(failing(boom))(
        makeEvent(),
        makeContext(),
      ),
    );
    expect(error).toBe(boom);
    expect(deadLetters).toHaveBeenCalledTimes(1);
  });

  it('fails with a DeadLetterError when the dead letter cannot be sent', async () => {
    const boom = new Error('boom');
    const refused = new Error('unknown event');
    const ctx = makeContext();
    ctx.publish.mockRejectedValueOnce(refused);
    const error = await rejectionOf(
      withDeadLetter({ publish: 'dead.letter' })(failing(boom))(makeEvent({ id: 'e9' }), ctx),
    );
    expect(error).toBeInstanceOf(DeadLetterError);
    expect((error as DeadLetterError).code).toBe(MiddlewareErrorCode.DeadLetterFailed);
    expect((error as DeadLetterError).cause).toBe(boom);
    expect((error as DeadLetterError).deliveryError).toBe(refused);
    expect((error as DeadLetterError).message).toBe(
      'Could not send the dead letter of event "order.paid" (e9) after handler "billing" failed (boom): unknown event. Register the dead-letter event type and send dead letters before the bus shuts down, or fix the dead-letter handler.',
    );
  });

  it('does not dead-letter a delivery interrupted by its signal, nor a failed dead letter', async () => {
    const deadLetters = vi.fn();
    const controller = new AbortController();
    controller.abort();
    const interrupted = await rejectionOf(
      withDeadLetter({ handler: deadLetters })(failing('stopped'))(
        makeEvent(),
        makeContext({ signal: controller.signal }),
      ),
    );
    expect(interrupted).toBe('stopped');
    const ctx = makeContext();
    const loop = await rejectionOf(
      withDeadLetter({ publish: 'dead.letter' })(failing('consumer broke'))(
        makeEvent({ type: 'dead.letter' }),
        ctx,
      ),
    );
    expect(loop).toBe('consumer broke');
    expect(deadLetters).not.toHaveBeenCalled();
    expect(ctx.publish).not.toHaveBeenCalled();
  });

  it('publishes a dead-letter event on a live bus, caused by the failed event', async () => {
    const events = defineEvents({
      'order.paid': z.object({ orderId: z.string(), amount: z.number() }),
      'dead.letter': z.object({
        event: z.object({
          id: z.string(),
          type: z.string(),
          timestamp: z.number(),
          data: z.unknown(),
          metadata: z.record(z.string(), z.string()),
        }),
        error: z.object({ name: z.string(), message: z.string(), code: z.string().optional() }),
        attempts: z.number(),
        subscription: z.string(),
        failedAt: z.number(),
      }),
    });
    const bus = createEventBus({ schemas: events });
    bus.use(
      chain(withDeadLetter({ publish: 'dead.letter' }), withRetry({ attempts: 2, delay: 5 })),
    );
    const letters: Array<Event<'dead.letter', DeadLetterPayload>> = [];
    bus.subscribe('dead.letter', (event) => {
      letters.push(event);
    });
    bus.subscribe(
      'order.paid',
      () => {
        throw new Error('inventory service unavailable');
      },
      { name: 'inventory' },
    );
    await bus.publish('order.paid', { orderId: 'o1', amount: 5 });
    await vi.runAllTimersAsync();
    const report = await bus.shutdown();
    expect(letters).toHaveLength(1);
    const letter = letters[0] as Event<'dead.letter', DeadLetterPayload>;
    expect(letter.data).toMatchObject({
      event: { type: 'order.paid', data: { orderId: 'o1', amount: 5 } },
      error: { name: 'Error', message: 'inventory service unavailable' },
      attempts: 2,
      subscription: 'inventory',
    });
    expect(letter.metadata.causationId).toBe(letter.data.event.id);
    expect(report.failed).toBe(0);
    expect(report.delivered).toBe(2);
  });

  it('reports on a live bus when the dead-letter event is not registered', async () => {
    const reported: unknown[] = [];
    const bus = createEventBus({
      schemas: defineEvents({
        'order.paid': z.object({ orderId: z.string(), amount: z.number() }),
      }),
      onError: (error) => reported.push(error),
    });
    bus.subscribe('order.paid', failing(new Error('boom')), {
      middleware: [withDeadLetter({ publish: 'dead.letter' })],
    });
    await bus.publish('order.paid', { orderId: 'o1', amount: 5 });
    const report = await bus.shutdown();
    expect(report.failed).toBe(1);
    expect(reported[0]).toBeInstanceOf(HandlerError);
    expect((reported[0] as HandlerError).cause).toBeInstanceOf(DeadLetterError);
  });

  it('refuses options that do not say where dead letters go, when made', () => {
    expect(() => withDeadLetter(undefined as never)).toThrow(InvalidOptionError);
    expect(() => withDeadLetter({} as never)).toThrow(/exactly one of "publish"/);
    expect(() => withDeadLetter({ publish: 'a.b', handler: () => {} } as never)).toThrow(
      /exactly one of/,
    );
    expect(() => withDeadLetter({ publish: '' })).toThrow(/withDeadLetter\(\{ publish \}\)/);
    expect(() => withDeadLetter({ handler: 'queue' as never })).toThrow(
      /withDeadLetter\(\{ handler \}\)/,
    );
    expect(() => withDeadLetter({ publish: 'a.b', rethrow: 'yes' as never })).toThrow(/rethrow/);
  });

  it('refuses a misspelt option when made, suggesting the right one', () => {
    expect(() => withDeadLetter({ pubilsh: 'dead.letter' } as never)).toThrow(InvalidOptionError);
    expect(() => withDeadLetter({ pubilsh: 'dead.letter' } as never)).toThrow(
      'Invalid option "withDeadLetter({ pubilsh })": expected a known option (did you mean "publish"?), received "dead.letter".',
    );
    expect(() => withDeadLetter({ publish: 'dead.letter', rethow: true } as never)).toThrow(
      '(did you mean "rethrow"?)',
    );
  });
});
