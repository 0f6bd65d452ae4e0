import type { Handler } from '@gossip/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withDedupe, withRateLimit, withRetry, withTimeout } from '../src/index.js';
import { makeContext, makeEvent, nextTick, watchWarnings } from './fixtures.js';

const CALLS = 50;

/**
 * Starts CALLS calls of `handler` at once, all sharing one signal as they share the bus's
 * shutdown signal, waits for Node's warnings, then aborts the signal and lets the calls end.
 */
async function warningsOf(handler: Handler): Promise<string[]> {
  const warnings = watchWarnings();
  const controller = new AbortController();
  try {
    const calls = Array.from({ length: CALLS }, () =>
      Promise.resolve(
        handler(makeEvent({ id: 'same' }), makeContext({ signal: controller.signal })),
      ).catch(() => {}),
    );
    await vi.advanceTimersByTimeAsync(1);
    await nextTick();
    controller.abort(new Error('shutdown'));
    await Promise.all(calls);
    return warnings.seen;
  } finally {
    warnings.stop();
  }
}

const never = (): Promise<void> => new Promise<void>(() => {});

// Every call waits on the bus's one shutdown signal: a listener added per call would pile up
// on it, and Node warns (MaxListenersExceededWarning) past 10.
describe('middleware waiting on a signal shared by many calls', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('withTimeout runs 50 concurrent calls without a listener warning', async () => {
    expect(await warningsOf(withTimeout(60_000)(never))).toEqual([]);
  });

  it('withRetry waits between the tries of 50 concurrent calls without a listener warning', async () => {
    const failing = async (): Promise<void> => {
      throw new Error('fails');
    };
    expect(await warningsOf(withRetry({ attempts: 2, delay: 60_000 })(failing))).toEqual([]);
  });

  it('withRateLimit holds 50 waiting calls without a listener warning', async () => {
    expect(await warningsOf(withRateLimit({ perSecond: 0.001 })(async () => {}))).toEqual([]);
  });

  it('withDedupe holds 50 waiting duplicates without a listener warning', async () => {
    // Only the first call runs the handler; it ends when the signal aborts.
    const first: Handler = (_event, ctx) =>
      new Promise<void>((_resolve, reject) => {
        ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
      });
    expect(await warningsOf(withDedupe()(first))).toEqual([]);
  });
});
