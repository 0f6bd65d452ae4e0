import { createEventBus } from '@gossip/core';
import Emittery from 'emittery';
import { EventEmitter as EventEmitter3 } from 'eventemitter3';
import { collector } from '../collector.js';
import { Latch } from '../latch.js';
import type { ResultRow } from '../results.js';
import { median, spread } from '../stats.js';
import { PAYLOAD, type Scenario, type ScenarioContext, TYPE } from './scenario.js';

const gc = collector();

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
/**
 * A promise that never settles, made per measurement: a shared one would keep every reaction
 * attached to it (and so every blocked event) alive across measurements.
 */
const blocker = (): (() => Promise<void>) => {
  const never = new Promise<void>(() => {});
  return () => never;
};

/** Bytes of heap per event held: `hold(count)` queues `count` events and returns what holds them. */
async function heapPerEvent(
  count: number,
  hold: (count: number) => Promise<unknown>,
): Promise<number> {
  const before = heapUsed();
  const holder = await hold(count);
  const after = heapUsed();
  // Keeps the holder alive until after the second measurement.
  if (holder === undefined) throw new Error('nothing held the events');
  return (after - before) / count;
}

/**
 * The metadata of every reference record: one frozen empty object, shared, as gossip shares one
 * for every event published without metadata; a fresh `{}` per record would charge the
 * reference for an object gossip never makes.
 */
const NO_METADATA: Readonly<Record<string, string>> = Object.freeze({});

const QUEUED: ReadonlyArray<{ library: string; hold: (count: number) => Promise<unknown> }> = [
  {
    // The least a queue of events can hold: one record per event with the fields of an Event.
    library: 'reference',
    async hold(count) {
      const queue: object[] = [];
      for (let i = 0; i < count; i++) {
        queue.push({
          id: `e${String(i)}`,
          type: TYPE,
          timestamp: Date.now(),
          data: PAYLOAD,
          metadata: NO_METADATA,
        });
      }
      return queue;
    },
  },
  {
    library: 'gossip',
    async hold(count) {
      const bus = createEventBus({ bufferSize: count + 100, workers: 1 });
      bus.subscribe(TYPE, blocker());
      for (let i = 0; i < count; i++) void bus.publish(TYPE, PAYLOAD);
      await nextTurn();
      if (bus.stats().queued < count - 1) throw new Error('the events were not queued');
      return bus;
    },
  },
  {
    // emittery does not queue: every emit calls the listener, and each call stays pending.
    library: 'emittery',
    async hold(count) {
      const emitter = new Emittery<Record<string, unknown>>();
      emitter.on(TYPE, blocker());
      for (let i = 0; i < count; i++) void emitter.emit(TYPE, PAYLOAD);
      await nextTurn();
      return emitter;
    },
  },
];

function rows(perRound: Map<string, number[]>, reference: string): ResultRow[] {
  const ref = median(perRound.get(reference) ?? [0]);
  return [...perRound].map(([library, rounds]) => ({
    library,
    median: median(rounds),
    spread: spread(rounds),
    ratio: ref > 0 ? median(rounds) / ref : null,
    rounds,
  }));
}

/** Runs `count` events through a bus (or emitter) in batches, to the last handler call. */
const RUNS: ReadonlyArray<{ library: string; make: (latch: Latch) => (batch: number) => void }> = [
  {
    library: 'eventemitter3',
    make(latch) {
      const ee = new EventEmitter3();
      ee.on(TYPE, latch.tick);
      return (batch) => {
        for (let i = 0; i < batch; i++) ee.emit(TYPE, PAYLOAD);
      };
    },
  },
  {
    library: 'gossip',
    make(latch) {
      const bus = createEventBus();
      bus.subscribe(TYPE, latch.tick);
      return (batch) => {
        for (let i = 0; i < batch; i++) void bus.publish(TYPE, PAYLOAD);
      };
    },
  },
];

async function retainedAfterRun(
  make: (latch: Latch) => (batch: number) => void,
  count: number,
): Promise<{ retained: number; peak: number }> {
  const latch = new Latch();
  const publish = make(latch);
  const batch = 1000;
  // One batch first, so that the emitter's own structures exist before the baseline.
  let done = latch.arm(batch);
  publish(batch);
  await done;
  const before = heapUsed();
  let peak = 0;
  for (let sent = 0; sent < count; sent += batch) {
    done = latch.arm(batch);
    publish(batch);
    await done;
    if (sent % (batch * 1000) === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - before);
  }
  const after = heapUsed();
  return { retained: after - before, peak };
}

/**
 * Scenario 6: memory. Heap per queued event (a million events queued behind a blocked handler)
 * and the heap kept after ten million events have gone through (a leak shows as growth).
 */
export const memory: Scenario = {
  id: 'memory',
  title: 'Memory',
  async run(context: ScenarioContext) {
    const queuedCount = context.quick ? 10_000 : 1_000_000;
    const runCount = context.quick ? 100_000 : 10_000_000;
    const rounds = context.quick ? 1 : 2;
    const perEvent = new Map<string, number[]>(QUEUED.map((q) => [q.library, []]));
    for (let round = 0; round < rounds; round++) {
      for (const { library, hold } of QUEUED) {
        context.log(
          `memory: ${library}, ${String(queuedCount)} queued, round ${String(round + 1)}`,
        );
        perEvent.get(library)?.push(await heapPerEvent(queuedCount, hold));
      }
    }
    const retained = new Map<string, number[]>();
    const peaks: string[] = [];
    for (const { library, make } of RUNS) {
      context.log(`memory: ${library}, ${String(runCount)} events through`);
      const { retained: bytes, peak } = await retainedAfterRun(make, runCount);
      retained.set(library, [bytes]);
      peaks.push(`${library} ${(peak / 1024 / 1024).toFixed(1)} MB`);
    }
    return [
      {
        id: 'memory-queued',
        title: `Heap per queued event, ${queuedCount.toLocaleString('en')} queued`,
        unit: 'bytes/event',
        reference: 'reference',
        rows: rows(perEvent, 'reference'),
        notes: [
          'gossip: bufferSize above the count, one worker, one handler that never settles; heap after a full GC, minus the heap before.',
          "reference: an array of plain event records ({ id, type, timestamp, data, metadata }), every record sharing one frozen empty metadata object, as gossip's events published without metadata do. emittery has no queue: its row is the cost of as many pending emits.",
        ],
      },
      {
        id: 'memory-run',
        title: `Heap kept after ${runCount.toLocaleString('en')} events`,
        unit: 'bytes',
        reference: 'eventemitter3',
        rows: rows(retained, 'eventemitter3'),
        notes: [
          'Heap after a full GC at the end, minus the heap after a full GC at the start; one synchronous handler, batches of 1000 awaited to the last handler call. Near zero means nothing accumulates per event.',
          `Largest heap growth seen during the run (no GC forced): ${peaks.join(', ')}.`,
        ],
      },
    ];
  },
};
