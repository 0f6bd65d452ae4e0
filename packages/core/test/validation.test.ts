import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  AsyncSchemaError,
  BusClosedError,
  createEventBus,
  defineEvents,
  ErrorCode,
  GossipError,
  InvalidOptionError,
  SchemaRegistry,
  UnknownEventError,
  UnmatchedPatternError,
  ValidationError,
} from '../src/index.js';
import { events, settle } from './fixtures.js';

describe('validation at publish', () => {
  it('refuses an invalid payload with a ValidationError and calls no handler', async () => {
    const bus = createEventBus({ schemas: events });
    const handler = vi.fn();
    bus.subscribe('**', handler);
    const error = await bus
      .publish('user.created', { userId: 'u1', email: 'not-an-email' })
      .catch((e: unknown) => e);
    await settle();
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toBeInstanceOf(GossipError);
    expect(error).toMatchObject({ code: ErrorCode.Validation, eventType: 'user.created' });
    expect((error as ValidationError).issues).toEqual([
      expect.objectContaining({ path: ['email'] }),
    ]);
    expect((error as Error).message).toContain('"user.created"');
    expect((error as Error).message).toContain('email');
    expect(handler).not.toHaveBeenCalled();
    expect(bus.stats().published).toBe(0);
  });

  it('reports nested paths of issues', async () => {
    const bus = createEventBus({
      schemas: defineEvents({
        'cart.updated': z.object({ items: z.array(z.object({ qty: z.number().int() })) }),
      }),
    });
    const error = (await bus
      .publish('cart.updated', { items: [{ qty: 1 }, { qty: 1.5 }] })
      .catch((e: unknown) => e)) as ValidationError;
    expect(error.issues[0]?.path).toEqual(['items', 1, 'qty']);
    expect(error.message).toContain('items.1.qty');
  });

  it('validates publishSync before running any handler', async () => {
    const bus = createEventBus({ schemas: events });
    const handler = vi.fn();
    bus.subscribe('order.paid', handler);
    await expect(bus.publishSync('order.paid', { orderId: 'o1', amount: -1 })).rejects.toThrow(
      ValidationError,
    );
    expect(handler).not.toHaveBeenCalled();
  });

  it('awaits asynchronous schemas', async () => {
    const bus = createEventBus({
      schemas: defineEvents({
        'name.claimed': z
          .object({ name: z.string() })
          .refine(async (v) => v.name !== 'taken', 'name taken'),
      }),
    });
    const handler = vi.fn();
    bus.subscribe('name.claimed', handler);
    await bus.publish('name.claimed', { name: 'free' });
    await expect(bus.publish('name.claimed', { name: 'taken' })).rejects.toThrow('name taken');
    await bus.shutdown();
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('refuses an event whose synchronous schema saw the bus close while it ran', async () => {
    let shutdown: Promise<unknown> | undefined;
    const bus = createEventBus({
      schemas: defineEvents({
        'name.claimed': z.object({ name: z.string() }).refine((value) => {
          // A schema that (through whatever it calls) ends the bus before it answers.
          shutdown ??= bus.shutdown();
          return value.name.length > 0;
        }),
      }),
    });
    const handler = vi.fn();
    bus.subscribe('name.claimed', handler);
    await expect(bus.publish('name.claimed', { name: 'a' })).rejects.toThrow(BusClosedError);
    await shutdown;
    expect(handler).not.toHaveBeenCalled();
    expect(bus.stats().published).toBe(0);
  });

  it('runs no publishSync handler when the signal aborts or the bus closes during an asynchronous schema', async () => {
    /** A bus whose schema settles only when `release` is called. */
    const gated = () => {
      let release = (): void => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const bus = createEventBus({
        schemas: defineEvents({
          'name.claimed': z.object({ name: z.string() }).refine(async () => {
            await gate;
            return true;
          }),
        }),
      });
      const handler = vi.fn();
      bus.subscribe('name.claimed', handler);
      return { bus, handler, release };
    };

    const first = gated();
    const controller = new AbortController();
    const aborted = first.bus.publishSync(
      'name.claimed',
      { name: 'a' },
      { signal: controller.signal },
    );
    controller.abort(new Error('caller gave up'));
    first.release();
    await expect(aborted).rejects.toThrow('caller gave up');

    const second = gated();
    const closed = second.bus.publishSync('name.claimed', { name: 'b' });
    const shutdown = second.bus.shutdown();
    second.release();
    await expect(closed).rejects.toThrow(BusClosedError);
    await shutdown;

    for (const { bus, handler } of [first, second]) {
      expect(handler).not.toHaveBeenCalled();
      expect(bus.stats().published).toBe(0);
    }
  });
});

describe('unknown events and patterns', () => {
  it('refuses an unregistered event type from an untyped caller with UnknownEventError', async () => {
    const bus = createEventBus({ schemas: events });
    const publish = bus.publish as (type: string, data: unknown) => Promise<void>;
    const error = await publish('user.craeted', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownEventError);
    expect(error).toMatchObject({ code: 'UNKNOWN_EVENT', eventType: 'user.craeted' });
    expect((error as Error).message).toContain('register a schema');
  });

  it('refuses a subscription whose pattern matches no registered event', () => {
    const bus = createEventBus({ schemas: events });
    const subscribe = bus.subscribe as (pattern: string, handler: () => void) => unknown;
    expect(() => subscribe('ordr.*', () => {})).toThrow(UnmatchedPatternError);
    expect(() => subscribe('user.craeted', () => {})).toThrow(/matches no registered event/);
    expect(() => subscribe('order.*', () => {})).not.toThrow();
  });

  it('accepts any well-formed event type on a bus without schemas', async () => {
    const bus = createEventBus();
    const seen = bus.once('anything.*');
    await bus.publish('anything.goes', 1);
    expect((await seen).data).toBe(1);
  });

  it('refuses a malformed event type on a bus without schemas', async () => {
    const bus = createEventBus();
    await expect(bus.publish('bad..name', 1)).rejects.toThrow(InvalidOptionError);
    await expect(bus.publish('star.*', 1)).rejects.toThrow(InvalidOptionError);
  });
});

describe('SchemaRegistry', () => {
  const registry = SchemaRegistry.from(events);

  it('knows its event types', () => {
    expect(registry.has('user.created')).toBe(true);
    expect(registry.has('user.craeted')).toBe(false);
    expect(registry.types()).toContain('order.paid');
    expect(registry.get('order.paid')?.version).toBe(1);
  });

  it('validates synchronously and asynchronously', async () => {
    expect(registry.validateSync('order.paid', { orderId: 'o', amount: 2 })).toEqual({
      success: true,
      data: { orderId: 'o', amount: 2 },
    });
    const bad = await registry.validate('order.paid', { orderId: 'o', amount: 0 });
    expect(bad.success).toBe(false);
    if (!bad.success) expect(bad.error).toBeInstanceOf(ValidationError);
    const unknown = registry.validateSync('nope' as 'order.paid', {});
    expect(unknown.success === false && unknown.error).toBeInstanceOf(UnknownEventError);
  });

  it('refuses validateSync on an asynchronous schema', () => {
    const asyncRegistry = new SchemaRegistry({
      'a.b': z.string().refine(async () => true),
    });
    expect(() => asyncRegistry.validateSync('a.b', 'x')).toThrow(AsyncSchemaError);
  });

  it('registers schemas with versions, refusing what is not a schema', () => {
    const r = new SchemaRegistry();
    expect(r.register('user.renamed', z.object({ name: z.string() }), { version: 1 })).toBe(1);
    expect(r.get('user.renamed')?.version).toBe(1);
    expect(() => r.register('user.renamed', z.object({ to: z.string() }), { version: 3 })).toThrow(
      /version/,
    );
    expect(() => r.register('user.x', { parse() {} } as never)).toThrow(/Standard Schema/);
    expect(() => r.register('user.*', z.string())).toThrow(InvalidOptionError);
    expect(() => r.register('user.y', z.string(), { version: 0 })).toThrow(
      '"register({ version })"',
    );
  });

  it('serves a bus', async () => {
    const bus = createEventBus({ registry });
    await expect(bus.publish('order.paid', { orderId: 'o', amount: -1 })).rejects.toThrow(
      ValidationError,
    );
  });

  it('refuses non-schemas in defineEvents-built maps at bus creation', () => {
    expect(() => createEventBus({ schemas: { 'a.b': 42 as never } })).toThrow(InvalidOptionError);
  });
});
