import { InvalidOptionError } from '@gossip/core';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../src/nats-transport-options.js';

describe('resolveOptions', () => {
  it('applies the defaults', () => {
    expect(resolveOptions({})).toMatchObject({
      servers: '127.0.0.1:4222',
      stream: 'GOSSIP',
      subjectPrefix: 'gossip',
      duplicateWindow: undefined,
      maxAckPending: 1000,
      maxDeliver: 10,
      ackWait: 30_000,
      concurrency: 8,
      prefetch: 100,
      deliverPolicy: 'new',
      storage: 'file',
      publishTimeout: 5000,
    });
  });

  it('pulls as many messages per request as the NATS client does, unless told', () => {
    expect(resolveOptions({ concurrency: 3 }).prefetch).toBe(100);
    expect(resolveOptions({ concurrency: 3, prefetch: 50 }).prefetch).toBe(50);
  });

  it('refuses a bad option when the transport is made', () => {
    expect(() => resolveOptions({ maxDeliver: 0 })).toThrow(
      'Invalid option "createNatsTransport({ maxDeliver })"',
    );
    expect(() => resolveOptions({ ackWait: 1.5 })).toThrow(
      'Invalid option "createNatsTransport({ ackWait })"',
    );
    expect(() => resolveOptions({ stream: 'a.b' })).toThrow(
      'Invalid option "createNatsTransport({ stream })"',
    );
    expect(() => resolveOptions({ servers: [] })).toThrow(
      'Invalid option "createNatsTransport({ servers })"',
    );
    expect(() => resolveOptions({ deliverPolicy: 'last' as 'new' })).toThrow(
      'Invalid option "createNatsTransport({ deliverPolicy })"',
    );
    expect(() => resolveOptions({ subjectPrefix: 'a >' })).toThrow(
      'Invalid option "createNatsTransport({ subjectPrefix })"',
    );
  });

  it('refuses a misspelt option before any value, suggesting the right one', () => {
    const options = { maxDelivery: 5 } as { maxDeliver?: number };
    expect(() => resolveOptions(options)).toThrow(InvalidOptionError);
    expect(() => resolveOptions(options)).toThrow(
      'Invalid option "createNatsTransport({ maxDelivery })": expected a known option (did you mean "maxDeliver"?), received 5.',
    );
    expect(() => resolveOptions({ subjectPrefx: 'a b' } as object)).toThrow(
      '(did you mean "subjectPrefix"?)',
    );
    expect(() => resolveOptions(null as unknown as object)).toThrow(
      'Invalid option "createNatsTransport(options)"',
    );
  });
});
