import { afterEach, describe, expect, it, vi } from 'vitest';
import { BusClosedError, createEventBus, HandlerError, TimeoutError } from '../src/index.js';
import { type AppEvents, settle } from './fixtures.js';

describe('publishSync', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs every handler before it resolves', async () => {
    const bus = createEventBus<AppEvents>();
    const done: string[] = [];
    bus.subscribe('user.deleted', async () => {
      await settle();
      done.push('slow');
    });
    bus.subscribe('user.deleted', () => void done.push('fast'));
    const errors = await bus.publishSync('user.deleted', { userId: 'u1' });
    expect(errors).toEqual([]);
    expect(done.sort()).toEqual(['fast', 'slow']);
  });

  it('runs handlers concurrently by default', async () => {
    const bus = createEventBus<AppEvents>();
    let running = 0;
    let peak = 0;
    const handler = async () => {
      running++;
      peak = Math.max(peak, running);
      await settle();
      running--;
    };
    bus.subscribe('user.deleted', handler);
    bus.subscribe('user.deleted', handler);
    bus.subscribe('user.deleted', handler);
    await bus.publishSync('user.deleted', { userId: 'u1' });
    expect(peak).toBe(3);
  });

  it('runs handlers one after another in subscription order with `sequential`', async () => {
    const bus = createEventBus<AppEvents>();
    const log: string[] = [];
    for (const name of ['a', 'b', 'c']) {
      bus.subscribe('user.deleted', async () => {
        log.push(`${name}>`);
        await settle();
        log.push(`<${name}`);
      });
    }
    await bus.publishSync('user.deleted', { userId: 'u1' }, { sequential: true });
    expect(log).toEqual(['a>', '<a', 'b>', '<b', 'c>', '<c']);
  });

  it('collects every failure as a HandlerError and still runs every handler', async () => {
    const onError = vi.fn();
    const bus = createEventBus<AppEvents>({ onError });
    const healthy = vi.fn();
    bus.subscribe(
      'user.deleted',
      () => {
        throw new Error('one');
      },
      { name: 'first' },
    );
    bus.subscribe('user.deleted', healthy);
    bus.subscribe(
      'user.deleted',
      async () => {
        throw new Error('two');
      },
      { name: 'third' },
    );
    const errors = await bus.publishSync('user.deleted', { userId: 'u1' }, { sequential: true });
    expect(healthy).toHaveBeenCalledTimes(1);
    expect(errors.map((e) => [e.subscription, (e.cause as Error).message])).toEqual([
      ['first', 'one'],
      ['third', 'two'],
    ]);
    for (const error of errors) expect(error).toBeInstanceOf(HandlerError);
    expect(onError).not.toHaveBeenCalled(); // the caller has the errors
    expect(bus.stats()).toMatchObject({ delivered: 1, failed: 2 });
  });

  it('fails handlers unfinished at the timeout with a TimeoutError and aborts their signal', async () => {
    vi.useFakeTimers();
    const bus = createEventBus<AppEvents>();
    let signal: AbortSignal | undefined;
    bus.subscribe('user.deleted', (_event, ctx) => {
      signal = ctx.signal;
      return new Promise<void>(() => {});
    });
    bus.subscribe('user.deleted', () => {});
    const result = bus.publishSync('user.deleted', { userId: 'u1' }, { timeout: 50 });
    await vi.advanceTimersByTimeAsync(50);
    const errors = await result;
    expect(errors).toHaveLength(1);
    expect(errors[0]?.cause).toBeInstanceOf(TimeoutError);
    expect(signal?.aborted).toBe(true);
  });

  it('honours an AbortSignal: aborted before, it rejects; aborted during, unfinished handlers fail', async () => {
    const bus = createEventBus<AppEvents>();
    const handler = vi.fn(() => new Promise<void>(() => {}));
    bus.subscribe('user.deleted', handler);
    await expect(
      bus.publishSync(
        'user.deleted',
        { userId: 'u1' },
        { signal: AbortSignal.abort(new Error('stop')) },
      ),
    ).rejects.toThrow('stop');
    expect(handler).not.toHaveBeenCalled();
    const controller = new AbortController();
    const result = bus.publishSync('user.deleted', { userId: 'u1' }, { signal: controller.signal });
    await settle();
    controller.abort(new Error('cancelled'));
    const errors = await result;
    expect(errors[0]?.cause).toEqual(new Error('cancelled'));
  });

  it('does not let an abandoned handler rejection escape', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const bus = createEventBus<AppEvents>();
    bus.subscribe('user.deleted', async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error('late');
    });
    const errors = await bus.publishSync('user.deleted', { userId: 'u1' }, { timeout: 5 });
    await new Promise((resolve) => setTimeout(resolve, 40));
    process.off('unhandledRejection', onUnhandled);
    expect(errors).toHaveLength(1);
    expect(unhandled).toEqual([]);
  });

  it('rejects with BusClosedError after shutdown', async () => {
    const bus = createEventBus<AppEvents>();
    await bus.shutdown();
    await expect(bus.publishSync('user.deleted', { userId: 'u1' })).rejects.toThrow(BusClosedError);
  });

  it('resolves with no errors when nothing is subscribed', async () => {
    const bus = createEventBus<AppEvents>();
    await expect(bus.publishSync('user.deleted', { userId: 'u1' })).resolves.toEqual([]);
  });
});
