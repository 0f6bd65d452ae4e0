import { createEventBus } from '@gossip/core';
import { Latch } from '../latch.js';
import { type BenchCase, measureCases, toRows } from '../measure.js';
import { createReference, EventEmitter2 } from '../peers.js';
import { eventNames } from '../type-scaling/event-names.js';
import { PAYLOAD, type Scenario, type ScenarioContext } from './scenario.js';

/**
 * The subscriptions: 1000 event types in 10 domains. The first five domains' types each have
 * one exact subscription; the last five domains are covered by 50 `domain.entity.*` patterns,
 * beside 50 more patterns (`x.**`, `*.x.*`) that match none of them. So an exact publish and a
 * wildcard publish each reach exactly one handler, among 500 exact and 100 wildcard
 * subscriptions.
 */
export function wildcardSetup(): { exact: string[]; viaPattern: string[]; patterns: string[] } {
  const names = eventNames(1000);
  const domains = [...new Set(names.map((n) => n.domain))];
  const exactDomains = new Set(domains.slice(0, 5));
  const exact = names.filter((n) => exactDomains.has(n.domain)).map((n) => n.name);
  const covered = names.filter((n) => !exactDomains.has(n.domain));
  const patterns = [...new Set(covered.map((n) => `${n.domain}.${n.entity}.*`))];
  for (let i = 0; patterns.length < 100; i++) {
    patterns.push(i % 2 === 0 ? `unused${String(i)}.**` : `*.unused${String(i)}.*`);
  }
  return { exact, viaPattern: covered.map((n) => n.name), patterns };
}

function batchSize(context: ScenarioContext): number {
  return context.quick ? 100 : 1000;
}

/** A case publishing `batch` events, cycling through `types`, each reaching one handler. */
function cyclingCase(
  library: string,
  batch: number,
  build: (handler: () => void) => (type: string) => void,
  types: readonly string[],
): BenchCase {
  return {
    library,
    perRun: batch,
    prepare() {
      const latch = new Latch();
      const publish = build(() => latch.tick());
      return {
        latch,
        run() {
          const done = latch.arm(batch);
          for (let i = 0; i < batch; i++) publish(types[i % types.length] as string);
          return done;
        },
      };
    },
  };
}

function wildcardCases(context: ScenarioContext): BenchCase[] {
  const batch = batchSize(context);
  const { exact, viaPattern, patterns } = wildcardSetup();
  const gossip = (handler: () => void) => {
    const bus = createEventBus({ bufferSize: Math.max(batch, 1000) });
    for (const type of exact) bus.subscribe(type, handler);
    for (const pattern of patterns) bus.subscribe(pattern, handler);
    return (type: string) => void bus.publish(type, PAYLOAD);
  };
  const ee2 = (handler: () => void) => {
    const ee = new EventEmitter2({ wildcard: true, delimiter: '.', maxListeners: 0 });
    for (const type of exact) ee.on(type, handler);
    for (const pattern of patterns) ee.on(pattern, handler);
    return (type: string) => void ee.emit(type, PAYLOAD);
  };
  const reference = (handler: () => void) => {
    const emitter = createReference();
    for (const type of exact) emitter.on(type, handler);
    return (type: string) => emitter.emitMany(type, PAYLOAD, 1);
  };
  return [
    cyclingCase('reference, exact', batch, reference, exact),
    cyclingCase('gossip, exact', batch, gossip, exact),
    cyclingCase('gossip, wildcard', batch, gossip, viaPattern),
    cyclingCase('eventemitter2, exact', batch, ee2, exact),
    cyclingCase('eventemitter2, wildcard', batch, ee2, viaPattern),
  ];
}

/**
 * Scenario 4: wildcards. 1000 event types, 500 exact subscriptions and 100 patterns; publish to
 * names reached by an exact subscription and to names reached only through a pattern, against
 * EventEmitter2 with `wildcard: true`.
 */
export const wildcards: Scenario = {
  id: 'wildcards',
  title: 'Wildcard subscriptions',
  async run(context) {
    context.log('wildcards');
    const perRound = await measureCases(wildcardCases(context), context.measure);
    return [
      {
        id: 'wildcards',
        title: 'Queued publish among 1000 types and 100 patterns, 1 handler reached',
        unit: 'ns/event',
        reference: 'reference, exact',
        rows: toRows(perRound, 'reference, exact'),
        notes: [
          'exact: types with one exact subscription and no pattern; wildcard: types reached by one `domain.entity.*` pattern only.',
          `Batches of ${String(batchSize(context))} events cycling through 500 types; reference: a Map of handler arrays, exact names only.`,
        ],
      },
    ];
  },
  cases(resultId, context) {
    return resultId === 'wildcards' ? wildcardCases(context) : undefined;
  },
};
