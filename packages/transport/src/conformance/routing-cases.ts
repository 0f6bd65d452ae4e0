import { expect, it } from 'vitest';
import { sleep } from '../test-helpers.js';
import { type OrderPlaced, order } from './catalogue.js';
import { envelopeOf, eventually } from './helpers.js';
import { bump } from './ledger.js';
import type { ConformanceSuite } from './suite.js';

/**
 * The cases of routing: the declared capabilities, a round trip of typed payloads between two
 * buses, a batch given to `publishBatch` (where the transport has it), fan-out to two groups,
 * and competing consumers within a group.
 */
export function describeRoutingCases(suite: ConformanceSuite): void {
  const { capabilities, setup, timeout } = suite;

  it('declares the capabilities it is described with', async () => {
    const { connect } = setup();
    const transport = await connect();
    expect(transport.capabilities).toEqual(capabilities);
    expect(typeof transport.name).toBe('string');
  });

  it(
    'carries typed payloads, ids and metadata from one bus to another',
    async () => {
      const { connect, bus, link, group, ledger, transportErrors } = setup();
      const [outgoing, incoming] = [bus(), bus()];
      const seen: Array<{ id: string; data: OrderPlaced; metadata: Record<string, string> }> = [];
      const cancelled: string[] = [];
      incoming.subscribe('conformance.order.placed', (event) => {
        seen.push({ id: event.id, data: event.data, metadata: { ...event.metadata } });
      });
      incoming.subscribe('conformance.order.cancelled', (event) => {
        cancelled.push(event.data.reason);
      });
      await link(incoming, await connect(), {
        subscribe: ['conformance.order.*'],
        group: group('round-trip'),
      });
      await link(outgoing, await connect(), { publish: ['conformance.order.**'] });

      const published = outgoing.lifecycle.on('publish', () => undefined);
      await outgoing.publish('conformance.order.placed', order('o1'), {
        metadata: { requestId: 'r-1' },
      });
      await outgoing.publish('conformance.order.cancelled', { orderId: 'o1', reason: 'late' });
      published();

      await eventually('both events', () => seen.length === 1 && cancelled.length === 1, timeout);
      const [first] = seen;
      expect(first?.data).toEqual(order('o1'));
      expect(first?.metadata).toMatchObject({ requestId: 'r-1', 'gossip.origin': 'remote' });
      expect(cancelled).toEqual(['late']);
      await eventually('the acks', () => ledger.acked.size === 2, timeout);
      expect(first && ledger.acked.get(first.id)).toBe(1);
      expect(transportErrors()).toEqual([]);
    },
    timeout,
  );

  it(
    'stores a batch given to publishBatch whole, and in its order where it keeps order',
    async (context) => {
      const { connect, bus, link, group } = setup();
      const transport = await connect();
      if (transport.publishBatch === undefined) {
        context.skip('the transport has no publishBatch (an optional method)');
        return;
      }
      const incoming = bus();
      const seen: number[] = [];
      incoming.subscribe('conformance.item.counted', (event) => void seen.push(event.data.seq));
      await link(incoming, await connect(), {
        subscribe: ['conformance.item.counted'],
        group: group('batch'),
      });
      expect(await transport.publishBatch([])).toEqual([]);
      const batch = Array.from({ length: 50 }, (_, seq) =>
        envelopeOf('conformance.item.counted', { key: `k${seq}`, seq }),
      );
      expect(await transport.publishBatch(batch)).toEqual([]);
      await eventually('the 50 messages of the batch', () => seen.length === 50, timeout);
      const inOrder = Array.from({ length: 50 }, (_, seq) => seq);
      if (capabilities.ordering) expect(seen).toEqual(inOrder);
      else expect([...seen].sort((a, b) => a - b)).toEqual(inOrder);
    },
    timeout,
  );

  it(
    'fans out every message to each of two groups',
    async () => {
      const { connect, bus, link, group } = setup();
      const outgoing = bus();
      const seenBy = [new Set<string>(), new Set<string>()];
      for (const seen of seenBy) {
        const incoming = bus();
        incoming.subscribe('conformance.item.counted', (event) => void seen.add(event.data.key));
        await link(incoming, await connect(), {
          subscribe: ['conformance.item.counted'],
          group: group('fan-out'),
        });
      }
      await link(outgoing, await connect(), { publish: ['conformance.item.counted'] });
      for (let seq = 0; seq < 20; seq++) {
        await outgoing.publish('conformance.item.counted', { key: `k${seq}`, seq });
      }
      await eventually(
        '20 messages in each group',
        () => seenBy.every((s) => s.size === 20),
        timeout,
      );
    },
    timeout,
  );

  it(
    'shares the messages of one group between its consumers, each handled once',
    async () => {
      const { connect, bus, link, group, ledger } = setup();
      const outgoing = bus();
      const shared = group('competing');
      const handled = [new Map<string, number>(), new Map<string, number>()];
      for (const counts of handled) {
        const incoming = bus();
        incoming.subscribe('conformance.item.counted', async (event) => {
          bump(counts, event.data.key);
          await sleep(5);
        });
        await link(incoming, await connect(), {
          subscribe: ['conformance.item.counted'],
          group: shared,
        });
      }
      await link(outgoing, await connect(), { publish: ['conformance.item.counted'] });
      for (let seq = 0; seq < 100; seq++) {
        await outgoing.publish('conformance.item.counted', { key: `k${seq}`, seq });
      }
      await eventually('100 acks', () => ledger.acked.size === 100, timeout);
      const [a, b] = handled as [Map<string, number>, Map<string, number>];
      expect(a.size).toBeGreaterThan(0);
      expect(b.size).toBeGreaterThan(0);
      expect(new Set([...a.keys(), ...b.keys()]).size).toBe(100);
      expect(a.size + b.size).toBe(100);
    },
    timeout,
  );
}
