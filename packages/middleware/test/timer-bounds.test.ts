import { InvalidOptionError } from '@gossip/core';
import { describe, expect, it, vi } from 'vitest';
import { withRateLimit, withRetry, withTimeout } from '../src/index.js';
import { makeContext, makeEvent } from './fixtures.js';

// Hosts run a setTimeout longer than 2^31 - 1 ms after 1 ms: such delays must be refused
// when the middleware is made, or clamped, never silently cut to 1 ms.
describe('delays longer than a timer can wait', () => {
  it('are refused by withTimeout and withRetry when the middleware is made', () => {
    expect(() => withTimeout(2 ** 31)).toThrow(InvalidOptionError);
    expect(() => withRetry({ delay: 2 ** 31 })).toThrow(InvalidOptionError);
    expect(() => withRetry({ delay: 10, maxDelay: 2 ** 31 })).toThrow(InvalidOptionError);
  });

  it('do not make withRateLimit re-arm its timer every millisecond while a call waits', async () => {
    // Fake time: 30 ms pass at once, and a timer cut to 1 ms would fire (and re-arm) 30 times.
    vi.useFakeTimers();
    try {
      const handler = withRateLimit({ perSecond: 1e-7 })(async () => {});
      const controller = new AbortController();
      await handler(makeEvent(), makeContext());
      const waiting = Promise.resolve(
        handler(makeEvent(), makeContext({ signal: controller.signal })),
      ).catch(() => {});
      const spy = vi.spyOn(globalThis, 'setTimeout');
      await vi.advanceTimersByTimeAsync(30);
      const armed = spy.mock.calls.length;
      spy.mockRestore();
      controller.abort();
      await waiting;
      expect(armed).toBeLessThan(3);
    } finally {
      vi.useRealTimers();
    }
  });
});
