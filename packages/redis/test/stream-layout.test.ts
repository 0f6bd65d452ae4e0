import { describe, expect, it } from 'vitest';
import { envelopeFields, StreamLayout } from '../src/stream-layout.js';

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

describe('envelopeFields', () => {
  const fieldsOf = (headers: Record<string, string>) =>
    envelopeFields({ id: 'e1', type: 'a.b', timestamp: 5, payload: new Uint8Array(0), headers });
  const headerField = (fields: Array<string | Buffer>) => fields[fields.indexOf('h') + 1];

  it("writes each envelope's own headers, frozen and shared or not", () => {
    const shared = Object.freeze({ 'content-type': 'application/json' });
    const other = Object.freeze({ k: '1' });
    const open: Record<string, string> = { k: '2' };
    expect(headerField(fieldsOf(shared))).toBe('{"content-type":"application/json"}');
    expect(headerField(fieldsOf(shared))).toBe('{"content-type":"application/json"}');
    expect(headerField(fieldsOf(other))).toBe('{"k":"1"}');
    expect(headerField(fieldsOf(open))).toBe('{"k":"2"}');
    open.k = '3';
    expect(headerField(fieldsOf(open))).toBe('{"k":"3"}');
    expect(headerField(fieldsOf(shared))).toBe('{"content-type":"application/json"}');
  });
});
