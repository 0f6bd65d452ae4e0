import {
  createEventBus,
  defineEvents,
  InvalidOptionError,
  MetadataKey,
  SchemaRegistry,
  versions,
} from '@gossip/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  type CompatibilityMode,
  catalogueOf,
  check,
  compareCatalogues,
  compatibility,
  IncompatibleSchemaError,
  toAsyncAPI,
  toJSONSchema,
} from '../src/index.js';

const v1 = z.object({ orderId: z.string(), amount: z.number() });
// Adds a required field: new readers cannot read v1 events (breaks backward), v1 readers read
// v2 events (forward holds).
const addsRequired = v1.extend({ currency: z.string() });
// Drops a required field: forward breaks (v1 readers need it), backward holds.
const dropsRequired = z.object({ orderId: z.string() });
// Changes a type: breaks both.
const changesType = z.object({ orderId: z.string(), amount: z.string() });

const verdicts: ReadonlyArray<
  readonly [name: string, schema: z.ZodType, accepted: Record<CompatibilityMode, boolean>]
> = [
  [
    'adds a required field',
    addsRequired,
    {
      backward: false,
      'backward-transitive': false,
      forward: true,
      'forward-transitive': true,
      full: false,
      'full-transitive': false,
      none: true,
    },
  ],
  [
    'drops a required field',
    dropsRequired,
    {
      backward: true,
      'backward-transitive': true,
      forward: false,
      'forward-transitive': false,
      full: false,
      'full-transitive': false,
      none: true,
    },
  ],
  [
    'changes a type',
    changesType,
    {
      backward: false,
      'backward-transitive': false,
      forward: false,
      'forward-transitive': false,
      full: false,
      'full-transitive': false,
      none: true,
    },
  ],
];

const cases = verdicts.flatMap(([name, schema, accepted]) =>
  Object.entries(accepted).map(([mode, ok]) => ({
    name,
    schema,
    mode: mode as CompatibilityMode,
    ok,
  })),
);

