import { describe, expect, it } from 'vitest';
import {
  createEventBus,
  ErrorCode,
  GossipError,
  InvalidOptionError,
  optionName,
  SchemaRegistry,
} from '../src/index.js';

describe('createEventBus refuses bad options at construction', () => {
  const create = createEventBus as (options?: unknown) => unknown;

  it.each([
    [{ workers: 0 }, 'createEventBus({ workers })'],
    [{ workers: -1 }, 'createEventBus({ workers })'],
    [{ workers: 1.5 }, 'createEventBus({ workers })'],
    [{ bufferSize: 0 }, 'createEventBus({ bufferSize })'],
    [{ bufferSize: Number.NaN }, 'createEventBus({ bufferSize })'],
    [{ overflow: 'drop' }, 'createEventBus({ overflow })'],
    [{ maxCausationDepth: 0 }, 'createEventBus({ maxCausationDepth })'],
    [{ onError: 'log' }, 'createEventBus({ onError })'],
    [{ onDrop: 1 }, 'createEventBus({ onDrop })'],
    [{ scheduler: {} }, 'createEventBus({ scheduler })'],
    [{ middleware: [() => {}, 'x'] }, 'createEventBus({ middleware[1] })'],
    [{ middleware: 'x' }, 'createEventBus({ middleware })'],
    [{ registry: {} }, 'createEventBus({ registry })'],
    [{ schemas: {}, registry: SchemaRegistry.from({}) }, 'createEventBus({ schemas, registry })'],
    [{ schemas: 'x' }, 'createEventBus({ schemas })'],
    [null, 'createEventBus(options)'],
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

describe('optionName', () => {
  it('names an option as its caller writes it, with the function', () => {
    expect(optionName('createEventBus', 'workers')).toBe('createEventBus({ workers })');
    expect(optionName('publish', 'metadata.region')).toBe('publish({ metadata.region })');
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
