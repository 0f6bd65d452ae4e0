import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  type AnyEvent,
  createEventBus,
  defineEvents,
  ErrorCode,
  type GossipError,
  MetadataKey,
  type RegisteredSchema,
  SchemaRegistry,
  UpcastError,
  ValidationError,
  versions,
} from '../src/index.js';

const placedV1 = z.object({ orderId: z.string(), amount: z.number() });
const placedV2 = z.object({ orderId: z.string(), amount: z.number(), currency: z.string() });
const placedV3 = z.object({
  orderId: z.string(),
  total: z.object({ value: z.number(), currency: z.string() }),
});

const events = defineEvents({
  'order.placed': versions(placedV1)
    .upcast(placedV2, (v1) => ({ ...v1, currency: 'EUR' }))
    .upcast(placedV3, ({ orderId, amount, currency }) => ({
      orderId,
      total: { value: amount, currency },
    })),
  'user.created': z.object({ userId: z.string() }),
});

/** A received message of `order.placed` at the given schema version. */
const placedAt = (version: string, data: unknown) => ({
  type: 'order.placed',
  data,
  metadata: { [MetadataKey.SchemaVersion]: version },
});

describe('schema versions', () => {
  it('numbers the versions of a type in the order they are registered', () => {
    const registry = new SchemaRegistry();
    expect(registry.register('order.placed', placedV1)).toBe(1);
    expect(registry.register('order.placed', placedV2, { upcast: (v1) => v1 })).toBe(2);
    expect(registry.register('order.placed', placedV3)).toBe(3);
    expect(registry.versions('order.placed')).toEqual([1, 2, 3]);
  });

  it('adds no version for a schema identical to the latest, the same object or the same JSON Schema', () => {
    const registry = new SchemaRegistry();
    registry.register('order.placed', placedV1);
    expect(registry.register('order.placed', placedV1)).toBe(1);
    expect(
      registry.register('order.placed', z.object({ orderId: z.string(), amount: z.number() })),
    ).toBe(1);
    expect(registry.register('order.placed', placedV2)).toBe(2);
    expect(registry.register('order.placed', placedV1)).toBe(3);
    expect(registry.versions('order.placed')).toEqual([1, 2, 3]);
  });

  it('tells a schema without a JSON Schema (a transform) identical only to itself', () => {
    const registry = new SchemaRegistry();
    const make = () => z.object({ n: z.string().transform(Number) });
    const first = make();
    registry.register('job.done', first);
    expect(registry.register('job.done', first)).toBe(1);
    expect(registry.register('job.done', make())).toBe(2);
  });

  it('gives a version by number, the latest by default, and the latest number', () => {
    const registry = SchemaRegistry.from(events);
    expect(registry.versions('order.placed')).toEqual([1, 2, 3]);
    expect(registry.latest('order.placed')).toBe(3);
    expect(registry.latest('user.created')).toBe(1);
    expect(registry.get('order.placed')?.schema).toBe(placedV3);
    expect(registry.get('order.placed', 1)).toEqual({
      type: 'order.placed',
      schema: placedV1,
      version: 1,
      upcast: undefined,
    });
    expect(registry.get('order.placed', 2)?.upcast).toBeTypeOf('function');
    expect(registry.get('order.placed', 4)).toBeUndefined();
    expect(registry.get('order.nope')).toBeUndefined();
    expect(registry.versions('order.nope')).toEqual([]);
    expect(registry.latest('order.nope')).toBeUndefined();
    expect(registry.types()).toEqual(['order.placed', 'user.created']);
  });

  it('validates at publish against the latest version', async () => {
    const registry = SchemaRegistry.from(events);
    expect(registry.validateSync('order.placed', { orderId: 'o', amount: 1 }).success).toBe(false);
    const bus = createEventBus({ schemas: events });
    await expect(bus.publish('order.placed', { orderId: 'o', amount: 1 } as never)).rejects.toThrow(
      ValidationError,
    );
  });

  it('refuses versions() without a schema and an upcaster that is not a function', () => {
    expect(() => (versions as () => unknown)()).toThrow('"versions(schema)"');
    const registry = new SchemaRegistry();
    expect(() => registry.register('a.b', placedV1, { upcast: 1 as never })).toThrow(
      '"register({ upcast })"',
    );
  });
});

