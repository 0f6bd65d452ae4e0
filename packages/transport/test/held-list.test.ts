import { describe, expect, it } from 'vitest';
import { HeldList } from '../src/index.js';

describe('HeldList', () => {
  it('holds items in the order added, and deletes any of them by its link', () => {
    const held = new HeldList<string>();
    const links = ['a', 'b', 'c', 'd'].map((item) => held.add(item));
    expect([...held]).toEqual(['a', 'b', 'c', 'd']);
    const [a, b, c, d] = links as [
      (typeof links)[0],
      (typeof links)[0],
      (typeof links)[0],
      (typeof links)[0],
    ];
    expect(held.delete(b)).toBe(true);
    expect([...held]).toEqual(['a', 'c', 'd']);
    expect(held.delete(a)).toBe(true);
    expect(held.delete(d)).toBe(true);
    expect([...held]).toEqual(['c']);
    expect(held.size).toBe(1);
    expect(held.delete(c)).toBe(true);
    expect([...held]).toEqual([]);
    expect(held.size).toBe(0);
    held.add('e');
    expect([...held]).toEqual(['e']);
  });

  it('refuses a link deleted before, cleared, or of another list', () => {
    const held = new HeldList<number>();
    const other = new HeldList<number>();
    const one = held.add(1);
    const two = held.add(2);
    const foreign = other.add(3);
    expect(held.delete(one)).toBe(true);
    expect(held.delete(one)).toBe(false);
    expect(held.delete(foreign)).toBe(false);
    expect([...other]).toEqual([3]);
    held.clear();
    expect(held.delete(two)).toBe(false);
    expect(held.size).toBe(0);
    expect([...held]).toEqual([]);
  });

  it('holds the same item twice as two links, and gives each link its item', () => {
    const held = new HeldList<{ id: number }>();
    const item = { id: 1 };
    const first = held.add(item);
    const second = held.add(item);
    expect(first.item).toBe(item);
    expect(held.size).toBe(2);
    held.delete(first);
    expect([...held]).toEqual([item]);
    expect(second.item).toBe(item);
  });

  it('keeps up under churn: many added and deleted out of order', () => {
    const held = new HeldList<number>();
    const links = Array.from({ length: 1000 }, (_, i) => held.add(i));
    for (let i = 0; i < 1000; i += 2) held.delete(links[i] as (typeof links)[0]);
    expect(held.size).toBe(500);
    expect([...held]).toEqual(Array.from({ length: 500 }, (_, i) => i * 2 + 1));
  });
});
