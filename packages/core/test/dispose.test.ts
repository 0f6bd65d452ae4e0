import { describe, expect, it, vi } from 'vitest';
import { BusClosedError, createEventBus, type EventBus } from '../src/index.js';
import type { AppEvents } from './fixtures.js';

describe('await using', () => {
  it('shuts the bus down when the scope ends, after draining it', async () => {
    const handler = vi.fn();
    let escaped: EventBus<AppEvents> | undefined;
    {
      await using bus = createEventBus<AppEvents>();
      escaped = bus;
      bus.subscribe('user.deleted', handler);
      void bus.publish('user.deleted', { userId: 'u1' });
    }
    expect(handler).toHaveBeenCalledTimes(1);
    expect(escaped.closed).toBe(true);
    await expect(escaped.publish('user.deleted', { userId: 'u2' })).rejects.toThrow(BusClosedError);
  });

  it('is an own property of the bus, and returns the shutdown in progress', async () => {
    const bus = createEventBus<AppEvents>();
    expect(Object.hasOwn(bus, Symbol.asyncDispose)).toBe(true);
    const report = bus.shutdown();
    await expect(bus[Symbol.asyncDispose]()).resolves.toBeUndefined();
    await expect(report).resolves.toMatchObject({ complete: true });
  });
});
