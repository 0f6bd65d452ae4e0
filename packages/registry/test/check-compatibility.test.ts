import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkCompatibility, type SchemaChange, type SchemaInput } from '../src/index.js';

// What a direction should find: `true` when it is compatible, else the change expected among
// the differences and the path it is at.
type Expected = true | readonly [SchemaChange, string];

interface Case {
  readonly rule: string;
  readonly before: SchemaInput;
  readonly after: SchemaInput;
  readonly backward: Expected;
  readonly forward: Expected;
}

const variantA = z.object({ kind: z.literal('a'), at: z.string() });
const variantB = z.object({ kind: z.literal('b'), amount: z.number() });
const variantC = z.object({ kind: z.literal('c') });

const cases: ReadonlyArray<Case> = [
  {
    rule: 'an identical schema',
    before: z.object({ id: z.string() }),
    after: z.object({ id: z.string() }),
    backward: true,
    forward: true,
  },
  {
    rule: 'a changed description',
    before: z.object({ id: z.string() }),
    after: z.object({ id: z.string().describe('the id') }).meta({ title: 'Order' }),
    backward: true,
    forward: true,
  },
  {
    rule: 'an optional field added',
    before: z.object({ id: z.string() }),
    after: z.object({ id: z.string(), note: z.string().optional() }),
    backward: true,
    forward: true,
  },
  {
    rule: 'a field with a default added',
    before: z.object({ id: z.string() }),
    after: z.object({ id: z.string(), currency: z.string().default('EUR') }),
    backward: true,
    forward: true,
  },
  {
    rule: 'a required field added',
    before: z.object({ id: z.string() }),
    after: z.object({ id: z.string(), currency: z.string() }),
    backward: ['required-added', 'currency'],
    forward: true,
  },
  {
    rule: 'an optional field removed from an open object',
    before: z.object({ id: z.string(), note: z.string().optional() }),
    after: z.object({ id: z.string() }),
    backward: true,
    forward: true,
  },
  {
    rule: 'a required field removed from an open object',
    before: z.object({ id: z.string(), note: z.string() }),
    after: z.object({ id: z.string() }),
    backward: true,
    forward: ['required-removed', 'note'],
  },
  {
    rule: 'a field renamed',
    before: z.object({ name: z.string() }),
    after: z.object({ title: z.string() }),
    backward: ['required-added', 'title'],
    forward: ['required-removed', 'name'],
  },
  {
    rule: 'an optional field made required',
    before: z.object({ note: z.string().optional() }),
    after: z.object({ note: z.string() }),
    backward: ['made-required', 'note'],
    forward: true,
  },
  {
    rule: 'a required field made optional',
    before: z.object({ note: z.string() }),
    after: z.object({ note: z.string().optional() }),
    backward: true,
    forward: ['made-optional', 'note'],
  },
  {
    rule: 'a default given to an optional field',
    before: z.object({ note: z.string().optional() }),
    after: z.object({ note: z.string().default('') }),
    backward: true,
    forward: true,
  },
  {
    rule: 'an optional field added to a strict object',
    before: z.strictObject({ id: z.string() }),
    after: z.strictObject({ id: z.string(), note: z.string().optional() }),
    backward: true,
    forward: ['field-added', 'note'],
  },
  {
    rule: 'an optional field removed from a strict object',
    before: z.strictObject({ id: z.string(), note: z.string().optional() }),
    after: z.strictObject({ id: z.string() }),
    backward: ['field-removed', 'note'],
    forward: true,
  },
  {
    rule: 'a required field removed from a strict object',
    before: z.strictObject({ id: z.string(), note: z.string() }),
    after: z.strictObject({ id: z.string() }),
    backward: ['field-removed', 'note'],
    forward: ['required-removed', 'note'],
  },
  {
    rule: 'an object made strict (zod strips unknown fields, so none are written)',
    before: z.object({ id: z.string() }),
    after: z.strictObject({ id: z.string() }),
    backward: true,
    forward: true,
  },
  {
    rule: 'a loose object made strict',
    before: z.looseObject({ id: z.string() }),
    after: z.strictObject({ id: z.string() }),
    backward: ['additional-properties-closed', ''],
    forward: true,
  },
  {
    rule: 'a strict object made loose',
    before: z.strictObject({ id: z.string() }),
    after: z.looseObject({ id: z.string() }),
    backward: true,
    forward: ['additional-properties-opened', ''],
  },
  {
    rule: 'a field added to a loose object (old events may carry it with any value)',
    before: z.looseObject({ id: z.string() }),
    after: z.looseObject({ id: z.string(), note: z.string().optional() }),
    backward: ['type-narrowed', 'note'],
    forward: true,
  },
  {
    rule: 'a field type changed from number to string',
    before: z.object({ amount: z.number() }),
    after: z.object({ amount: z.string() }),
    backward: ['type-changed', 'amount'],
    forward: ['type-changed', 'amount'],
  },
  {
    rule: 'a field type changed from boolean to string',
    before: z.object({ paid: z.boolean() }),
    after: z.object({ paid: z.string() }),
    backward: ['type-changed', 'paid'],
    forward: ['type-changed', 'paid'],
  },
  {
    rule: 'a number narrowed to an integer',
    before: z.object({ quantity: z.number() }),
    after: z.object({ quantity: z.int() }),
    backward: ['type-narrowed', 'quantity'],
    forward: true,
  },
  {
    rule: 'an integer widened to a number',
    before: z.object({ quantity: z.int() }),
    after: z.object({ quantity: z.number() }),
    backward: true,
    forward: ['type-widened', 'quantity'],
  },
  {
    rule: 'an enum narrowed',
    before: z.object({ status: z.enum(['new', 'paid', 'shipped']) }),
    after: z.object({ status: z.enum(['new', 'paid']) }),
    backward: ['enum-narrowed', 'status'],
    forward: true,
  },
  {
    rule: 'an enum widened',
    before: z.object({ status: z.enum(['new', 'paid']) }),
    after: z.object({ status: z.enum(['new', 'paid', 'shipped']) }),
    backward: true,
    forward: ['enum-widened', 'status'],
  },
  {
    rule: 'an enum replaced',
    before: z.object({ status: z.enum(['new', 'paid']) }),
    after: z.object({ status: z.enum(['open', 'closed']) }),
    backward: ['enum-changed', 'status'],
    forward: ['enum-changed', 'status'],
  },
  {
    rule: 'a const changed',
    before: z.object({ schema: z.literal('v1') }),
    after: z.object({ schema: z.literal('v2') }),
    backward: ['enum-changed', 'schema'],
    forward: ['enum-changed', 'schema'],
  },
  {
    rule: 'a string narrowed to an enum',
    before: z.object({ currency: z.string() }),
    after: z.object({ currency: z.enum(['EUR', 'USD']) }),
    backward: ['enum-narrowed', 'currency'],
    forward: true,
  },
  {
    rule: 'a minimum raised',
    before: z.object({ amount: z.number().min(0) }),
    after: z.object({ amount: z.number().min(10) }),
    backward: ['constraint-tightened', 'amount'],
    forward: true,
  },
  {
    rule: 'a minimum lowered',
    before: z.object({ amount: z.number().min(10) }),
    after: z.object({ amount: z.number().min(0) }),
    backward: true,
    forward: ['constraint-loosened', 'amount'],
  },
  {
    rule: 'an inclusive minimum made exclusive',
    before: z.object({ amount: z.number().gte(0) }),
    after: z.object({ amount: z.number().gt(0) }),
    backward: ['constraint-tightened', 'amount'],
    forward: true,
  },
  {
    rule: 'a maximum lowered',
    before: z.object({ amount: z.number().max(1000) }),
    after: z.object({ amount: z.number().max(100) }),
    backward: ['constraint-tightened', 'amount'],
    forward: true,
  },
  {
    rule: 'a multipleOf added',
    before: z.object({ cents: z.number() }),
    after: z.object({ cents: z.number().multipleOf(5) }),
    backward: ['constraint-tightened', 'cents'],
    forward: true,
  },
  {
    rule: 'a maxLength lowered',
    before: z.object({ name: z.string().max(100) }),
    after: z.object({ name: z.string().max(20) }),
    backward: ['constraint-tightened', 'name'],
    forward: true,
  },
  {
    rule: 'a maxLength removed',
    before: z.object({ name: z.string().max(20) }),
    after: z.object({ name: z.string() }),
    backward: true,
    forward: ['constraint-loosened', 'name'],
  },
  {
    rule: 'a minLength raised',
    before: z.object({ name: z.string() }),
    after: z.object({ name: z.string().min(3) }),
    backward: ['constraint-tightened', 'name'],
    forward: true,
  },
  {
    rule: 'a pattern changed',
    before: z.object({ sku: z.string().regex(/^A-/) }),
    after: z.object({ sku: z.string().regex(/^B-/) }),
    backward: ['pattern-changed', 'sku'],
    forward: ['pattern-changed', 'sku'],
  },
  {
    rule: 'a format added',
    before: z.object({ email: z.string() }),
    after: z.object({ email: z.email() }),
    backward: ['format-changed', 'email'],
    forward: true,
  },
  {
    rule: 'a nested field type changed',
    before: z.object({ customer: z.object({ address: z.object({ city: z.string() }) }) }),
    after: z.object({ customer: z.object({ address: z.object({ city: z.number() }) }) }),
    backward: ['type-changed', 'customer.address.city'],
    forward: ['type-changed', 'customer.address.city'],
  },
  {
    rule: 'a required field added to a nested object',
    before: z.object({ customer: z.object({ id: z.string() }) }),
    after: z.object({ customer: z.object({ id: z.string(), email: z.string() }) }),
    backward: ['required-added', 'customer.email'],
    forward: true,
  },
  {
    rule: 'an optional field added to a nested object',
    before: z.object({ customer: z.object({ id: z.string() }) }),
    after: z.object({ customer: z.object({ id: z.string(), email: z.string().optional() }) }),
    backward: true,
    forward: true,
  },
  {
    rule: 'the type of a field of array items changed',
    before: z.object({ items: z.array(z.object({ sku: z.string() })) }),
    after: z.object({ items: z.array(z.object({ sku: z.number() })) }),
    backward: ['type-changed', 'items[].sku'],
    forward: ['type-changed', 'items[].sku'],
  },
  {
    rule: 'an optional field added to array items',
    before: z.object({ items: z.array(z.object({ sku: z.string() })) }),
    after: z.object({ items: z.array(z.object({ sku: z.string(), note: z.string().optional() })) }),
    backward: true,
    forward: true,
  },
  {
    rule: 'array items widened to a union',
    before: z.object({ tags: z.array(z.string()) }),
    after: z.object({ tags: z.array(z.union([z.string(), z.number()])) }),
    backward: true,
    forward: ['type-widened', 'tags[]'],
  },
  {
    rule: 'an array given a minimum length',
    before: z.object({ items: z.array(z.string()) }),
    after: z.object({ items: z.array(z.string()).min(1) }),
    backward: ['constraint-tightened', 'items'],
    forward: true,
  },
  {
    rule: 'an array changed to a single value',
    before: z.object({ tags: z.array(z.string()) }),
    after: z.object({ tags: z.string() }),
    backward: ['type-changed', 'tags'],
    forward: ['type-changed', 'tags'],
  },
  {
    rule: 'a tuple element changed',
    before: z.object({ pair: z.tuple([z.string(), z.number()]) }),
    after: z.object({ pair: z.tuple([z.string(), z.string()]) }),
    backward: ['type-changed', 'pair[1]'],
    forward: ['type-changed', 'pair[1]'],
  },
  {
    rule: 'a field made nullable',
    before: z.object({ note: z.string() }),
    after: z.object({ note: z.string().nullable() }),
    backward: true,
    forward: ['null-added', 'note'],
  },
  {
    rule: 'a field no longer nullable',
    before: z.object({ note: z.string().nullable() }),
    after: z.object({ note: z.string() }),
    backward: ['null-removed', 'note'],
    forward: true,
  },
  {
    rule: 'a nested object no longer nullable',
    before: z.object({ customer: z.object({ id: z.string() }).nullable() }),
    after: z.object({ customer: z.object({ id: z.string() }) }),
    backward: ['null-removed', 'customer'],
    forward: true,
  },
  {
    rule: 'a field widened to a union',
    before: z.object({ id: z.string() }),
    after: z.object({ id: z.union([z.string(), z.number()]) }),
    backward: true,
    forward: ['type-widened', 'id'],
  },
  {
    rule: 'a union narrowed to one of its branches',
    before: z.object({ id: z.union([z.string(), z.number()]) }),
    after: z.object({ id: z.string() }),
    backward: ['type-narrowed', 'id'],
    forward: true,
  },
  {
    rule: 'a variant added to a discriminated union',
    before: z.object({ payment: z.discriminatedUnion('kind', [variantA, variantB]) }),
    after: z.object({ payment: z.discriminatedUnion('kind', [variantA, variantB, variantC]) }),
    backward: true,
    forward: ['union-widened', 'payment'],
  },
  {
    rule: 'a variant removed from a discriminated union',
    before: z.object({ payment: z.discriminatedUnion('kind', [variantA, variantB, variantC]) }),
    after: z.object({ payment: z.discriminatedUnion('kind', [variantA, variantB]) }),
    backward: ['union-narrowed', 'payment'],
    forward: true,
  },
  {
    rule: 'a field of one variant changed',
    before: z.object({ payment: z.discriminatedUnion('kind', [variantA, variantB]) }),
    after: z.object({
      payment: z.discriminatedUnion('kind', [
        variantA,
        z.object({ kind: z.literal('b'), amount: z.string() }),
      ]),
    }),
    backward: ['type-changed', 'payment.amount'],
    forward: ['type-changed', 'payment.amount'],
  },
  {
    rule: 'the value type of a record changed',
    before: z.object({ totals: z.record(z.string(), z.number()) }),
    after: z.object({ totals: z.record(z.string(), z.string()) }),
    backward: ['type-changed', 'totals.*'],
    forward: ['type-changed', 'totals.*'],
  },
  {
    rule: 'a transform in the new version (its output has no JSON Schema)',
    before: z.object({ name: z.string() }),
    after: z.object({ name: z.string().transform((name) => name.trim()) }),
    backward: true,
    forward: ['cannot-check', ''],
  },
  {
    rule: 'a refinement in the new version (the reader may refuse more)',
    before: z.object({ name: z.string() }),
    after: z.object({ name: z.string().refine((name) => name.trim() !== '') }),
    backward: ['cannot-check', 'name'],
    forward: true,
  },
];

