import { expect, it } from 'vitest';
import { sleep } from '../test-helpers.js';
import { order } from './catalogue.js';
import { envelopeOf, eventually, FAST, recordOrders } from './helpers.js';
import type { ConformanceSuite } from './suite.js';

/**
 * The cases of failing handlers and payloads: redelivery until the handler succeeds, the dead
 * letter after `maxAttempts`, and an invalid payload dead-lettered at once.
 */
export function describeRedeliveryCases(suite: ConformanceSuite): void {
  const { setup, timeout } = suite;

  it(
    'redelivers a message until its handler succeeds (fails twice, then succeeds)',
    async () => {
      const { connect, bus, link, group, ledger } = setup();
      const [outgoing, incoming] = [bus(), bus()];
      const calls = new Map<string, number>();
      incoming.subscribe('conformance.order.placed', (event) => {
        const call = (calls.get(event.id) ?? 0) + 1;
        calls.set(event.id, call);
        if (call <= 2) throw new Error(`flaky ${call}`);
      });
      await link(incoming, await connect(), {
        subscribe: ['conformance.order.placed'],
        group: group('at-least-once'),
        maxAttempts: 5,
        ...FAST,
      });
      await link(outgoing, await connect(), { publish: ['conformance.order.placed'] });
      for (let i = 0; i < 5; i++)
        await outgoing.publish('conformance.order.placed', order(`o${i}`));

      await eventually('5 acks', () => ledger.acked.size === 5, timeout);
      expect([...calls.values()]).toEqual([3, 3, 3, 3, 3]);
      expect([...ledger.nacked.values()]).toEqual([2, 2, 2, 2, 2]);
      expect(ledger.deadLettered.size).toBe(0);
    },
    timeout,
  );

  it(
    'dead-letters a message after maxAttempts with the last error, and delivers it no more',
    async () => {
      const { connect, bus, link, group, ledger } = setup();
      const [outgoing, incoming] = [bus(), bus()];
      const calls: number[] = [];
      incoming.subscribe(
        'conformance.order.placed',
        () => {
          calls.push(calls.length + 1);
          throw new Error(`boom ${calls.length}`);
        },
        { name: 'always-fails' },
      );
      await link(incoming, await connect(), {
        subscribe: ['conformance.order.placed'],
        group: group('dead-letter'),
        maxAttempts: 3,
        ...FAST,
      });
      await link(outgoing, await connect(), { publish: ['conformance.order.placed'] });
      await outgoing.publish('conformance.order.placed', order('o1'));

      await eventually('a dead letter', () => ledger.deadLettered.size === 1, timeout);
      const [reason] = [...ledger.deadLettered.values()][0] ?? [];
      expect(reason).toMatchObject({ code: 'HANDLER_FAILED', attempts: 3 });
      expect(reason?.message).toContain('boom 3');
      expect(reason?.message).toContain('always-fails');
      await eventually('the term', () => ledger.termed.size === 1, timeout);
      await sleep(300);
      expect(calls).toEqual([1, 2, 3]);
      expect(ledger.acked.size).toBe(0);
    },
    timeout,
  );

  it(
    'dead-letters an invalid payload at once, without calling a handler',
    async () => {
      const test = setup();
      const { ledger } = test;
      const { transport, handled } = await recordOrders(test, 'invalid', {
        maxAttempts: 5,
        ...FAST,
      });
      const invalid = envelopeOf('conformance.order.placed', { orderId: 42 });
      const garbled = {
        ...envelopeOf('conformance.order.placed', {}),
        payload: Uint8Array.of(123, 0, 255),
      };
      await transport.publish(invalid);
      await transport.publish(garbled);

      await eventually('two dead letters', () => ledger.deadLettered.size === 2, timeout);
      expect(ledger.deadLettered.get(invalid.id)).toEqual([
        expect.objectContaining({ code: 'VALIDATION_FAILED', attempts: 1 }),
      ]);
      expect(ledger.deadLettered.get(garbled.id)).toEqual([
        expect.objectContaining({ code: 'TRANSPORT_DECODE_FAILED', attempts: 1 }),
      ]);
      await sleep(200);
      expect(ledger.delivered).toBe(2);
      expect(handled).toEqual([]);
    },
    timeout,
  );
}
