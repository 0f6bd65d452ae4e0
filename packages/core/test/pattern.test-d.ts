import { describe, expectTypeOf, it } from 'vitest';
import type {
  ArgsFor,
  CheckedType,
  IsOpenMap,
  MatchedType,
  NamesOf,
  Pattern,
  PublishOptions,
} from '../src/index.js';
import type { patternCases, TableEvents } from './pattern-table.js';

type Case = (typeof patternCases)[number];

/** For each row: does the type-level relation say what the row says? */
type Verdict<Row extends Case> =
  Row['pattern'] extends Pattern<TableEvents>
    ? [Row['type']] extends [MatchedType<TableEvents, Row['pattern']>]
      ? true
      : false
    : false;

type Disagreement<Row extends Case> = Row extends Case
  ? [Verdict<Row>] extends [Row['matches']]
    ? never
    : Row
  : never;

type Disagreements = Disagreement<Case>;

describe('the type-level pattern relation', () => {
  it('agrees with every row of the pattern table', () => {
    expectTypeOf<Disagreements>().toEqualTypeOf<never>();
  });

  it('offers exactly the patterns that match something', () => {
    expectTypeOf<'order.*'>().toExtend<Pattern<TableEvents>>();
    expectTypeOf<'nothing.*'>().not.toExtend<Pattern<TableEvents>>();
    expectTypeOf<'order.**.paid'>().not.toExtend<Pattern<TableEvents>>();
  });
});

describe('the names of a map, read once per map', () => {
  type Map = { 'a.b': number; 'c.d': string };

  it('NamesOf gives the names; IsOpenMap tells a map with a string index', () => {
    expectTypeOf<NamesOf<Map>>().toEqualTypeOf<'a.b' | 'c.d'>();
    expectTypeOf<IsOpenMap<Map>>().toEqualTypeOf<false>();
    expectTypeOf<IsOpenMap<Record<string, unknown>>>().toEqualTypeOf<true>();
  });

  it('CheckedType keeps a name of the map and answers anything else with every name', () => {
    expectTypeOf<CheckedType<Map, 'a.b'>>().toEqualTypeOf<'a.b'>();
    expectTypeOf<CheckedType<Map, 'a.x'>>().toEqualTypeOf<'a.b' | 'c.d'>();
    // @ts-expect-error a misspelt name is not assignable to its checked type
    const misspelt: CheckedType<Map, 'a.x'> = 'a.x';
    void misspelt;
  });

  it('ArgsFor gives the payload of one name, none for a union, anything for an open map', () => {
    expectTypeOf<ArgsFor<Map, 'a.b', PublishOptions>>().toEqualTypeOf<
      [data: number, options?: PublishOptions]
    >();
    expectTypeOf<ArgsFor<Map, 'a.b' | 'c.d', PublishOptions>>().toEqualTypeOf<
      [data: never, options?: PublishOptions]
    >();
    expectTypeOf<ArgsFor<Record<string, unknown>, 'x' | 'y', PublishOptions>>().toEqualTypeOf<
      [data?: unknown, options?: PublishOptions]
    >();
  });
});