function verdict(expected: Expected): string {
  return expected === true ? 'compatible' : expected[0];
}

describe('checkCompatibility', () => {
  it('is given at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  describe.each(cases)('$rule', ({ before, after, backward, forward }) => {
    it(`backward: ${verdict(backward)}`, () => {
      const report = checkCompatibility(before, after, 'backward');
      if (backward === true) {
        expect(report.differences).toEqual([]);
        expect(report.status).toBe('compatible');
      } else {
        expect(report.compatible).toBe(false);
        expect(report.differences).toContainEqual(
          expect.objectContaining({ change: backward[0], path: backward[1], breaks: 'backward' }),
        );
      }
    });

    it(`forward: ${verdict(forward)}`, () => {
      const report = checkCompatibility(before, after, 'forward');
      if (forward === true) {
        expect(report.differences).toEqual([]);
        expect(report.status).toBe('compatible');
      } else {
        expect(report.compatible).toBe(false);
        expect(report.differences).toContainEqual(
          expect.objectContaining({ change: forward[0], path: forward[1], breaks: 'forward' }),
        );
      }
    });

    it('full: compatible only if both are', () => {
      const report = checkCompatibility(before, after, 'full');
      expect(report.compatible).toBe(backward === true && forward === true);
      expect(report.differences.map((d) => d.breaks).sort()).toEqual(
        [
          ...checkCompatibility(before, after, 'backward').differences,
          ...checkCompatibility(before, after, 'forward').differences,
        ]
          .map((d) => d.breaks)
          .sort(),
      );
    });

    it('none: always compatible', () => {
      expect(checkCompatibility(before, after, 'none').compatible).toBe(true);
    });
  });
});
