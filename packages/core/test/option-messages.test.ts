import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  assertKnownOptions,
  createEventBus,
  InvalidOptionError,
  SchemaRegistry,
} from '../src/index.js';
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
    for (const [fn, error] of [
      ['publish', await rejected(loose(typed.publish)(event))],
      ['publish', await rejected(loose(checked.publish)(event))],
      ['publishSync', await rejected(loose(typed.publishSync)(event))],
    ] as const) {
      expect(error.option).toBe(`${fn}(type)`);
      expect(error.message).toContain('publish takes (type, data)');
    }
  });

  it('says that schemas is a map of event names to schemas, without quoting zod internals', () => {
    const error = thrown(() => createEventBus({ schemas: z.object({}) as never }));
    expect(error.option).toBe('createEventBus({ schemas })');
    expect(error.message).toContain('a map of event names to schemas');
    expect(error.message).not.toMatch(/~standard|_zod|def/);
    expect(() => new SchemaRegistry(z.string() as never)).toThrow(/a map of event names/);
  });

  it('refuses a misspelt bus option, naming it and suggesting the closest', () => {
    const error = thrown(() => createEventBus({ worker: 3 } as never));
    expect(error.option).toBe('createEventBus({ worker })');
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
    expect(error.option).toBe('subscribe({ filer })');
    expect(error.message).toContain('did you mean "filter"?');
    expect(bus.listenerCount()).toBe(0);
  });

  it('refuses a misspelt publish or publishSync option, before anything is counted', async () => {
    const bus = createEventBus<AppEvents>();
    const error = await rejected(
      bus.publish('user.deleted', { userId: 'u1' }, { prority: 'high' } as never),
    );
    expect(error.option).toBe('publish({ prority })');
    expect(error.message).toContain('did you mean "priority"?');
    const sync = await rejected(
      bus.publishSync('user.deleted', { userId: 'u1' }, { timout: 5 } as never),
    );
    expect(sync.option).toBe('publishSync({ timout })');
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
    expect((error as InvalidOptionError).option).toBe('publish({ metdata })');
    expect((error as InvalidOptionError).message).toContain('did you mean "metadata"?');
  });
});

describe('option names in errors', () => {
  const bus = createEventBus<AppEvents>();
  const loose = bus as unknown as Record<string, (...args: unknown[]) => unknown>;
  const registry = new SchemaRegistry();

  it.each<[string, () => unknown]>([
    ['subscribe({ filter })', () => loose.subscribe?.('user.deleted', () => {}, { filter: 1 })],
    ['subscribe(options)', () => loose.subscribe?.('user.deleted', () => {}, 'x')],
    ['subscribe(handler)', () => loose.subscribe?.(['user.deleted'], 'x')],
    ['subscribe(patterns)', () => loose.subscribe?.([], () => {})],
    ['once({ filter })', () => loose.once?.('user.deleted', { filter: 'x' })],
    ['once({ signal })', () => loose.once?.('user.deleted', { signal: {} })],
    ['once({ timout })', () => loose.once?.('user.deleted', { timout: 5 })],
    ['once(pattern)', () => loose.once?.('user..deleted')],
    ['stream({ bufferSize })', () => loose.stream?.('user.deleted', { bufferSize: 0 })],
    ['stream({ buffer })', () => loose.stream?.('user.deleted', { buffer: 5 })],
    ['stream({ signal })', () => loose.stream?.('user.deleted', { signal: 'x' })],
    ['shutdown({ timeout })', () => loose.shutdown?.({ timeout: -1 })],
    ['shutdown({ deadline })', () => loose.shutdown?.({ deadline: 5 })],
    ['clear(pattern)', () => loose.clear?.('a.**.b')],
    ['listenerCount(pattern)', () => loose.listenerCount?.(42)],
    ['hasSubscribers(type)', () => loose.hasSubscribers?.('user.*')],
    ['use(middleware)', () => loose.use?.('x')],
    ['register(type)', () => registry.register('', z.string())],
    ['register({ upcast })', () => registry.register('a.b', z.string(), { upcast: 1 as never })],
    ['register({ version })', () => registry.register('a.c', z.string(), { version: 2 })],
    [
      'SchemaRegistry({ compatibility })',
      () => new SchemaRegistry({}, { compatibility: 1 as never }),
    ],
    ['SchemaRegistry(schemas)', () => new SchemaRegistry(z.string() as never)],
  ])('names %s', async (option, run) => {
    // once and shutdown refuse by rejecting their promise (once's pattern and options alike),
    // everything else here throws at once.
    const error = /^(once|shutdown)\(/.test(option)
      ? await rejected(run() as Promise<unknown>)
      : thrown(run);
    expect(error.option).toBe(option);
    expect(error.message.startsWith(`Invalid option "${option}": expected `)).toBe(true);
  });

  it('names the fields of a received message as the fields of its argument', async () => {
    const error = await rejected(bus.receive({ type: 'a..b', data: 1 } as never));
    expect(error.option).toBe('receive({ type })');
    const metadata = await rejected(
      bus.receive({ type: 'user.deleted', data: {}, metadata: { region: 1 } } as never),
    );
    expect(metadata.option).toBe('receive({ metadata.region })');
  });
});

describe('assertKnownOptions, for packages that plug into gossip', () => {
  const known = ['batchSize', 'flushInterval', 'retry'];

  it('accepts known keys, and an empty object', () => {
    expect(() => assertKnownOptions('make', { batchSize: 1, retry: {} }, known)).not.toThrow();
    expect(() => assertKnownOptions('make', {}, known)).not.toThrow();
  });

  it('refuses a misspelt key, naming it and the closest known one', () => {
    const error = thrown(() => assertKnownOptions('make', { batchSzie: 10 }, known));
    expect(error.option).toBe('make({ batchSzie })');
    expect(error.message).toBe(
      'Invalid option "make({ batchSzie })": expected a known option (did you mean "batchSize"?), received 10.',
    );
  });

  it('says that none is taken when there are no known options', () => {
    expect(thrown(() => assertKnownOptions('make', { a: 1 }, [])).message).toBe(
      'Invalid option "make({ a })": expected no option, received 1.',
    );
  });

  it('names a key of a nested object by its path', () => {
    const error = thrown(() =>
      assertKnownOptions('make', { attemps: 3 }, ['attempts', 'delay'], 'retry.'),
    );
    expect(error.option).toBe('make({ retry.attemps })');
    expect(error.message).toContain('did you mean "retry.attempts"?');
  });

  it('refuses options it cannot read as the options, with what was thrown as the cause', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(thrown(() => assertKnownOptions('make', null, known)).option).toBe('make(options)');
    const error = thrown(() => assertKnownOptions('make', proxy, known));
    expect(error.option).toBe('make(options)');
    expect(error.cause).toBeInstanceOf(TypeError);
    const getter = Object.defineProperty({}, 'typo', {
      enumerable: true,
      get() {
        throw new Error('no');
      },
    });
    expect(thrown(() => assertKnownOptions('make', getter, known)).option).toBe('make(options)');
  });
});