describe('the schema version on events', () => {
  it('stamps each published event with its type’s latest version, one frozen object per type', async () => {
    const bus = createEventBus({ schemas: events });
    const seen: AnyEvent[] = [];
    bus.subscribe('**', (event) => {
      seen.push(event);
    });
    const total = { value: 1, currency: 'EUR' };
    await bus.publish('order.placed', { orderId: 'a', total });
    await bus.publish('order.placed', { orderId: 'b', total });
    await bus.publishSync('user.created', { userId: 'u' });
    await bus.publish('order.placed', { orderId: 'c', total }, { metadata: { requestId: 'r' } });
    await bus.shutdown();
    expect(seen.map((event) => event.metadata)).toEqual([
      { [MetadataKey.SchemaVersion]: '3' },
      { [MetadataKey.SchemaVersion]: '3' },
      { [MetadataKey.SchemaVersion]: '1' },
      { requestId: 'r', [MetadataKey.SchemaVersion]: '3' },
    ]);
    expect(seen[0]?.metadata).toBe(seen[1]?.metadata);
    expect(Object.isFrozen(seen[0]?.metadata)).toBe(true);
    expect(Object.isFrozen(seen[3]?.metadata)).toBe(true);
  });

  it('validates and stamps the next publish with a version registered after the last one', async () => {
    const registry = new SchemaRegistry();
    registry.register('order.placed', placedV1);
    const bus = createEventBus({ registry });
    const seen: AnyEvent[] = [];
    bus.subscribe('order.placed', (event) => {
      seen.push(event);
    });
    await bus.publishSync('order.placed', { orderId: 'a', amount: 1 });
    registry.register('order.placed', placedV2, {
      upcast: (v1) => ({ ...(v1 as object), currency: 'EUR' }),
    });
    await expect(bus.publishSync('order.placed', { orderId: 'b', amount: 2 })).rejects.toThrow(
      ValidationError,
    );
    await bus.publishSync('order.placed', { orderId: 'c', amount: 3, currency: 'USD' });
    expect(registry.get('order.placed')?.version).toBe(2);
    expect(seen.map((event) => [event.data, event.metadata[MetadataKey.SchemaVersion]])).toEqual([
      [{ orderId: 'a', amount: 1 }, '1'],
      [{ orderId: 'c', amount: 3, currency: 'USD' }, '2'],
    ]);
  });

  it('finds no schema for a type that is not a string, whatever it looked up before', () => {
    const registry = new SchemaRegistry();
    registry.register('order.placed', placedV1);
    expect(registry.get('order.placed')?.version).toBe(1);
    registry.register('user.created', z.object({ userId: z.string() }));
    expect(registry.get(undefined as never)).toBeUndefined();
    const result = registry.validateSync(undefined as never, { orderId: 'o', amount: 1 });
    expect(result.success ? undefined : result.error.code).toBe(ErrorCode.UnknownEvent);
  });

  it('writes the version over one given in metadata', async () => {
    const bus = createEventBus({ schemas: events });
    const seen: AnyEvent[] = [];
    bus.subscribe('user.created', (event) => {
      seen.push(event);
    });
    const metadata = { [MetadataKey.SchemaVersion]: '7' };
    expect(await bus.publishSync('user.created', { userId: 'u' }, { metadata })).toEqual([]);
    expect(seen[0]?.metadata[MetadataKey.SchemaVersion]).toBe('1');
  });

  it('stamps nothing on a bus without schemas', async () => {
    const bus = createEventBus<{ 'a.b': number }>();
    const seen: AnyEvent[] = [];
    bus.subscribe('a.b', (event) => {
      seen.push(event);
    });
    await bus.publishSync('a.b', 1);
    expect(seen[0]?.metadata).toEqual({});
    const received = await bus.receive({ type: 'a.b', data: 2, metadata: { other: 'x' } });
    expect(received.event.metadata).toEqual({ other: 'x', [MetadataKey.Origin]: 'remote' });
  });
});

