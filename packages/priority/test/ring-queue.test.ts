import { describe, expect, it } from 'vitest';
import { RingQueue } from '../src/ring-queue.js';

function drain<T>(fifo: RingQueue<T>): T[] {
  const out: T[] = [];
  while (fifo.size > 0) out.push(fifo.shift() as T);
  return out;
}

describe('RingQueue', () => {
  it('gives items back first in, first out, and undefined when empty', () => {
    const fifo = new RingQueue<string>();
    expect(fifo.shift()).toBeUndefined();
    expect(fifo.peek()).toBeUndefined();
    fifo.push('a');
    fifo.push('b');
    expect(fifo.peek()).toBe('a');
    expect(fifo.size).toBe(2);
    expect(drain(fifo)).toEqual(['a', 'b']);
    expect(fifo.shift()).toBeUndefined();
  });

  it('keeps the order when it grows while its items wrap around the end of the ring', () => {
    const fifo = new RingQueue<number>();
    const out: number[] = [];
    let next = 0;
    // Each round pushes two and takes one, so the head keeps moving while the ring grows.
    for (let round = 0; round < 1000; round++) {
      fifo.push(next++);
      fifo.push(next++);
      out.push(fifo.shift() as number);
    }
    out.push(...drain(fifo));
    expect(out).toEqual(Array.from({ length: next }, (_, i) => i));
  });

  it('holds undefined as an item, told apart from empty by its size', () => {
    const fifo = new RingQueue<undefined>();
    fifo.push(undefined);
    expect(fifo.size).toBe(1);
    fifo.shift();
    expect(fifo.size).toBe(0);
  });
});
