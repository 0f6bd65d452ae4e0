import { createEventBus, type Middleware } from '@gossip/core';
import { describe, expectTypeOf, it } from 'vitest';
import { type TraceLogger, type TraceRecord, traceBus, withTrace } from '../src/index.js';

/** pino's LogFn, as its types declare it: overloads over an object or a message. */
interface LogFn {
  <T extends object>(obj: T, msg?: string, ...args: unknown[]): void;
  (obj: unknown, msg?: string, ...args: unknown[]): void;
  (msg: string, ...args: unknown[]): void;
}
declare const pinoLike: { level: string; debug: LogFn; info: LogFn; error: LogFn; warn: LogFn };

describe('withTrace types', () => {
  it('takes a pino logger as it is, and returns a core Middleware', () => {
    expectTypeOf(withTrace(pinoLike)).toEqualTypeOf<Middleware>();
    expectTypeOf(traceBus(createEventBus(), pinoLike)).toEqualTypeOf<() => void>();
  });

  it('hands an adapter the records as a union discriminated by kind', () => {
    const adapter: TraceLogger = {
      debug(record) {
        expectTypeOf(record).toEqualTypeOf<TraceRecord>();
        if (record.kind === 'handler.end') {
          expectTypeOf(record.outcome).toEqualTypeOf<'ok' | 'failed'>();
          expectTypeOf(record.error?.code).toEqualTypeOf<string | undefined>();
        }
      },
    };
    withTrace(adapter);
  });

  it('refuses a string-only logger and options of the wrong type', () => {
    // @ts-expect-error a trace record is an object, not a message
    withTrace({ debug: (message: string) => message.length });
    // @ts-expect-error no such level
    withTrace(pinoLike, { level: 'warn' });
    // @ts-expect-error no such field
    withTrace(pinoLike, { fields: ['payload'] });
  });
});
