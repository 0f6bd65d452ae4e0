import type { DeadLetterReason, Envelope, Transport } from '@gossip/transport';
import { describe, expectTypeOf, it } from 'vitest';
import {
  createRedisTransport,
  type RedisConnection,
  type RedisDeadLetter,
  RedisErrorCode,
  type RedisTransport,
  type RedisTransportError,
  type RedisTransportOptions,
} from '../src/index.js';

describe('RedisTransportOptions', () => {
  it('are all optional', () => {
    expectTypeOf(createRedisTransport)
      .parameter(0)
      .toEqualTypeOf<RedisTransportOptions | undefined>();
    expectTypeOf<Record<never, never>>().toExtend<RedisTransportOptions>();
  });

  it('take the server as a URL or as host, port and credentials', () => {
    const byUrl: RedisTransportOptions = { url: 'redis://127.0.0.1:6379' };
    const byParts: RedisTransportOptions = {
      connection: { host: '10.0.0.5', port: 6380, password: 'secret', db: 2, tls: true },
    };
    void byUrl;
    void byParts;
    expectTypeOf<RedisConnection['port']>().toEqualTypeOf<number | undefined>();
    // @ts-expect-error a port is a number
    const port: RedisConnection = { port: '6379' };
    void port;
  });

  it('lay streams out per type or per prefix, nothing else', () => {
    expectTypeOf<RedisTransportOptions['streamPer']>().toEqualTypeOf<
      'type' | 'prefix' | undefined
    >();
    // @ts-expect-error no stream per group
    const perGroup: RedisTransportOptions = { streamPer: 'group' };
    void perGroup;
  });

  it('take durations and counts as numbers', () => {
    const options: RedisTransportOptions = {
      maxLen: 100_000,
      trimIntervalMs: 1000,
      claimIdleMs: 30_000,
      claimIntervalMs: 5000,
      batchSize: 100,
      blockMs: 1000,
      maxAttempts: 5,
      redeliveryDelayMs: 1000,
      discoverIntervalMs: 1000,
      dedupeWindowMs: 60_000,
      publishTimeoutMs: 5000,
    };
    void options;
    // @ts-expect-error milliseconds, not a string
    const text: RedisTransportOptions = { claimIdleMs: '30s' };
    void text;
  });

  it('report background failures as RedisTransportError', () => {
    expectTypeOf<NonNullable<RedisTransportOptions['onError']>>().toEqualTypeOf<
      (error: RedisTransportError) => void
    >();
  });

  it('refuse an option the transport does not have', () => {
    // @ts-expect-error misspelt
    const typo: RedisTransportOptions = { claimIdelMs: 5 };
    void typo;
  });
});

describe('createRedisTransport', () => {
  it('resolves with a Transport that names its keys and reads its dead letters', () => {
    expectTypeOf(createRedisTransport).returns.toEqualTypeOf<Promise<RedisTransport>>();
    expectTypeOf<RedisTransport>().toExtend<Transport>();
    expectTypeOf<RedisTransport['streamKey']>().toEqualTypeOf<(type: string) => string>();
    expectTypeOf<RedisTransport['readDeadLetters']>().returns.toEqualTypeOf<
      Promise<RedisDeadLetter[]>
    >();
    expectTypeOf<RedisDeadLetter['envelope']>().toEqualTypeOf<Envelope | undefined>();
    expectTypeOf<RedisDeadLetter['reason']>().toEqualTypeOf<DeadLetterReason>();
  });

  it('fails with errors whose code is one of RedisErrorCode', () => {
    expectTypeOf<RedisTransportError['code']>().toEqualTypeOf<RedisErrorCode>();
    expectTypeOf(RedisErrorCode.PublishFailed).toExtend<RedisErrorCode>();
  });
});
