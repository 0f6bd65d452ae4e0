import { createEventBus, defineEvents } from '@gossip/core';
import { z } from 'zod';
import { Latch } from '../latch.js';
import { type BenchCase, measureCases, toRows } from '../measure.js';
import { PAYLOAD, type Scenario, type ScenarioContext, TYPE } from './scenario.js';

const schema = z.object({ orderId: z.string().min(1), amount: z.number().positive() });

function batchSize(context: ScenarioContext): number {
  return context.quick ? 100 : 1000;
}

/** Builds a bus with or without the schema, subscribed once; returns its publish loop. */
function busLoop(withSchema: boolean, batch: number, tick: () => void): (count: number) => void {
  const bufferSize = Math.max(batch, 1000);
  if (withSchema) {
    const bus = createEventBus({ schemas: defineEvents({ [TYPE]: schema }), bufferSize });
    bus.subscribe(TYPE, tick);
    return (count) => {
      for (let i = 0; i < count; i++) void bus.publish(TYPE, PAYLOAD);
    };
  }
  const bus = createEventBus({ bufferSize });
  bus.subscribe(TYPE, tick);
  return (count) => {
    for (let i = 0; i < count; i++) void bus.publish(TYPE, PAYLOAD);
  };
}

function publishCase(library: string, batch: number, withSchema: boolean): BenchCase {
  return {
    library,
    perRun: batch,
    prepare() {
      const latch = new Latch();
      const publishMany = busLoop(withSchema, batch, () => latch.tick());
      return {
        latch,
        run() {
          const done = latch.arm(batch);
          publishMany(batch);
          return done;
        },
      };
    },
  };
}

function validationCases(context: ScenarioContext): BenchCase[] {
  const batch = batchSize(context);
  return [
    publishCase('gossip, no schema', batch, false),
    {
      library: 'zod safeParse',
      perRun: batch,
      prepare: () => ({
        async run() {
          for (let i = 0; i < batch; i++) {
            if (!schema.safeParse(PAYLOAD).success) throw new Error('the payload must be valid');
          }
        },
      }),
    },
    publishCase('gossip, zod schema', batch, true),
  ];
}

/** The computed reference: publish without a schema plus safeParse alone, round by round. */
export const VALIDATION_REFERENCE = 'no schema + safeParse';

/**
 * Scenario 3: what validation costs. Publish with a zod schema against publish without one
 * plus zod's `safeParse` alone: a bus that validates should cost no more than the two apart.
 */
export const validation: Scenario = {
  id: 'validation',
  title: 'Validation overhead',
  async run(context) {
    context.log('validation');
    const measured = await measureCases(validationCases(context), context.measure);
    const plain = measured.get('gossip, no schema') ?? [];
    const parse = measured.get('zod safeParse') ?? [];
    const perRound = new Map<string, number[]>([
      [VALIDATION_REFERENCE, plain.map((value, i) => value + (parse[i] ?? 0))],
      ...measured,
    ]);
    return [
      {
        id: 'validation',
        title: 'Queued publish with validation, 1 handler',
        unit: 'ns/event',
        reference: VALIDATION_REFERENCE,
        rows: toRows(perRound, VALIDATION_REFERENCE),
        notes: [
          `Batches of ${String(batchSize(context))} events to the last handler call; schema \`z.object({ orderId: z.string().min(1), amount: z.number().positive() })\`.`,
          `${VALIDATION_REFERENCE}: the two rows below it added, round by round.`,
        ],
      },
    ];
  },
  cases(resultId, context) {
    return resultId === 'validation' ? validationCases(context) : undefined;
  },
};
