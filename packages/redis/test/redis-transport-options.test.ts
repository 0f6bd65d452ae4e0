import { InvalidOptionError } from '@gossip/core';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../src/redis-transport-options.js';

describe('resolveOptions', () => {
  it('applies the documented defaults', () => {
    const options = resolveOptions({});
    expect(options).toMatchObject({
      prefix: 'gossip',
      streamPer: 'type',
      maxLen: undefined,
      claimIdleMs: 30_000,
      claimIntervalMs: 5000,
      batchSize: 100,
      blockMs: 1000,
      maxAttempts: undefined,
      redeliveryDelayMs: 1000,
      discoverIntervalMs: 1000,
      dedupeWindowMs: undefined,
      publishTimeoutMs: 5000,
      persistent: undefined,
    });
  });

  it('looks for claimable messages every half claimIdleMs when that is under 5 s', () => {
    expect(resolveOptions({ claimIdleMs: 1000 }).claimIntervalMs).toBe(500);
  });

  it.each([
    [{ claimIdelMs: 5 }, 'claimIdelMs'],
    [{ batchSize: 0 }, 'batchSize'],
    [{ batchSize: 1.5 }, 'batchSize'],
    [{ maxLen: -1 }, 'maxLen'],
    [{ claimIdleMs: 0 }, 'claimIdleMs'],
    [{ blockMs: Number.NaN }, 'blockMs'],
    [{ streamPer: 'stream' }, 'streamPer'],
    [{ prefix: '' }, 'prefix'],
    [{ prefix: 'a b' }, 'prefix'],
    [{ url: 'redis://x', connection: {} }, 'url'],
    [{ onError: 'log' }, 'onError'],
  ])('refuses %j, naming %s', (options, name) => {
    expect(() => resolveOptions(options as never)).toThrow(InvalidOptionError);
    expect(() => resolveOptions(options as never)).toThrow(
      `Invalid option "createRedisTransport({ ${name} })"`,
    );
  });
});
