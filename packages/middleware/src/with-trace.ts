import {
  type AnyEvent,
  assertKnownOptions,
  HandlerError,
  InvalidOptionError,
  type Lifecycle,
  MetadataKey,
  type Middleware,
  optionName,
} from '@gossip/core';
import { assertHandler } from './assert.js';
import { callQuietly } from './call-quietly.js';
import { describeError } from './describe-error.js';
import { elapsed } from './elapsed.js';
import type { ErrorRecord, TracedEvent, TraceRecord } from './trace-record.js';

/**
 * The level trace records are written at: `debug` (the default: a trace is for debugging) or
 * `info`.
 *
 * @example
 * ```ts
 * withTrace(logger, { level: 'info' });
 * ```
 */
export type TraceLevel = 'debug' | 'info';

/**
 * Optional fields of a record about an event: `causation` (the `causationId`, `correlationId`
 * and `causationDepth` of its metadata, when it has them), `metadata` (all of it), `data` (the
 * payload: off by default, since payloads may hold personal data and be large).
 *
 * @example
 * ```ts
 * withTrace(logger, { fields: ['causation', 'metadata'] });
 * ```
 */
export type TraceField = 'causation' | 'metadata' | 'data';

/**
 * Options of {@link withTrace} and {@link traceBus}, checked when they are called.
 *
 * @example
 * ```ts
 * withTrace(pino(), { level: 'info', fields: ['causation', 'data'] });
 * ```
 */
export interface TraceOptions {
  /**
   * The logger method every record is written with (failures included: `withLogging` is the
   * middleware for error-level logging). `traceBus` writes its `error` records with the
   * logger's `error` method when it has one.
   * @default 'debug'
   */
  readonly level?: TraceLevel;
  /**
   * Which optional fields a record about an event carries (see {@link TraceField}).
   * @default ['causation']
   */
  readonly fields?: readonly TraceField[];
}

/**
 * Where trace records go: a pino-shaped logger, whose methods take a structured object, then a
 * short message (`debug({ kind: 'handler.end', ... }, 'handler succeeded')`). Only the method
 * of the chosen level is required; pino, bunyan-style and most structured loggers fit as they
 * are. A logger that throws is ignored rather than allowed to fail a delivery.
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * const logger: TraceLogger = { debug: (record, msg) => lines.push(`${msg} ${record.kind}`) };
 * ```
 */
export interface TraceLogger {
  /** Writes a record at debug level. */
  debug?(record: TraceRecord, message: string): void;
  /** Writes a record at info level. */
  info?(record: TraceRecord, message: string): void;
  /** Writes a `traceBus` `error` record, when present; else the chosen level is used. */
  error?(record: TraceRecord, message: string): void;
}

/**
 * Traces each handler call to a pino-shaped logger as structured records: its start
 * (`handler.start`: event type and id, subscription, attempt, and causation and correlation
 * ids from the metadata) and its outcome (`handler.end`: `ok` or `failed`, the duration in
 * milliseconds, the error's name, code and message). The outcome passes through unchanged.
 * Outermost on the bus (`bus.use`), it records each delivery's final outcome; inside
 * `withRetry`, each try. Pair it with {@link traceBus} to see publications and causation too.
 *
 * @param logger - a pino-shaped logger with a method for the level (see {@link TraceLogger})
 * @param options - `level` and `fields` (see {@link TraceOptions})
 * @returns the middleware
 * @throws InvalidOptionError if the logger has no method for the level, or an option is bad or
 *   misspelt
 *
 * @example
 * ```ts
 * import pino from 'pino';
 * const logger = pino({ level: 'debug' });
 * bus.use(withTrace(logger));
 * const stop = traceBus(bus, logger);
 * // {"level":20,"kind":"handler.end","eventType":"order.paid","eventId":"...","subscription":"billing","attempt":1,"outcome":"ok","durationMs":1.2,"msg":"handler succeeded"}
 * ```
 */
export function withTrace(logger: TraceLogger, options?: TraceOptions): Middleware {
  const trace = tracer('withTrace', logger, options);
  return (next) => {
    assertHandler('withTrace', next);
    return async (event, ctx) => {
      const call = {
        ...trace.fieldsOf(event),
        subscription: ctx.subscription,
        attempt: ctx.attempt,
      };
      trace.write({ kind: 'handler.start', ...call }, 'handler started');
      const start = performance.now();
      try {
        await next(event, ctx);
      } catch (error) {
        const end = { kind: 'handler.end', ...call, outcome: 'failed' } as const;
        const failure = describeError(error);
        trace.write({ ...end, durationMs: elapsed(start), error: failure }, 'handler failed');
        throw error;
      }
      const end = { kind: 'handler.end', ...call, outcome: 'ok' } as const;
      trace.write({ ...end, durationMs: elapsed(start) }, 'handler succeeded');
    };
  };
}

