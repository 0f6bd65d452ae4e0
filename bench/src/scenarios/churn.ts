import { createEventBus } from '@gossip/core';
import { type BenchCase, measureCases, toRows } from '../measure.js';
import { PEERS, type PeerHandler } from '../peers.js';
import { eventNames } from '../type-scaling/event-names.js';
import { PAYLOAD, type Scenario, type ScenarioContext, TYPE } from './scenario.js';

/** Subscriptions already in place while the churn runs: one on each of these types. */
const EXISTING = 1000;

function opsPerRun(context: ScenarioContext): number {
  return context.quick ? 100 : 1000;
}

function churnCases(context: ScenarioContext): BenchCase[] {
  const ops = opsPerRun(context);
  const types = eventNames(EXISTING).map((n) => n.name);
  const noop: PeerHandler = () => {};
  const peers = PEERS.map(
    (peer): BenchCase => ({
      library: peer.library,
      perRun: ops,
      prepare() {
        const emitter = peer.create();
        for (const type of types) emitter.on(type, () => {});
        emitter.on(TYPE, () => {});
        return {
          async run() {
            emitter.churn(TYPE, noop, ops);
          },
        };
      },
    }),
  );
  const gossip: BenchCase = {
    library: 'gossip',
    perRun: ops,
    async prepare() {
      const bus = createEventBus();
      for (const type of types) bus.subscribe(type, () => {});
      bus.subscribe(TYPE, () => {});
      // Published once, so that the bus's per-type routing entries exist, as in a running app.
      for (const type of [...types, TYPE]) await bus.publishSync(type, PAYLOAD);
      return {
        async run() {
          for (let i = 0; i < ops; i++) bus.subscribe(TYPE, noop)();
        },
      };
    },
  };
  return [...peers, gossip];
}

/**
 * Scenario 5: subscribe/unsubscribe churn: subscribing a handler and unsubscribing it again,
 * with 1000 other subscriptions (and one on the same type) in place.
 */
export const churn: Scenario = {
  id: 'churn',
  title: 'Subscribe and unsubscribe churn',
  async run(context) {
    context.log('churn');
    const perRound = await measureCases(churnCases(context), context.measure);
    return [
      {
        id: 'churn',
        title: 'Subscribe + unsubscribe, 1001 subscriptions in place',
        unit: 'ns/op',
        reference: 'reference',
        rows: toRows(perRound, 'reference'),
        notes: [
          `One op: subscribe a handler, then unsubscribe it; ${String(opsPerRun(context))} ops per sample.`,
          'reference: copy-on-write arrays in a Map, as an emitter that is safe to change during emit keeps them.',
        ],
      },
    ];
  },
  cases(resultId, context) {
    return resultId === 'churn' ? churnCases(context) : undefined;
  },
};
