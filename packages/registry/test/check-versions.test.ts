import { GossipError, InvalidOptionError } from '@gossip/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  assertCompatible,
  type CompatibilityMode,
  canRead,
  checkCompatibility,
  checkVersions,
  IncompatibleSchemaError,
  RegistryErrorCode,
  type SchemaVersion,
} from '../src/index.js';

function chain(...schemas: ReadonlyArray<z.ZodType>): SchemaVersion[] {
  return schemas.map((schema, index) => ({ version: index + 1, schema }));
}

function verdicts(versions: ReadonlyArray<SchemaVersion>, modes: ReadonlyArray<CompatibilityMode>) {
  const earlier = versions.slice(0, -1);
  const candidate = versions.at(-1) as SchemaVersion;
  return Object.fromEntries(
    modes.map((mode) => [mode, checkVersions(earlier, candidate, mode).compatible]),
  );
}

describe('checkVersions', () => {
  // v2 drops `a`, which open readers ignore; v3 brings `a` back with another type. Each step
  // reads the one before, but v3 cannot read v1's `a`.
  it('passes backward but not backward-transitive when a field comes back with another type', () => {
    const versions = chain(
      z.object({ id: z.string(), a: z.string() }),
      z.object({ id: z.string() }),
      z.object({ id: z.string(), a: z.number().optional() }),
    );
    expect(verdicts(versions.slice(0, 2), ['backward'])).toEqual({ backward: true });
    expect(verdicts(versions, ['backward', 'backward-transitive'])).toEqual({
      backward: true,
      'backward-transitive': false,
    });
    const report = checkVersions(
      versions.slice(0, 2),
      versions[2] as SchemaVersion,
      'backward-transitive',
    );
    expect(report.differences).toEqual([
      expect.objectContaining({ path: 'a', change: 'type-changed', before: 1, after: 3 }),
    ]);
    expect(report.differences[0]?.message).toBe(
      '"a" changed from string to number (breaks backward: v1 events cannot be read)',
    );
  });

  // v1 readers ignore nothing they do not know of, but read `a` as a number when it is there;
  // v2 stops writing it; v3 writes it again as a string, which v2 readers ignore and v1
  // readers refuse.
  it('passes forward but not forward-transitive when a field comes back with another type', () => {
    const versions = chain(
      z.object({ id: z.string(), a: z.number().optional() }),
      z.object({ id: z.string() }),
      z.object({ id: z.string(), a: z.string() }),
    );
    expect(verdicts(versions.slice(0, 2), ['forward'])).toEqual({ forward: true });
    expect(verdicts(versions, ['forward', 'forward-transitive'])).toEqual({
      forward: true,
      'forward-transitive': false,
    });
    const report = checkVersions(
      versions.slice(0, 2),
      versions[2] as SchemaVersion,
      'forward-transitive',
    );
    expect(report.differences.map((d) => d.message)).toEqual([
      '"a" changed from number to string (breaks forward: v1 readers cannot read v3 events)',
    ]);
  });

  it('passes full but not full-transitive for an optional field dropped and brought back', () => {
    const versions = chain(
      z.object({ id: z.string(), a: z.string().optional() }),
      z.object({ id: z.string() }),
      z.object({ id: z.string(), a: z.number().optional() }),
    );
    expect(verdicts(versions.slice(0, 2), ['full'])).toEqual({ full: true });
    expect(verdicts(versions, ['full', 'full-transitive', 'none'])).toEqual({
      full: true,
      'full-transitive': false,
      none: true,
    });
    const report = checkVersions(
      versions.slice(0, 2),
      versions[2] as SchemaVersion,
      'full-transitive',
    );
    expect(report.differences.map((d) => [d.breaks, d.before])).toEqual([
      ['backward', 1],
      ['forward', 1],
    ]);
  });

  it('ignores versions that are not below the candidate', () => {
    const versions = chain(z.object({ a: z.number() }), z.object({ a: z.string() }));
    const later = { version: 5, schema: z.object({ a: z.boolean() }) };
    const candidate = { version: 2, schema: z.object({ a: z.number() }) };
    expect(
      checkVersions([...versions.slice(0, 1), later], candidate, 'full-transitive').compatible,
    ).toBe(true);
  });

  it('refuses an unknown mode and a version that is not a positive integer', () => {
    const v1 = { version: 1, schema: z.object({}) };
    expect(() =>
      checkVersions([v1], { version: 2, schema: z.object({}) }, 'sideways' as never),
    ).toThrow(expect.objectContaining({ option: 'checkVersions(mode)' }));
    expect(() => checkVersions([v1], { version: 1.5, schema: z.object({}) })).toThrow(
      expect.objectContaining({ option: 'checkVersions(candidate).version' }),
    );
    expect(() => checkCompatibility(true, true, 'BACKWARD' as never)).toThrow(InvalidOptionError);
    expect(() => checkCompatibility(true, true, 'BACKWARD' as never)).toThrow(
      /checkCompatibility\(mode\)/,
    );
  });
});

