import { describe, expect, it } from 'vitest';
import { createEventBus, ErrorCode, GossipError, InvalidOptionError } from '../src/index.js';

describe('createEventBus refuses bad options at construction', () => {
  const create = createEventBus as (options?: unknown) => unknown;

  it.each([
    [{ workers: 0 }, 'workers'],
    [{ workers: -1 }, 'workers'],
    [{ workers: 1.5 }, 'workers'],
    [{ bufferSize: 0 }, 'bufferSize'],
    [{ bufferSize: Number.NaN }, 'bufferSize'],
    [{ overflow: 'drop' }, 'overflow'],
    [{ maxCausationDepth: 0 }, 'maxCausationDepth'],
    [{ onError: 'log' }, 'onError'],
    [{ onDrop: 1 }, 'onDrop'],
    [{ scheduler: {} }, 'scheduler'],
    [{ middleware: [() => {}, 'x'] }, 'middleware[1]'],
    [{ middleware: 'x' }, 'middleware'],
    [{ registry: {} }, 'registry'],
    [{ schemas: {}, registry: {} }, 'schemas'],
    [null, 'options'],
  ])('refuses %j, naming %s', (options, option) => {
    let error: unknown;
    try {
      create(options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toBeInstanceOf(GossipError);
    expect(error).toMatchObject({ code: ErrorCode.InvalidOption, option });
    expect((error as Error).message).toContain(`"${option}"`);
  });

  it('names the overflow policies it accepts', () => {
    expect(() => create({ overflow: 'drop' })).toThrow(
      "expected one of 'block', 'reject', 'drop-oldest', 'drop-newest'",
    );
  });

  it('takes no options at all', () => {
    expect(() => createEventBus()).not.toThrow();
  });
});

describe('GossipError', () => {
  it('carries a stable code, its class name and a cause', () => {
    const cause = new Error('root');
    const error = new GossipError(ErrorCode.Timeout, 'slow', { cause });
    expect(error.name).toBe('GossipError');
    expect(error.code).toBe('TIMEOUT');
    expect(error.cause).toBe(cause);
    expect(new InvalidOptionError('x', 'y', 1).name).toBe('InvalidOptionError');
  });
});
