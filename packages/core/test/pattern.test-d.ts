import { describe, expectTypeOf, it } from 'vitest';
import type { MatchedType, Pattern } from '../src/index.js';
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
