import { type AnyEvent, createEventBus, InvalidOptionError } from '@gossip/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withDedupe } from '../src/index.js';
import { makeContext, makeEvent, rejectionOf, type TestEvents } from './fixtures.js';

describe('withDedupe', () => {
  it('stops a duplicate waiting for a hanging first call when its own signal aborts', async () => {
    const deduped = withDedupe()(() => new Promise<void>(() => {}));
    const event = makeEvent();
    void deduped(event, makeContext());
    const controller = new AbortController();
    const duplicate = deduped(event, makeContext({ signal: controller.signal }));
    controller.abort(new Error('shutting down'));
    await expect(duplicate).rejects.toThrow('shutting down');
  });

  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('skips an event already handled successfully, by event id', async () => {
    const handler = vi.fn();
    const onDuplicate = vi.fn();
    const deduped = withDedupe({ onDuplicate })(handler);
    const event = makeEvent({ id: 'e1' });
    await deduped(event, makeContext());
    await deduped({ ...event }, makeContext());
    await deduped(makeEvent({ id: 'e2' }), makeContext());
    expect(handler.mock.calls.map(([e]) => (e as AnyEvent).id)).toEqual(['e1', 'e2']);
    expect(onDuplicate).toHaveBeenCalledTimes(1);
    expect(onDuplicate).toHaveBeenCalledWith(event);
  });

  it('skips 100 000 duplicates waiting for the first call, in arrival order', async () => {
    let finish = (): void => {};
    const skipped: number[] = [];
    const deduped = withDedupe({
      onDuplicate: (event) => skipped.push((event.data as { n: number }).n),
    })(
      () =>
        new Promise<void>((resolve) => {
          finish = resolve;
        }),
    );
    const ctx = makeContext();
    const calls = Array.from({ length: 100_001 }, (_, n) =>
      deduped(makeEvent({ id: 'same', data: { n } }), ctx),
    );
    finish();
    await Promise.all(calls);
    expect(skipped).toEqual(Array.from({ length: 100_000 }, (_, n) => n + 1));
  }, 30_000);

  it('handles a failed event again when it comes back', async () => {
    let fail = true;
    const handler = vi.fn(() => {
      if (fail) throw new Error('first try fails');
    });
    const deduped = withDedupe()(handler);
    const event = makeEvent({ id: 'e1' });
    await rejectionOf(deduped(event, makeContext()));
    fail = false;
    await deduped(event, makeContext());
    await deduped(event, makeContext());
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it('forgets a key after ttl milliseconds', async () => {
    const handler = vi.fn();
    const deduped = withDedupe({ ttl: 1000 })(handler);
    const event = makeEvent({ id: 'e1' });
    await deduped(event, makeContext());
    await vi.advanceTimersByTimeAsync(999);
    await deduped(event, makeContext());
    expect(handler).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    await deduped(event, makeContext());
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it('remembers at most maxEntries keys, forgetting the oldest first', async () => {
    const handler = vi.fn();
    const deduped = withDedupe({ maxEntries: 2 })(handler);
    for (const id of ['a', 'b', 'c']) await deduped(makeEvent({ id }), makeContext());
    await deduped(makeEvent({ id: 'c' }), makeContext());
    await deduped(makeEvent({ id: 'b' }), makeContext());
    expect(handler).toHaveBeenCalledTimes(3);
    await deduped(makeEvent({ id: 'a' }), makeContext());
    expect(handler).toHaveBeenCalledTimes(4);
  });

  it('makes a duplicate that arrives while the first runs wait, then skips it', async () => {
    let release = () => {};
    const handler = vi.fn(
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    );
    const deduped = withDedupe()(handler);
    const event = makeEvent({ id: 'e1' });
    const first = deduped(event, makeContext());
    const second = deduped(event, makeContext());
    await vi.advanceTimersByTimeAsync(0);
    expect(handler).toHaveBeenCalledTimes(1);
    release();
    await Promise.all([first, second]);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('runs a waiting duplicate when the first fails', async () => {
    let reject = (_error: Error) => {};
    const handler = vi
      .fn<() => Promise<void>>()
      .mockImplementationOnce(
        () =>
          new Promise<void>((_resolve, rejectWith) => {
            reject = rejectWith;
          }),
      )
      .mockResolvedValue(undefined);
    const deduped = withDedupe()(handler);
    const event = makeEvent({ id: 'e1' });
    const first = rejectionOf(deduped(event, makeContext()));
    const second = deduped(event, makeContext());
    reject(new Error('first failed'));
    expect(await first).toEqual(new Error('first failed'));
    await second;
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it('uses the key given, such as an idempotency key from metadata', async () => {
    const handler = vi.fn();
    const deduped = withDedupe({ key: (event) => event.metadata.idempotencyKey ?? event.id })(
      handler,
    );
    await deduped(makeEvent({ id: 'e1', metadata: { idempotencyKey: 'pay-42' } }), makeContext());
    await deduped(makeEvent({ id: 'e2', metadata: { idempotencyKey: 'pay-42' } }), makeContext());
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('on a live bus, skips a redelivered event per subscription and counts it delivered', async () => {
    const bus = createEventBus<TestEvents>();
    bus.use(withDedupe());
    const a = vi.fn();
    const b = vi.fn();
    bus.subscribe('order.paid', a);
    bus.subscribe('order.paid', b, { middleware: [withDedupe()] });
    const message = { id: 'broker-1', type: 'order.paid', data: { orderId: 'o1', amount: 1 } };
    await bus.receive(message);
    await bus.receive(message);
    const report = await bus.shutdown();
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledTimes(1);
    expect(report.delivered).toBe(4);
  });

  it('refuses bad options when made', () => {
    expect(() => withDedupe({ ttl: 0 })).toThrow(InvalidOptionError);
    expect(() => withDedupe({ ttl: -1 })).toThrow(/withDedupe\(\{ ttl \}\)/);
    expect(() => withDedupe({ maxEntries: 0 })).toThrow(/withDedupe\(\{ maxEntries \}\)/);
    expect(() => withDedupe({ key: 'id' as never })).toThrow(/withDedupe\(\{ key \}\)/);
    expect(() => withDedupe({ onDuplicate: 1 as never })).toThrow(/onDuplicate/);
  });

  it('refuses a misspelt option when made, suggesting the right one', () => {
    expect(() => withDedupe({ tll: 1000 } as never)).toThrow(InvalidOptionError);
    expect(() => withDedupe({ tll: 1000 } as never)).toThrow(
      'Invalid option "withDedupe({ tll })": expected a known option (did you mean "ttl"?), received 1000.',
    );
    expect(() => withDedupe({ maxEntry: 5 } as never)).toThrow('(did you mean "maxEntries"?)');
  });
});
