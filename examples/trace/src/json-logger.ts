/**
 * A pino-shaped logger in a few lines: `debug(record, message)`, `info` and `error`, each
 * writing one JSON line with a numeric level, the time and the message under `msg`, as pino
 * does. `withTrace` and `traceBus` take any logger of this shape, so with pino itself this file
 * goes: `withTrace(pino({ level: 'debug' }))`.
 */
import type { TraceLogger, TraceRecord } from '@gossip/middleware';

/** pino's numbers for the levels the trace writes at. */
const LEVELS = { debug: 20, info: 30, error: 50 } as const;

/** One line as written: the record's fields, and pino's own. */
export type JsonLine = TraceRecord & {
  readonly level: number;
  readonly time: number;
  readonly msg: string;
};

/** A pino-shaped logger whose lines also stay in `lines`, for the tests. */
export interface JsonLogger extends Required<TraceLogger> {
  readonly lines: JsonLine[];
}

/**
 * Makes the logger. `print` receives each line as JSON text (`console.log` in `pnpm start`); the
 * lines are kept as objects as well.
 */
export function createJsonLogger(print: (text: string) => void = () => {}): JsonLogger {
  const lines: JsonLine[] = [];
  const at =
    (level: keyof typeof LEVELS) =>
    (record: TraceRecord, msg: string): void => {
      const line = { level: LEVELS[level], time: Date.now(), ...record, msg };
      lines.push(line);
      print(JSON.stringify(line));
    };
  return { lines, debug: at('debug'), info: at('info'), error: at('error') };
}
