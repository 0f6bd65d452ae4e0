import { createEventBus } from '@gossip/core';
import { collector } from '../collector.js';
import { toRows } from '../measure.js';
import { PAYLOAD, type Scenario, type ScenarioContext, TYPE } from './scenario.js';

/** Awaits `count` publishes to one async handler, one after another. */
type Loop = (count: number) => Promise<void>;

/** The libraries: gossip's `publishSync`, and the hand-written `await Promise.all` reference. */
const LOOPS: ReadonlyArray<{ library: string; make: () => Loop }> = [
  {
    library: 'gossip',
    make() {
      let handled = 0;
      const bus = createEventBus();
      bus.subscribe(TYPE, async () => {
        handled++;
      });
      return async (count) => {
        for (let i = 0; i < count; i++) await bus.publishSync(TYPE, PAYLOAD);
        if (handled === 0) throw new Error('the handler never ran');
      };
    },
  },
  {
    library: 'reference',
    make() {
      let handled = 0;
      const handlers = [
        async (_data: unknown) => {
          handled++;
        },
      ];
      return async (count) => {
        for (let i = 0; i < count; i++) await Promise.all(handlers.map((h) => h(PAYLOAD)));
        if (handled === 0) throw new Error('the handler never ran');
      };
    },
  },
];

/** Calls per window and windows per library, in a full run and under `--quick`. */
export function gcPlan(quick: boolean): { calls: number; cycles: number } {
  return quick ? { calls: 10_000, cycles: 2 } : { calls: 100_000, cycles: 10 };
}

/** Nanoseconds per call of one timed window of `calls` calls. */
async function window(loop: Loop, calls: number): Promise<number> {
  const start = process.hrtime.bigint();
  await loop(calls);
  return Number(process.hrtime.bigint() - start) / calls;
}

/** The row names of one library's two windows. */
export const beforeGc = (library: string): string => `${library}, before GC`;
export const afterGc = (library: string): string => `${library}, after GC`;

/**
 * Scenario: the cost of a forced full GC on what follows. Each cycle runs `calls` untimed
 * calls (so that the previous cycle's GC is behind), times `calls` more (the steady state),
 * forces a full GC, and times the `calls` right after it; gossip's `publishSync` to one async
 * handler, and the `await Promise.all` reference, which shows what V8 itself pays after a GC.
 */
export const gcSteadyState: Scenario = {
  id: 'gc',
  title: 'Steady state across a full GC',
  async run(context: ScenarioContext) {
    const gc = collector();
    const { calls, cycles } = gcPlan(context.quick);
    context.log(`gc: ${String(cycles)} cycles of ${String(calls)} calls`);
    const loops = LOOPS.map(({ library, make }) => ({ library, loop: make() }));
    const perRound = new Map<string, number[]>(
      LOOPS.flatMap(({ library }) => [
        [beforeGc(library), []],
        [afterGc(library), []],
      ]),
    );
    for (const { loop } of loops) await loop(calls);
    for (let cycle = 0; cycle < cycles; cycle++) {
      for (const { library, loop } of loops) {
        await loop(calls);
        perRound.get(beforeGc(library))?.push(await window(loop, calls));
        gc();
        perRound.get(afterGc(library))?.push(await window(loop, calls));
      }
    }
    return [
      {
        id: 'gc',
        title: `publishSync to 1 async handler, the ${calls.toLocaleString('en')} calls before and after a full GC`,
        unit: 'ns/event',
        reference: beforeGc('gossip'),
        rows: toRows(perRound, beforeGc('gossip')),
        notes: [
          `Each of ${String(cycles)} cycles: ${calls.toLocaleString('en')} untimed calls, ${calls.toLocaleString('en')} timed (before GC), \`global.gc()\` (--expose-gc), ${calls.toLocaleString('en')} timed (after GC); each call awaited before the next.`,
          'reference: `await Promise.all(handlers.map((h) => h(data)))` with one handler, the same cycles: what a GC costs what follows without a bus.',
        ],
      },
    ];
  },
};
