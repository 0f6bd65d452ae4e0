import { describe, expect, it } from 'vitest';
import { compilePattern, createEventBus, InvalidOptionError, isWildcard } from '../src/index.js';
import { settle } from './fixtures.js';
import { eventTypes, patternCases } from './pattern-table.js';

describe('compilePattern', () => {
  it.each(patternCases)('$pattern against $type is $matches', ({ pattern, type, matches }) => {
    expect(compilePattern(pattern)(type)).toBe(matches);
  });

  it('tells wildcard patterns from exact names', () => {
    expect(isWildcard('order.*')).toBe(true);
    expect(isWildcard('**')).toBe(true);
    expect(isWildcard('order.paid')).toBe(false);
  });
});

describe('pattern matching on a live bus', () => {
  it('delivers each event to exactly the subscriptions the table says', async () => {
    const bus = createEventBus();
    const seen = new Set<string>();
    const patterns = [...new Set(patternCases.map((row) => row.pattern))];
    for (const pattern of patterns) {
      bus.subscribe(pattern, (event) => {
        seen.add(`${pattern} ${event.type}`);
      });
    }
    for (const type of eventTypes) await bus.publish(type, {});
    await settle();
    for (const { pattern, type, matches } of patternCases) {
      expect(seen.has(`${pattern} ${type}`), `${pattern} ${type}`).toBe(matches);
    }
  });

  it.each([
    ['', 'empty'],
    ['order..paid', 'segments may not be empty'],
    ['.order', 'segments may not be empty'],
    ['order.**.paid', '"**" may only be the last segment'],
    ['order.pa*', 'must be whole segments'],
  ])('refuses the malformed pattern %j', (pattern, problem) => {
    const bus = createEventBus();
    expect(() => bus.subscribe(pattern, () => {})).toThrow(InvalidOptionError);
    expect(() => bus.subscribe(pattern, () => {})).toThrow(problem);
  });
});
