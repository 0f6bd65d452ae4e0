import { createRecordingLogger, type RecordingLogger, type TryEntry } from '@gossip/example-trace';
import { describe, expect, it, vi } from 'vitest';
import { run, type ShopDemoResult } from '../src/run.js';

// The story runs once, inside the first test that asks for it (so the console guard of the
// test setup is in force), and every test checks a different part of its outcome. It runs on
// fake time: its deadlines (a 150 ms timeout per stock reservation) hold however slow the
// machine is, so the tries it tells of are always the same.
let story: Promise<{ logger: RecordingLogger; result: ShopDemoResult }> | undefined;
function runStory() {
  story ??= (async () => {
    vi.useFakeTimers();
    try {
      const logger = createRecordingLogger();
      let outcome: { result: ShopDemoResult } | { error: unknown } | undefined;
      run(logger).then(
        (result) => {
          outcome = { result };
        },
        (error: unknown) => {
          outcome = { error };
        },
      );
      for (let ms = 0; outcome === undefined && ms < 60_000; ms += 5) {
        await vi.advanceTimersByTimeAsync(5);
      }
      if (outcome === undefined) throw new Error('the story did not end in 60 fake seconds');
      if ('error' in outcome) throw outcome.error;
      return { logger, result: outcome.result };
    } finally {
      vi.useRealTimers();
    }
  })();
  return story;
}

describe('the e-commerce example', () => {
  it('gives every order its own id and shuts down with nothing lost', async () => {
    const { result } = await runStory();

    expect(result.orderIds).toHaveLength(6);
    expect(new Set(result.orderIds).size).toBe(6);
    expect(result.report.complete).toBe(true);
    expect(result.report.failed).toBe(0);
    expect(result.report.dropped).toBe(0);
    expect(result.report.undelivered).toEqual([]);
    expect(result.emailReport.failed).toEqual([]);
  });

  it('takes up the express orders first, though they were placed fourth and sixth', async () => {
    const { result } = await runStory();

    expect(result.expressOrderIds).toEqual([result.orderIds[3], result.orderIds[5]]);
    expect(result.reservationOrder.slice(0, 2)).toEqual(result.expressOrderIds);
    expect([...result.reservationOrder].sort()).toEqual([...result.orderIds].sort());
  });

  it('runs each order through stock, payment and shipping, each event caused by the one before', async () => {
    const { result } = await runStory();
    const declined = result.orderIds[2]; // bob's card is declined

    for (const orderId of result.orderIds) {
      const chain = result.journal.filter(
        (entry) => entry.orderId === orderId && entry.type !== 'email.requested',
      );
      expect(chain.map((entry) => entry.type)).toEqual(
        orderId === declined
          ? ['order.created', 'inventory.reserved', 'payment.declined']
          : ['order.created', 'inventory.reserved', 'payment.captured', 'order.shipped'],
      );
      const [first, ...caused] = chain;
      expect(first?.causationId).toBeUndefined();
      caused.forEach((entry, i) => {
        expect(entry.causationId).toBe(chain[i]?.id);
        expect(entry.correlationId).toBe(first?.id);
      });
    }
  });

  it('sends analytics only the orders of 500 or more', async () => {
    const { result } = await runStory();
    const byId = (a: { orderId: string }, b: { orderId: string }) =>
      a.orderId.localeCompare(b.orderId);

    expect([...result.highValue].sort(byId)).toEqual([
      { orderId: result.orderIds[1], total: 1299 },
      { orderId: result.orderIds[3], total: 1799 },
    ]);
  });

  it('sends every email exactly once, in batches of at most five', async () => {
    const { result } = await runStory();
    const sent = result.emailBatches.flat();

    expect(result.emailBatches.every((batch) => batch.length >= 1 && batch.length <= 5)).toBe(true);
    expect(result.emailBatches.length).toBeLessThan(sent.length);
    const keys = sent.map((email) => `${email.template} ${email.orderId}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.filter((key) => key.startsWith('order-confirmation'))).toHaveLength(6);
    expect(keys.filter((key) => key.startsWith('shipping-notice'))).toHaveLength(5);
    expect(keys).toContain(`payment-declined ${result.orderIds[2]}`);
  });

  it('retries the stock reservation after a timeout and after a lock conflict', async () => {
    const { logger, result } = await runStory();
    const orderOf = new Map(result.journal.map((entry) => [entry.id, entry.orderId]));
    const tries = logger.entries
      .filter((entry): entry is TryEntry => entry.kind === 'try' && entry.handler === 'inventory')
      .map((entry) => ({
        orderId: orderOf.get(entry.eventId),
        attempt: entry.attempt,
        ok: entry.ok,
        error: entry.error,
      }));

    expect(tries.filter((t) => t.orderId === result.orderIds[1])).toEqual([
      {
        orderId: result.orderIds[1],
        attempt: 1,
        ok: false,
        error: expect.stringMatching(/timed out/),
      },
      { orderId: result.orderIds[1], attempt: 2, ok: true, error: undefined },
    ]);
    expect(tries.filter((t) => t.orderId === result.orderIds[4])).toEqual([
      {
        orderId: result.orderIds[4],
        attempt: 1,
        ok: false,
        error: expect.stringMatching(/lock conflict/),
      },
      { orderId: result.orderIds[4], attempt: 2, ok: true, error: undefined },
    ]);
    expect(tries.filter((t) => !t.ok)).toHaveLength(2);
  });
});
