import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type AnyEvent,
  BufferFullError,
  BusClosedError,
  createEventBus,
  EventDroppedError,
  HandlerError,
  InvalidOptionError,
  MetadataKey,
  type ShutdownReport,
  TimeoutError,
} from '../src/index.js';
import { gate, settle } from './fixtures.js';

type M = {
  'order.placed': { id: number };
  'stock.reserved': { id: number };
  'a.b': { n: number };
  'o.u': { id?: string };
};

const settleTimes = async (times: number) => {
  for (let i = 0; i < times; i++) await settle();
};

describe('edge cases', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('does not deadlock when handlers await ctx.publish on a full buffer under block', async () => {
    const bus = createEventBus<M>({ workers: 1, bufferSize: 1 });
    const reserved = vi.fn();
    bus.subscribe('order.placed', async (event, ctx) => {
      await ctx.publish('stock.reserved', { id: event.data.id });
    });
    bus.subscribe('stock.reserved', reserved);
    void bus.publish('order.placed', { id: 1 });
    void bus.publish('order.placed', { id: 2 });
    await settleTimes(5);
    expect(reserved).toHaveBeenCalledTimes(2);
    expect((await bus.shutdown({ timeout: 1000 })).complete).toBe(true);
  });

  it('treats an ordering key of undefined as a key like any other', async () => {
    const bus = createEventBus<M>();
    const seen: number[] = [];
    let n = 0;
    bus.subscribe('o.u', () => void seen.push(++n), {
      orderingKey: (event) => event.data.id as string,
    });
    for (let i = 0; i < 3; i++) await bus.publish('o.u', {});
    await bus.shutdown({ timeout: 1000 });
    expect(seen).toEqual([1, 2, 3]);
    expect(bus.stats().queued).toBe(0);
  });

  it('keeps loop protection when a received event carries a bogus causation depth', async () => {
    for (const depth of ['x', '-1000', '1.5']) {
      const loops: unknown[] = [];
      const bus = createEventBus<M>({ maxCausationDepth: 3, onError: (e) => loops.push(e) });
      let calls = 0;
      bus.subscribe('a.b', async (event, ctx) => {
        if (++calls > 50) return;
        await ctx.publish('a.b', event.data).catch(() => {});
      });
      await bus.receive({ type: 'a.b', data: { n: 0 }, metadata: { causationDepth: depth } });
      await bus.shutdown({ timeout: 1000 });
      expect(calls).toBe(4);
      expect(loops).toHaveLength(1);
    }
  });

  it('settles receive() parked behind the key of a subscription that has since unsubscribed', async () => {
    vi.useFakeTimers();
    const bus = createEventBus<M>();
    const never = gate();
    const off = bus.subscribe('o.u', () => never.promise, { orderingKey: () => 'k' });
    void bus.receive({ type: 'o.u', data: {} });
    const second = bus.receive({ type: 'o.u', data: {} });
    await vi.advanceTimersByTimeAsync(0);
    off();
    const report = bus.shutdown({ timeout: 10 });
    await vi.advanceTimersByTimeAsync(10);
    await report;
    const { errors } = await second;
    expect(errors[0]).toBeInstanceOf(BusClosedError);
  });

  it('settles publishSync at the shutdown deadline and reports its unfinished handlers', async () => {
    vi.useFakeTimers();
    const bus = createEventBus<M>();
    bus.subscribe('a.b', () => new Promise<void>(() => {}), { name: 'stuck' });
    const run = bus.publishSync('a.b', { n: 1 });
    const shutdown = bus.shutdown({ timeout: 10 });
    await vi.advanceTimersByTimeAsync(10);
    const report = await shutdown;
    const errors = await run;
    expect(errors[0]?.cause).toBeInstanceOf(TimeoutError);
    expect(report.complete).toBe(false);
    expect(report.undelivered).toEqual([
      expect.objectContaining({ subscription: 'stuck', reason: 'in-flight' }),
    ]);
  });

  it('returns a failing filter among the errors of receive and publishSync', async () => {
    const onError = vi.fn();
    const bus = createEventBus<M>({ onError });
    bus.subscribe('a.b', () => {}, {
      filter: () => {
        throw new Error('bad filter');
      },
    });
    expect((await bus.receive({ type: 'a.b', data: { n: 1 } })).errors).toHaveLength(1);
    expect(onError).toHaveBeenCalledTimes(1);
    const errors = await bus.publishSync('a.b', { n: 1 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(HandlerError);
    expect(onError).toHaveBeenCalledTimes(1); // publishSync returns, does not report
  });

  it('counts a publishSync handler that outlives its timeout once', async () => {
    vi.useFakeTimers();
    const bus = createEventBus<M>();
    bus.subscribe('a.b', () => new Promise<void>((resolve) => setTimeout(resolve, 200)));
    const run = bus.publishSync('a.b', { n: 1 }, { timeout: 100 });
    await vi.advanceTimersByTimeAsync(300);
    expect(await run).toHaveLength(1);
    const { delivered, failed } = bus.stats();
    expect(delivered + failed).toBe(1);
  });

  it('counts a synchronous thenable once and keeps inFlight at zero', async () => {
    const bus = createEventBus<M>();
    // biome-ignore lint/suspicious/noThenProperty: the point of the test is a hand-made thenable
    const thenable = { then: (ok: () => void) => ok() };
    bus.subscribe('a.b', () => thenable as unknown as Promise<void>);
    expect(await bus.publishSync('a.b', { n: 1 })).toEqual([]);
    expect(bus.stats()).toMatchObject({ inFlight: 0, delivered: 1 });
  });

  it('counts each running publishSync handler in flight', async () => {
    const bus = createEventBus<M>();
    const hold = gate();
    for (let i = 0; i < 3; i++) bus.subscribe('a.b', () => hold.promise);
    const run = bus.publishSync('a.b', { n: 1 });
    expect(bus.stats().inFlight).toBe(3);
    hold.open();
    await run;
    expect(bus.stats().inFlight).toBe(0);
  });

  it('returns an EventDroppedError from receive when its event is dropped', async () => {
    const bus = createEventBus<M>({ workers: 1, bufferSize: 1, overflow: 'drop-oldest' });
    const hold = gate();
    bus.subscribe('a.b', () => hold.promise);
    await bus.publish('a.b', { n: 0 });
    await settle();
    const received = bus.receive({ type: 'a.b', data: { n: 1 } });
    await settle();
    await bus.publish('a.b', { n: 2 });
    hold.open();
    const { errors } = await received;
    expect(errors[0]).toBeInstanceOf(EventDroppedError);
    expect(errors[0]).toMatchObject({ code: 'EVENT_DROPPED', reason: 'drop-oldest' });
    await bus.shutdown();
  });

  it('neither counts nor forwards an event refused with BufferFullError', async () => {
    const bus = createEventBus<M>({ workers: 1, bufferSize: 1, overflow: 'reject' });
    const forwarded = vi.fn();
    bus.lifecycle.on('publish', forwarded);
    const hold = gate();
    bus.subscribe('a.b', () => hold.promise);
    await bus.publish('a.b', { n: 0 });
    await settle();
    await bus.publish('a.b', { n: 1 });
    await expect(bus.publish('a.b', { n: 2 })).rejects.toThrow(BufferFullError);
    expect(forwarded).toHaveBeenCalledTimes(2);
    expect(bus.stats().published).toBe(2);
    hold.open();
    await bus.shutdown();
  });

  it('refuses bad publishSync options before anything is counted or forwarded', async () => {
    const bus = createEventBus<M>();
    const forwarded = vi.fn();
    bus.lifecycle.on('publish', forwarded);
    await expect(bus.publishSync('a.b', { n: 1 }, { timeout: -1 })).rejects.toThrow(
      InvalidOptionError,
    );
    await expect(bus.publishSync('a.b', { n: 1 }, { sequential: 'yes' as never })).rejects.toThrow(
      InvalidOptionError,
    );
    expect(forwarded).not.toHaveBeenCalled();
    expect(bus.stats().published).toBe(0);
  });

  it('answers next() calls made before events arrive, in order', async () => {
    const bus = createEventBus<M>();
    const stream = bus.stream('a.b');
    const first = stream.next();
    const second = stream.next();
    await bus.publish('a.b', { n: 1 });
    await bus.publish('a.b', { n: 2 });
    expect((await first).value?.data).toEqual({ n: 1 });
    expect((await second).value?.data).toEqual({ n: 2 });
    await stream.return();
  });

  it('rejects a pending once() with BusClosedError when the bus shuts down', async () => {
    const bus = createEventBus<M>();
    const next = bus.once('a.b');
    await bus.shutdown();
    await expect(next).rejects.toThrow(BusClosedError);
  });

  it('gives a shutdown listener that calls shutdown() the same promise', async () => {
    const bus = createEventBus<M>();
    let again: Promise<ShutdownReport> | undefined;
    bus.lifecycle.on('shutdown', () => {
      again = bus.shutdown();
    });
    const first = bus.shutdown();
    await first;
    expect(again).toBe(first);
  });

  it('accepts events published by handlers while shutdown drains', async () => {
    const bus = createEventBus<M>();
    const hold = gate();
    const reserved = vi.fn();
    bus.subscribe('order.placed', async (event, ctx) => {
      await hold.promise;
      await ctx.publish('stock.reserved', { id: event.data.id });
    });
    bus.subscribe('stock.reserved', reserved);
    await bus.publish('order.placed', { id: 1 });
    await settle();
    const report = bus.shutdown({ timeout: 1000 });
    await expect(bus.publish('order.placed', { id: 2 })).rejects.toThrow(BusClosedError);
    hold.open();
    expect((await report).complete).toBe(true);
    expect(reserved).toHaveBeenCalledTimes(1);
  });

  it('marks received events as remote', async () => {
    const bus = createEventBus<M>();
    const seen: AnyEvent[] = [];
    bus.subscribe('a.b', (event) => void seen.push(event));
    await bus.receive({ type: 'a.b', data: { n: 1 }, metadata: { source: 'nats' } });
    await bus.publish('a.b', { n: 2 });
    await settle();
    expect(seen[0]?.metadata).toEqual({ source: 'nats', [MetadataKey.Origin]: 'remote' });
    expect(seen[1]?.metadata[MetadataKey.Origin]).toBeUndefined();
  });

  it('copies metadata at publish and refuses values that are not strings', async () => {
    const bus = createEventBus<M>();
    const next = bus.once('a.b');
    const metadata: Record<string, string> = { requestId: 'r1' };
    const published = bus.publish('a.b', { n: 1 }, { metadata });
    metadata.requestId = 'changed';
    await published;
    expect((await next).metadata).toEqual({ requestId: 'r1' });
    await expect(bus.publish('a.b', { n: 1 }, { metadata: { n: 1 } as never })).rejects.toThrow(
      'Invalid option "publish({ metadata.n })": expected a string, received 1.',
    );
    for (const metadata of ['requestId=r1', null, ['r1']]) {
      await expect(
        bus.publish('a.b', { n: 1 }, { metadata: metadata as never }),
      ).rejects.toMatchObject({ code: 'INVALID_OPTION', option: 'publish({ metadata })' });
    }
    expect(bus.stats().published).toBe(1);
  });

  it('ends a stream at once when its signal aborts, dropping what it holds', async () => {
    const bus = createEventBus<M>();
    const controller = new AbortController();
    const stream = bus.stream('a.b', { signal: controller.signal });
    await bus.publish('a.b', { n: 1 });
    await settle();
    controller.abort();
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it('refuses priority names that are not levels, even those of Object.prototype', async () => {
    const bus = createEventBus<M>();
    for (const priority of ['urgent', 'constructor', 'toString']) {
      await expect(bus.publish('a.b', { n: 1 }, { priority: priority as never })).rejects.toThrow(
        InvalidOptionError,
      );
    }
  });

  it('refuses timeouts longer than a timer can wait (2^31 - 1 ms), which hosts cut to 1 ms', async () => {
    const bus = createEventBus<M>();
    await expect(bus.once('a.b', { timeout: 2 ** 31 })).rejects.toThrow(InvalidOptionError);
    await expect(bus.publishSync('a.b', { n: 1 }, { timeout: 2 ** 31 })).rejects.toThrow(
      InvalidOptionError,
    );
    await expect(bus.shutdown({ timeout: 2 ** 31 })).rejects.toThrow(
      /^Invalid option "shutdown\(\{ timeout \}\)": .*Infinity for no deadline/,
    );
    expect((await bus.shutdown({ timeout: Number.POSITIVE_INFINITY })).complete).toBe(true);
  });

  it('refuses a scheduler factory that does not make a scheduler', () => {
    expect(() => createEventBus({ scheduler: (() => ({})) as never })).toThrow(InvalidOptionError);
  });

  it('refuses an incoming event with a timestamp that is not a finite number or an empty id', async () => {
    const bus = createEventBus<M>();
    await expect(
      bus.receive({ type: 'a.b', data: { n: 1 }, timestamp: Number.NaN }),
    ).rejects.toThrow('"receive({ timestamp })"');
    await expect(bus.receive({ type: 'a.b', data: { n: 1 }, id: '' })).rejects.toThrow(
      '"receive({ id })"',
    );
  });

  it('leaves the bus unchanged when a middleware throws while wrapping', async () => {
    const bus = createEventBus<M>();
    const handler = vi.fn();
    bus.subscribe('a.b', handler);
    expect(() =>
      bus.use(() => {
        throw new Error('cannot wrap');
      }),
    ).toThrow('cannot wrap');
    await bus.publish('a.b', { n: 1 });
    await settle();
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('keeps per-subscription middleware state when bus middleware is added later', async () => {
    const bus = createEventBus<M>();
    let made = 0;
    bus.subscribe('a.b', () => {}, {
      middleware: [
        (next) => {
          made++;
          return next;
        },
      ],
    });
    bus.use((next) => next);
    bus.use((next) => next);
    expect(made).toBe(1);
  });
});
