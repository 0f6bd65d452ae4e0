import { InvalidOptionError } from '@gossip/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryTransport, type Envelope, type TransportMessage } from '../src/index.js';

const envelope = (id: string, type = 'order.placed'): Envelope => ({
  id,
  type,
  timestamp: Date.now(),
  payload: new Uint8Array(0),
  headers: {},
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `done()`, at most `timeout` ms: a loaded machine runs timers late. */
async function until(done: () => boolean, timeout = 5000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(5);
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createMemoryTransport', () => {
  it('refuses a misspelt option at once, suggesting the right one', () => {
    const make = (options: object) => () => createMemoryTransport(options);
    expect(make({ ackWiat: 200 })).toThrow(InvalidOptionError);
    expect(make({ ackWiat: 200 })).toThrow(
      'Invalid option "createMemoryTransport({ ackWiat })": expected a known option (did you mean "ackWait"?), received 200.',
    );
    expect(make({ maxInflight: 4 })).toThrow('(did you mean "maxInFlight"?)');
  });

  it('refuses a misspelt capability, naming it with its prefix, and capabilities not an object', () => {
    const make = (capabilities: unknown) => () =>
      createMemoryTransport({ capabilities: capabilities as { ordering?: boolean } });
    expect(make({ deduplicaton: false })).toThrow(InvalidOptionError);
    expect(make({ deduplicaton: false })).toThrow(
      'Invalid option "createMemoryTransport({ capabilities.deduplicaton })": expected a known option (did you mean "capabilities.deduplication"?), received false.',
    );
    expect(make(null)).toThrow('Invalid option "createMemoryTransport({ capabilities })"');
    expect(make({ ordering: false })).not.toThrow();
    // A flag given as undefined (as a project without exactOptionalPropertyTypes may write it)
    // keeps its default.
    const unset = { ordering: undefined } as unknown as { ordering?: boolean };
    expect(createMemoryTransport({ capabilities: unset }).capabilities).toEqual({
      persistent: false,
      deduplication: true,
      nativeRedelivery: true,
      ordering: true,
    });
  });

  it('counts attempts and redelivers a nacked message after its delay', async () => {
    const transport = createMemoryTransport();
    const attempts: Array<[number, number]> = [];
    const started = Date.now();
    await transport.subscribe({
      group: 'g',
      patterns: ['order.*'],
      onMessage: async (message) => {
        attempts.push([message.attempt, Date.now() - started]);
        if (message.attempt < 2) await message.nack(50);
        else await message.ack();
      },
    });
    await transport.publish(envelope('a'));
    await until(() => attempts.length === 2);
    await transport.close();
    expect(attempts.map(([attempt]) => attempt)).toEqual([1, 2]);
    expect(attempts[1]?.[1]).toBeGreaterThanOrEqual(45);
  });

  it('stores a batch in its order, drops its duplicates, and refuses one once closed', async () => {
    const transport = createMemoryTransport({ deduplicationWindow: 60_000 });
    const seen: string[] = [];
    await transport.subscribe({
      group: 'g',
      patterns: ['order.*'],
      onMessage: async (message) => {
        seen.push(message.envelope.id);
        await message.ack();
      },
    });
    expect(await transport.publishBatch([envelope('a'), envelope('b'), envelope('a')])).toEqual([]);
    expect(await transport.publishBatch([])).toEqual([]);
    await until(() => seen.length >= 2);
    await sleep(20);
    expect(seen).toEqual(['a', 'b']);
    await transport.close();
    await expect(transport.publishBatch([envelope('c')])).rejects.toMatchObject({
      code: 'TRANSPORT_PUBLISH_FAILED',
      eventId: 'c',
    });
  });

  it('drops a second publish of the same id within the window, and not after it', async () => {
    // The window is read off Date.now(), faked so that no pause between the publishes counts.
    vi.useFakeTimers({ toFake: ['Date'] });
    const transport = createMemoryTransport({ deduplicationWindow: 30 });
    const seen: string[] = [];
    await transport.subscribe({
      group: 'g',
      patterns: ['**'],
      onMessage: async (message) => {
        seen.push(message.envelope.id);
        await message.ack();
      },
    });
    await transport.publish(envelope('a'));
    vi.setSystemTime(Date.now() + 29);
    await transport.publish(envelope('a'));
    vi.setSystemTime(Date.now() + 2);
    await transport.publish(envelope('a'));
    await until(() => seen.length === 2);
    await sleep(10);
    await transport.close();
    expect(seen).toEqual(['a', 'a']);
  });

  it('keeps messages for a group with no consumer, and never delivers a termed one again', async () => {
    const transport = createMemoryTransport();
    const first = await transport.subscribe({
      group: 'g',
      patterns: ['order.placed'],
      onMessage: (message) => message.term(),
    });
    await first.close();
    await transport.publish(envelope('kept'));
    const seen: TransportMessage[] = [];
    await transport.subscribe({
      group: 'g',
      patterns: ['order.placed'],
      onMessage: async (message) => {
        seen.push(message);
        await message.term();
      },
    });
    await until(() => seen.length >= 1);
    await sleep(20);
    await transport.close();
    expect(seen.map((message) => message.envelope.id)).toEqual(['kept']);
  });

  it('gives an unsettled message to another consumer after ackWait', async () => {
    const transport = createMemoryTransport({ ackWait: 30 });
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const dead = await transport.subscribe({
      group: 'g',
      patterns: ['order.*'],
      onMessage: () => gate,
    });
    await transport.publish(envelope('a'));
    await sleep(5);
    const seen: number[] = [];
    await transport.connect().subscribe({
      group: 'g',
      patterns: ['order.*'],
      onMessage: async (message) => {
        seen.push(message.attempt);
        await message.ack();
      },
    });
    await until(() => seen.length === 1);
    release();
    await dead.close();
    await transport.close();
    expect(seen).toEqual([2]);
  });

  it('refuses a group subscribed to other patterns, and publishing once closed', async () => {
    const transport = createMemoryTransport();
    await transport.subscribe({ group: 'g', patterns: ['a.*'], onMessage: (m) => m.ack() });
    await expect(
      transport.subscribe({ group: 'g', patterns: ['b.*'], onMessage: (m) => m.ack() }),
    ).rejects.toThrow(/group/);
    await transport.close();
    await expect(transport.publish(envelope('x'))).rejects.toThrow(/closed/);
  });
});
