import { type CompatibilityCheck, defineEvents, SchemaRegistry } from '@gossip/core';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  type AsyncAPIDocument,
  type Catalogue,
  type CatalogueBreak,
  CompatibilityMode,
  type CompatibilityPolicy,
  type CompatibilityReport,
  type CompatibilitySettings,
  catalogueOf,
  check,
  checkCompatibility,
  checkVersions,
  compareCatalogues,
  compatibility,
  type EventSchemaDocument,
  type IncompatibleSchemaError,
  type RegistryView,
  type SchemaDifference,
  toAsyncAPI,
  toJSONSchema,
} from '../src/index.js';

const events = defineEvents({
  'order.placed': z.object({ orderId: z.string(), amount: z.number() }),
});
const registry = SchemaRegistry.from(events);

describe('compatibility modes', () => {
  it('are the seven of CompatibilityMode, as a type and as values', () => {
    expectTypeOf<CompatibilityMode>().toEqualTypeOf<
      | 'backward'
      | 'backward-transitive'
      | 'forward'
      | 'forward-transitive'
      | 'full'
      | 'full-transitive'
      | 'none'
    >();
    expectTypeOf(CompatibilityMode.FullTransitive).toEqualTypeOf<'full-transitive'>();
    // @ts-expect-error not a mode
    const strict: CompatibilityMode = 'strict';
    void strict;
  });

  it('are set for all types, with overrides per type, by compatibility()', () => {
    const policy = compatibility({ mode: 'full', overrides: { 'audit.logged': 'none' } });
    expectTypeOf(policy).toEqualTypeOf<CompatibilityPolicy>();
    expectTypeOf(policy.modeOf).returns.toEqualTypeOf<CompatibilityMode>();
    // @ts-expect-error an override is a mode
    compatibility({ overrides: { 'audit.logged': 'off' } });
    // @ts-expect-error settings have a mode and overrides, nothing else
    const settings: CompatibilitySettings = { mode: 'full', transitive: true };
    void settings;
  });

  it('plug into a core SchemaRegistry as its compatibility check', () => {
    expectTypeOf<CompatibilityPolicy>().toExtend<CompatibilityCheck>();
    SchemaRegistry.from(events, { compatibility: compatibility({ mode: 'backward' }) });
  });
});

describe('checks', () => {
  it('compare two schemas, or a candidate against versions, into a report', () => {
    const v1 = z.object({ orderId: z.string() });
    const v2 = v1.extend({ note: z.string().optional() });
    expectTypeOf(checkCompatibility(v1, v2, 'full')).toEqualTypeOf<CompatibilityReport>();
    expectTypeOf(
      checkVersions([{ version: 1, schema: v1 }], { version: 2, schema: v2 }),
    ).toEqualTypeOf<CompatibilityReport>();
    expectTypeOf<CompatibilityReport['differences']>().toEqualTypeOf<
      ReadonlyArray<SchemaDifference>
    >();
    // @ts-expect-error a version number is a number
    checkVersions([{ version: '1', schema: v1 }], { version: 2, schema: v2 });
    // @ts-expect-error a schema, not a string
    checkCompatibility(v1, 'v2');
  });

  it('read a registry through RegistryView, which a core SchemaRegistry is', () => {
    expectTypeOf(registry).toExtend<RegistryView>();
    expectTypeOf(check(registry, 'order.placed', z.object({}))).toEqualTypeOf<SchemaDifference[]>();
    // @ts-expect-error the mode is one of the seven, or settings
    check(registry, 'order.placed', z.object({}), 'loose');
  });

  it('throw an IncompatibleSchemaError that carries the differences', () => {
    expectTypeOf<IncompatibleSchemaError['differences']>().toEqualTypeOf<
      ReadonlyArray<SchemaDifference>
    >();
    expectTypeOf<IncompatibleSchemaError['mode']>().toEqualTypeOf<CompatibilityMode>();
  });
});

describe('catalogues and exports', () => {
  it('make a catalogue of a registry, and compare two of them', () => {
    const catalogue = catalogueOf(registry, {
      modes: 'full',
      descriptions: { 'order.placed': 'x' },
    });
    expectTypeOf(catalogue).toEqualTypeOf<Catalogue>();
    expectTypeOf(compareCatalogues(catalogue, catalogue)).toEqualTypeOf<CatalogueBreak[]>();
    // @ts-expect-error descriptions are text
    catalogueOf(registry, { descriptions: { 'order.placed': 1 } });
  });

  it('export JSON Schema documents and AsyncAPI 3, from a registry or a catalogue', () => {
    expectTypeOf(toJSONSchema(registry)).toEqualTypeOf<EventSchemaDocument[]>();
    const document = toAsyncAPI(registry, { title: 'Shop', version: '1.0.0' });
    expectTypeOf(document).toEqualTypeOf<AsyncAPIDocument>();
    expectTypeOf(document.asyncapi).toEqualTypeOf<'3.0.0'>();
    // @ts-expect-error an AsyncAPI document needs the application's title and version
    toAsyncAPI(registry, { title: 'Shop' });
    // @ts-expect-error a server names its protocol
    toAsyncAPI(registry, { title: 'Shop', version: '1', servers: { nats: { host: 'x' } } });
  });
});
