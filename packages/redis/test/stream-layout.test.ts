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

  const payloadField = (payload: Uint8Array) => {
    const fields = envelopeFields({ id: 'e1', type: 'a.b', timestamp: 5, payload, headers: {} });
    return fields[fields.indexOf('p') + 1];
  };

  it('writes a UTF-8 payload as a string, so ioredis sends the command as strings', () => {
    const text = '{"name":"Zoë","note":"€ 5"}';
    expect(payloadField(new TextEncoder().encode(text))).toBe(text);
    expect(payloadField(new Uint8Array(0))).toBe('');
  });

  it('keeps a leading byte order mark in the string, so the bytes written are the same', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, 0x31]);
    const field = payloadField(bytes);
    expect(typeof field).toBe('string');
    expect(Buffer.from(field as string, 'utf8')).toEqual(Buffer.from(bytes));
  });

  it('writes bytes that are not UTF-8 as a Buffer of exactly those bytes', () => {
    const backing = new Uint8Array([9, 0xff, 0xfe, 0x00, 0xc3, 9]);
    const field = payloadField(backing.subarray(1, 5));
    expect(Buffer.isBuffer(field)).toBe(true);
    expect([...(field as Buffer)]).toEqual([0xff, 0xfe, 0x00, 0xc3]);
  });
});
