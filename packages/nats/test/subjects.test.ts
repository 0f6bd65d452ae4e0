import { describe, expect, it } from 'vitest';
import { checkGroup, checkPrefix, filterSubject, patternToSubject } from '../src/subjects.js';

describe('patternToSubject', () => {
  it('maps an event type under the prefix', () => {
    expect(patternToSubject('gossip', 'order.placed')).toBe('gossip.order.placed');
  });

  it('keeps * and turns a trailing ** into >', () => {
    expect(patternToSubject('gossip', 'order.*')).toBe('gossip.order.*');
    expect(patternToSubject('gossip', '*.placed')).toBe('gossip.*.placed');
    expect(patternToSubject('app.events', 'order.**')).toBe('app.events.order.>');
    expect(patternToSubject('gossip', '**')).toBe('gossip.>');
  });

  it('refuses segments NATS cannot hold', () => {
    expect(() => patternToSubject('gossip', 'order.**.paid')).toThrow(/patterns/);
    expect(() => patternToSubject('gossip', 'order placed')).toThrow(/patterns/);
    expect(() => patternToSubject('gossip', 'order..placed')).toThrow(/patterns/);
    expect(() => patternToSubject('gossip', 'order.>')).toThrow(/patterns/);
  });
});

describe('filterSubject', () => {
  it('uses the one pattern as the filter', () => {
    expect(filterSubject('gossip', ['order.*'])).toBe('gossip.order.*');
    expect(filterSubject('gossip', ['order.*', 'order.*'])).toBe('gossip.order.*');
  });

  it('covers several patterns with their common literal tokens and >', () => {
    expect(filterSubject('gossip', ['order.placed', 'order.paid'])).toBe('gossip.order.>');
    expect(filterSubject('gossip', ['order.placed', 'order.placed.v2'])).toBe('gossip.order.>');
    expect(filterSubject('gossip', ['order.*', 'user.created'])).toBe('gossip.>');
    expect(filterSubject('gossip', ['*.placed', '*.paid'])).toBe('gossip.>');
  });

  it('needs at least one pattern', () => {
    expect(() => filterSubject('gossip', [])).toThrow(/at least one pattern/);
  });
});

describe('checkPrefix and checkGroup', () => {
  it('accept NATS tokens', () => {
    expect(checkPrefix('app.events')).toBe('app.events');
    expect(checkGroup('billing-v2_eu')).toBe('billing-v2_eu');
  });

  it('refuse what would make a wildcard or an invalid name', () => {
    expect(() => checkPrefix('app.*')).toThrow(/subjectPrefix/);
    expect(() => checkPrefix('')).toThrow(/subjectPrefix/);
    expect(() => checkGroup('billing.eu')).toThrow(/group/);
    expect(() => checkGroup('')).toThrow(/group/);
  });
});
