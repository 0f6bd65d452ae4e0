import type { Envelope, Transport } from '@gossip/transport';
import type { NatsConnection } from '@nats-io/transport-node';
import { describe, expectTypeOf, it } from 'vitest';
import {
  createNatsTransport,
  type NatsDeadLetter,
  NatsErrorCode,
  type NatsTransport,
  type NatsTransportError,
  type NatsTransportOptions,
} from '../src/index.js';

describe('NatsTransportOptions', () => {
  it('are all optional', () => {
    expectTypeOf(createNatsTransport)
      .parameter(0)
      .toEqualTypeOf<NatsTransportOptions | undefined>();
    expectTypeOf<Record<never, never>>().toExtend<NatsTransportOptions>();
  });

  it('take servers as one address or a list, or a connection the application owns', () => {
    expectTypeOf<NatsTransportOptions['servers']>().toEqualTypeOf<
      string | readonly string[] | undefined
    >();
    expectTypeOf<NatsTransportOptions['connection']>().toEqualTypeOf<NatsConnection | undefined>();
    // @ts-expect-error a port alone is not a server
    const port: NatsTransportOptions = { servers: 4222 };
    void port;
  });

  it('take durations and counts as numbers', () => {
    const options: NatsTransportOptions = {
      ackWait: 30_000,
      maxDeliver: 10,
      maxAckPending: 1000,
      concurrency: 8,
      prefetch: 100,
      duplicateWindow: 120_000,
      publishTimeout: 5000,
    };
    void options;
    // @ts-expect-error a duration is milliseconds, not a string
    const text: NatsTransportOptions = { ackWait: '30s' };
    void text;
  });

  it('name where a new group starts and how a new stream stores, from a closed list', () => {
    expectTypeOf<NatsTransportOptions['deliverPolicy']>().toEqualTypeOf<
      'new' | 'all' | undefined
    >();
    expectTypeOf<NatsTransportOptions['storage']>().toEqualTypeOf<'file' | 'memory' | undefined>();
    // @ts-expect-error JetStream's 'last' policy is not offered
    const last: NatsTransportOptions = { deliverPolicy: 'last' };
    void last;
  });

  it('call back with the envelope of a duplicate, and with any error', () => {
    expectTypeOf<NonNullable<NatsTransportOptions['onDuplicate']>>().toEqualTypeOf<
      (envelope: Envelope) => void
    >();
    expectTypeOf<NonNullable<NatsTransportOptions['onError']>>()
      .parameter(0)
      .toEqualTypeOf<unknown>();
  });

  it('refuse an option the transport does not have', () => {
    // @ts-expect-error misspelt
    const typo: NatsTransportOptions = { subjectPrefx: 'shop' };
    void typo;
  });
});

describe('createNatsTransport', () => {
  it('resolves with a Transport that names its stream and subjects', () => {
    expectTypeOf(createNatsTransport).returns.toEqualTypeOf<Promise<NatsTransport>>();
    expectTypeOf<NatsTransport>().toExtend<Transport>();
    expectTypeOf<NatsTransport['stream']>().toEqualTypeOf<string>();
    expectTypeOf<NatsTransport['subjects']>().toEqualTypeOf<{
      readonly events: string;
      readonly deadLetters: string;
    }>();
  });

  it('reads dead letters with their envelope and reason, a count optional', () => {
    expectTypeOf<NatsTransport['readDeadLetters']>().parameters.toEqualTypeOf<[count?: number]>();
    expectTypeOf<NatsTransport['readDeadLetters']>().returns.toEqualTypeOf<
      Promise<NatsDeadLetter[]>
    >();
    expectTypeOf<NatsDeadLetter['envelope']>().toEqualTypeOf<Envelope>();
    // @ts-expect-error: the count is a number
    void ({} as NatsTransport).readDeadLetters('10');
  });

  it('fails with errors whose code is one of NatsErrorCode', () => {
    expectTypeOf<NatsTransportError['code']>().toEqualTypeOf<NatsErrorCode>();
    expectTypeOf(NatsErrorCode.Publish).toExtend<NatsErrorCode>();
  });
});
