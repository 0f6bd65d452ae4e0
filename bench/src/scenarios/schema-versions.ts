import { createEventBus, type EventBus, MetadataKey, SchemaRegistry, versions } from '@gossip/core';
import { z } from 'zod';
import { Latch } from '../latch.js';
import { type BenchCase, measureCases, toRows } from '../measure.js';
import { PAYLOAD, type Scenario, type ScenarioContext, TYPE } from './scenario.js';

// Three versions of one payload: v2 adds a field with a default, v3 another.
const v1 = z.object({ orderId: z.string().min(1), amount: z.number().positive() });
const v2 = v1.extend({ currency: z.enum(['EUR', 'USD']).default('EUR') });
const v3 = v2.extend({ lines: z.array(z.string()).default([]) });
const upcastTo2 = (old: z.output<typeof v1>) => ({ ...old, currency: 'EUR' as const });
const upcastTo3 = (old: z.output<typeof v2>) => ({ ...old, lines: [] });

/** A bus of the scenario: its registry is typed only at run time. */
type Bus = EventBus<Record<string, unknown>>;

/** The payload at version 3, as publish takes it. */
const PAYLOAD_V3 = { ...PAYLOAD, currency: 'EUR', lines: [] } as const;

/** Table ids and row names, read by targets.ts. */
export const VERSIONS_PUBLISH = 'versions-publish';
export const ONE_VERSION = 'gossip, 1 version';
export const THREE_VERSIONS = 'gossip, 3 versions';
const RECEIVE_LATEST = 'receive v3 (latest)';
const RECEIVE_UPCAST = 'receive v1, upcast to v3';
const VALIDATE_THREE = 'safeParse v1 + v2 + v3';

function batchSize(context: ScenarioContext): number {
  return context.quick ? 100 : 1000;
}

/** A registry holding v3 alone, or v1, v2 and v3 with their upcasters. */
function registryOf(all: boolean): SchemaRegistry {
  return new SchemaRegistry({
    [TYPE]: all ? versions(v1).upcast(v2, upcastTo2).upcast(v3, upcastTo3) : v3,
  });
}

/** A bus on a registry, subscribed once, and how to hand it one event. */
function busCase(
  library: string,
  batch: number,
  all: boolean,
  send: (bus: Bus) => Promise<unknown>,
): BenchCase {
  return {
    library,
    perRun: batch,
    prepare() {
      const latch = new Latch();
      const bus = createEventBus({ registry: registryOf(all), bufferSize: Math.max(batch, 1000) });
      bus.subscribe(TYPE, () => latch.tick());
      return {
        latch,
        run() {
          const done = latch.arm(batch);
          for (let i = 0; i < batch; i++) void send(bus);
          return done;
        },
      };
    },
  };
}

function publishCases(context: ScenarioContext): BenchCase[] {
  const batch = batchSize(context);
  const publish = (bus: Bus) => bus.publish(TYPE, PAYLOAD_V3);
  return [
    busCase(ONE_VERSION, batch, false, publish),
    busCase(THREE_VERSIONS, batch, true, publish),
  ];
}

const RECEIVED_V1 = { type: TYPE, data: PAYLOAD, metadata: { [MetadataKey.SchemaVersion]: '1' } };
const RECEIVED_V3 = {
  type: TYPE,
  data: PAYLOAD_V3,
  metadata: { [MetadataKey.SchemaVersion]: '3' },
};

function receiveCases(context: ScenarioContext): BenchCase[] {
  const batch = batchSize(context);
  return [
    {
      library: VALIDATE_THREE,
      perRun: batch,
      prepare: () => ({
        async run() {
          for (let i = 0; i < batch; i++) {
            const one = v1.safeParse(PAYLOAD);
            const two = v2.safeParse(one.data);
            if (!v3.safeParse(two.data).success) throw new Error('the payload must be valid');
          }
        },
      }),
    },
    busCase(RECEIVE_LATEST, batch, true, (bus) => bus.receive(RECEIVED_V3)),
    busCase(RECEIVE_UPCAST, batch, true, (bus) => bus.receive(RECEIVED_V1)),
  ];
}

/**
 * What schema versions cost. Publish on the latest version with three versions registered
 * against one (the stamp is one frozen object per version, so it should cost nothing), and
 * receiving a v1 event upcast to v3 (validated three times, lifted twice, through the bus)
 * against validating three times alone, with receiving a v3 event beside it.
 */
export const schemaVersions: Scenario = {
  id: 'versions',
  title: 'Schema versions',
  async run(context) {
    context.log('versions');
    const publish = await measureCases(publishCases(context), context.measure);
    const receive = await measureCases(receiveCases(context), context.measure);
    const batch = String(batchSize(context));
    return [
      {
        id: VERSIONS_PUBLISH,
        title: 'Queued publish on the latest version, 1 handler: 3 versions registered against 1',
        unit: 'ns/event',
        reference: ONE_VERSION,
        rows: toRows(publish, ONE_VERSION),
        notes: [
          `Batches of ${batch} events to the last handler call; each event stamped with its version.`,
        ],
      },
      {
        id: 'versions-receive',
        title: 'receive() of a v1 event upcast to v3, against validating three times',
        unit: 'ns/event',
        reference: VALIDATE_THREE,
        rows: toRows(receive, VALIDATE_THREE),
        notes: [
          `Batches of ${batch} events. ${VALIDATE_THREE}: zod alone, no bus. ${RECEIVE_UPCAST}: validated as v1, lifted to v2 and v3 (each validated), then dispatched.`,
        ],
      },
    ];
  },
  cases(resultId, context) {
    if (resultId === VERSIONS_PUBLISH) return publishCases(context);
    return resultId === 'versions-receive' ? receiveCases(context) : undefined;
  },
};
