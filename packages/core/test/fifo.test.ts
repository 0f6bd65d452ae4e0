import { describe, expect, it } from 'vitest';
import { Fifo } from '../src/index.js';

describe('Fifo', () => {
  it('gives values back in the order they were pushed', () => {
    const line = new Fifo<number>();
    for (let i = 0; i < 5; i++) line.push(i);
    expect(line.size).toBe(5);
    expect([line.shift(), line.shift(), line.shift()]).toEqual([0, 1, 2]);
    line.push(5);
    expect(line.drain()).toEqual([3, 4, 5]);
    expect(line.size).toBe(0);
    expect(line.shift()).toBeUndefined();
  });

  it('takes a value out of the front, the middle or the back', () => {
    const line = new Fifo<string>();
    const a = line.push('a');
    const b = line.push('b');
    const c = line.push('c');
    const d = line.push('d');
    expect(line.delete(b)).toBe(true);
    expect(line.delete(a)).toBe(true);
    expect(line.delete(d)).toBe(true);
    expect(line.size).toBe(1);
    expect(c.value).toBe('c');
    expect(line.drain()).toEqual(['c']);
  });

  it('refuses to delete a value that has already left, or belongs to another queue', () => {
    const line = new Fifo<number>();
    const other = new Fifo<number>();
    const entry = line.push(1);
    const foreign = other.push(2);
    expect(line.delete(foreign)).toBe(false);
    expect(line.shift()).toBe(1);
    expect(line.delete(entry)).toBe(false);
    expect(line.size).toBe(0);
    expect(other.size).toBe(1);
  });

  it('keeps undefined as a value when drained', () => {
    const line = new Fifo<number | undefined>();
    line.push(1);
    line.push(undefined);
    expect(line.drain()).toEqual([1, undefined]);
  });

  it('drains 100 000 values in order after every other one left from the middle', () => {
    const line = new Fifo<number>();
    const entries = Array.from({ length: 100_000 }, (_, i) => line.push(i));
    entries.forEach((entry, i) => {
      if (i % 2 === 1) line.delete(entry);
    });
    const drained = line.drain();
    expect(drained).toHaveLength(50_000);
    expect(drained.every((value, i) => value === i * 2)).toBe(true);
  });
});
