import { createEventBus } from '@gossip/core';
import Emittery from 'emittery';
import { Latch } from '../latch.js';
import { type BenchCase, measureCases, toRows } from '../measure.js';
import { EventEmitter2 } from '../peers.js';
import { PAYLOAD, type Scenario, type ScenarioContext, TYPE } from './scenario.js';

const HANDLER_COUNTS = [1, 10] as const;

function batchSize(context: ScenarioContext): number {
  return context.quick ? 20 : 200;
}

/** A case whose run awaits `emit` once per event, each of `handlers` async handlers ticking. */
function awaitedCase(
  library: string,
  handlers: number,
  context: ScenarioContext,
  make: (
    asyncHandlers: Array<(data: unknown) => Promise<void>>,
  ) => (data: unknown) => Promise<unknown>,
): BenchCase {
  const batch = batchSize(context);
  return {
    library,
    perRun: batch,
    prepare() {
      const latch = new Latch();
      const list = Array.from({ length: handlers }, () => async (_data: unknown) => {
        latch.tick();
      });
      const emit = make(list);
      return {
        latch,
        async run() {
          const done = latch.arm(batch * handlers);
          for (let i = 0; i < batch; i++) await emit(PAYLOAD);
          return done;
        },
      };
    },
  };
}

function awaitedCases(handlers: number, context: ScenarioContext): BenchCase[] {
  return [
    awaitedCase(
      'reference',
      handlers,
      context,
      (list) => (data) => Promise.all(list.map((handler) => handler(data))),
    ),
    awaitedCase('emittery', handlers, context, (list) => {
      const emitter = new Emittery<Record<string, unknown>>();
      for (const handler of list) emitter.on(TYPE, handler);
      return (data) => emitter.emit(TYPE, data);
    }),
    awaitedCase('eventemitter2', handlers, context, (list) => {
      const ee = new EventEmitter2({ maxListeners: 0 });
      for (const handler of list) ee.on(TYPE, handler);
      return (data) => ee.emitAsync(TYPE, data);
    }),
    awaitedCase('gossip', handlers, context, (list) => {
      const bus = createEventBus();
      for (const handler of list) bus.subscribe(TYPE, (event) => handler(event.data));
      // publishSync resolves with the handlers' errors, as Promise.all would reject with the
      // first: the harness awaits it the way it awaits the peers' emit.
      return (data) => bus.publishSync(TYPE, data);
    }),
  ];
}

const id = (handlers: number) => `awaited-${String(handlers)}`;

/**
 * Scenario 2: awaited publish to asynchronous handlers: gossip's `publishSync` against
 * emittery's `emit`, EventEmitter2's `emitAsync` and `await Promise.all(handlers.map(...))`.
 */
export const awaitedPublish: Scenario = {
  id: 'awaited',
  title: 'Awaited publish to asynchronous handlers',
  async run(context) {
    const results = [];
    for (const handlers of HANDLER_COUNTS) {
      context.log(`awaited publish, ${String(handlers)} async handler(s)`);
      const perRound = await measureCases(awaitedCases(handlers, context), context.measure);
      results.push({
        id: id(handlers),
        title: `Awaited publish, ${String(handlers)} async handler${handlers > 1 ? 's' : ''}`,
        unit: 'ns/event',
        reference: 'reference',
        rows: toRows(perRound, 'reference'),
        notes: [
          `Batches of ${String(batchSize(context))} events, each awaited before the next.`,
          'reference: `await Promise.all(handlers.map((h) => h(data)))`; gossip: `await bus.publishSync(type, data)`.',
        ],
      });
    }
    return results;
  },
  cases(resultId, context) {
    const handlers = HANDLER_COUNTS.find((h) => id(h) === resultId);
    return handlers === undefined ? undefined : awaitedCases(handlers, context);
  },
};
