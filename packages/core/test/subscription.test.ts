import { afterEach, describe, expect, it, vi } from 'vitest';
import { BusClosedError, createEventBus, InvalidOptionError, TimeoutError } from '../src/index.js';
import { type AppEvents, settle } from './fixtures.js';

const deleted = { userId: 'u1' };

describe('unsubscribe', () => {
  it('stops delivery when the returned function is called', async () => {
    const bus = createEventBus<AppEvents>();
    const handler = vi.fn();
    const off = bus.subscribe('user.deleted', handler);
    await bus.publish('user.deleted', deleted);
    await settle();
    off();
    off(); // a second call does nothing
    await bus.publish('user.deleted', deleted);
    await settle();
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('stops delivery when disposed with `using`', async () => {
    const bus = createEventBus<AppEvents>();
    const handler = vi.fn();
    {
      using _sub = bus.subscribe('user.deleted', handler);
      await bus.publish('user.deleted', deleted);
      await settle();
    }
    await bus.publish('user.deleted', deleted);
    await settle();
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('stops delivery when its AbortSignal aborts', async () => {
    const bus = createEventBus<AppEvents>();
    const handler = vi.fn();
    const controller = new AbortController();
    bus.subscribe('user.deleted', handler, { signal: controller.signal });
    await bus.publish('user.deleted', deleted);
    await settle();
    controller.abort();
    await bus.publish('user.deleted', deleted);
    await settle();
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('does not subscribe with an already aborted signal', async () => {
    const bus = createEventBus<AppEvents>();
    const handler = vi.fn();
    bus.subscribe('user.deleted', handler, { signal: AbortSignal.abort() });
    await bus.publish('user.deleted', deleted);
    await settle();
    expect(handler).not.toHaveBeenCalled();
  });

  it('skips queued events of a subscription that unsubscribed before they ran', async () => {
    const bus = createEventBus<AppEvents>();
    const handler = vi.fn();
    const off = bus.subscribe('user.deleted', handler);
    const published = bus.publish('user.deleted', deleted);
    off();
    await published;
    await settle();
    expect(handler).not.toHaveBeenCalled();
  });

  it('is safe during dispatch: a handler unsubscribing another does not disturb this event', async () => {
    const bus = createEventBus<AppEvents>();
    const calls: string[] = [];
    const offs: Array<() => void> = [];
    bus.subscribe('user.deleted', () => {
      calls.push('first');
      for (const off of offs) off();
    });
    offs.push(bus.subscribe('user.deleted', () => void calls.push('second')));
    bus.subscribe('user.deleted', () => void calls.push('third'));
    await bus.publish('user.deleted', deleted);
    await bus.publish('user.deleted', deleted);
    await settle();
    expect(calls).toEqual(['first', 'third', 'first', 'third']);
  });

  it('never removes another subscription of the same handler (ids are not reused)', async () => {
    const bus = createEventBus<AppEvents>();
    const handler = vi.fn();
    const first = bus.subscribe('user.deleted', handler);
    bus.subscribe('user.deleted', handler);
    first();
    first();
    await bus.publish('user.deleted', deleted);
    await settle();
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('works when destructured from the bus', async () => {
    const { subscribe, publish } = createEventBus<AppEvents>();
    const handler = vi.fn();
    subscribe('user.deleted', handler);
    await publish('user.deleted', deleted);
    await settle();
    expect(handler).toHaveBeenCalledTimes(1);
  });
});

describe('once', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves with the next matching event and then stops listening', async () => {
    const bus = createEventBus<AppEvents>();
    const next = bus.once('user.*');
    await bus.publish('order.paid', { orderId: 'o1', amount: 1 });
    await bus.publish('user.deleted', deleted);
    await bus.publish('user.deleted', { userId: 'u2' });
    const event = await next;
    expect(event.type).toBe('user.deleted');
    expect(event.data).toEqual(deleted);
    await settle();
    expect(bus.stats().delivered).toBe(1);
  });

  it('waits for an event its filter accepts', async () => {
    const bus = createEventBus<AppEvents>();
    const next = bus.once('user.deleted', { filter: (event) => event.data.userId === 'u2' });
    await bus.publish('user.deleted', deleted);
    await bus.publish('user.deleted', { userId: 'u2' });
    expect((await next).data.userId).toBe('u2');
  });

  it('rejects with a TimeoutError when nothing comes in time', async () => {
    vi.useFakeTimers();
    const bus = createEventBus<AppEvents>();
    const next = bus.once('user.deleted', { timeout: 100 });
    const assertion = expect(next).rejects.toThrow(TimeoutError);
    await vi.advanceTimersByTimeAsync(100);
    await assertion;
    await bus.publish('user.deleted', deleted);
    await vi.runAllTimersAsync();
    expect(bus.stats().delivered).toBe(0);
  });

  it('rejects with the reason of its signal', async () => {
    const bus = createEventBus<AppEvents>();
    const controller = new AbortController();
    const next = bus.once('user.deleted', { signal: controller.signal });
    controller.abort(new Error('no longer needed'));
    await expect(next).rejects.toThrow('no longer needed');
    await expect(
      bus.once('user.deleted', { signal: AbortSignal.abort(new Error('already')) }),
    ).rejects.toThrow('already');
  });

  it('refuses bad options through its promise, as a bad pattern: a timeout that is not a positive number, a misspelt option, a filter that is not a function', async () => {
    const bus = createEventBus<AppEvents>();
    for (const options of [{ timeout: 0 }, { tiemout: 5 }, { filter: 1 }]) {
      const waiting = bus.once('user.deleted', options as never);
      await expect(waiting).rejects.toThrow(InvalidOptionError);
    }
    await expect(bus.once('user..deleted' as never)).rejects.toThrow(InvalidOptionError);
    expect(bus.subscriptions()).toEqual([]);
  });
});

describe('subscribe refuses bad input', () => {
  const bus = createEventBus<AppEvents>();
  const subscribe = bus.subscribe as (
    pattern: unknown,
    handler: unknown,
    options?: unknown,
  ) => unknown;

  it.each([
    ['a handler that is not a function', 'user.deleted', 'nope', undefined, 'subscribe(handler)'],
    ['a pattern that is not a string', 42, () => {}, undefined, 'subscribe(pattern)'],
    [
      'a filter that is not a function',
      'user.deleted',
      () => {},
      { filter: true },
      'subscribe({ filter })',
    ],
    [
      'an ordering key that is not a function',
      'user.deleted',
      () => {},
      { orderingKey: 'id' },
      'subscribe({ orderingKey })',
    ],
    [
      'a signal that is not an AbortSignal',
      'user.deleted',
      () => {},
      { signal: {} },
      'subscribe({ signal })',
    ],
    ['an empty name', 'user.deleted', () => {}, { name: '' }, 'subscribe({ name })'],
    [
      'middleware that is not a function',
      'user.deleted',
      () => {},
      { middleware: [1] },
      'subscribe({ middleware[0] })',
    ],
  ])('refuses %s, naming the option', (_, pattern, handler, options, option) => {
    let error: unknown;
    try {
      subscribe(pattern, handler, options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ code: 'INVALID_OPTION', option });
  });

  it('refuses to subscribe to a closed bus', async () => {
    const closed = createEventBus<AppEvents>();
    await closed.shutdown();
    expect(() => closed.subscribe('user.deleted', () => {})).toThrow(BusClosedError);
  });
});
