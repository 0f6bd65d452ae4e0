import type { HandlerEndRecord, TraceRecord } from '@gossip/middleware';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createJsonLogger, type JsonLine } from '../src/json-logger.js';
import {
  createConsoleLogger,
  createRecordingLogger,
  type HandledEntry,
  type TryEntry,
} from '../src/logger.js';
import { run, type TraceStoryResult } from '../src/run.js';

afterEach(() => {
  vi.useRealTimers();
});

/** Runs the story on fake time: the receipt mailer's retry waits 20 fake milliseconds. */
async function story() {
  vi.useFakeTimers();
  const log = createJsonLogger();
  const trace = createRecordingLogger();
  let result: TraceStoryResult | undefined;
  void run(log, trace).then((done) => {
    result = done;
  });
  for (let ms = 0; result === undefined && ms < 1000; ms += 5) {
    await vi.advanceTimersByTimeAsync(5);
  }
  if (result === undefined) throw new Error('the story did not end in 1,000 fake milliseconds');
  return { log, trace, result };
}

const ofKind = <K extends TraceRecord['kind']>(lines: JsonLine[], kind: K) =>
  lines.filter((line): line is JsonLine & Extract<TraceRecord, { kind: K }> => line.kind === kind);

describe('the trace example', () => {
  it('runs the story: both payments taken, both receipts sent, the large order refused', async () => {
    const { result } = await story();
    expect(result.charged).toEqual(['o-1', 'o-2']);
    expect(result.receipts).toEqual(['o-1', 'o-2']);
    expect(result.report).toMatchObject({ complete: true, published: 4, delivered: 5, failed: 1 });
  });

  it('has withTrace write a start and an end record per handler call, pino-shaped', async () => {
    const { log } = await story();
    const ends = ofKind(log.lines, 'handler.end') as Array<JsonLine & HandlerEndRecord>;
    expect(ends).toHaveLength(6);
    expect(ofKind(log.lines, 'handler.start')).toHaveLength(6);
    for (const line of ends) {
      expect(line).toMatchObject({ level: 20, time: expect.any(Number) });
      expect(line.msg).toBe(line.outcome === 'ok' ? 'handler succeeded' : 'handler failed');
    }
    const refused = ends.find((line) => line.outcome === 'failed');
    expect(refused).toMatchObject({
      subscription: 'fraud-check',
      eventType: 'order.placed',
      error: { name: 'Error', message: 'order o-2 needs review' },
    });
    // A payment is caused by its order: the record names the order's id.
    const orders = ofKind(log.lines, 'publish').filter((line) => line.eventType === 'order.placed');
    const receipts = ends.filter((line) => line.subscription === 'receipt-mailer');
    expect(receipts.map((line) => line.causationId)).toEqual(orders.map((line) => line.eventId));
    // Outermost on the bus, withTrace sees the retried call once, with its final outcome.
    expect(receipts.map((line) => line.outcome)).toEqual(['ok', 'ok']);
  });

  it('has traceBus record each publish, the reported failure at error level and the shutdown', async () => {
    const { log } = await story();
    expect(ofKind(log.lines, 'publish').map((line) => line.eventType)).toEqual([
      'order.placed',
      'payment.taken',
      'order.placed',
      'payment.taken',
    ]);
    const errors = ofKind(log.lines, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      level: 50,
      subscription: 'fraud-check',
      error: { code: 'HANDLER_FAILED' },
    });
    expect(ofKind(log.lines, 'shutdown')).toEqual([
      expect.objectContaining({ complete: true, published: 4, delivered: 5, failed: 1 }),
    ]);
  });

  it('turns the same records into one readable entry per call and per try', async () => {
    const { trace } = await story();
    const tries = trace.entries.filter((e): e is TryEntry => e.kind === 'try');
    expect(tries.map(({ attempt, ok, error }) => ({ attempt, ok, error }))).toEqual([
      { attempt: 1, ok: false, error: 'mail server busy' },
      { attempt: 2, ok: true, error: undefined },
      { attempt: 1, ok: true, error: undefined },
    ]);
    const handled = trace.entries.filter((e): e is HandledEntry => e.kind === 'handled');
    expect(handled.map(({ event, handler, ok }) => `${event} ${handler} ${ok}`).sort()).toEqual([
      'order.placed billing true',
      'order.placed billing true',
      'order.placed fraud-check false',
      'order.placed fraud-check true',
      'payment.taken receipt-mailer true',
      'payment.taken receipt-mailer true',
    ]);
    const payments = handled.filter((e) => e.event === 'payment.taken');
    const orderIds = new Set(
      handled.filter((e) => e.event === 'order.placed').map((e) => e.eventId),
    );
    for (const payment of payments) expect(orderIds.has(payment.causationId ?? '')).toBe(true);
  });

  it('prints an entry as one line, numbering events in the order it first shows them', () => {
    const lines: string[] = [];
    const printed = createConsoleLogger((line) => lines.push(line));
    printed.write({
      kind: 'handled',
      event: 'payment.taken',
      eventId: 'e-payment',
      handler: 'receipt-mailer',
      ok: true,
      durationMs: 1.25,
      causationId: 'e-order',
      error: undefined,
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/ payment\.taken #2 +-> receipt-mailer +ok +1\.3 ms {2}caused by #1$/);
  });
});
