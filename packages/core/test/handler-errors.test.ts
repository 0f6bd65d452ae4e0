import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEventBus, GossipError, HandlerError } from '../src/index.js';
import { type AppEvents, catchUnhandled, settle } from './fixtures.js';

describe('handler failures', () => {
  let unhandled: unknown[] = [];
  let stopCatching = (): void => {};
  beforeEach(() => {
    const rejections = catchUnhandled('unhandledRejection');
    unhandled = rejections.caught;
    stopCatching = rejections.stop;
  });
  afterEach(() => {
    stopCatching();
  });

  it('reports throws, rejections and non-Error throws with the event and subscription, and keeps going', async () => {
    const errors: GossipError[] = [];
    const lifecycleErrors: unknown[] = [];
    const bus = createEventBus<AppEvents>({ onError: (error) => errors.push(error) });
    bus.lifecycle.on('error', (error) => lifecycleErrors.push(error));
    const healthy = vi.fn();
    bus.subscribe(
      'user.deleted',
      () => {
        throw new Error('sync boom');
      },
      { name: 'thrower' },
    );
    bus.subscribe(
      'user.deleted',
      async () => {
        throw new Error('async boom');
      },
      { name: 'rejecter' },
    );
    bus.subscribe(
      'user.deleted',
      () => {
        throw 'a string';
      },
      { name: 'stringer' },
    );
    bus.subscribe('user.deleted', healthy);
    await bus.publish('user.deleted', { userId: 'u1' });
    await bus.publish('user.deleted', { userId: 'u2' });
    await bus.shutdown();
    await settle();

    expect(healthy).toHaveBeenCalledTimes(2);
    expect(errors).toHaveLength(6);
    expect(lifecycleErrors).toEqual(errors);
    for (const error of errors) expect(error).toBeInstanceOf(HandlerError);
    const find = (name: string) => (errors as HandlerError[]).find((e) => e.subscription === name);
    const [thrower, rejecter, stringer] = [find('thrower'), find('rejecter'), find('stringer')];
    expect(thrower).toMatchObject({ subscription: 'thrower', code: 'HANDLER_FAILED' });
    expect(thrower?.event.data).toEqual({ userId: 'u1' });
    expect(thrower?.cause).toEqual(new Error('sync boom'));
    expect(rejecter?.subscription).toBe('rejecter');
    expect(stringer?.cause).toBe('a string');
    expect(stringer?.message).toContain('non-Error');
    expect(bus.stats()).toMatchObject({ delivered: 2, failed: 6 });
    expect(unhandled).toEqual([]);
  });

  it('reports errors handed to bus.report through onError and the lifecycle', () => {
    const reported: unknown[] = [];
    const bus = createEventBus<AppEvents>({ onError: (error) => reported.push(error) });
    const lifecycle: unknown[] = [];
    bus.lifecycle.on('error', (error) => lifecycle.push(error));
    const error = new GossipError('BATCH_FAILED', 'a batch failed');
    bus.report(error);
    expect(reported).toEqual([error]);
    expect(lifecycle).toEqual([error]);
  });

  it('names a subscription by its pattern when it has no name', async () => {
    const errors: HandlerError[] = [];
    const bus = createEventBus<AppEvents>({ onError: (e) => errors.push(e as HandlerError) });
    bus.subscribe('user.*', () => {
      throw new Error('x');
    });
    await bus.publish('user.deleted', { userId: 'u1' });
    await bus.shutdown();
    expect(errors[0]?.subscription).toBe('user.*');
  });

  it('lets a handler that never settles hold one worker only', async () => {
    const bus = createEventBus<AppEvents>({ workers: 2 });
    const healthy = vi.fn();
    bus.subscribe('user.created', () => new Promise<void>(() => {}));
    bus.subscribe('user.deleted', healthy);
    await bus.publish('user.created', { userId: 'u1', email: 'a@b.c' });
    for (let i = 0; i < 5; i++) await bus.publish('user.deleted', { userId: `u${i}` });
    await settle();
    expect(healthy).toHaveBeenCalledTimes(5);
    const report = await bus.shutdown({ timeout: 10 });
    expect(report.undelivered).toEqual([
      expect.objectContaining({ subscription: 'user.created', reason: 'in-flight' }),
    ]);
  });

  it('counts a throwing filter as a failure of its subscription only', async () => {
    const errors: unknown[] = [];
    const bus = createEventBus<AppEvents>({ onError: (e) => errors.push(e) });
    const healthy = vi.fn();
    bus.subscribe('user.deleted', vi.fn(), {
      name: 'picky',
      filter: () => {
        throw new Error('bad filter');
      },
    });
    bus.subscribe('user.deleted', healthy);
    await bus.publish('user.deleted', { userId: 'u1' });
    await bus.shutdown();
    expect(healthy).toHaveBeenCalledTimes(1);
    expect(errors).toEqual([expect.objectContaining({ subscription: 'picky' })]);
  });

  it('survives an onError hook that throws', async () => {
    const bus = createEventBus<AppEvents>({
      onError: () => {
        throw new Error('hook failed');
      },
    });
    const uncaught = catchUnhandled('uncaughtException');
    const healthy = vi.fn();
    bus.subscribe('user.deleted', () => {
      throw new Error('x');
    });
    bus.subscribe('user.deleted', healthy);
    try {
      await bus.publish('user.deleted', { userId: 'u1' });
      await bus.shutdown();
      await settle();
    } finally {
      uncaught.stop();
    }
    expect(healthy).toHaveBeenCalledTimes(1);
    // The hook's failure is not swallowed: it is re-thrown outside the bus, as an uncaught error.
    expect(uncaught.caught).toEqual([new Error('hook failed')]);
  });
});
