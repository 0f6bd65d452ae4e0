import { describe, expect, it } from 'vitest';
import { describeCause } from '../src/redis-transport-error.js';

describe('describeCause', () => {
  it('words an error, a string or any value, without its final period', () => {
    expect(describeCause(new Error('Connection is closed.'))).toBe('Connection is closed');
    expect(describeCause('NOGROUP No such key')).toBe('NOGROUP No such key');
    expect(describeCause(42)).toBe('42');
  });

  it('never throws, even for a value whose conversion does', () => {
    const hostile = {
      toString() {
        throw new Error('no');
      },
    };
    expect(describeCause(hostile)).toBe('a value that cannot be read');
  });
});
