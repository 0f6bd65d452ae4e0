import { expect, it } from 'vitest';
import { sleep } from '../test-helpers.js';
import { order } from './catalogue.js';
import { envelopeOf, eventually, FAST, recordOrders } from './helpers.js';
import type { ConformanceSuite } from './suite.js';

/**
 * The cases of what a transport guarantees: de-duplication of a republished id and per-type
 * order (each when the transport declares it), and `messages` messages with exact accounting.
 */
export function describeGuaranteeCases(suite: ConformanceSuite): void {
  const { capabilities, messages, setup, timeout } = suite;

  it.skipIf(!capabilities.deduplication)(
    'drops a second publish of the same id',
    async () => {
      const test = setup();
      const { ledger } = test;
      const { transport, handled } = await recordOrders(test, 'dedupe');
      const twice = envelopeOf('conformance.order.placed', order('o1'));
      const after = envelopeOf('conformance.order.placed', order('o2'));
      await transport.publish(twice);
      await transport.publish({ ...twice, headers: { ...twice.headers } });
      await transport.publish(after);

      await eventually('the later message', () => ledger.acked.has(after.id), timeout);
      await sleep(300);
      expect(handled.filter((id) => id === twice.id)).toEqual([twice.id]);
      expect(ledger.delivered).toBe(2);
    },
    timeout,
  );

  it.skipIf(!capabilities.ordering)(
    'delivers the messages of one type in publish order',
    async () => {
      const { connect, bus, link, group, ledger } = setup();
      const outgoing = bus();
      const incoming = bus(1);
      const sequence: number[] = [];
      incoming.subscribe('conformance.item.counted', (event) => void sequence.push(event.data.seq));
      await link(incoming, await connect(), {
        subscribe: ['conformance.item.counted'],
        group: group('ordering'),
      });
      await link(outgoing, await connect(), { publish: ['conformance.item.counted'] });
      for (let seq = 0; seq < 200; seq++) {
        await outgoing.publish('conformance.item.counted', { key: 'one', seq });
      }
      await eventually('200 acks', () => ledger.acked.size === 200, timeout);
      expect(sequence).toEqual(Array.from({ length: 200 }, (_, seq) => seq));
    },
    timeout,
  );

  it(
    `carries ${messages} messages without loss: published = acked + dead-lettered`,
    async () => {
      const { connect, bus, link, group, ledger, transportErrors } = setup();
      const outgoing = bus();
      const shared = group('load');
      const attempts = new Map<number, number>();
      for (let consumer = 0; consumer < 2; consumer++) {
        const incoming = bus();
        incoming.subscribe('conformance.item.counted', (event) => {
          const { seq } = event.data;
          const attempt = (attempts.get(seq) ?? 0) + 1;
          attempts.set(seq, attempt);
          if (seq % 100 === 99) throw new Error(`poison ${seq}`);
          if (seq % 7 === 3 && attempt === 1) throw new Error(`flaky ${seq}`);
        });
        await link(incoming, await connect(), {
          subscribe: ['conformance.item.counted'],
          group: shared,
          maxAttempts: 2,
          ...FAST,
        });
      }
      await link(outgoing, await connect(), { publish: ['conformance.item.counted'] });
      const published = new Set<string>();
      const off = outgoing.lifecycle.on('publish', (event) => void published.add(event.id));
      for (let seq = 0; seq < messages; seq++) {
        await outgoing.publish('conformance.item.counted', { key: `k${seq}`, seq });
      }
      off();
      expect(published.size).toBe(messages);

      const settled = () => ledger.acked.size + ledger.deadLettered.size;
      await eventually(
        `${messages} settled`,
        () => settled() === messages,
        timeout + messages * 20,
      );
      const acked = new Set(ledger.acked.keys());
      const dead = new Set(ledger.deadLettered.keys());
      expect([...dead].filter((id) => acked.has(id))).toEqual([]);
      expect(new Set([...acked, ...dead])).toEqual(published);
      expect(dead.size).toBe(Math.floor((messages + 1) / 100));
      expect(transportErrors()).toEqual([]);
    },
    timeout + messages * 20,
  );
}
