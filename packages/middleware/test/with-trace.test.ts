import { createEventBus, InvalidOptionError, TimeoutError } from '@gossip/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chain, type TraceRecord, traceBus, withRetry, withTrace } from '../src/index.js';
import { makeContext, makeEvent, rejectionOf, type TestEvents } from './fixtures.js';

type Line = [level: string, record: TraceRecord, message: string];

/** A pino-shaped logger that keeps what it is given. */
function recording() {
  const lines: Line[] = [];
  const logger = {
    debug: (record: TraceRecord, message: string) => lines.push(['debug', record, message]),
    info: (record: TraceRecord, message: string) => lines.push(['info', record, message]),
    error: (record: TraceRecord, message: string) => lines.push(['error', record, message]),
  };
  return { logger, lines, records: () => lines.map(([, record]) => record) };
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('withTrace', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes a start and an ok outcome with its duration, as structured records', async () => {
    const { logger, lines } = recording();
    const event = makeEvent({ id: 'e1', type: 'order.paid' });
    const done = withTrace(logger)(async () => {
      await pause(12);
    })(event, makeContext());
    await vi.advanceTimersByTimeAsync(12);
    await expect(done).resolves.toBeUndefined();
    const call = { eventType: 'order.paid', eventId: 'e1', subscription: 'billing', attempt: 1 };
    expect(lines).toEqual([
      ['debug', { kind: 'handler.start', ...call }, 'handler started'],
      [
        'debug',
        { kind: 'handler.end', ...call, outcome: 'ok', durationMs: 12 },
        'handler succeeded',
      ],
    ]);
  });

  it('passes a failure through unchanged and records its name, code and message', async () => {
    const { logger, records } = recording();
    const late = new TimeoutError('the handler', 50);
    const error = await rejectionOf(
      withTrace(logger)(() => {
        throw late;
      })(makeEvent({ id: 'e2' }), makeContext()),
    );
    expect(error).toBe(late);
    expect(records()[1]).toEqual({
      kind: 'handler.end',
      eventType: 'order.paid',
      eventId: 'e2',
      subscription: 'billing',
      attempt: 1,
      outcome: 'failed',
      durationMs: 0,
      error: { name: 'TimeoutError', code: 'TIMEOUT', message: late.message },
    });
  });

  it('describes a thrown value that is not an Error', async () => {
    const { logger, records } = recording();
    await rejectionOf(
      withTrace(logger)(() => {
        throw 'boom';
      })(makeEvent(), makeContext()),
    );
    expect(records()[1]).toMatchObject({ error: { name: 'NonError', message: 'boom' } });
  });

  it('carries the causation and correlation ids of the metadata', async () => {
    const { logger, records } = recording();
    const metadata = {
      causationId: 'e0',
      correlationId: 'e-root',
      causationDepth: '2',
      other: 'x',
    };
    await withTrace(logger)(() => {})(makeEvent({ id: 'e3', metadata }), makeContext());
    expect(records()[0]).toEqual({
      kind: 'handler.start',
      eventType: 'order.paid',
      eventId: 'e3',
      causationId: 'e0',
      correlationId: 'e-root',
      causationDepth: 2,
      subscription: 'billing',
      attempt: 1,
    });
  });

  it('writes at info, and with the metadata and payload, when asked', async () => {
    const { logger, lines } = recording();
    const event = makeEvent({ metadata: { causationId: 'e0', requestId: 'r1' } });
    await withTrace(logger, { level: 'info', fields: ['metadata', 'data'] })(() => {})(
      event,
      makeContext(),
    );
    expect(lines.map(([level]) => level)).toEqual(['info', 'info']);
    const [, start] = lines[0] ?? [];
    expect(start).toEqual(expect.objectContaining({ metadata: event.metadata, data: event.data }));
    expect(start).not.toHaveProperty('causationId');
  });

  it('records each try inside withRetry, and the final outcome outside it', async () => {
    const outer = recording();
    const inner = recording();
    let calls = 0;
    const handler = chain(
      withTrace(outer.logger),
      withRetry({ attempts: 2, delay: 10 }),
      withTrace(inner.logger),
    )(() => {
      calls++;
      if (calls === 1) throw new Error('busy');
    });
    const done = handler(makeEvent(), makeContext());
    await vi.advanceTimersByTimeAsync(10);
    await done;
    const ends = (lines: Line[]) =>
      lines
        .map(([, record]) => record)
        .filter((record) => record.kind === 'handler.end')
        .map((record) => ('outcome' in record ? [record.attempt, record.outcome] : []));
    expect(ends(inner.lines)).toEqual([
      [1, 'failed'],
      [2, 'ok'],
    ]);
    expect(ends(outer.lines)).toEqual([[1, 'ok']]);
  });

  it('ignores a logger that throws', async () => {
    const logger = {
      debug: () => {
        throw new Error('disk full');
      },
    };
    const handler = vi.fn();
    await expect(withTrace(logger)(handler)(makeEvent(), makeContext())).resolves.toBeUndefined();
    expect(handler).toHaveBeenCalledOnce();
  });

  it('refuses a bad level at once, naming withTrace({ level })', () => {
    const { logger } = recording();
    const make = () => withTrace(logger, { level: 'warn' as 'info' });
    expect(make).toThrow(InvalidOptionError);
    expect(make).toThrow(
      `Invalid option "withTrace({ level })": expected 'debug' or 'info', received "warn".`,
    );
  });

  it('refuses unknown fields, a misspelt option, and a logger without the level method', () => {
    const { logger } = recording();
    expect(() => withTrace(logger, { fields: ['payload' as 'data'] })).toThrow(
      /withTrace\(\{ fields \}\)/,
    );
    expect(() => withTrace(logger, { levle: 'info' } as never)).toThrow(InvalidOptionError);
    expect(() => withTrace(logger, { levle: 'info' } as never)).toThrow(
      'Invalid option "withTrace({ levle })": expected a known option (did you mean "level"?), received "info".',
    );
    expect(() => withTrace({ info: () => {} })).toThrow(/withTrace\(logger\).*debug method/);
    expect(() => withTrace(undefined as never)).toThrow(InvalidOptionError);
    expect(() => withTrace({ debug: () => {} }, { level: 'info' })).toThrow(/info method/);
  });

  it('refuses to wrap something that is not a function', () => {
    const { logger } = recording();
    expect(() => withTrace(logger)('nope' as never)).toThrow(InvalidOptionError);
  });
});

