import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  createEventBus,
  defineEvents,
  type InferEventInputs,
  type InferEventMap,
  SchemaRegistry,
  type Upcaster,
  type Versions,
  versions,
} from '../src/index.js';

const v1 = z.object({ orderId: z.string(), amount: z.number() });
const v2 = z.object({ orderId: z.string(), amount: z.number(), currency: z.string() });
const v3 = z.object({
  orderId: z.string(),
  total: z.object({ value: z.number(), currency: z.string().default('EUR') }),
});

type V3 = { orderId: string; total: { value: number; currency: string } };

const events = defineEvents({
  'order.placed': versions(v1)
    .upcast(v2, (old) => ({ ...old, currency: 'EUR' }))
    .upcast(v3, (old) => ({ orderId: old.orderId, total: { value: old.amount } })),
  'user.created': z.object({ userId: z.string() }),
});

describe('versions', () => {
  it('types the event by its latest version: outputs in handlers, inputs at publish', () => {
    expectTypeOf<InferEventMap<typeof events>['order.placed']>().toEqualTypeOf<V3>();
    expectTypeOf<InferEventInputs<typeof events>['order.placed']>().toEqualTypeOf<{
      orderId: string;
      total: { value: number; currency?: string | undefined };
    }>();
    const bus = createEventBus({ schemas: events });
    bus.publish('order.placed', { orderId: 'o', total: { value: 1 } });
    // @ts-expect-error a version 1 payload is not the current contract
    bus.publish('order.placed', { orderId: 'o', amount: 1 });
    bus.subscribe('order.placed', (event) => {
      expectTypeOf(event.data).toEqualTypeOf<V3>();
    });
    const registry = SchemaRegistry.from(events);
    expectTypeOf(createEventBus({ registry }).publish)
      .parameter(0)
      .toEqualTypeOf<'order.placed' | 'user.created'>();
  });

  it('gives each upcaster the output of the version before it', () => {
    versions(v1).upcast(v2, (old) => {
      expectTypeOf(old).toEqualTypeOf<{ orderId: string; amount: number }>();
      return { ...old, currency: 'EUR' };
    });
    expectTypeOf(
      versions(v1).upcast(v2, async (old) => ({ ...old, currency: 'EUR' })),
    ).toEqualTypeOf<Versions<typeof v2>>();
  });

  it('refuses an upcaster that takes the wrong input', () => {
    // @ts-expect-error version 1 has no `currency` to read
    versions(v1).upcast(v2, (old: { currency: string }) => ({ orderId: 'o', amount: 1, ...old }));
    // @ts-expect-error `amount` of version 1 is a number, not a string
    versions(v1).upcast(v2, (old: { orderId: string; amount: string }) => ({
      ...old,
      currency: 'EUR',
    }));
  });

  it('refuses an upcaster that returns the wrong output', () => {
    // @ts-expect-error version 2 needs a `currency`
    versions(v1).upcast(v2, (old) => ({ ...old }));
    // @ts-expect-error `currency` is a string
    versions(v1).upcast(v2, (old) => ({ ...old, currency: 1 }));
    // @ts-expect-error an asynchronous upcaster is checked the same
    versions(v1).upcast(v2, async (old) => ({ ...old, currency: 1 }));
  });

  it('types a list of versions without upcasters by the last, and upcasters at register', () => {
    expectTypeOf(versions(v1, v2)).toEqualTypeOf<Versions<typeof v2>>();
    const registry = new SchemaRegistry();
    expectTypeOf(registry.register('order.placed', v1)).toEqualTypeOf<number>();
    const lift: Upcaster<{ amount: number }, { amount: number; currency: string }> = (old) => ({
      ...old,
      currency: 'EUR',
    });
    registry.register('order.placed', v2, { upcast: lift as Upcaster });
    expectTypeOf(registry.versions('order.placed')).toEqualTypeOf<number[]>();
    expectTypeOf(registry.latest('order.placed')).toEqualTypeOf<number | undefined>();
  });

  it("types an upcaster given to register by the registry's map", () => {
    const registry = SchemaRegistry.from({ 'order.placed': v1 });
    registry.register('order.placed', v2, {
      upcast: (old) => {
        expectTypeOf(old).toEqualTypeOf<{ orderId: string; amount: number }>();
        return { ...old, currency: 'EUR' };
      },
    });
    // @ts-expect-error the upcaster must return the new version's input
    registry.register('order.placed', v2, { upcast: (old) => ({ ...old }) });
    // @ts-expect-error the upcaster takes the latest version's output
    registry.register('order.placed', v2, { upcast: (old: { nope: string }) => old });
  });
});
