/**
 * Tracing a bus. Two orders are placed: billing takes each payment from its handler (so the
 * payment is caused by the order), the receipt mailer fails its first try and is retried, and
 * the fraud check refuses the large order. Every step is written twice:
 *
 * - as pino-shaped JSON records, by `withTrace(log)` around every handler (a start and an end
 *   with its outcome, duration and causation) and by `traceBus(bus, log)` for what happens on
 *   the bus itself (each publish, each reported failure, the shutdown report);
 * - as the readable trace the other examples print, through the `handledLogger` and `tryLogger`
 *   adapters of src/logger.ts, which turn the same records into one line per call and per try.
 */
import { createEventBus, type ShutdownReport } from '@gossip/core';
import {
  chain,
  type TraceLogger as PinoShaped,
  traceBus,
  withRetry,
  withTrace,
} from '@gossip/middleware';
import { events } from './events.js';
import { handledLogger, type TraceLogger, tryLogger } from './logger.js';

/** What happened, for the test to check. */
export interface TraceStoryResult {
  readonly report: ShutdownReport;
  /** The orders whose payment was taken. */
  readonly charged: ReadonlyArray<string>;
  /** The orders whose receipt was sent. */
  readonly receipts: ReadonlyArray<string>;
}

/** Options of the story. */
export interface TraceStoryOptions {
  /** How long the receipt mailer waits before it tries again, in milliseconds. */
  readonly retryDelayMs?: number;
}

/** Runs the story, writing JSON records to `log` and the readable trace to `trace`. */
export async function run(
  log: PinoShaped,
  trace: TraceLogger,
  { retryDelayMs = 20 }: TraceStoryOptions = {},
): Promise<TraceStoryResult> {
  const bus = createEventBus({
    schemas: events,
    // Around every handler, outermost first: the JSON records, then the readable line.
    middleware: [withTrace(log), withTrace(handledLogger(trace))],
  });
  // The bus's own events: publishes, failures reported (an `error` listener, so the bus does
  // not print them itself), the shutdown report.
  const stopTracing = traceBus(bus, log);
  const charged: string[] = [];
  const receipts: string[] = [];
  let mailServerBusy = true;

  bus.subscribe(
    'order.placed',
    async (event, ctx) => {
      charged.push(event.data.orderId);
      // From the handler's context: the payment carries the order's id as its causation.
      await ctx.publish('payment.taken', event.data);
    },
    { name: 'billing' },
  );
  bus.subscribe(
    'order.placed',
    (event) => {
      if (event.data.amount > 1000) throw new Error(`order ${event.data.orderId} needs review`);
    },
    { name: 'fraud-check' },
  );
  bus.subscribe(
    'payment.taken',
    (event) => {
      if (mailServerBusy) {
        mailServerBusy = false;
        throw new Error('mail server busy');
      }
      receipts.push(event.data.orderId);
    },
    {
      name: 'receipt-mailer',
      // Retry outside, the try trace inside: one line per try.
      middleware: [
        chain(withRetry({ attempts: 3, delay: retryDelayMs }), withTrace(tryLogger(trace))),
      ],
    },
  );

  trace.write({
    kind: 'step',
    message: 'o-1 is placed: billing takes the payment, the receipt fails once and is retried',
  });
  await bus.publish('order.placed', { orderId: 'o-1', amount: 25 });
  await bus.idle();

  trace.write({ kind: 'step', message: 'o-2 is placed, too large: the fraud check refuses it' });
  await bus.publish('order.placed', { orderId: 'o-2', amount: 4200 });
  await bus.idle();

  trace.write({ kind: 'step', message: 'the bus shuts down' });
  const report = await bus.shutdown();
  trace.write({ kind: 'report', report });
  stopTracing();
  return { report, charged, receipts };
}
