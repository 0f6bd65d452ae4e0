import { createEventBus } from '@gossip/core';
import { Latch } from '../latch.js';
import { type BenchCase, measureCases, toRows } from '../measure.js';
import { PEERS } from '../peers.js';
import { PAYLOAD, type Scenario, type ScenarioContext, TYPE } from './scenario.js';

const HANDLER_COUNTS = [1, 10] as const;

function batchSize(context: ScenarioContext): number {
  return context.quick ? 100 : 1000;
}

function queuedCases(handlers: number, context: ScenarioContext): BenchCase[] {
  const batch = batchSize(context);
  const gossip: BenchCase = {
    library: 'gossip',
    perRun: batch,
    prepare() {
      const latch = new Latch();
      const bus = createEventBus({ bufferSize: Math.max(batch, 1000) });
      for (let h = 0; h < handlers; h++) bus.subscribe(TYPE, () => latch.tick());
      return {
        latch,
        run() {
          const done = latch.arm(batch * handlers);
          for (let i = 0; i < batch; i++) void bus.publish(TYPE, PAYLOAD);
          return done;
        },
      };
    },
  };
  const peers = PEERS.map(
    (peer): BenchCase => ({
      library: peer.library,
      perRun: batch,
      prepare() {
        const latch = new Latch();
        const emitter = peer.create();
        for (let h = 0; h < handlers; h++) emitter.on(TYPE, () => latch.tick());
        return {
          latch,
          run() {
            const done = latch.arm(batch * handlers);
            emitter.emitMany(TYPE, PAYLOAD, batch);
            return done;
          },
        };
      },
    }),
  );
  return [...peers, gossip];
}

const id = (handlers: number) => `queued-${String(handlers)}`;

/**
 * Scenario 1: queued publish to synchronous handlers, measured to the last handler call.
 * gossip's `publish` is not awaited per event (it queues; dispatch follows in a microtask);
 * each peer's `emit` calls its handlers at once (emittery's a microtask later).
 */
export const queuedPublish: Scenario = {
  id: 'queued',
  title: 'Queued publish to synchronous handlers',
  async run(context) {
    const results = [];
    for (const handlers of HANDLER_COUNTS) {
      context.log(`queued publish, ${String(handlers)} handler(s)`);
      const perRound = await measureCases(queuedCases(handlers, context), context.measure);
      results.push({
        id: id(handlers),
        title: `Queued publish, ${String(handlers)} synchronous handler${handlers > 1 ? 's' : ''}`,
        unit: 'ns/event',
        reference: 'reference',
        rows: toRows(perRound, 'reference'),
        notes: [
          `Batches of ${String(batchSize(context))} events, timed from the first publish to the last handler call.`,
          'gossip: `bus.publish` not awaited (default options, bufferSize at least the batch); the peers: `emit`.',
        ],
      });
    }
    return results;
  },
  cases(resultId, context) {
    const handlers = HANDLER_COUNTS.find((h) => id(h) === resultId);
    return handlers === undefined ? undefined : queuedCases(handlers, context);
  },
};