describe('upcasting on receipt', () => {
  it('lifts a version 1 payload to version 3 before the handler sees it', async () => {
    const bus = createEventBus({ schemas: events });
    const handler = vi.fn();
    bus.subscribe('order.placed', handler);
    const { event, errors } = await bus.receive(placedAt('1', { orderId: 'o1', amount: 12 }));
    expect(errors).toEqual([]);
    expect(event.data).toEqual({ orderId: 'o1', total: { value: 12, currency: 'EUR' } });
    expect(event.metadata).toEqual({
      [MetadataKey.Origin]: 'remote',
      [MetadataKey.SchemaVersion]: '3',
    });
    expect(handler).toHaveBeenCalledTimes(1);
    expect(handler.mock.calls[0]?.[0]).toBe(event);
  });

  it('lifts from version 2, and takes the latest version and an event without one as they are', async () => {
    const bus = createEventBus({ schemas: events });
    const v3 = { orderId: 'o', total: { value: 5, currency: 'USD' } };
    const fromV2 = await bus.receive(placedAt('2', { orderId: 'o', amount: 5, currency: 'USD' }));
    expect(fromV2.event.data).toEqual(v3);
    expect((await bus.receive(placedAt('3', v3))).event.data).toEqual(v3);
    expect((await bus.receive({ type: 'order.placed', data: v3 })).event.data).toEqual(v3);
  });

  it('awaits an asynchronous upcaster', async () => {
    const registry = new SchemaRegistry();
    registry.register('order.placed', placedV1);
    registry.register('order.placed', placedV2, {
      upcast: async (v1) => ({ ...(v1 as object), currency: 'GBP' }),
    });
    const bus = createEventBus({ registry });
    const { event } = await bus.receive(placedAt('1', { orderId: 'o', amount: 1 }));
    expect(event.data).toEqual({ orderId: 'o', amount: 1, currency: 'GBP' });
  });

  it('refuses an invalid version 1 payload with a ValidationError naming the version', async () => {
    const bus = createEventBus({ schemas: events });
    const handler = vi.fn();
    bus.subscribe('order.placed', handler);
    const refused = bus.receive(placedAt('1', { orderId: 'o', amount: 'twelve' }));
    await expect(refused).rejects.toThrow(ValidationError);
    await expect(refused).rejects.toThrow(/"order\.placed" version 1: amount/);
    expect(handler).not.toHaveBeenCalled();
    expect(bus.stats().published).toBe(0);
  });

  it('refuses an old version with no upcaster to the latest, and reports it', async () => {
    const registry = new SchemaRegistry();
    registry.register('order.placed', placedV1);
    registry.register('order.placed', placedV2, {
      upcast: (v1) => ({ ...(v1 as object), currency: 'EUR' }),
    });
    registry.register('order.placed', placedV3);
    const onError = vi.fn<(error: GossipError) => void>();
    const bus = createEventBus({ registry, onError });
    const handler = vi.fn();
    bus.subscribe('order.placed', handler);
    const refused = bus.receive(placedAt('1', { orderId: 'o', amount: 1 }));
    await expect(refused).rejects.toThrow(UpcastError);
    await expect(refused).rejects.toThrow(/version 3 has no upcaster/);
    await expect(refused).rejects.toMatchObject({
      code: ErrorCode.Upcast,
      eventType: 'order.placed',
      version: '1',
    });
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]?.[0]).toBeInstanceOf(UpcastError);
    expect(handler).not.toHaveBeenCalled();
  });

  it('reports an upcaster that throws as a failure of that event, and the bus goes on', async () => {
    const boom = new Error('no currency for this region');
    const registry = new SchemaRegistry();
    registry.register('order.placed', placedV1);
    registry.register('order.placed', placedV2, {
      upcast: () => {
        throw boom;
      },
    });
    const onError = vi.fn<(error: GossipError) => void>();
    const bus = createEventBus({ registry, onError });
    const handler = vi.fn();
    bus.subscribe('order.placed', handler);
    const refused = bus.receive(placedAt('1', { orderId: 'o', amount: 1 }));
    await expect(refused).rejects.toThrow(/the upcaster to version 2 failed: no currency/);
    await expect(refused).rejects.toMatchObject({ cause: boom });
    expect(onError).toHaveBeenCalledWith(expect.any(UpcastError));
    expect(handler).not.toHaveBeenCalled();
    const v2 = { orderId: 'o', amount: 1, currency: 'EUR' };
    await expect(bus.receive(placedAt('2', v2))).resolves.toMatchObject({ errors: [] });
    await bus.publish('order.placed', v2);
    await bus.shutdown();
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it('refuses an upcaster’s result that its version’s schema refuses', async () => {
    const registry = new SchemaRegistry();
    registry.register('order.placed', placedV1);
    registry.register('order.placed', placedV2, { upcast: (v1) => v1 });
    const bus = createEventBus({ registry, onError: () => {} });
    const refused = bus.receive(placedAt('1', { orderId: 'o', amount: 1 }));
    await expect(refused).rejects.toThrow(UpcastError);
    await expect(refused).rejects.toMatchObject({ cause: expect.any(ValidationError) });
  });

  it('refuses a version number the registry does not know', async () => {
    const onError = vi.fn();
    const bus = createEventBus({ schemas: events, onError });
    const handler = vi.fn();
    bus.subscribe('order.placed', handler);
    for (const version of ['4', '0', '-1', '1.5', '01', ' 1', 'one', '']) {
      await expect(bus.receive(placedAt(version, {}))).rejects.toThrow(
        /"order\.placed" has versions 1 to 3/,
      );
    }
    expect(onError).toHaveBeenCalledTimes(8);
    expect(handler).not.toHaveBeenCalled();
  });
});

