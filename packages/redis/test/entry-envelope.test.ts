import { jsonCodec } from '@gossip/transport';
import { describe, expect, it } from 'vitest';
import { envelopeOf } from '../src/entry-envelope.js';
import { envelopeFields } from '../src/stream-layout.js';

/** An entry's fields as the reply gives them: name and value, each a Buffer. */
const entry = (...fields: string[]): Buffer[] => fields.map((field) => Buffer.from(field));

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

describe('reading an entry', () => {
  it("reads each entry's own type, even once the bytes of an earlier one are reused", () => {
    const first = entry('id', 'e1', 'type', 'order.placed', 'ts', '5', 'p', '1');
    expect(envelopeOf(first)?.type).toBe('order.placed');
    // The reply's buffers are views of the socket's chunk, which later replies overwrite.
    first[3]?.write('user.created');
    const next = (id: string, type: string) =>
      envelopeOf(entry('id', id, 'type', type, 'ts', '5', 'p', '1'))?.type;
    expect(next('e2', 'user.created')).toBe('user.created');
    expect(next('e3', 'order.placed')).toBe('order.placed');
    expect(next('e4', 'order.paid')).toBe('order.paid');
    expect(next('e5', 'order.paid')).toBe('order.paid');
  });

  it('reads the headers again once the bytes they were parsed from change', () => {
    const headers = Buffer.from('{"k":"1"}');
    const fields = [...entry('id', 'e1', 'type', 'a.b', 'ts', '5', 'p', '1', 'h'), headers];
    expect(envelopeOf(fields)?.headers).toEqual({ k: '1' });
    headers.write('{"k":"2"}');
    expect(envelopeOf(fields)?.headers).toEqual({ k: '2' });
  });

  it('reads timestamps and versions as Number reads their text', () => {
    const read = (ts: string, v = '1') =>
      envelopeOf(entry('id', 'e1', 'type', 'a.b', 'ts', ts, 'p', '1', 'v', v));
    expect(read('1700000000123')?.timestamp).toBe(1_700_000_000_123);
    expect(read('0')?.timestamp).toBe(0);
    expect(read('1.5')?.timestamp).toBe(1.5);
    expect(read('-5')?.timestamp).toBe(-5);
    expect(read('1e3')?.timestamp).toBe(1000);
    expect(read('12345678901234567')?.timestamp).toBe(Number('12345678901234567'));
    expect(read('5', '12')?.schemaVersion).toBe(12);
    expect(read('5', '02')?.schemaVersion).toBe(2);
    expect(read('5', 'x')?.schemaVersion).toBeNaN();
    expect(read('12ab')).toBeUndefined();
    expect(read('Infinity')).toBeUndefined();
  });

  it("hands over the payload field's bytes as they are, without a copy", () => {
    const payload = Buffer.from(jsonCodec.encode({ n: 1 }));
    const read = envelopeOf([...entry('id', 'e1', 'type', 'a.b', 'ts', '5', 'p'), payload]);
    expect(read?.payload).toBe(payload);
  });
});
