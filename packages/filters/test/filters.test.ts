import { type AnyEvent, type Event, type Filter, InvalidOptionError } from '@gossip/core';
import { describe, expect, it, vi } from 'vitest';
import { and, byMetadata, filtered, hasMetadata, not, or, where } from '../src/index.js';
import { no, withMeta, yes } from './fixtures.js';

describe('byMetadata', () => {
  it.each([
    [{ source: 'api' }, true],
    [{ source: 'web' }, false],
    [{ source: 'API' }, false],
    [{}, false],
    [{ other: 'api' }, false],
  ])('with metadata %o accepts: %s', (metadata, expected) => {
    expect(byMetadata('source', 'api')(withMeta(metadata))).toBe(expected);
  });

  it('matches an empty value only when the key is present', () => {
    expect(byMetadata('tag', '')(withMeta({ tag: '' }))).toBe(true);
    expect(byMetadata('tag', '')(withMeta({}))).toBe(false);
  });

  it('does not mistake inherited properties for metadata', () => {
    expect(byMetadata('constructor', 'x')(withMeta({}))).toBe(false);
  });

  it('refuses a bad key or value when made', () => {
    expect(() => byMetadata('', 'x')).toThrow(InvalidOptionError);
    expect(() => byMetadata(42 as never, 'x')).toThrow('Invalid option "byMetadata(key)"');
    expect(() => byMetadata('priority', 10 as never)).toThrow(
      /^Invalid option "byMetadata\(value\)": .*metadata values are strings/,
    );
  });
});

describe('hasMetadata', () => {
  it.each([
    [{ user_id: 'u1' }, true],
    [{ user_id: '' }, true],
    [{}, false],
    [{ userId: 'u1' }, false],
  ])('with metadata %o accepts: %s', (metadata, expected) => {
    expect(hasMetadata('user_id')(withMeta(metadata))).toBe(expected);
  });

  it('ignores inherited properties', () => {
    expect(hasMetadata('toString')(withMeta({}))).toBe(false);
  });

  it('refuses a bad key when made', () => {
    expect(() => hasMetadata('')).toThrow(InvalidOptionError);
    expect(() => hasMetadata('')).toThrow('Invalid option "hasMetadata(key)"');
  });
});

describe('and', () => {
  it.each([
    [[yes, yes], true],
    [[yes, no], false],
    [[no, yes], false],
    [[no, no], false],
    [[yes], true],
    [[no], false],
    [[], true],
  ] as Array<[Filter[], boolean]>)('of %# filters gives the truth table', (filters, expected) => {
    expect(and(...filters)(withMeta({}))).toBe(expected);
  });

  it('is true with no filters, as in the seed', () => {
    expect(and()(withMeta({}))).toBe(true);
  });

  it('stops at the first filter that refuses', () => {
    const last = vi.fn(yes);
    and(no, last)(withMeta({}));
    expect(last).not.toHaveBeenCalled();
  });
});

describe('or', () => {
  it.each([
    [[yes, yes], true],
    [[yes, no], true],
    [[no, yes], true],
    [[no, no], false],
    [[yes], true],
    [[no], false],
    [[], false],
  ] as Array<[Filter[], boolean]>)('of %# filters gives the truth table', (filters, expected) => {
    expect(or(...filters)(withMeta({}))).toBe(expected);
  });

  it('is false with no filters, as in the seed', () => {
    expect(or()(withMeta({}))).toBe(false);
  });

  it('stops at the first filter that accepts', () => {
    const last = vi.fn(no);
    or(yes, last)(withMeta({}));
    expect(last).not.toHaveBeenCalled();
  });
});

describe('not', () => {
  it('inverts a filter', () => {
    expect(not(yes)(withMeta({}))).toBe(false);
    expect(not(no)(withMeta({}))).toBe(true);
    expect(not(byMetadata('source', 'api'))(withMeta({ source: 'web' }))).toBe(true);
  });

  it('inverts the empty cases', () => {
    expect(not(and())(withMeta({}))).toBe(false);
    expect(not(or())(withMeta({}))).toBe(true);
  });
});

describe('combinators', () => {
  it('refuse something that is not a filter when made', () => {
    expect(() => and(yes, 'vip' as never)).toThrow(InvalidOptionError);
    expect(() => and(yes, 'vip' as never)).toThrow('Invalid option "and(filters[1])"');
    expect(() => or(undefined as never)).toThrow('Invalid option "or(filters[0])"');
    expect(() => not(null as never)).toThrow('Invalid option "not(filter)"');
  });

  it('do not change when the list they were given changes', () => {
    const list: Filter[] = [yes];
    const all = and(...list);
    list.push(no);
    expect(all(withMeta({}))).toBe(true);
  });
});

describe('where', () => {
  type OrderPaid = Event<'order.paid', { amount: number }>;
  const paid = (amount: number): OrderPaid => ({
    id: 'e1',
    type: 'order.paid',
    timestamp: 0,
    data: { amount },
    metadata: {},
  });

  it('accepts the events its predicate accepts', () => {
    const big = where((event: OrderPaid) => event.data.amount > 100);
    expect(big(paid(150))).toBe(true);
    expect(big(paid(100))).toBe(false);
  });

  it('takes a truthy answer as true', () => {
    const truthy = where((event: AnyEvent) => event.metadata.tag as unknown as boolean);
    expect(truthy(withMeta({ tag: 'x' }))).toBe(true);
    expect(truthy(withMeta({}))).toBe(false);
  });

  it('refuses a predicate that is not a function when made', () => {
    expect(() => where('amount > 100' as never)).toThrow(InvalidOptionError);
    expect(() => where('amount > 100' as never)).toThrow('Invalid option "where(predicate)"');
  });
});

describe('filtered', () => {
  it('calls the handler only for the events the filter accepts', async () => {
    const handler = vi.fn();
    const onlyApi = filtered(byMetadata('source', 'api'), handler);
    const ctx = {
      signal: new AbortController().signal,
      attempt: 1,
      subscription: 's',
      publish: async () => {},
    };
    await onlyApi(withMeta({ source: 'web' }), ctx);
    expect(handler).not.toHaveBeenCalled();
    const api = withMeta({ source: 'api' });
    await onlyApi(api, ctx);
    expect(handler).toHaveBeenCalledWith(api, ctx);
  });

  it('passes the handler result and failure through', async () => {
    const ctx = {
      signal: new AbortController().signal,
      attempt: 1,
      subscription: 's',
      publish: async () => {},
    };
    const boom = new Error('boom');
    await expect(filtered(yes, () => Promise.reject(boom))(withMeta({}), ctx)).rejects.toBe(boom);
    expect(() =>
      filtered(
        () => {
          throw boom;
        },
        () => {},
      )(withMeta({}), ctx),
    ).toThrow(boom);
  });

  it('refuses a filter or handler that is not a function when made', () => {
    expect(() => filtered('api' as never, () => {})).toThrow('Invalid option "filtered(filter)"');
    expect(() => filtered(yes, undefined as never)).toThrow('Invalid option "filtered(handler)"');
  });
});