/**
 * Traces a bus's own events to a pino-shaped logger: each local publication (`publish`: type,
 * id, causation), each drop (`drop`, with the overflow policy), each reported failure (`error`,
 * with the logger's `error` method when it has one) and the shutdown report (`shutdown`, in
 * counts). With {@link withTrace} on the same logger, a chain of events reads in order: the
 * publication, its handlers, what they published.
 *
 * While it traces, the bus has an `error` listener, so it no longer prints failures to the
 * console when it has no `onError`: the trace's `error` records are the report.
 *
 * @param bus - the bus to trace (anything with a `lifecycle`)
 * @param logger - a pino-shaped logger with a method for the level (see {@link TraceLogger})
 * @param options - `level` and `fields` (see {@link TraceOptions})
 * @returns a function that stops tracing; calling it again does nothing
 * @throws InvalidOptionError if the logger has no method for the level, or an option is bad or
 *   misspelt
 *
 * @example
 * ```ts
 * const stop = traceBus(bus, pino({ level: 'debug' }));
 * await bus.publish('order.paid', { orderId: 'o1', amount: 10 });
 * // {"level":20,"kind":"publish","eventType":"order.paid","eventId":"...","msg":"event published"}
 * stop();
 * ```
 */
export function traceBus(
  bus: { readonly lifecycle: Lifecycle },
  logger: TraceLogger,
  options?: TraceOptions,
): () => void {
  const trace = tracer('traceBus', logger, options);
  const { lifecycle } = bus;
  const offs = [
    lifecycle.on('publish', (event) => {
      trace.write({ kind: 'publish', ...trace.fieldsOf(event) }, 'event published');
    }),
    lifecycle.on('drop', ({ event, reason }) => {
      trace.write({ kind: 'drop', ...trace.fieldsOf(event), reason }, 'event dropped');
    }),
    lifecycle.on('error', (error) => {
      const record: ErrorRecord =
        error instanceof HandlerError
          ? {
              kind: 'error',
              error: describeError(error),
              eventType: error.event.type,
              eventId: error.event.id,
              subscription: error.subscription,
            }
          : { kind: 'error', error: describeError(error) };
      trace.write(record, 'bus reported an error', 'error');
    }),
    lifecycle.on('shutdown', (report) => {
      const { complete, durationMs, published, delivered, failed, dropped } = report;
      const undelivered = report.undelivered.length;
      trace.write(
        {
          kind: 'shutdown',
          complete,
          durationMs,
          published,
          delivered,
          failed,
          dropped,
          undelivered,
        },
        'bus shut down',
      );
    }),
  ];
  return () => {
    for (const off of offs.splice(0)) off();
  };
}

/** The checked options of one tracer, and how it writes. */
interface Tracer {
  /** The fields of a record about `event`, as the options chose them. */
  fieldsOf(event: AnyEvent): TracedEvent;
  /** Writes a record at the chosen level (or `error`, when asked and the logger has it). */
  write(record: TraceRecord, message: string, level?: 'error'): void;
}

const LEVELS: readonly TraceLevel[] = ['debug', 'info'];
const FIELDS: readonly TraceField[] = ['causation', 'metadata', 'data'];
const KEYS = ['level', 'fields'] as const satisfies readonly (keyof TraceOptions)[];

/** Checks the logger and the options once, when the tracer is made. */
function tracer(what: string, logger: TraceLogger, options: TraceOptions | undefined): Tracer {
  const { level, fields } = checkOptions(what, options);
  const method = typeof logger === 'object' && logger !== null ? logger[level] : undefined;
  if (typeof method !== 'function') {
    throw new InvalidOptionError(
      `${what}(logger)`,
      `a logger with a ${level} method, called as ${level}(record, message) (pino-shaped)`,
      logger,
    );
  }
  const causation = fields.includes('causation');
  const metadata = fields.includes('metadata');
  const data = fields.includes('data');
  return {
    fieldsOf(event) {
      const m = event.metadata;
      const causationId = causation ? m[MetadataKey.CausationId] : undefined;
      const correlationId = causation ? m[MetadataKey.CorrelationId] : undefined;
      const depth = causation ? m[MetadataKey.CausationDepth] : undefined;
      return {
        eventType: event.type,
        eventId: event.id,
        ...(causationId === undefined ? {} : { causationId }),
        ...(correlationId === undefined ? {} : { correlationId }),
        ...(depth === undefined ? {} : { causationDepth: Number(depth) }),
        ...(metadata ? { metadata: m } : {}),
        ...(data ? { data: event.data } : {}),
      };
    },
    write(record, message, preferred) {
      // Tracing must not change a delivery's outcome, and there is nowhere else to write to.
      callQuietly(() => {
        const errorMethod = preferred === undefined ? undefined : logger[preferred];
        return typeof errorMethod === 'function'
          ? errorMethod.call(logger, record, message)
          : method.call(logger, record, message);
      });
    },
  };
}

/** The options with their defaults, or an InvalidOptionError naming the bad one. */
function checkOptions(
  what: string,
  options: TraceOptions | undefined,
): { level: TraceLevel; fields: readonly TraceField[] } {
  if (options === undefined) return { level: 'debug', fields: ['causation'] };
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidOptionError(`${what}(logger, options)`, 'an object of options', options);
  }
  assertKnownOptions(what, options, KEYS);
  const { level = 'debug', fields = ['causation'] } = options;
  if (!LEVELS.includes(level)) {
    throw new InvalidOptionError(optionName(what, 'level'), `'debug' or 'info'`, level);
  }
  if (!Array.isArray(fields) || !fields.every((field) => FIELDS.includes(field))) {
    throw new InvalidOptionError(
      optionName(what, 'fields'),
      `an array of ${FIELDS.map((f) => `'${f}'`).join(', ')}`,
      fields,
    );
  }
  return { level, fields };
}
