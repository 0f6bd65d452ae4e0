import { describe, expect, it } from 'vitest';
import { pairsOf } from '../src/header-block.js';
import { deadLetterHeaders, fromHeaders, toHeaders } from '../src/headers.js';

const envelope = {
  id: 'e1',
  type: 'order.placed',
  timestamp: 1_700_000_000_000,
  schemaVersion: 3,
  payload: new Uint8Array([1, 2]),
  headers: {
    'content-type': 'application/json',
    correlationId: 'c1',
    odd: ' 50% off\r\nnow ',
    plain: 'a b',
  },
};

describe('toHeaders and fromHeaders', () => {
  it('carry the id, version, timestamp and metadata, and rebuild the envelope', () => {
    const headers = toHeaders(envelope);
    // The id is the de-duplication key and the type is the subject: neither is written twice.
    expect(headers.get('Nats-Msg-Id')).toBe('e1');
    expect(headers.has('Gossip-Id')).toBe(false);
    expect(headers.has('Gossip-Type')).toBe(false);
    expect(headers.get('Gossip-Schema-Version')).toBe('3');
    expect(headers.get('Content-Type')).toBe('application/json');
    expect(headers.get('Gossip-Meta-plain')).toBe('a b');
    expect(
      fromHeaders('gossip.order.placed', 'gossip', pairsOf(headers), envelope.payload, () => 'x'),
    ).toEqual(envelope);
  });

  it('give a dead letter its id, type and reason, without a msg id', () => {
    const headers = deadLetterHeaders(envelope, {
      code: 'HANDLER_FAILED',
      message: 'boom\nat line 2',
      attempts: 5,
    });
    expect(headers.has('Nats-Msg-Id')).toBe(false);
    expect(headers.get('Gossip-Dead-Letter-Message')).toBe('boom at line 2');
    expect(headers.get('Gossip-Dead-Letter-Attempts')).toBe('5');
    expect(
      fromHeaders(
        'gossip-dlq.order.placed',
        'gossip',
        pairsOf(headers),
        envelope.payload,
        () => 'x',
      ),
    ).toEqual(envelope);
  });

  it('make a new headers object for every message', () => {
    expect(toHeaders(envelope)).not.toBe(toHeaders(envelope));
  });

  it('read a message published without gossip headers from its subject', () => {
    const rebuilt = fromHeaders(
      'gossip.user.created',
      'gossip',
      pairsOf(undefined),
      new Uint8Array(),
      () => 'S:7',
    );
    expect(rebuilt).toMatchObject({ id: 'S:7', type: 'user.created', headers: {} });
    expect(rebuilt.schemaVersion).toBeUndefined();
  });
});
