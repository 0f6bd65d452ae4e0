import { InvalidOptionError, type Middleware } from '@gossip/core';
import { assertHandler, assertOneOf, optionsOf } from './assert.js';
import { callQuietly } from './call-quietly.js';
import { elapsed } from './elapsed.js';

/**
 * A logger withLogging can write to: console-shaped (`info(message, ...args)`, as `console`
 * is) or pino-shaped (`info(object, message)`, as pino is). `info` and `error` are required;
 * `debug` is used for the start of each call when present, else `info`.
 *
 * @example
 * ```ts
 * const logger: Logger = { info: (m, ...a) => lines.push([m, ...a]), error: (m, ...a) => errors.push([m, ...a]) };
 * ```
 */
export interface Logger {
  /** Logs a success. */
  info(message: unknown, ...args: unknown[]): void;
  /** Logs a failure. */
  error(message: unknown, ...args: unknown[]): void;
  /** Logs the start of a call; `info` is used instead when the logger has no `debug`. */
  debug?(message: unknown, ...args: unknown[]): void;
}

/**
 * How log lines are shaped: `console` writes a message then a fields object
 * (`info('Handled "order.paid" ...', { eventType, ... })`); `pino` writes the fields object
 * then a short message (`info({ eventType, ... }, 'event handled')`), the failure under `err`.
 *
 * @example
 * ```ts
 * withLogging({ logger: myStructuredLogger, style: 'pino' });
 * ```
 */
export type LogStyle = 'console' | 'pino';

/**
 * Options of {@link withLogging}.
 *
 * @example
 * ```ts
 * withLogging({ logger: pino() });
 * withLogging({ logger: 'console' });
 * ```
 */
export interface LoggingOptions {
  /**
   * Where to log: a console- or pino-shaped {@link Logger}, or `'console'` for the global
   * console. Required: nothing is ever logged to the console unless you ask for it.
   */
  readonly logger: Logger | 'console';
  /**
   * The shape of each log call.
   * @default 'pino' for a logger with a string `level` and a `child` method (pino and its
   * kin), else 'console'
   */
  readonly style?: LogStyle;
}

/** The fields of every log line of one handler call. */
interface Fields {
  readonly eventType: string;
  readonly eventId: string;
  readonly subscription: string;
  readonly attempt: number;
}

const STYLES: readonly LogStyle[] = ['console', 'pino'];

/**
 * Logs each handler call: its start (at `debug`), its success with the duration in
 * milliseconds (at `info`), its failure with the duration and the error (at `error`). The
 * outcome passes through unchanged: a failure is rethrown as it was. A logger that throws is
 * ignored rather than allowed to fail the delivery.
 *
 * @param options - `logger` (required) and `style`
 * @returns the middleware
 * @throws InvalidOptionError if `logger` is missing or has no `info` and `error` methods, or the
 *   options hold a key that is not an option (a misspelt one)
 *
 * @example
 * ```ts
 * import pino from 'pino';
 * bus.use(withLogging({ logger: pino() }));
 * // {"level":30,"eventType":"order.paid","eventId":"...","subscription":"billing","attempt":1,"durationMs":12,"msg":"event handled"}
 * ```
 */
export function withLogging(options: LoggingOptions): Middleware {
  const { logger: given, style: chosen } = optionsOf('withLogging', options, ['logger', 'style']);
  const logger = given === 'console' ? console : given;
  if (!isLogger(logger)) {
    throw new InvalidOptionError(
      'withLogging({ logger })',
      "'console' or a logger with info and error methods (console- or pino-shaped)",
      given,
    );
  }
  if (chosen !== undefined) assertOneOf('withLogging({ style })', chosen, STYLES);
  const style = chosen ?? (looksLikePino(logger) ? 'pino' : 'console');
  const log = (level: 'debug' | 'info' | 'error', ...args: unknown[]): void => {
    // Logging must not change a delivery's outcome, and there is nowhere else to log to.
    callQuietly(() => {
      const method = level === 'debug' ? (logger.debug ?? logger.info) : logger[level];
      return method.call(logger, ...(args as [unknown, ...unknown[]]));
    });
  };

  return (next) => {
    assertHandler('withLogging', next);
    return async (event, ctx) => {
      const fields: Fields = {
        eventType: event.type,
        eventId: event.id,
        subscription: ctx.subscription,
        attempt: ctx.attempt,
      };
      const where = `"${event.type}" (${event.id}) in "${ctx.subscription}"`;
      if (style === 'pino') log('debug', fields, 'handling event');
      else log('debug', `Handling ${where}`, fields);
      const start = performance.now();
      try {
        await next(event, ctx);
      } catch (error) {
        const durationMs = elapsed(start);
        if (style === 'pino')
          log('error', { ...fields, durationMs, err: error }, 'event handler failed');
        else
          log('error', `Failed ${where} after ${durationMs} ms`, { ...fields, durationMs }, error);
        throw error;
      }
      const durationMs = elapsed(start);
      if (style === 'pino') log('info', { ...fields, durationMs }, 'event handled');
      else log('info', `Handled ${where} in ${durationMs} ms`, { ...fields, durationMs });
    };
  };
}

function isLogger(value: unknown): value is Logger {
  if (typeof value !== 'object' || value === null) return false;
  const { info, error, debug } = value as Record<string, unknown>;
  return (
    typeof info === 'function' &&
    typeof error === 'function' &&
    (debug === undefined || typeof debug === 'function')
  );
}

function looksLikePino(logger: Logger): boolean {
  const { level, child } = logger as unknown as Record<string, unknown>;
  return typeof level === 'string' && typeof child === 'function';
}
