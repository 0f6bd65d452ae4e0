import { jsonCodec } from '@gossip/transport';
import { describe, expect, it } from 'vitest';
import { envelopeFields, envelopeOf, StreamLayout } from '../src/stream-layout.js';

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

describe('envelope fields', () => {
  it('read back the envelope they were made from', () => {
    const envelope = {
      id: 'e1',
      type: 'order.placed',
      timestamp: 1_700_000_000_000,
      schemaVersion: 2,
      payload: jsonCodec.encode({ sku: 'tea-☕' }),
      headers: { 'gossip.correlationId': 'c1' },
    };
    const fields = envelopeFields(envelope).map((field) =>
      typeof field === 'string' ? Buffer.from(field) : field,
    );
    const back = envelopeOf(fields);
    expect(back).toEqual({ ...envelope, payload: expect.any(Uint8Array) });
    expect(jsonCodec.decode(back?.payload ?? new Uint8Array())).toEqual({ sku: 'tea-☕' });
  });

  it('are not an envelope without an id, type or payload', () => {
    expect(envelopeOf([Buffer.from('id'), Buffer.from('e1')])).toBeUndefined();
  });

  it('read the headers of each entry, frozen, and refuse headers that are not an object', () => {
    const entry = (h: string) =>
      ['id', 'e1', 'type', 'a.b', 'ts', '5', 'p', '1', 'h', h].map((field) => Buffer.from(field));
    const first = envelopeOf(entry('{"k":"1"}'));
    const again = envelopeOf(entry('{"k":"1"}'));
    const other = envelopeOf(entry('{"k":"2"}'));
    expect(first?.headers).toEqual({ k: '1' });
    expect(Object.isFrozen(first?.headers)).toBe(true);
    expect(again?.headers).toEqual({ k: '1' });
    expect(other?.headers).toEqual({ k: '2' });
    expect(envelopeOf(entry('["k"]'))).toBeUndefined();
    expect(envelopeOf(entry('null'))).toBeUndefined();
  });

  it('ignore fields of other names, even ones that start like theirs', () => {
    const fields = [
      'id',
      'e1',
      'tx',
      'x',
      'type',
      'a.b',
      'ts',
      '5',
      'pp',
      'no',
      'p',
      '1',
      'vv',
      '9',
    ].map((field) => Buffer.from(field));
    expect(envelopeOf(fields)).toEqual({
      id: 'e1',
      type: 'a.b',
      timestamp: 5,
      payload: expect.any(Uint8Array),
      headers: {},
    });
  });
});
