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
  /** Throws on the nth shift; `after` takes the item out first. */
  shift?: { at: number; after?: boolean };
  /** Returns something it was not given on the nth shift. */
  foreign?: { at: number };
  clear?: 'throws' | 'duplicates';
  /** A size that lies. */
  size?: number;
};

/** A FIFO scheduler that fails where `faults` say. */
function faulty(faults: Faults) {
  let pushes = 0;
  let shifts = 0;
  return <TItem extends ScheduledEvent>(): Scheduler<TItem> => {
    const queue = fifoScheduler<TItem>();
    return {
      get size() {
        return faults.size ?? queue.size;
      },
      push(item) {
        pushes++;
        if (faults.push?.after === true && pushes === faults.push.at) queue.push(item);
        if (pushes === faults.push?.at) throw new Error(`push ${pushes} failed`);
        queue.push(item);
      },
      shift() {
        shifts++;
        if (shifts === faults.foreign?.at) return { event: {}, priority: 0, sequence: 0 } as TItem;
        if (faults.shift?.after === true && shifts === faults.shift.at) queue.shift();
        if (shifts === faults.shift?.at) throw new Error(`shift ${shifts} failed`);
        return queue.shift();
      },
      dropOldest: () => queue.dropOldest(),
      clear() {
        if (faults.clear === 'throws') throw new Error('clear failed');
        const items = queue.clear();
        return faults.clear === 'duplicates' ? [...items, ...items] : items;
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

describe('a scheduler that fails', () => {
  it('is reported once, and the bus goes on first in, first out with every event', async () => {
    const { errors, seen, published, report } = await run({ push: { at: 3 } });
    expect(published).toEqual(Array(6).fill('accepted'));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(SchedulerError);
    expect(errors[0]).toMatchObject({ code: ErrorCode.Scheduler, method: 'push', lost: 0 });
    expect(errors[0]?.message).toBe(
      "The bus's scheduler failed in push() (push 3 failed); the bus goes on first in, first out. Fix the scheduler.",
    );
    expect(report).toMatchObject({ complete: true, published: 6, delivered: 6, failed: 0 });
  });

  it.each<[string, Faults, string]>([
    ['a push that throws after taking its item', { push: { at: 3, after: true } }, 'push'],
    ['a shift that throws', { shift: { at: 2 } }, 'shift'],
    ['a shift that returns something other than an item', { foreign: { at: 2 } }, 'shift'],
  ])('loses no event and delivers none twice: %s', async (_, faults, method) => {
    const { errors, seen, report } = await run(faults);
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(errors).toMatchObject([{ code: ErrorCode.Scheduler, method, lost: 0 }]);
    expect(report).toMatchObject({ complete: true, published: 6, delivered: 6 });
  });

  it('counts what it lost: an item a throwing shift had taken out, or all if clear() throws', async () => {
    const taken = await run({ shift: { at: 2, after: true } });
    expect(taken.errors).toMatchObject([{ method: 'shift', lost: 1 }]);
    expect(taken.errors[0]?.message).toContain(', and 1 queued events were lost.');
    expect(taken.seen).toHaveLength(5);
    const all = await run({ shift: { at: 2 }, clear: 'throws' });
    const lost = (all.errors[0] as SchedulerError).lost;
    expect(lost).toBeGreaterThan(0);
    expect(all.seen).toHaveLength(6 - lost);
    expect(all.report.complete).toBe(true);
  });

  it('is not asked its size: one that lies does not change backpressure', async () => {
    const { errors, seen, report } = await run({ size: Number.NaN });
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(errors).toEqual([]);
    expect(report).toMatchObject({ complete: true, delivered: 6 });
  });

  it('lists each event once at the shutdown deadline when its clear() gives back duplicates', async () => {
    const errors: GossipError[] = [];
    const bus = createEventBus<{ job: number }>({
      workers: 1,
      scheduler: faulty({ clear: 'duplicates' }),
      onError: (error) => errors.push(error),
    });
    bus.subscribe('job', () => new Promise<void>(() => {}));
    for (let n = 0; n < 4; n++) await bus.publish('job', n);
    await settle();
    const report = await bus.shutdown({ timeout: 5 });
    expect(report.undelivered.map((entry) => entry.event.data)).toEqual([0, 1, 2, 3]);
    expect(report.undelivered.map((entry) => entry.reason)).toEqual([
      'in-flight',
      'queued',
      'queued',
      'queued',
    ]);
    expect(errors).toMatchObject([{ code: ErrorCode.Scheduler, method: 'clear', lost: 0 }]);
  });
});
