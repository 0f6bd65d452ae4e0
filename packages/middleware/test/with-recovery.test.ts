import { createEventBus, HandlerError, InvalidOptionError } from '@gossip/core';
import { describe, expect, it, vi } from 'vitest';
import { withRecovery } from '../src/index.js';
import { makeContext, makeEvent, rejectionOf, type TestEvents } from './fixtures.js';

describe('withRecovery', () => {
  it('turns a thrown string into a HandlerError carrying it as cause', async () => {
    const event = makeEvent();
    const error = await rejectionOf(
      withRecovery()(() => {
        throw 'panic: nil map';
      })(event, makeContext()),
    );
    expect(error).toBeInstanceOf(HandlerError);
    const handlerError = error as HandlerError;
    expect(handlerError.cause).toBe('panic: nil map');
    expect(handlerError.event).toBe(event);
    expect(handlerError.subscription).toBe('billing');
    expect(handlerError.message).toContain('threw a non-Error value: "panic: nil map"');
  });

  it('turns a thrown Error into a HandlerError carrying it as cause', async () => {
    const boom = new Error('database is down');
    const error = await rejectionOf(
      withRecovery()(() => {
        throw boom;
      })(makeEvent(), makeContext()),
    );
    expect(error).toBeInstanceOf(HandlerError);
    expect((error as HandlerError).cause).toBe(boom);
    expect((error as HandlerError).message).toContain('database is down');
  });

  it('catches an async rejection and a rejection with no value', async () => {
    const rejected = await rejectionOf(
      withRecovery()(async () => {
        await Promise.resolve();
        throw new TypeError('bad');
      })(makeEvent(), makeContext()),
    );
    expect((rejected as HandlerError).cause).toBeInstanceOf(TypeError);
    const empty = await rejectionOf(
      withRecovery()(() => Promise.reject(undefined))(makeEvent(), makeContext()),
    );
    expect(empty).toBeInstanceOf(HandlerError);
    expect((empty as HandlerError).cause).toBeUndefined();
  });

  it('passes a success through and calls nothing', async () => {
    const onError = vi.fn();
    const handler = vi.fn();
    const event = makeEvent();
    const ctx = makeContext();
    await withRecovery({ onError })(handler)(event, ctx);
    expect(handler).toHaveBeenCalledWith(event, ctx);
    expect(onError).not.toHaveBeenCalled();
  });

  it('calls onError with the HandlerError it then rethrows', async () => {
    const onError = vi.fn();
    const error = await rejectionOf(
      withRecovery({ onError })(() => {
        throw 'x';
      })(makeEvent(), makeContext()),
    );
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledWith(error);
  });

  it('does not wrap a HandlerError for the same event twice', async () => {
    const event = makeEvent();
    const inner = new HandlerError(event, 'billing', new Error('inner'));
    const error = await rejectionOf(
      withRecovery()(() => {
        throw inner;
      })(event, makeContext()),
    );
    expect(error).toBe(inner);
  });

  it('keeps both failures when onError itself throws', async () => {
    const error = await rejectionOf(
      withRecovery({
        onError: () => {
          throw new Error('hook broke');
        },
      })(() => {
        throw new Error('handler broke');
      })(makeEvent(), makeContext()),
    );
    expect(error).toBeInstanceOf(HandlerError);
    const cause = (error as HandlerError).cause as AggregateError;
    expect(cause).toBeInstanceOf(AggregateError);
    expect(cause.errors.map((e: Error) => e.message)).toEqual(['handler broke', 'hook broke']);
  });

  it('refuses a bad onError and a non-function handler, when made', () => {
    expect(() => withRecovery({ onError: 'log' as never })).toThrow(InvalidOptionError);
    expect(() => withRecovery('loud' as never)).toThrow(InvalidOptionError);
    expect(() => withRecovery()(null as never)).toThrow(
      'Invalid option "withRecovery()(handler)": expected a function, received null.',
    );
  });

  it('refuses a misspelt option when made, suggesting the right one', () => {
    expect(() => withRecovery({ onErorr: 'log' } as never)).toThrow(InvalidOptionError);
    expect(() => withRecovery({ onErorr: 'log' } as never)).toThrow(
      'Invalid option "withRecovery({ onErorr })": expected a known option (did you mean "onError"?), received "log".',
    );
  });

  describe('on a live bus (the seed reported a panic as success)', () => {
    it('reports a panicking handler as failed, never as delivered', async () => {
      const reported: HandlerError[] = [];
      const recovered: HandlerError[] = [];
      const bus = createEventBus<TestEvents>({
        onError: (error) => {
          if (error instanceof HandlerError) reported.push(error);
        },
      });
      bus.use(withRecovery({ onError: (error) => recovered.push(error) }));
      bus.subscribe('order.paid', () => {
        throw 'panic';
      });
      await bus.publish('order.paid', { orderId: 'o1', amount: 5 });
      const report = await bus.shutdown();
      expect(report.delivered).toBe(0);
      expect(report.failed).toBe(1);
      expect(recovered).toHaveLength(1);
      expect(reported).toEqual(recovered); // the same error object, not wrapped again
      expect(reported[0]?.cause).toBe('panic');
    });

    it('returns the failure from publishSync as the same HandlerError', async () => {
      const bus = createEventBus<TestEvents>();
      bus.subscribe('order.paid', () => Promise.reject(new Error('nope')), {
        middleware: [withRecovery()],
      });
      const errors = await bus.publishSync('order.paid', { orderId: 'o1', amount: 5 });
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(HandlerError);
      expect(errors[0]?.cause).toEqual(new Error('nope'));
      await bus.shutdown();
    });
  });
});
