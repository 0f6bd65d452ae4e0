import { describe, expect, it } from 'vitest';
import { StreamLayout } from '../src/stream-layout.js';

describe('StreamLayout', () => {
  it('puts each event type in a stream of its own by default', () => {
    const layout = new StreamLayout('shop', 'type');
    expect(layout.keyOf(layout.nameOf('order.placed'))).toBe('shop:stream:order.placed');
    expect(layout.deadLetterKey).toBe('shop:dlq');
    expect(layout.streamsKey).toBe('shop:streams');
  });

  it('puts the types of one prefix in one stream with streamPer prefix', () => {
    const layout = new StreamLayout('shop', 'prefix');
    expect(layout.nameOf('order.item.added')).toBe('order');
    expect(layout.nameOf('ping')).toBe('ping');
  });

  it('names exact streams outright and finds wildcard ones by pattern', () => {
    const { exact, discover } = new StreamLayout('p', 'type').plan(['user.created', 'order.*']);
    expect([...exact]).toEqual(['user.created']);
    expect(discover?.('order.paid')).toBe(true);
    expect(discover?.('order.item.added')).toBe(false);
    expect(new StreamLayout('p', 'type').plan(['a.b']).discover).toBeUndefined();
  });

  it('with streamPer prefix, discovers only when the first segment is a wildcard', () => {
    const layout = new StreamLayout('p', 'prefix');
    expect([...layout.plan(['order.*', 'order.**']).exact]).toEqual(['order']);
    expect(layout.plan(['order.*']).discover).toBeUndefined();
    expect(layout.plan(['*.created']).discover?.('user')).toBe(true);
  });
});
