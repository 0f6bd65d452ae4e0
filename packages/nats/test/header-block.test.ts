import type { JsMsg } from '@nats-io/jetstream';
import { MsgHdrsImpl, headers as natsHeaders } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { headerBlockOf, headerPairsOf, pairsOf } from '../src/header-block.js';
import { fromHeaders, toHeaders } from '../src/headers.js';

type NatsHeaders = ReturnType<typeof natsHeaders>;

const envelope = {
  id: 'e1',
  type: 'order.placed',
  timestamp: 1_700_000_000_000,
  schemaVersion: 2,
  payload: new TextEncoder().encode('{"orderId":"o1"}'),
  headers: { 'content-type': 'application/json', traceparent: '00-abc-01', odd: ' 50%\r\n ' },
};

/**
 * A message as nats.js 3.3 hands it over: a `JsMsg` around a `Msg` that keeps the header block
 * and the payload in one buffer (`_rdata`), the block's length in `_msg.hdr` (-1: none).
 */
function received(headers: NatsHeaders | undefined, payload: Uint8Array): JsMsg {
  // The client's headers object writes its wire form (MsgHdrsImpl.encode, not on the interface).
  const block =
    (headers as unknown as { encode(): Uint8Array } | undefined)?.encode() ?? new Uint8Array(0);
  const rdata = new Uint8Array(block.length + payload.length);
  rdata.set(block);
  rdata.set(payload, block.length);
  const hdr = headers === undefined ? -1 : block.length;
  return {
    msg: { _rdata: rdata, _msg: { hdr } },
    get headers() {
      return headers;
    },
  } as unknown as JsMsg;
}

/** A message from a client that keeps its bytes elsewhere: only `headers` to read. */
function opaque(headers: NatsHeaders | undefined): JsMsg {
  return { msg: {}, headers } as unknown as JsMsg;
}

describe('headerPairsOf', () => {
  it('reads the header block as the client reads it, in the same order', () => {
    const headers = toHeaders(envelope);
    const msg = received(headers, envelope.payload);
    expect(headerBlockOf(msg)).toBeInstanceOf(Uint8Array);
    expect(headerPairsOf(msg)).toEqual(pairsOf(headers));
    expect(
      fromHeaders('gossip.order.placed', 'gossip', headerPairsOf(msg), envelope.payload, () => 'x'),
    ).toEqual(envelope);
  });

  it('keeps every value of a repeated key, and a status line is not a header', () => {
    const headers = natsHeaders(503, 'No Responders');
    headers.append('Gossip-Meta-k', 'first');
    headers.append('Gossip-Meta-k', ' second ');
    headers.append('Empty', '');
    const msg = received(headers, new Uint8Array(0));
    expect(headerPairsOf(msg)).toEqual([
      'Gossip-Meta-k',
      'first',
      'Gossip-Meta-k',
      'second',
      'Empty',
      '',
    ]);
    // The first value counts, as headers.get() gives it.
    expect(
      fromHeaders('p.t', 'p', headerPairsOf(msg), new Uint8Array(0), () => 'x').headers,
    ).toEqual({ k: 'first' });
  });

  it('reads a message without headers as none', () => {
    const msg = received(undefined, envelope.payload);
    expect(headerBlockOf(msg)).toBeNull();
    expect(headerPairsOf(msg)).toEqual([]);
  });

  it('falls back to msg.headers where the client does not keep the bytes as nats.js 3.3 does', () => {
    const headers = toHeaders(envelope);
    for (const msg of [
      opaque(headers),
      { msg: { _rdata: 'text', _msg: { hdr: 3 } }, headers } as unknown as JsMsg,
      { msg: { _rdata: new Uint8Array(2), _msg: { hdr: 9 } }, headers } as unknown as JsMsg,
      { msg: { _rdata: new Uint8Array(2), _msg: {} }, headers } as unknown as JsMsg,
    ]) {
      expect(headerBlockOf(msg)).toBeUndefined();
      expect(headerPairsOf(msg)).toEqual(pairsOf(headers));
    }
    expect(headerPairsOf(opaque(undefined))).toEqual([]);
  });

  it('reads every block as the client does, refusing what it refuses', () => {
    const blocks = [
      'NATS/1.0\r\nGossip-Timestamp: 5\r\nno colon here\r\nNats-Msg-Id: a:b\r\n\r\n',
      'NATS/1.0 503 No: Responders\r\n\r\n',
      'NATS/1.0\r\nGossip-Id:\r\nGossip-Id: b\r\nGossip-Timestamp:\r\nGossip-Timestamp: 7\r\n\r\n',
      'NATS/1.0\r\nGossip-Meta-content-type: x\r\nContent-Type: y\r\n\r\n',
      'NATS/1.0\r\nContent-Type: y\r\nGossip-Meta-content-type: x\r\n\r\n',
      'NATS/1.0\r\nGossip-Meta-k:\r\nGossip-Meta-k: v\r\n: empty key\r\nlower-case:  spaced  \r\n\r\n',
      'NATS/1.0\r\nGossip-Id: a\r\nGossip-Schema-Version: 2\r\nGossip-Meta-note: 50%25 off\r\n',
      'NATS/1.0\r\nBad Key: v\r\n\r\n',
      'NATS/1.0\r\nGossip-Id : a\r\n\r\n',
      'NATS/1.0\r\nGossip-Meta-café: 1\r\n\r\n',
      'NATS/1.0\r\nGossip-Id: a\rb\r\n\r\n',
      'NATS/1.0\r\nGossip-Id: a\nb\r\n\r\n',
    ];
    let refused = 0;
    for (const text of blocks) {
      const bytes = new TextEncoder().encode(text);
      const msg = { msg: { _rdata: bytes, _msg: { hdr: bytes.length } } } as unknown as JsMsg;
      let client: ReturnType<typeof pairsOf> | Error;
      try {
        client = pairsOf(MsgHdrsImpl.decode(bytes));
      } catch (error) {
        client = error as Error;
      }
      if (client instanceof Error) {
        refused++;
        expect(() => headerPairsOf(msg), text).toThrow();
        continue;
      }
      expect(headerPairsOf(msg), text).toEqual(client);
      const envelopeOf = (pairs: ReturnType<typeof pairsOf>) =>
        fromHeaders('p.t', 'p', pairs, new Uint8Array(0), () => 'fallback');
      expect({ ...envelopeOf(headerPairsOf(msg)), timestamp: 0 }, text).toEqual({
        ...envelopeOf(client),
        timestamp: 0,
      });
    }
    expect(refused).toBe(5);
  });

  it('counts the first value of a repeated key, even an empty one, as headers.get() does', () => {
    const headers = natsHeaders();
    headers.append('Gossip-Id', '');
    headers.append('Gossip-Id', 'b');
    headers.append('Gossip-Timestamp', '');
    headers.append('Gossip-Timestamp', '7');
    const envelope = fromHeaders('p.t', 'p', pairsOf(headers), new Uint8Array(0), () => 'fallback');
    expect(headers.get('Gossip-Id')).toBe('');
    expect(envelope.id).toBe('fallback');
    expect(envelope.timestamp).not.toBe(7);
  });
});
