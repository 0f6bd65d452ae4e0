import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEventBus, InvalidOptionError, SchemaRegistry } from '../src/index.js';
import { type AppEvents, events } from './fixtures.js';

function thrown(run: () => unknown): InvalidOptionError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidOptionError) return error;
    throw error;
  }
  throw new Error('did not throw');
}

async function rejected(promise: Promise<unknown>): Promise<InvalidOptionError> {
  const error = await promise.then(
    () => new Error('did not reject'),
    (e: unknown) => e,
  );
  if (error instanceof InvalidOptionError) return error;
  throw error;
}

describe('messages for common mistakes', () => {
  it('says that publish takes (type, data) when given one event object', async () => {
    const typed = createEventBus<AppEvents>();
    const checked = createEventBus({ schemas: events });
    const event = { type: 'user.deleted', data: { userId: 'u1' } };
    // As JavaScript (or a cast) would call them: the compiler refuses the object.
    const loose = (publish: unknown) => publish as (event: unknown) => Promise<unknown>;
    for (const error of [
      await rejected(loose(typed.publish)(event)),
      await rejected(loose(checked.publish)(event)),
      await rejected(loose(typed.publishSync)(event)),
    ]) {
      expect(error.option).toBe('type');
      expect(error.message).toContain('publish takes (type, data)');
    }
  });

  it('says that schemas is a map of event names to schemas, without quoting zod internals', () => {
    const error = thrown(() => createEventBus({ schemas: z.object({}) as never }));
    expect(error.option).toBe('schemas');
    expect(error.message).toContain('a map of event names to schemas');
    expect(error.message).not.toMatch(/~standard|_zod|def/);
    expect(() => new SchemaRegistry(z.string() as never)).toThrow(/a map of event names/);
  });

  it('refuses a misspelt bus option, naming it and suggesting the closest', () => {
    const error = thrown(() => createEventBus({ worker: 3 } as never));
    expect(error.option).toBe('worker');
    expect(error.message).toContain('did you mean "workers"?');
    expect(thrown(() => createEventBus({ onerror: () => {} } as never)).message).toContain(
      '"onError"',
    );
  });

  it('refuses a misspelt subscribe option, naming it and suggesting the closest', () => {
    const bus = createEventBus<AppEvents>();
    const error = thrown(() =>
      bus.subscribe('user.created', () => {}, { filer: () => true } as never),
    );
    expect(error.option).toBe('filer');
    expect(error.message).toContain('did you mean "filter"?');
    expect(bus.listenerCount()).toBe(0);
  });

  it('refuses a misspelt publish or publishSync option, before anything is counted', async () => {
    const bus = createEventBus<AppEvents>();
    const error = await rejected(
      bus.publish('user.deleted', { userId: 'u1' }, { prority: 'high' } as never),
    );
    expect(error.option).toBe('prority');
    expect(error.message).toContain('did you mean "priority"?');
    const sync = await rejected(
      bus.publishSync('user.deleted', { userId: 'u1' }, { timout: 5 } as never),
    );
    expect(sync.message).toContain('did you mean "timeout"?');
    await bus.publishSync('user.deleted', { userId: 'u1' }, { timeout: 5, sequential: true });
    expect(bus.stats().published).toBe(1);
  });

  it('refuses a misspelt ctx.publish option', async () => {
    const bus = createEventBus<AppEvents>();
    let error: unknown;
    bus.subscribe('user.deleted', async (_event, ctx) => {
      error = await ctx
        .publish('user.deleted', { userId: 'u2' }, { metdata: {} } as never)
        .catch((e: unknown) => e);
    });
    await bus.publish('user.deleted', { userId: 'u1' });
    await bus.idle();
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as InvalidOptionError).message).toContain('did you mean "metadata"?');
  });
});