describe('compatibility', () => {
  it.each(cases)('under $mode, a v2 that $name is accepted: $ok', ({ schema, mode, ok }) => {
    const registry = new SchemaRegistry(
      { 'order.placed': v1 },
      { compatibility: compatibility({ mode }) },
    );
    const register = () => registry.register('order.placed', schema);
    if (ok) {
      expect(register()).toBe(2);
    } else {
      expect(register).toThrow(IncompatibleSchemaError);
      expect(registry.versions('order.placed')).toEqual([1]);
    }
  });

  it('checks under backward by default', () => {
    const registry = new SchemaRegistry({ 'order.placed': v1 }, { compatibility: compatibility() });
    expect(() => registry.register('order.placed', addsRequired)).toThrow(IncompatibleSchemaError);
    expect(registry.register('order.placed', dropsRequired)).toBe(2);
  });

  it('lists every breaking difference in the error', () => {
    const registry = new SchemaRegistry(
      { 'order.placed': v1 },
      { compatibility: compatibility({ mode: 'full' }) },
    );
    const v2 = z.object({ orderId: z.number(), amount: z.string(), currency: z.string() });
    let caught: unknown;
    try {
      registry.register('order.placed', v2);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(IncompatibleSchemaError);
    const error = caught as IncompatibleSchemaError;
    expect(error.code).toBe('INCOMPATIBLE_SCHEMA');
    expect(error.eventType).toBe('order.placed');
    expect(error.version).toBe(2);
    expect(error.mode).toBe('full');
    expect(error.differences.map((d) => `${d.path} ${d.change} ${d.breaks}`).sort()).toEqual([
      'amount type-changed backward',
      'amount type-changed forward',
      'currency required-added backward',
      'orderId type-changed backward',
      'orderId type-changed forward',
    ]);
    expect(error.message).toContain(
      'order.placed v2: "amount" changed from number to string (breaks backward: v1 events cannot be read)',
    );
  });

  it('applies a mode per event type over the registry mode', () => {
    const policy = compatibility({ mode: 'full', overrides: { 'audit.logged': 'none' } });
    const registry = new SchemaRegistry(
      { 'order.placed': v1, 'audit.logged': v1 },
      { compatibility: policy },
    );
    expect(registry.register('audit.logged', changesType)).toBe(2);
    expect(() => registry.register('order.placed', changesType)).toThrow(IncompatibleSchemaError);
    expect(policy.modeOf('audit.logged')).toBe('none');
    expect(policy.modeOf('order.placed')).toBe('full');
    expect(policy.mode).toBe('full');
  });

  it('refuses versions declared with defineEvents, in the registry of a bus', async () => {
    const events = defineEvents({
      'order.placed': versions(v1).upcast(changesType, (old) => ({
        ...old,
        amount: String(old.amount),
      })),
    });
    // The bus makes its registry from `schemas` with no check: give it a checked registry.
    expect(() =>
      createEventBus({
        registry: SchemaRegistry.from(events, { compatibility: compatibility({ mode: 'full' }) }),
      }),
    ).toThrow(IncompatibleSchemaError);
    const accepted = SchemaRegistry.from(events, {
      compatibility: compatibility({ overrides: { 'order.placed': 'none' } }),
    });
    const bus = createEventBus({ registry: accepted });
    const seen: unknown[] = [];
    bus.subscribe('order.placed', (event) => {
      seen.push(event.data);
    });
    await bus.receive({
      type: 'order.placed',
      data: { orderId: 'o1', amount: 12 },
      metadata: { [MetadataKey.SchemaVersion]: '1' },
    });
    await bus.shutdown();
    expect(seen).toEqual([{ orderId: 'o1', amount: '12' }]);
  });

  it('refuses a schema it cannot check, unless it comes with an upcaster or the mode is none', () => {
    const withTransform = z.object({
      orderId: z.string(),
      amount: z.number().transform((amount) => Math.round(amount * 100)),
    });
    const reader = z.object({ orderId: z.string(), amount: z.number() });
    const make = (mode?: CompatibilityMode) =>
      new SchemaRegistry(
        { 'order.placed': withTransform },
        { compatibility: compatibility(mode === undefined ? {} : { mode }) },
      );
    let caught: unknown;
    try {
      make().register('order.placed', reader);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(IncompatibleSchemaError);
    expect((caught as IncompatibleSchemaError).differences.map((d) => d.change)).toEqual([
      'cannot-check',
    ]);
    expect(make().register('order.placed', reader, { upcast: (old) => old })).toBe(2);
    expect(make('none').register('order.placed', reader)).toBe(2);
    // An upcaster forgives what cannot be checked, not what breaks.
    const refined = z.object({
      orderId: z.string(),
      amount: z.number().refine((amount) => amount > 0, 'a positive amount'),
      currency: z.string(),
    });
    const plain = new SchemaRegistry(
      { 'order.placed': reader },
      { compatibility: compatibility() },
    );
    expect(check(plain, 'order.placed', refined).map((d) => d.change)).toEqual([
      'cannot-check',
      'required-added',
    ]);
    expect(() =>
      plain.register('order.placed', refined, {
        upcast: (old) => ({ ...Object(old), currency: 'EUR' }),
      }),
    ).toThrow(/required field "currency" added/);
  });

  it('checks its settings when made', () => {
    expect(() => compatibility({ mode: 'sideways' as CompatibilityMode })).toThrow(
      InvalidOptionError,
    );
    expect(() => compatibility({ mode: 'sideways' as CompatibilityMode })).toThrow(
      expect.objectContaining({ option: 'compatibility({ mode })' }),
    );
    expect(() =>
      compatibility({ overrides: { 'order.placed': 'loose' as CompatibilityMode } }),
    ).toThrow(expect.objectContaining({ option: 'compatibility({ overrides["order.placed"] })' }));
    expect(() => compatibility(null as never)).toThrow(
      expect.objectContaining({ option: 'compatibility(settings)' }),
    );
  });

  it('refuses a misspelt setting when made, suggesting the right one', () => {
    const settings = { mdoe: 'full' } as { mode?: CompatibilityMode };
    expect(() => compatibility(settings)).toThrow(InvalidOptionError);
    expect(() => compatibility(settings)).toThrow(
      'Invalid option "compatibility({ mdoe })": expected a known option (did you mean "mode"?), received "full".',
    );
    expect(() => compatibility({ override: {} } as object)).toThrow('(did you mean "overrides"?)');
  });

  it('takes a policy spread into settings, its modes from mode and overrides', () => {
    const policy = compatibility({ mode: 'forward' });
    const changed = compatibility({ ...policy, overrides: { 'order.placed': 'full' } });
    expect(changed.modeOf('order.placed')).toBe('full');
    expect(changed.modeOf('user.created')).toBe('forward');
  });
});

describe('check', () => {
  it('returns the differences and registers nothing', () => {
    const registry = new SchemaRegistry({ 'order.placed': v1 });
    const differences = check(registry, 'order.placed', changesType, 'full');
    expect(differences.map((d) => `${d.path} ${d.breaks}`)).toEqual([
      'amount backward',
      'amount forward',
    ]);
    expect(differences[0]?.message).toBe(
      '"amount" changed from number to string (breaks backward: v1 events cannot be read)',
    );
    expect(registry.versions('order.placed')).toEqual([1]);
    expect(check(registry, 'order.placed', addsRequired, 'forward')).toEqual([]);
    expect(check(registry, 'order.placed', changesType, 'none')).toEqual([]);
    expect(check(registry, 'order.unknown', changesType)).toEqual([]);
  });

  it('checks under the mode a policy gives the type', () => {
    const policy = compatibility({ mode: 'forward', overrides: { 'order.placed': 'backward' } });
    const registry = new SchemaRegistry({ 'order.placed': v1 }, { compatibility: policy });
    expect(check(registry, 'order.placed', addsRequired, policy)).toHaveLength(1);
    expect(check(registry, 'order.placed', dropsRequired, policy)).toEqual([]);
  });

  it('refuses misspelt settings, suggesting the right one, and accepts a policy', () => {
    const registry = new SchemaRegistry({ 'order.placed': v1 });
    const settings = { mode: 'full', overides: {} } as { mode: CompatibilityMode };
    expect(() => check(registry, 'order.placed', changesType, settings)).toThrow(
      InvalidOptionError,
    );
    expect(() => check(registry, 'order.placed', changesType, settings)).toThrow(
      'Invalid option "check({ overides })": expected a known option (did you mean "overrides"?), received an object.',
    );
    expect(() => check(registry, 'order.placed', changesType, null as never)).toThrow(
      'Invalid option "check(modes)"',
    );
    const policy = compatibility({ mode: 'full' });
    expect(check(registry, 'order.placed', changesType, policy)).toHaveLength(2);
  });
});

describe('catalogueOf', () => {
  const events = defineEvents({
    'order.placed': versions(v1).upcast(addsRequired, (old) => ({ ...old, currency: 'EUR' })),
    'user.created': z.object({ userId: z.string() }),
  });

  it('lists the types, their versions, upcasters and modes', () => {
    const policy = compatibility({ mode: 'forward', overrides: { 'user.created': 'full' } });
    const registry = SchemaRegistry.from(events, { compatibility: policy });
    const catalogue = catalogueOf(registry, {
      modes: policy,
      descriptions: { 'order.placed': 'An order was placed.' },
    });
    expect(catalogue.events).toEqual([
      {
        type: 'order.placed',
        description: 'An order was placed.',
        compatibility: 'forward',
        versions: [
          { version: 1, schema: v1 },
          { version: 2, schema: addsRequired, upcast: true },
        ],
      },
      {
        type: 'user.created',
        compatibility: 'full',
        versions: [{ version: 1, schema: events['user.created'] }],
      },
    ]);
    expect(catalogueOf(registry).events.map((event) => event.compatibility)).toEqual([
      'backward',
      'backward',
    ]);
  });

  it('refuses a misspelt option, and a misspelt setting in modes with its prefix', () => {
    const registry = SchemaRegistry.from(events);
    const options = { description: {} } as { descriptions?: Record<string, string> };
    expect(() => catalogueOf(registry, options)).toThrow(InvalidOptionError);
    expect(() => catalogueOf(registry, options)).toThrow(
      'Invalid option "catalogueOf({ description })": expected a known option (did you mean "descriptions"?), received an object.',
    );
    expect(() => catalogueOf(registry, { modes: { mod: 'full' } as never })).toThrow(
      'Invalid option "catalogueOf({ modes.mod })": expected a known option (did you mean "modes.mode"?), received "full".',
    );
    expect(() => catalogueOf(registry, { modes: { mode: 'sideways' as 'full' } })).toThrow(
      expect.objectContaining({ option: 'catalogueOf({ modes.mode })' }),
    );
  });

  it('refuses a misspelt option of an exporter, naming the exporter', () => {
    const registry = SchemaRegistry.from(events);
    expect(() => toJSONSchema(registry, { mode: 'full' } as object)).toThrow(
      'Invalid option "toJSONSchema({ mode })": expected a known option (did you mean "modes"?), received "full".',
    );
    expect(() =>
      toAsyncAPI(registry, { title: 'Shop', version: '1.0.0', modes: { overides: {} } as object }),
    ).toThrow(
      'Invalid option "toAsyncAPI({ modes.overides })": expected a known option (did you mean "modes.overrides"?), received an object.',
    );
    expect(() =>
      toAsyncAPI(registry, { title: 'Shop', version: '1.0.0', modes: 'sideways' as 'full' }),
    ).toThrow(expect.objectContaining({ option: 'toAsyncAPI({ modes })' }));
  });

  it('feeds the exporters from a registry', () => {
    const registry = SchemaRegistry.from(events);
    expect(toJSONSchema(registry).map((doc) => doc.id)).toEqual([
      'urn:gossip:event:order.placed:v2',
      'urn:gossip:event:order.placed:v1',
      'urn:gossip:event:user.created:v1',
    ]);
    const doc = toAsyncAPI(registry, { title: 'Shop', version: '1.0.0', modes: 'full' });
    expect(Object.keys(doc.channels)).toEqual(['order.placed', 'user.created']);
    expect(doc.channels['order.placed']?.['x-gossip-compatibility']).toBe('full');
  });
});

describe('compareCatalogues', () => {
  const before = catalogueOf(SchemaRegistry.from({ 'order.placed': v1, 'user.created': v1 }));

  it('finds nothing when the new catalogue only adds compatible versions and types', () => {
    const registry = SchemaRegistry.from({ 'order.placed': v1, 'user.created': v1 });
    registry.register('order.placed', dropsRequired);
    registry.register('cart.emptied', v1);
    expect(compareCatalogues(before, catalogueOf(registry))).toEqual([]);
  });

  it('names the event, the version and the mode a new version breaks', () => {
    const registry = SchemaRegistry.from({ 'order.placed': v1, 'user.created': v1 });
    registry.register('order.placed', changesType);
    const [found, ...rest] = compareCatalogues(before, catalogueOf(registry));
    expect(rest).toEqual([]);
    expect(found?.kind).toBe('incompatible');
    expect(found?.message).toBe(
      'order.placed v2 breaks backward: "amount" changed from number to string (breaks backward: v1 events cannot be read)',
    );
  });

  it('reports removed types, removed versions and versions changed in place', () => {
    const after = {
      events: [{ type: 'order.placed', versions: [{ version: 1, schema: changesType }] }],
    };
    const twoVersions = {
      events: [
        {
          type: 'order.placed',
          versions: [
            { version: 1, schema: v1 },
            { version: 2, schema: dropsRequired },
          ],
        },
      ],
    };
    expect(compareCatalogues(before, after).map((b) => b.kind)).toEqual([
      'version-changed',
      'type-removed',
    ]);
    expect(compareCatalogues(twoVersions, before).map((b) => b.message)).toEqual([
      'order.placed v2 was removed: its events can no longer be read',
    ]);
  });
});
