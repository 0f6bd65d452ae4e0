import { InvalidOptionError, type Middleware } from '@gossip/core';
import { describe, expect, it } from 'vitest';
import { chain } from '../src/index.js';
import { makeContext, makeEvent } from './fixtures.js';

function tracing(name: string, trace: string[]): Middleware {
  return (next) => async (event, ctx) => {
    trace.push(`${name}>`);
    await next(event, ctx);
    trace.push(`<${name}`);
  };
}

describe('chain', () => {
  it('makes the first middleware the outermost: A> B> H <B <A', async () => {
    const trace: string[] = [];
    const handler = chain(
      tracing('A', trace),
      tracing('B', trace),
    )(() => {
      trace.push('H');
    });
    await handler(makeEvent(), makeContext());
    expect(trace).toEqual(['A>', 'B>', 'H', '<B', '<A']);
  });

  it('composes three as the seed guide does: A> B> C> H <C <B <A', async () => {
    const trace: string[] = [];
    const handler = chain(
      tracing('A', trace),
      tracing('B', trace),
      tracing('C', trace),
    )(() => {
      trace.push('H');
    });
    await handler(makeEvent(), makeContext());
    expect(trace.join(' ')).toBe('A> B> C> H <C <B <A');
  });

  it('is the identity when empty', async () => {
    const calls: string[] = [];
    const handler = () => {
      calls.push('H');
    };
    const wrapped = chain()(handler);
    expect(wrapped).toBe(handler);
    await wrapped(makeEvent(), makeContext());
    expect(calls).toEqual(['H']);
  });

  it('nests: a chain inside a chain keeps the order', async () => {
    const trace: string[] = [];
    const inner = chain(tracing('B', trace), tracing('C', trace));
    await chain(
      tracing('A', trace),
      inner,
    )(() => {
      trace.push('H');
    })(makeEvent(), makeContext());
    expect(trace.join(' ')).toBe('A> B> C> H <C <B <A');
  });

  it('passes a failure out through every layer', async () => {
    const trace: string[] = [];
    const boom = new Error('boom');
    const handler = chain(tracing('A', trace))(() => {
      throw boom;
    });
    await expect(handler(makeEvent(), makeContext())).rejects.toBe(boom);
    expect(trace).toEqual(['A>']);
  });

  it('refuses something that is not middleware, when made', () => {
    expect(() => chain(tracing('A', []), 'retry' as unknown as Middleware)).toThrow(
      InvalidOptionError,
    );
    expect(() => chain(undefined as unknown as Middleware)).toThrow(
      'Invalid option "chain(middleware[0])"',
    );
  });

  it('refuses to wrap something that is not a handler', () => {
    expect(() => chain()(42 as never)).toThrow('Invalid option "chain()(handler)"');
  });
});
