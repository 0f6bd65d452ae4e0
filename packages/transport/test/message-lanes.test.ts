import { describe, expect, it } from 'vitest';
import { MessageLanes } from '../src/index.js';

/** A lane item that finishes when the test says so. */
function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('MessageLanes', () => {
  it('runs the items of one key one after the other, in order', async () => {
    const log: string[] = [];
    const gates = new Map([1, 2, 3].map((n) => [n, gate()]));
    const lanes = new MessageLanes<number>(async (n) => {
      log.push(`start ${n}`);
      await gates.get(n)?.opened;
      log.push(`end ${n}`);
    });
    for (const n of [1, 2, 3]) lanes.push('order.placed', n);
    await tick();
    expect(log).toEqual(['start 1']);
    gates.get(1)?.open();
    await tick();
    expect(log).toEqual(['start 1', 'end 1', 'start 2']);
    gates.get(2)?.open();
    gates.get(3)?.open();
    await lanes.drain();
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('runs different keys side by side, at most concurrency at once, taking turns', async () => {
    const running = new Set<string>();
    let most = 0;
    const order: string[] = [];
    const lanes = new MessageLanes<string>(
      async (item) => {
        running.add(item);
        most = Math.max(most, running.size);
        order.push(item);
        await tick();
        running.delete(item);
      },
      { concurrency: 2 },
    );
    for (const item of ['a1', 'a2', 'a3']) lanes.push('a', item);
    for (const item of ['b1', 'b2']) lanes.push('b', item);
    lanes.push('c', 'c1');
    expect(lanes.size).toBe(6);
    await lanes.drain();
    expect(most).toBe(2);
    // A key with more items gives up its slot after each one: c is not starved by a and b.
    expect(order.indexOf('c1')).toBeLessThan(order.indexOf('a3'));
    expect(order.filter((item) => item.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
  });

  it('hands back what has not started, and drains what has', async () => {
    const first = gate();
    const done: number[] = [];
    const lanes = new MessageLanes<number>(async (n) => {
      if (n === 1) await first.opened;
      done.push(n);
    });
    for (const n of [1, 2, 3]) lanes.push('k', n);
    lanes.push('other', 4);
    await tick();
    expect(lanes.clear()).toEqual([2, 3]);
    let drained = false;
    const draining = lanes.drain().then(() => {
      drained = true;
    });
    await tick();
    expect(drained).toBe(false);
    first.open();
    await draining;
    expect(done.sort()).toEqual([1, 4]);
    expect(lanes.size).toBe(0);
  });

  it('goes on after an item that throws or rejects, and says when each is done', async () => {
    let finished = 0;
    const lanes = new MessageLanes<number>(
      (n) => (n === 1 ? Promise.reject(new Error('x')) : Promise.resolve()),
      { onDone: () => finished++ },
    );
    lanes.push('k', 1);
    lanes.push('k', 2);
    await lanes.drain();
    expect(finished).toBe(2);
  });
});
