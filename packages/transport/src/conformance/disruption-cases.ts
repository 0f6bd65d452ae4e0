import { expect, it } from 'vitest';
import { sleep } from '../test-helpers.js';
import type { TransportSubscription } from '../transport.js';
import { envelopeOf, eventually, FAST, within } from './helpers.js';
import type { ConformanceSuite } from './suite.js';

/**
 * The cases of disruption: a bridge closed with messages in flight, a consumer that dies
 * mid-batch, and a broker restart mid-stream (when the suite can restart it).
 */
export function describeDisruptionCases(suite: ConformanceSuite): void {
  const { onCleanup, redeliveryTimeout, restart, setup, timeout } = suite;

  it(
    'settles the messages in flight when a bridge closes, and the group goes on with the rest',
    async () => {
      const { connect, bus, link, group, ledger } = setup();
      const outgoing = bus();
      const shared = group('close');
      const handled = new Set<string>();
      let running = 0;
      const slow = bus();
      slow.subscribe('conformance.item.counted', async (event) => {
        running += 1;
        await sleep(50);
        handled.add(event.data.key);
        running -= 1;
      });
      const first = await link(slow, await connect(), {
        subscribe: ['conformance.item.counted'],
        group: shared,
        ...FAST,
      });
      await link(outgoing, await connect(), { publish: ['conformance.item.counted'] });
      for (let seq = 0; seq < 20; seq++) {
        await outgoing.publish('conformance.item.counted', { key: `k${seq}`, seq });
      }
      await eventually('a message in flight', () => running > 0, timeout);
      await within(first.close(), timeout, 'closing the bridge');
      expect(ledger.settled).toBe(ledger.delivered);

      const next = bus();
      next.subscribe('conformance.item.counted', (event) => void handled.add(event.data.key));
      await link(next, await connect(), {
        subscribe: ['conformance.item.counted'],
        group: shared,
        ...FAST,
      });
      await eventually('every message handled', () => handled.size === 20, timeout);
      await eventually('every message acked', () => ledger.acked.size === 20, timeout);
    },
    timeout,
  );

  it(
    'gives the messages of a consumer that died mid-batch to another consumer of the group',
    async () => {
      const { connect, bus, link, group, ledger } = setup();
      const shared = group('dies');
      const outgoing = bus();
      await link(outgoing, await connect(), { publish: ['conformance.item.counted'] });
      // The dying consumer takes messages and never settles them, as a crashed process.
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const held = new Set<string>();
      const dying = await connect();
      const subscription: TransportSubscription = await dying.subscribe({
        group: shared,
        patterns: ['conformance.item.counted'],
        onMessage: async (message) => {
          held.add(message.envelope.id);
          await gate;
        },
      });
      onCleanup(() => subscription.close());
      onCleanup(() => release());
      for (let seq = 0; seq < 20; seq++) {
        await outgoing.publish('conformance.item.counted', { key: `k${seq}`, seq });
      }
      await eventually('messages held by the dying consumer', () => held.size > 0, timeout);

      const handled = new Set<string>();
      const survivor = bus();
      survivor.subscribe('conformance.item.counted', (event) => void handled.add(event.data.key));
      await link(survivor, await connect(), {
        subscribe: ['conformance.item.counted'],
        group: shared,
      });
      await eventually(
        'every message handled by the survivor',
        () => handled.size === 20,
        redeliveryTimeout + timeout,
      );
      expect([...held].every((id) => ledger.acked.has(id))).toBe(true);
    },
    redeliveryTimeout + timeout * 2,
  );

  it.skipIf(restart === undefined)(
    'loses nothing acknowledged across a broker restart mid-stream',
    async () => {
      const { connect, bus, link, group, ledger } = setup();
      const incoming = bus();
      const handled = new Set<string>();
      incoming.subscribe('conformance.item.counted', (event) => void handled.add(event.data.key));
      await link(incoming, await connect(), {
        subscribe: ['conformance.item.counted'],
        group: group('restart'),
        ...FAST,
      });
      const publisher = await connect();
      const stored = new Set<string>();
      const failed: string[] = [];
      const send = async (seq: number): Promise<void> => {
        const envelope = envelopeOf('conformance.item.counted', { key: `k${seq}`, seq });
        try {
          await within(publisher.publish(envelope), timeout, `publish ${seq}`);
          stored.add(`k${seq}`);
        } catch {
          failed.push(`k${seq}`);
        }
      };
      for (let seq = 0; seq < 50; seq++) await send(seq);
      const restarted = (restart as () => Promise<void>)();
      for (let seq = 50; seq < 100; seq++) await send(seq);
      await within(restarted, timeout, 'the restart');
      // After the restart the clients reconnect by themselves: a publish succeeds within a bound.
      for (let seq = 100; seq < 150; seq++) {
        const deadline = Date.now() + timeout;
        while (!stored.has(`k${seq}`) && Date.now() < deadline) {
          await send(seq);
          if (!stored.has(`k${seq}`)) await sleep(200);
        }
      }
      expect(stored.size).toBeGreaterThanOrEqual(100);
      await eventually(
        'every stored message handled',
        () => [...stored].every((key) => handled.has(key)),
        timeout * 2,
      );
      expect(ledger.acked.size).toBeGreaterThanOrEqual(stored.size);
    },
    timeout * 6,
  );
}