describe('traceBus', () => {
  it('traces publications with their causation, handler calls, and the shutdown report', async () => {
    const { logger, records } = recording();
    const bus = createEventBus<TestEvents & { 'order.shipped': { orderId: string } }>();
    bus.use(withTrace(logger));
    const stop = traceBus(bus, logger);
    bus.subscribe(
      'order.paid',
      async (event, ctx) => {
        await ctx.publish('order.shipped', { orderId: event.data.orderId });
      },
      { name: 'shipping' },
    );
    bus.subscribe('order.shipped', () => {}, { name: 'mailer' });

    await bus.publish('order.paid', { orderId: 'o1', amount: 10 });
    await bus.idle();
    const report = await bus.shutdown();
    stop();

    const all = records();
    const paid = all.find((r) => r.kind === 'publish' && r.eventType === 'order.paid');
    const shipped = all.find((r) => r.kind === 'publish' && r.eventType === 'order.shipped');
    expect(paid).toEqual({ kind: 'publish', eventType: 'order.paid', eventId: expect.any(String) });
    expect(shipped).toMatchObject({
      kind: 'publish',
      causationId: paid && 'eventId' in paid ? paid.eventId : 'missing',
      causationDepth: 1,
    });
    // The caused publication happens while its cause's handler runs; the handlers of the two
    // events may interleave, so the check is on what each call recorded, not their global order.
    const where = (kind: string, subscription?: string) =>
      all.findIndex(
        (r) =>
          r.kind === kind && ('subscription' in r ? r.subscription : undefined) === subscription,
      );
    expect(where('handler.start', 'shipping')).toBeGreaterThan(all.indexOf(paid as TraceRecord));
    expect(all.indexOf(shipped as TraceRecord)).toBeGreaterThan(where('handler.start', 'shipping'));
    expect(all.indexOf(shipped as TraceRecord)).toBeLessThan(where('handler.end', 'shipping'));
    expect(where('handler.start', 'mailer')).toBeGreaterThan(all.indexOf(shipped as TraceRecord));
    expect(all.filter((r) => r.kind === 'handler.end')).toHaveLength(2);
    expect(all.at(-1)).toEqual({
      kind: 'shutdown',
      complete: true,
      durationMs: report.durationMs,
      published: 2,
      delivered: 2,
      failed: 0,
      dropped: 0,
      undelivered: 0,
    });
  });

  it('traces drops and reported failures, the latter with the error method', async () => {
    const { logger, lines } = recording();
    const bus = createEventBus<TestEvents>({ bufferSize: 1, overflow: 'drop-newest', workers: 1 });
    traceBus(bus, logger);
    let open = (): void => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    bus.subscribe(
      'order.paid',
      async () => {
        await gate;
        throw new Error('card declined');
      },
      { name: 'billing' },
    );
    // One in flight, one queued, the rest dropped while the gate is shut.
    for (let i = 1; i <= 4; i++) await bus.publish('order.paid', { orderId: `o${i}`, amount: i });
    open();
    await bus.shutdown();

    const drops = lines.filter(([, r]) => r.kind === 'drop');
    expect(drops.length).toBeGreaterThan(0);
    expect(drops[0]?.[1]).toMatchObject({ kind: 'drop', reason: 'drop-newest' });
    const errors = lines.filter(([, r]) => r.kind === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toEqual([
      'error',
      {
        kind: 'error',
        error: expect.objectContaining({ name: 'HandlerError', code: 'HANDLER_FAILED' }),
        eventType: 'order.paid',
        eventId: expect.any(String),
        subscription: 'billing',
      },
      'bus reported an error',
    ]);
  });

  it('stops tracing when told, and a second stop does nothing', async () => {
    const { logger, lines } = recording();
    const bus = createEventBus<TestEvents>();
    const stop = traceBus(bus, logger, { level: 'info' });
    await bus.publish('order.paid', { orderId: 'o1', amount: 1 });
    stop();
    stop();
    await bus.publish('order.paid', { orderId: 'o2', amount: 2 });
    await bus.shutdown();
    expect(lines.map(([level, r]) => [level, r.kind])).toEqual([['info', 'publish']]);
    expect(bus.lifecycle.listenerCount('publish')).toBe(0);
    expect(bus.lifecycle.listenerCount('error')).toBe(0);
  });

  it('refuses bad options at once, naming traceBus', () => {
    const bus = createEventBus<TestEvents>();
    expect(() => traceBus(bus, recording().logger, { level: 'trace' as 'info' })).toThrow(
      /"traceBus\(\{ level \}\)"/,
    );
    expect(() => traceBus(bus, {})).toThrow(/traceBus\(logger\)/);
    expect(() => traceBus(bus, recording().logger, { feilds: ['data'] } as never)).toThrow(
      'Invalid option "traceBus({ feilds })": expected a known option (did you mean "fields"?), received an array.',
    );
    expect(bus.lifecycle.listenerCount('publish')).toBe(0);
  });
});