describe('assertCompatible', () => {
  const v2 = { version: 2, schema: z.object({ amount: z.number(), note: z.string() }) };
  const v3 = { version: 3, schema: z.object({ amount: z.string(), id: z.string() }) };

  it('throws an IncompatibleSchemaError listing every breaking difference', () => {
    let error: unknown;
    try {
      assertCompatible('order.placed', [v2], v3, 'backward');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(IncompatibleSchemaError);
    expect(error).toBeInstanceOf(GossipError);
    const incompatible = error as IncompatibleSchemaError;
    expect(incompatible.code).toBe(RegistryErrorCode.IncompatibleSchema);
    expect(incompatible.code).toBe('INCOMPATIBLE_SCHEMA');
    expect(incompatible.name).toBe('IncompatibleSchemaError');
    expect(incompatible.eventType).toBe('order.placed');
    expect(incompatible.version).toBe(3);
    expect(incompatible.differences).toHaveLength(2);
    expect(incompatible.message).toContain(
      'order.placed v3: "amount" changed from number to string (breaks backward: v2 events cannot be read)',
    );
    expect(incompatible.message).toContain(
      'order.placed v3: required field "id" added (breaks backward: v2 events cannot be read)',
    );
  });

  it('returns the report when the candidate is compatible', () => {
    const next = { version: 3, schema: v2.schema.extend({ id: z.string().optional() }) };
    expect(assertCompatible('order.placed', [v2], next).compatible).toBe(true);
  });

  it('throws when compatibility cannot be checked, and says how to skip the check', () => {
    const refined = { version: 3, schema: v2.schema.refine((order) => order.amount > 0) };
    expect(() => assertCompatible('order.placed', [v2], refined)).toThrow(
      /cannot be checked for backward compatibility[\s\S]*compatibility 'none'/,
    );
    expect(assertCompatible('order.placed', [v2], refined, 'none').status).toBe('compatible');
  });
});

describe('canRead', () => {
  it('reads plain JSON Schemas, reader first', () => {
    expect(canRead({ type: 'number' }, { type: 'integer', minimum: 0 })).toEqual([]);
    expect(canRead({ type: 'integer' }, { type: 'number' })).toEqual([
      expect.objectContaining({ kind: 'type-narrower', reader: 'integer', writer: 'number' }),
    ]);
  });

  it('follows local references, recursive ones included', () => {
    const tree = (leaf: string) => ({
      $defs: {
        node: {
          type: 'object',
          properties: {
            value: { type: leaf },
            children: { type: 'array', items: { $ref: '#/$defs/node' } },
          },
          required: ['value'],
        },
      },
      $ref: '#/$defs/node',
    });
    expect(canRead(tree('string'), tree('string'))).toEqual([]);
    expect(canRead(tree('string'), tree('number')).map((p) => p.path)).toEqual(['value']);
  });

  it('reads recursive zod schemas', () => {
    interface Category {
      name: string;
      children: Category[];
    }
    const category: z.ZodType<Category> = z.object({
      name: z.string(),
      get children() {
        return z.array(category);
      },
    });
    expect(checkCompatibility(category, category, 'full').compatible).toBe(true);
  });

  it('treats a writer that allows anything as unreadable by a typed reader', () => {
    expect(canRead({ type: 'string' }, true)).toEqual([
      expect.objectContaining({ kind: 'type-narrower', writer: 'anything' }),
    ]);
    expect(canRead(true, { type: 'string' })).toEqual([]);
    expect(canRead({}, false)).toEqual([]);
  });

  it('reports a reference it cannot resolve as cannot-check', () => {
    expect(canRead({ $ref: 'https://example.com/other.json' }, { type: 'string' })).toEqual([
      expect.objectContaining({ kind: 'cannot-check' }),
    ]);
  });

  it('reports a non-zod Standard Schema without a JSON Schema converter as cannot-check', () => {
    const opaque = {
      '~standard': { version: 1 as const, vendor: 'acme', validate: () => ({ value: {} }) },
    };
    const report = checkCompatibility(opaque, opaque);
    expect(report.status).toBe('cannot-check');
    expect(report.differences[0]?.message).toMatch(/acme schema offers no JSON Schema converter/);
  });
});