describe('bus.registry', () => {
  it('is the registry the bus validates with, or undefined without schemas', () => {
    const registry = SchemaRegistry.from(events);
    expect(createEventBus({ registry }).registry).toBe(registry);
    expect(createEventBus({ schemas: events }).registry?.versions('order.placed')).toEqual([
      1, 2, 3,
    ]);
    expect(createEventBus().registry).toBeUndefined();
  });
});

describe('the compatibility check', () => {
  it('is called with the type, the versions before, the candidate and its upcaster', () => {
    const compatibility =
      vi.fn<
        (
          type: string,
          existing: readonly RegisteredSchema[],
          candidate: unknown,
          upcast?: unknown,
        ) => void
      >();
    const registry = new SchemaRegistry({ 'user.created': placedV1 }, { compatibility });
    expect(compatibility).toHaveBeenLastCalledWith('user.created', [], placedV1, undefined);
    registry.register('user.created', placedV1);
    expect(compatibility).toHaveBeenCalledTimes(1);
    registry.register('user.created', placedV2);
    expect(compatibility).toHaveBeenLastCalledWith(
      'user.created',
      [{ type: 'user.created', schema: placedV1, version: 1, upcast: undefined }],
      placedV2,
      undefined,
    );
    const upcast = (v2: unknown) => v2;
    registry.register('user.created', placedV3, { upcast });
    expect(compatibility).toHaveBeenLastCalledWith(
      'user.created',
      expect.any(Array),
      placedV3,
      upcast,
    );
  });

  it('refuses a registration it throws on, appending nothing', () => {
    const incompatible = new Error('removes field "amount"');
    const registry = SchemaRegistry.from(events, {
      compatibility: (_type, existing, candidate) => {
        if (existing.length > 0 && candidate === placedV1) throw incompatible;
      },
    });
    expect(() => registry.register('order.placed', placedV1)).toThrow(incompatible);
    expect(registry.versions('order.placed')).toEqual([1, 2, 3]);
    expect(registry.get('order.placed')?.schema).toBe(placedV3);
    expect(() => new SchemaRegistry({}, { compatibility: 'backward' as never })).toThrow(
      /compatibility/,
    );
  });

  it('refuses a version of the same type registered from inside its check; other types pass', () => {
    const seen: unknown[] = [];
    const registry: SchemaRegistry = new SchemaRegistry(
      {},
      {
        compatibility: (type, existing) => {
          if (type !== 'order.placed' || existing.length === 0) return;
          try {
            registry.register('order.placed', placedV3);
          } catch (error) {
            seen.push(error);
          }
          registry.register('user.created', z.object({ userId: z.string() }));
        },
      },
    );
    registry.register('order.placed', placedV1);
    expect(registry.register('order.placed', placedV2)).toBe(2);
    expect(registry.versions('order.placed')).toEqual([1, 2]);
    expect(registry.get('order.placed')?.schema).toBe(placedV2);
    expect(registry.versions('user.created')).toEqual([1]);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ code: ErrorCode.InvalidOption, option: 'register(type)' });
    expect(String((seen[0] as Error).message)).toContain('"order.placed"');
  });
});
