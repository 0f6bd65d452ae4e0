/**
 * The examples' trace: one entry per step of the story, per handler call and per try, and the
 * bus's shutdown report. `createConsoleLogger` prints it for people; `createRecordingLogger`
 * keeps it in an array for the tests, which check what happened rather than how it reads.
 */
import { MetadataKey, type Middleware, type ShutdownReport, TimeoutError } from '@gossip/core';
import type { Logger as MiddlewareLogger } from '@gossip/middleware';

/** One handler call, seen from outside every middleware: its final outcome. */
export interface HandledEntry {
  readonly kind: 'handled';
  readonly event: string;
  readonly eventId: string;
  readonly handler: string;
  readonly ok: boolean;
  readonly durationMs: number;
  /** The id of the event whose handler published this one, if any. */
  readonly causationId: string | undefined;
  readonly error: string | undefined;
}

/** One try of a handler wrapped in retry middleware. */
export interface TryEntry {
  readonly kind: 'try';
  readonly handler: string;
  readonly eventId: string;
  readonly attempt: number;
  readonly ok: boolean;
  readonly durationMs: number;
  readonly error: string | undefined;
}

/** A step of the story, or a detail worth showing. */
export interface MessageEntry {
  readonly kind: 'step' | 'note';
  readonly message: string;
}

/** The bus's shutdown report. */
export interface ReportEntry {
  readonly kind: 'report';
  readonly report: ShutdownReport;
}

/** A chain of events, each caused by the one before. */
export interface ChainEntry {
  readonly kind: 'chain';
  readonly title: string;
  readonly events: ReadonlyArray<{ readonly type: string; readonly id: string }>;
}

/** Anything the trace holds. */
export type TraceEntry = HandledEntry | TryEntry | MessageEntry | ReportEntry | ChainEntry;

/** Where the example writes its trace. */
export interface TraceLogger {
  write(entry: TraceEntry): void;
}

/** A logger that keeps every entry, for tests. */
export interface RecordingLogger extends TraceLogger {
  readonly entries: TraceEntry[];
}

/** Keeps the entries in memory. */
export function createRecordingLogger(): RecordingLogger {
  const entries: TraceEntry[] = [];
  return { entries, write: (entry) => entries.push(entry) };
}

/**
 * Prints each entry as one readable line, with the time since the logger was made. Event ids
 * are long and opaque, so the trace numbers events in the order it first mentions them: `#7`
 * is the seventh event this trace has shown.
 */
export function createConsoleLogger(): TraceLogger {
  const start = performance.now();
  const numbers = new Map<string, number>();
  const label: Label = (id) => {
    let n = numbers.get(id);
    if (n === undefined) {
      n = numbers.size + 1;
      numbers.set(id, n);
    }
    return `#${n}`;
  };
  return {
    write(entry) {
      const at = `${(performance.now() - start).toFixed(0).padStart(5)} ms`;
      console.log(`${at}  ${format(entry, label)}`);
    },
  };
}

/** The short name of an event id in the printed trace. */
type Label = (eventId: string) => string;

function format(entry: TraceEntry, label: Label): string {
  switch (entry.kind) {
    case 'step':
      return `== ${entry.message}`;
    case 'note':
      return `   ${entry.message}`;
    case 'handled': {
      // The cause first, so that it gets the lower number when both are new to the trace.
      const cause =
        entry.causationId === undefined ? '' : `  caused by ${label(entry.causationId)}`;
      const event = `${entry.event} ${label(entry.eventId)}`.padEnd(30);
      const outcome = entry.ok ? 'ok    ' : 'FAILED';
      const error = entry.error === undefined ? '' : `  (${entry.error})`;
      return `${event} -> ${entry.handler.padEnd(20)} ${outcome} ${ms(entry.durationMs)}${cause}${error}`;
    }
    case 'try': {
      const outcome = entry.ok ? 'ok' : `failed: ${entry.error ?? 'unknown error'}`;
      return `   ${entry.handler} ${label(entry.eventId)} try ${entry.attempt}: ${outcome} (${entry.durationMs.toFixed(1)} ms)`;
    }
    case 'chain':
      return `   ${entry.title}: ${entry.events.map((e) => `${e.type} ${label(e.id)}`).join(' -> ')}`;
    case 'report': {
      const { report } = entry;
      return [
        `shutdown report: ${report.complete ? 'complete' : 'INCOMPLETE'} in ${ms(report.durationMs)}`,
        `         published ${report.published}, delivered ${report.delivered}, failed ${report.failed}, dropped ${report.dropped}, undelivered ${report.undelivered.length}`,
      ].join('\n');
    }
  }
}

function ms(value: number): string {
  return `${value.toFixed(1).padStart(6)} ms`;
}

function message(error: unknown): string {
  // A TimeoutError's message names the whole event id; the trace already shows which event.
  if (error instanceof TimeoutError) return `timed out after ${error.timeout} ms`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Middleware that writes one `handled` entry per handler call: the event, the subscription,
 * the outcome, how long it took, and the event that caused it. Given to the bus as its
 * outermost middleware, it sees each call's final outcome, after retries.
 */
export function traceHandlers(logger: TraceLogger): Middleware {
  return (next) => async (event, ctx) => {
    const start = performance.now();
    const entry = {
      kind: 'handled' as const,
      event: event.type,
      eventId: event.id,
      handler: ctx.subscription,
      causationId: event.metadata[MetadataKey.CausationId],
    };
    try {
      await next(event, ctx);
    } catch (error) {
      const durationMs = performance.now() - start;
      logger.write({ ...entry, ok: false, durationMs, error: message(error) });
      throw error;
    }
    const durationMs = performance.now() - start;
    logger.write({ ...entry, ok: true, durationMs, error: undefined });
  };
}

/**
 * A logger for `@gossip/middleware`'s `withLogging` (pino style: a fields object, then a
 * message) that turns each try's success or failure into a `try` entry.
 */
export function tryLogger(logger: TraceLogger): MiddlewareLogger {
  const write = (fields: unknown, ok: boolean): void => {
    if (typeof fields !== 'object' || fields === null) return;
    const { subscription, eventId, attempt, durationMs, err } = fields as Record<string, unknown>;
    logger.write({
      kind: 'try',
      handler: String(subscription),
      eventId: String(eventId),
      attempt: Number(attempt),
      ok,
      durationMs: Number(durationMs),
      error: ok ? undefined : message(err),
    });
  };
  return {
    debug: () => {}, // the start of each try: not shown
    info: (fields) => write(fields, true),
    error: (fields) => write(fields, false),
  };
}
