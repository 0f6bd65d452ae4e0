import { createEventBus, InvalidOptionError } from '@gossip/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Logger, withLogging } from '../src/index.js';
import { makeContext, makeEvent, rejectionOf, type TestEvents } from './fixtures.js';

function consoleShaped() {
  const lines: Array<[string, ...unknown[]]> = [];
  const logger = {
    debug: (...args: unknown[]) => lines.push(['debug', ...args]),
    info: (...args: unknown[]) => lines.push(['info', ...args]),
    error: (...args: unknown[]) => lines.push(['error', ...args]),
  };
  return { logger, lines };
}

function pinoShaped() {
  const { logger, lines } = consoleShaped();
  return { logger: { ...logger, level: 'debug', child: () => logger }, lines };
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('withLogging', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('passes a success through and logs its start and its duration', async () => {
    const { logger, lines } = consoleShaped();
    const event = makeEvent({ id: 'e1', type: 'order.paid' });
    const done = withLogging({ logger })(async () => {
      await pause(12);
    })(event, makeContext());
    await vi.advanceTimersByTimeAsync(12);
    await expect(done).resolves.toBeUndefined();
    const fields = { eventType: 'order.paid', eventId: 'e1', subscription: 'billing', attempt: 1 };
    expect(lines).toEqual([
      ['debug', 'Handling "order.paid" (e1) in "billing"', fields],
      ['info', 'Handled "order.paid" (e1) in "billing" in 12 ms', { ...fields, durationMs: 12 }],
    ]);
  });

  it('passes a failure through unchanged and logs it with the error', async () => {
    const { logger, lines } = consoleShaped();
    const boom = new Error('boom');
    const error = await rejectionOf(
      withLogging({ logger })(() => {
        throw boom;
      })(makeEvent({ id: 'e2' }), makeContext()),
    );
    expect(error).toBe(boom);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toEqual([
      'error',
      'Failed "order.paid" (e2) in "billing" after 0 ms',
      expect.objectContaining({ eventId: 'e2', durationMs: 0 }),
      boom,
    ]);
  });

  it('writes an object first, then a message, to a pino-shaped logger', async () => {
    const { logger, lines } = pinoShaped();
    const event = makeEvent({ id: 'e3' });
    await withLogging({ logger })(() => {})(event, makeContext({ attempt: 2 }));
    const fields = { eventType: 'order.paid', eventId: 'e3', subscription: 'billing', attempt: 2 };
    expect(lines).toEqual([
      ['debug', fields, 'handling event'],
      ['info', { ...fields, durationMs: 0 }, 'event handled'],
    ]);
    lines.length = 0;
    const boom = new Error('x');
    await rejectionOf(
      withLogging({ logger })(() => {
        throw boom;
      })(event, makeContext()),
    );
    expect(lines[1]).toEqual([
      'error',
      expect.objectContaining({ err: boom }),
      'event handler failed',
    ]);
  });

  it('lets the style be chosen, and logs starts at info for a logger without debug', async () => {
    const lines: unknown[][] = [];
    const logger: Logger = {
      info: (...args) => lines.push(['info', ...args]),
      error: (...args) => lines.push(['error', ...args]),
    };
    await withLogging({ logger, style: 'pino' })(() => {})(makeEvent(), makeContext());
    expect(lines.map((line) => [line[0], line[2]])).toEqual([
      ['info', 'handling event'],
      ['info', 'event handled'],
    ]);
  });

  it("logs to the console only when asked to with logger: 'console'", async () => {
    const info = vi.mocked(console.info).mockImplementation(() => {});
    const debug = vi.mocked(console.debug).mockImplementation(() => {});
    await withLogging({ logger: 'console' })(() => {})(makeEvent({ id: 'e4' }), makeContext());
    expect(debug).toHaveBeenCalledWith(
      'Handling "order.paid" (e4) in "billing"',
      expect.any(Object),
    );
    expect(info).toHaveBeenCalledTimes(1);
  });

  it('never lets a broken logger change the outcome', async () => {
    const logger: Logger = {
      info: () => {
        throw new Error('disk full');
      },
      error: () => {
        throw new Error('disk full');
      },
    };
    await expect(
      withLogging({ logger })(() => {})(makeEvent(), makeContext()),
    ).resolves.toBeUndefined();
    const boom = new Error('handler');
    expect(
      await rejectionOf(
        withLogging({ logger })(() => {
          throw boom;
        })(makeEvent(), makeContext()),
      ),
    ).toBe(boom);
  });

  it('logs every delivery on a live bus and leaves the counts alone', async () => {
    const { logger, lines } = consoleShaped();
    const bus = createEventBus<TestEvents>({
      middleware: [withLogging({ logger })],
      onError: () => {}, // the logger says it; the bus need not print it too
    });
    bus.subscribe('order.paid', (event) => {
      if (event.data.amount < 0) throw new Error('negative');
    });
    await bus.publish('order.paid', { orderId: 'o1', amount: 1 });
    await bus.publish('order.paid', { orderId: 'o2', amount: -1 });
    const report = await bus.shutdown();
    expect(report.delivered).toBe(1);
    expect(report.failed).toBe(1);
    expect(lines.map((line) => line[0])).toEqual(['debug', 'info', 'debug', 'error']);
  });

  it('refuses a missing or malformed logger and an unknown style, when made', () => {
    expect(() => withLogging(undefined as never)).toThrow(InvalidOptionError);
    expect(() => withLogging({} as never)).toThrow(/withLogging\(\{ logger \}\)/);
    expect(() => withLogging({ logger: 'stdout' as never })).toThrow(/withLogging\(\{ logger \}\)/);
    expect(() => withLogging({ logger: { info: () => {} } as never })).toThrow(/info and error/);
    expect(() => withLogging({ logger: consoleShaped().logger, style: 'json' as never })).toThrow(
      /withLogging\(\{ style \}\)/,
    );
  });

  it('refuses a misspelt option when made, suggesting the right one', () => {
    expect(() => withLogging({ logger: 'console', stlye: 'pino' } as never)).toThrow(
      InvalidOptionError,
    );
    expect(() => withLogging({ logger: 'console', stlye: 'pino' } as never)).toThrow(
      'Invalid option "withLogging({ stlye })": expected a known option (did you mean "style"?), received "pino".',
    );
  });
});
