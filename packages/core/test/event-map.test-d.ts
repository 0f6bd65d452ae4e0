import type { StandardSchemaV1 } from '@standard-schema/spec';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  createEventBus,
  defineEvents,
  type InferEventInputs,
  type InferEventMap,
  SchemaRegistry,
} from '../src/index.js';

/** A Standard Schema that is not zod: its types come from `~standard.types` alone. */
function standardSchema<TInput, TOutput>(): StandardSchemaV1<TInput, TOutput> {
  return {
    '~standard': {
      version: 1,
      vendor: 'hand-made',
      validate: (value) => ({ value: value as TOutput }),
    },
  };
}

const events = defineEvents({
  'user.created': z.object({ userId: z.string(), tries: z.number().default(0) }),
  'user.renamed': z.object({ name: z.string() }).transform((user) => user.name.length),
  'job.queued': standardSchema<{ id: string }, { id: string; at: number }>(),
});

describe('schema maps', () => {
  it('types a zod schema by its output for handlers and its input at publish', () => {
    expectTypeOf<InferEventMap<typeof events>['user.created']>().toEqualTypeOf<{
      userId: string;
      tries: number;
    }>();
    expectTypeOf<InferEventInputs<typeof events>['user.created']>().toEqualTypeOf<{
      userId: string;
      tries?: number | undefined;
    }>();
    expectTypeOf<InferEventMap<typeof events>['user.renamed']>().toEqualTypeOf<number>();
  });

  it('types any other Standard Schema by its declared types', () => {
    expectTypeOf<InferEventMap<typeof events>['job.queued']>().toEqualTypeOf<{
      id: string;
      at: number;
    }>();
    expectTypeOf<InferEventInputs<typeof events>['job.queued']>().toEqualTypeOf<{ id: string }>();
  });

  it('checks publish and subscribe against those types', () => {
    const bus = createEventBus({ schemas: events });
    bus.publish('user.created', { userId: 'u1' });
    bus.publish('job.queued', { id: 'j1' });
    // @ts-expect-error userId must be a string
    bus.publish('user.created', { userId: 1 });
    bus.subscribe('job.queued', (event) => {
      expectTypeOf(event.data.at).toEqualTypeOf<number>();
    });
    bus.subscribe('user.*', (event) => {
      if (event.type === 'user.renamed') expectTypeOf(event.data).toEqualTypeOf<number>();
    });
  });

  it('accepts the same maps in a registry', () => {
    const registry = SchemaRegistry.from(events);
    expectTypeOf(registry).toEqualTypeOf<SchemaRegistry<InferEventMap<typeof events>>>();
  });

  it('refuses a map whose values are not schemas', () => {
    // @ts-expect-error a string is not a schema
    defineEvents({ 'user.created': 'z.object()' });
    // @ts-expect-error an object without the Standard Schema key is not a schema
    defineEvents({ 'user.created': { parse: (value: unknown) => value } });
    // @ts-expect-error the same for createEventBus
    createEventBus({ schemas: { 'user.created': 42 } });
    // @ts-expect-error and for a registry
    SchemaRegistry.from({ 'user.created': null });
  });
});
