/**
 * The trace the examples print: one entry per step of the story, per handler call and per try,
 * and the bus's shutdown report. `createConsoleLogger` prints it for people; `createRecordingLogger`
 * keeps it in an array for the tests, which check what happened rather than how it reads.
 *
 * Handler calls and tries are traced by `@gossip/middleware`'s `withTrace`: `handledLogger` and
 * `tryLogger` are the tiny adapters that turn its structured records into entries.
 */
import type { ShutdownReport } from '@gossip/core';
import type {
  HandlerEndRecord,
  TraceLogger as MiddlewareTraceLogger,
  TraceRecord,
} from '@gossip/middleware';

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
 * is the seventh event this trace has shown. `print` writes a line (`console.log` unless given).
 */
export function createConsoleLogger(
  print: (line: string) => void = (line) => console.log(line),
): TraceLogger {
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
      print(`${at}  ${format(entry, label)}`);
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

/** The failure of a call, shortened for the trace. */
function message(record: HandlerEndRecord): string | undefined {
  const { error } = record;
  if (error === undefined) return undefined;
  // A TimeoutError's message names the whole event id; the trace already shows which event.
  const timedOut = error.code === 'TIMEOUT' ? /timed out after \d+ ms/.exec(error.message) : null;
  return timedOut?.[0] ?? error.message;
}

/** An adapter for `withTrace` that passes each call's outcome (`handler.end`) to `write`. */
function onOutcome(write: (record: HandlerEndRecord) => void): MiddlewareTraceLogger {
  return {
    debug: (record: TraceRecord) => {
      if (record.kind === 'handler.end') write(record); // the starts are not shown
    },
  };
}

/**
 * The logger for `withTrace` outermost on the bus (`middleware: [withTrace(handledLogger(logger))]`):
 * one `handled` entry per handler call, with its final outcome after retries, how long it took,
 * and the event that caused it.
 */
export function handledLogger(logger: TraceLogger): MiddlewareTraceLogger {
  return onOutcome((record) =>
    logger.write({
      kind: 'handled',
      event: record.eventType,
      eventId: record.eventId,
      handler: record.subscription,
      ok: record.outcome === 'ok',
      durationMs: record.durationMs,
      causationId: record.causationId,
      error: message(record),
    }),
  );
}

/**
 * The logger for `withTrace` inside retry middleware (`withTrace(tryLogger(logger))`): one
 * `try` entry per try, with its attempt number.
 */
export function tryLogger(logger: TraceLogger): MiddlewareTraceLogger {
  return onOutcome((record) =>
    logger.write({
      kind: 'try',
      handler: record.subscription,
      eventId: record.eventId,
      attempt: record.attempt,
      ok: record.outcome === 'ok',
      durationMs: record.durationMs,
      error: message(record),
    }),
  );
}
