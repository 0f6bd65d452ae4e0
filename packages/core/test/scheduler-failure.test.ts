import { describe, expect, it } from 'vitest';
import {
  createEventBus,
  ErrorCode,
  fifoScheduler,
  type GossipError,
  type ScheduledEvent,
  type Scheduler,
  SchedulerError,
} from '../src/index.js';
import { gate, settle } from './fixtures.js';

type Faults = {
  /** Throws on the nth push (1-based); `after` pushes the item first. */
  push?: { at: number; after?: boolean };
  shift?: { at: number };
  clear?: boolean;
};

/** A FIFO scheduler that throws where `faults` say. */
function faulty(faults: Faults) {
  let pushes = 0;
  let shifts = 0;
  return <TItem extends ScheduledEvent>(): Scheduler<TItem> => {
    const queue = fifoScheduler<TItem>();
    return {
      get size() {
        return queue.size;
      },
      push(item) {
        pushes++;
        if (faults.push?.after === true && pushes === faults.push.at) queue.push(item);
        if (pushes === faults.push?.at) throw new Error(`push ${pushes} failed`);
        queue.push(item);
      },
      shift() {
        if (++shifts === faults.shift?.at) throw new Error(`shift ${shifts} failed`);
        return queue.shift();
      },
      dropOldest: () => queue.dropOldest(),
      clear() {
        if (faults.clear === true) throw new Error('clear failed');
        return queue.clear();
      },
    };
  };
}

/** A bus on `faults`, one worker held by the first event so that the others queue. */
async function run(faults: Faults, count = 6) {
  const errors: GossipError[] = [];
  const bus = createEventBus<{ job: number }>({
    workers: 1,
    scheduler: faulty(faults),
    onError: (error) => errors.push(error),
  });
  const seen: number[] = [];
  const hold = gate();
  bus.subscribe('job', async (event) => {
    seen.push(event.data);
    if (event.data === 0) await hold.promise;
  });
  const outcomes = Array.from({ length: count }, (_, n) =>
    bus.publish('job', n).then(
      () => 'accepted',
      (error: unknown) => error,
    ),
  );
  await settle();
  hold.open();
  const published = await Promise.all(outcomes);
  await bus.idle();
  const report = await bus.shutdown({ timeout: 1000 });
  return { errors, seen, published, report };
}

describe('a scheduler that throws', () => {
  it('is reported once, and the bus goes on first in, first out with every event', async () => {
    const { errors, seen, published, report } = await run({ push: { at: 3 } });
    expect(published).toEqual(Array(6).fill('accepted'));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(SchedulerError);
    expect(errors[0]).toMatchObject({ code: ErrorCode.Scheduler, method: 'push', lost: 0 });
    expect(errors[0]?.message).toBe(
      "The bus's scheduler threw in push() (push 3 failed); the bus goes on first in, first out. Fix the scheduler.",
    );
    expect(report).toMatchObject({ complete: true, published: 6, delivered: 6, failed: 0 });
  });

  it('queues once an item a throwing push had already taken', async () => {
    const { errors, seen, report } = await run({ push: { at: 3, after: true } });
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(errors.map((error) => error.code)).toEqual([ErrorCode.Scheduler]);
    expect(report).toMatchObject({ published: 6, delivered: 6 });
  });

  it('that throws in shift neither stalls the bus nor escapes into the host', async () => {
    const { errors, seen, report } = await run({ shift: { at: 2 } });
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(errors).toMatchObject([{ method: 'shift', lost: 0 }]);
    expect(report).toMatchObject({ complete: true, published: 6, delivered: 6 });
  });

  it('that cannot give its events back says how many were lost, and the bus still shuts down', async () => {
    const { errors, seen, report } = await run({ shift: { at: 2 }, clear: true });
    expect(errors).toHaveLength(1);
    const [error] = errors as SchedulerError[];
    expect(error?.method).toBe('shift');
    expect(error?.lost).toBeGreaterThan(0);
    expect(error?.message).toContain(`, ${error?.lost} queued events lost.`);
    expect(seen).toHaveLength(6 - (error?.lost ?? 0));
    expect(report.complete).toBe(true);
  });
});
