import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createEventBus,
  ErrorCode,
  type HandlerError,
  InvalidOptionError,
  TimeoutError,
} from '@gossip/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chain, withRecovery, withTimeout } from '../src/index.js';
import { makeContext, makeEvent, rejectionOf, type TestEvents } from './fixtures.js';

/** Resolves after `ms` of (fake) time, ignoring any signal. */
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Collects unhandled rejections while a test runs. */
function watchUnhandled() {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', listener);
  return { seen, stop: () => process.off('unhandledRejection', listener) };
}

/** Lets the process report unhandled rejections (it does so after the microtask queue drains). */
const settleRealTime = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('withTimeout', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('passes a fast handler through', async () => {
    const handler = vi.fn(async () => {
      await pause(10);
    });
    const done = withTimeout(100)(handler)(makeEvent(), makeContext());
    await vi.advanceTimersByTimeAsync(10);
    await expect(done).resolves.toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('fails a slow handler that honours the signal with a TimeoutError, and aborts it', async () => {
    let reason: unknown;
    const done = withTimeout(100)(
      (_event, ctx) =>
        new Promise<void>((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => {
            reason = ctx.signal.reason;
            reject(ctx.signal.reason);
          });
        }),
    )(makeEvent({ type: 'report.requested', id: 'e1' }), makeContext());
    const outcome = rejectionOf(done);
    await vi.advanceTimersByTimeAsync(100);
    const error = await outcome;
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).code).toBe(ErrorCode.Timeout);
    expect((error as TimeoutError).timeout).toBe(100);
    expect((error as TimeoutError).message).toBe(
      'Handler "billing" for event "report.requested" (e1) timed out after 100 ms.',
    );
    expect(reason).toBe(error);
  });

  it('fails a slow handler that ignores the signal at the deadline, not when it ends', async () => {
    let finished = false;
    const done = withTimeout(100)(async () => {
      await pause(1000);
      finished = true;
    })(makeEvent(), makeContext());
    const outcome = rejectionOf(done);
    await vi.advanceTimersByTimeAsync(100);
    expect(await outcome).toBeInstanceOf(TimeoutError);
    expect(finished).toBe(false);
    await vi.advanceTimersByTimeAsync(900);
    expect(finished).toBe(true);
  });

  it('passes a handler error that comes before the deadline through unchanged', async () => {
    const boom = new Error('bad request');
    const done = withTimeout(100)(async () => {
      await pause(10);
      throw boom;
    })(makeEvent(), makeContext());
    const outcome = rejectionOf(done);
    await vi.advanceTimersByTimeAsync(10);
    expect(await outcome).toBe(boom);
    const sync = rejectionOf(
      withTimeout(100)(() => {
        throw boom;
      })(makeEvent(), makeContext()),
    );
    expect(await sync).toBe(boom);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('catches the late rejection of an abandoned handler and hands it to onLateError', async () => {
    const unhandled = watchUnhandled();
    try {
      const onLateError = vi.fn();
      const event = makeEvent();
      const done = withTimeout(50, { onLateError })(async () => {
        await pause(200);
        throw new Error('late failure');
      })(event, makeContext());
      const outcome = rejectionOf(done);
      await vi.advanceTimersByTimeAsync(50);
      expect(await outcome).toBeInstanceOf(TimeoutError);
      await vi.advanceTimersByTimeAsync(150);
      await settleRealTime();
      expect(onLateError).toHaveBeenCalledWith(
        expect.objectContaining({ message: 'late failure' }),
        event,
      );

      // Without onLateError, and with an onLateError that throws, nothing escapes either.
      for (const options of [
        undefined,
        {
          onLateError: () => {
            throw new Error('hook');
          },
        },
      ]) {
        const late = withTimeout(
          50,
          options,
        )(async () => {
          await pause(200);
          throw new Error('late');
        })(makeEvent(), makeContext());
        const lateOutcome = rejectionOf(late);
        await vi.advanceTimersByTimeAsync(200);
        expect(await lateOutcome).toBeInstanceOf(TimeoutError);
      }
      await settleRealTime();
      expect(unhandled.seen).toEqual([]);
    } finally {
      unhandled.stop();
    }
  });

  it('forwards an abort of the outer signal to the handler', async () => {
    const outer = new AbortController();
    const handler = vi.fn(
      (_event: unknown, ctx: { signal: AbortSignal }) =>
        new Promise<void>((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
        }),
    );
    const done = withTimeout(1000)(handler)(makeEvent(), makeContext({ signal: outer.signal }));
    const outcome = rejectionOf(done);
    outer.abort(new Error('shutting down'));
    expect(await outcome).toEqual(new Error('shutting down'));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('fails at once with the outer reason, and clears its timer, when the outer signal aborts', async () => {
    const outer = new AbortController();
    const late: unknown[] = [];
    const done = withTimeout(60_000, { onLateError: (error) => late.push(error) })(async () => {
      await pause(100);
      throw new Error('ignored the signal');
    })(makeEvent(), makeContext({ signal: outer.signal }));
    const outcome = rejectionOf(done);
    outer.abort(new Error('shutdown deadline'));
    expect(await outcome).toEqual(new Error('shutdown deadline'));
    await vi.advanceTimersByTimeAsync(100);
    expect(late).toEqual([new Error('ignored the signal')]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not run the handler when the outer signal has already aborted', async () => {
    const outer = new AbortController();
    outer.abort(new Error('shut down'));
    const handler = vi.fn(async () => {});
    const done = withTimeout(100)(handler)(makeEvent(), makeContext({ signal: outer.signal }));
    expect(await rejectionOf(done)).toEqual(new Error('shut down'));
    expect(handler).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not leave the seed fault: the timed-out handler is told to stop and its error is not lost', async () => {
    const unhandled = watchUnhandled();
    try {
      const reported: HandlerError[] = [];
      let aborted = false;
      const late: unknown[] = [];
      const bus = createEventBus<TestEvents>({
        onError: (error) => reported.push(error as HandlerError),
      });
      bus.subscribe(
        'order.paid',
        async (_event, ctx) => {
          ctx.signal.addEventListener('abort', () => {
            aborted = true;
          });
          await pause(500);
          throw new Error('panic after the deadline');
        },
        { middleware: [withTimeout(100, { onLateError: (error) => late.push(error) })] },
      );
      await bus.publish('order.paid', { orderId: 'o1', amount: 1 });
      await vi.advanceTimersByTimeAsync(100);
      expect(aborted).toBe(true);
      expect(reported).toHaveLength(1);
      expect(reported[0]?.cause).toBeInstanceOf(TimeoutError);
      await vi.advanceTimersByTimeAsync(400);
      expect(late).toEqual([new Error('panic after the deadline')]);
      const report = await bus.shutdown();
      expect(report.failed).toBe(1);
      await settleRealTime();
      expect(unhandled.seen).toEqual([]);
    } finally {
      unhandled.stop();
    }
  });

  it('reports, not crashes, behind withRecovery around a throwing handler', async () => {
    const unhandled = watchUnhandled();
    try {
      const reported: HandlerError[] = [];
      const bus = createEventBus<TestEvents>({
        onError: (error) => reported.push(error as HandlerError),
      });
      bus.subscribe(
        'order.paid',
        () => {
          throw 'panic';
        },
        { middleware: [chain(withRecovery(), withTimeout(100))] },
      );
      bus.subscribe(
        'order.paid',
        async () => {
          await pause(1000);
          throw new Error('too late');
        },
        { name: 'slow', middleware: [chain(withRecovery(), withTimeout(100))] },
      );
      await bus.publish('order.paid', { orderId: 'o1', amount: 1 });
      await vi.advanceTimersByTimeAsync(1000);
      const report = await bus.shutdown();
      expect(report.failed).toBe(2);
      expect(reported.map((error) => error.subscription)).toEqual(['order.paid', 'slow']);
      expect(reported[0]?.cause).toBe('panic');
      expect(reported[1]?.cause).toBeInstanceOf(TimeoutError);
      await settleRealTime();
      expect(unhandled.seen).toEqual([]);
    } finally {
      unhandled.stop();
    }
  });

  it('refuses a timeout of 0 or less, or not a number, when made', () => {
    expect(() => withTimeout(0)).toThrow(InvalidOptionError);
    expect(() => withTimeout(-5)).toThrow(/withTimeout\(\{ ms \}\)/);
    expect(() => withTimeout(Number.POSITIVE_INFINITY)).toThrow(/finite number above 0/);
    expect(() => withTimeout('5s' as never)).toThrow(InvalidOptionError);
    expect(() => withTimeout(10, { onLateError: 1 as never })).toThrow(/onLateError/);
    expect(() => withTimeout(10)({} as never)).toThrow(InvalidOptionError);
  });

  it('refuses a misspelt option when made, suggesting the right one', () => {
    expect(() => withTimeout(10, { onLateErorr: 1 } as never)).toThrow(InvalidOptionError);
    expect(() => withTimeout(10, { onLateErorr: 1 } as never)).toThrow(
      'Invalid option "withTimeout({ onLateErorr })": expected a known option (did you mean "onLateError"?), received 1.',
    );
  });
});

/** How a child process ended: its exit code, or the signal that killed it. */
interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
}

/**
 * Runs a TypeScript script from source in a child `node` (through tsx, with the `@gossip/source`
 * export condition the tests use), and kills it if it has not exited after `killAfter` ms.
 */
function runScript(script: string, killAfter: number): Promise<Exit> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const path = fileURLToPath(new URL(script, import.meta.url));
  return new Promise<Exit>((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@gossip/source', '--import', tsx, path], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), killAfter);
    child.on('error', (error) => {
      clearTimeout(killer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, output });
    });
  });
}

describe('withTimeout in a process that shuts its bus down', () => {
  it('lets the process exit on its own while an abandoned handler ignores its signal', async () => {
    // Killed after 20 s: well before the 60 s deadline, and far beyond a normal start.
    const exit = await runScript('./scripts/shutdown-with-stuck-timeout.ts', 20_000);
    expect(exit).toEqual({ code: 0, signal: null, output: 'shutdown complete: false\n' });
  }, 30_000);
});
