import { describe, expect, it, vi } from 'vitest';
import {
  type AnyEvent,
  createEventBus,
  HandlerError,
  InvalidOptionError,
  UnknownEventError,
  ValidationError,
} from '../src/index.js';
import { events, gate, settle } from './fixtures.js';

describe('the transport seam', () => {
  it('lets a bridge observe events published locally', async () => {
    const bus = createEventBus({ schemas: events });
    const forwarded: AnyEvent[] = [];
    const off = bus.lifecycle.on('publish', (event) => forwarded.push(event));
    await bus.publish('user.deleted', { userId: 'u1' });
    off();
    await bus.publish('user.deleted', { userId: 'u2' });
    expect(forwarded.map((e) => e.data)).toEqual([{ userId: 'u1' }]);
  });

  it('validates, dispatches and resolves with no errors when every handler succeeds', async () => {
    const bus = createEventBus({ schemas: events });
    const handler = vi.fn();
    bus.subscribe('user.deleted', handler);
    const result = await bus.receive({
      id: 'remote-1',
      type: 'user.deleted',
      data: { userId: 'u1' },
      timestamp: 1234,
      metadata: { source: 'nats' },
    });
    expect(result.errors).toEqual([]);
    expect(result.event).toMatchObject({
      id: 'remote-1',
      timestamp: 1234,
      metadata: { source: 'nats' },
    });
    expect(handler).toHaveBeenCalledWith(result.event, expect.anything());
  });

  it('resolves only after the handlers have settled, with their failures', async () => {
    const reported: unknown[] = [];
    const bus = createEventBus({ schemas: events, onError: (error) => reported.push(error) });
    let finished = false;
    const held = gate();
    bus.subscribe('user.deleted', async () => {
      await held.promise;
      finished = true;
    });
    bus.subscribe(
      'user.deleted',
      () => {
        throw new Error('nope');
      },
      { name: 'failing' },
    );
    let received = false;
    const receiving = bus.receive({ type: 'user.deleted', data: { userId: 'u1' } }).finally(() => {
      received = true;
    });
    await settle();
    expect(received).toBe(false);
    held.open();
    const result = await receiving;
    expect(finished).toBe(true);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toBeInstanceOf(HandlerError);
    expect(result.errors[0]).toMatchObject({ subscription: 'failing' });
    expect(reported).toEqual(result.errors);
  });

  it('treats the payload as untrusted: invalid data and unknown types are refused before dispatch', async () => {
    const bus = createEventBus({ schemas: events });
    const handler = vi.fn();
    bus.subscribe('**', handler);
    await expect(bus.receive({ type: 'user.deleted', data: { userId: 42 } })).rejects.toThrow(
      ValidationError,
    );
    await expect(bus.receive({ type: 'user.hacked', data: {} })).rejects.toThrow(UnknownEventError);
    await expect(
      bus.receive({ type: 'user.deleted', data: { userId: 'u' }, metadata: { n: 1 } as never }),
    ).rejects.toThrow(InvalidOptionError);
    await expect(bus.receive(null as never)).rejects.toThrow(InvalidOptionError);
    expect(handler).not.toHaveBeenCalled();
  });

  it('does not echo received events back to the publish observers', async () => {
    const bus = createEventBus({ schemas: events });
    const forwarded = vi.fn();
    bus.lifecycle.on('publish', forwarded);
    await bus.receive({ type: 'user.deleted', data: { userId: 'u1' } });
    expect(forwarded).not.toHaveBeenCalled();
  });

  it('still forwards events that handlers of a received event publish', async () => {
    const bus = createEventBus({ schemas: events });
    const forwarded: AnyEvent[] = [];
    bus.lifecycle.on('publish', (event) => forwarded.push(event));
    bus.subscribe('user.deleted', async (event, ctx) => {
      await ctx.publish('order.placed', { orderId: event.data.userId, amount: 1 });
    });
    const { event } = await bus.receive({ type: 'user.deleted', data: { userId: 'u1' } });
    expect(forwarded.map((e) => e.type)).toEqual(['order.placed']);
    expect(forwarded[0]?.metadata.causationId).toBe(event.id);
  });
});
