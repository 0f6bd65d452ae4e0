import type { StandardSchemaV1 } from '@standard-schema/spec';
import { describe, expect, it, vi } from 'vitest';
import {
  type AnyEvent,
  AsyncSchemaError,
  createEventBus,
  HandlerError,
  InvalidOptionError,
  SchemaRegistry,
  ValidationError,
} from '../src/index.js';
import { events } from './fixtures.js';

/** A Proxy that has been revoked: every operation on it throws a TypeError. */
function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

/** A Proxy whose every trap throws. */
function trappedProxy(): object {
  const fail = (): never => {
    throw new Error('trapped');
  };
  return new Proxy(
    {},
    {
      get: fail,
      has: fail,
      ownKeys: fail,
      getPrototypeOf: fail,
      getOwnPropertyDescriptor: fail,
      set: fail,
      apply: fail,
      defineProperty: fail,
      deleteProperty: fail,
      isExtensible: fail,
      preventExtensions: fail,
      setPrototypeOf: fail,
    },
  );
}

/** Values that are hard to describe, by name. */
function hostileCauses(): Array<[string, unknown]> {
  const messageThrows = new Error('hidden');
  Object.defineProperty(messageThrows, 'message', {
    get: () => {
      throw new Error('no message for you');
    },
  });
  const prototypeThrows = new Proxy(
    {},
    {
      getPrototypeOf: () => {
        throw new Error('no prototype for you');
      },
    },
  );
  const toStringThrows = {
    toString: () => {
      throw new Error('no string for you');
    },
    [Symbol.toPrimitive]: () => {
      throw new Error('no primitive for you');
    },
  };
  return [
    ['a revoked Proxy', revokedProxy()],
    ['a Proxy whose getPrototypeOf trap throws', prototypeThrows],
    ['a Proxy whose every trap throws', trappedProxy()],
    ['an Error whose message getter throws', messageThrows],
    ['an object whose toString and Symbol.toPrimitive throw', toStringThrows],
    ['a Symbol', Symbol('boom')],
    ['null', null],
    ['undefined', undefined],
    ['a BigInt', 10n],
  ];
}

const event: AnyEvent = Object.freeze({
  id: 'e1',
  type: 'user.deleted',
  timestamp: 0,
  data: undefined,
  metadata: Object.freeze({}),
});

describe('errors built from hostile values', () => {
  it.each(hostileCauses())(
    'builds a HandlerError for %s, keeping the raw value as cause',
    (_, cause) => {
      const error = new HandlerError(event, 'sub', cause);
      expect(error).toBeInstanceOf(HandlerError);
      expect(error.message).toMatch(/^Handler "sub" failed on event "user\.deleted" \(e1\): ./);
      expect(error.cause).toBe(cause);
    },
  );

  it.each(hostileCauses())('builds an InvalidOptionError for %s', (_, received) => {
    const error = new InvalidOptionError('workers', 'an integer', received);
    expect(error.message).toMatch(/^Invalid option "workers": expected an integer, received ./);
  });

  it('says that a revoked Proxy cannot be described', () => {
    const error = new HandlerError(event, 'sub', revokedProxy());
    expect(error.message).toContain('threw a value that cannot be described (a revoked Proxy?)');
  });

  it('says that an Error has no readable message', () => {
    const [, cause] = hostileCauses()[3] ?? [];
    expect(new HandlerError(event, 'sub', cause).message).toContain(
      'threw an Error whose message cannot be read',
    );
  });

  it('names a Symbol, a BigInt, null and undefined as they are written', () => {
    const reasons = [Symbol('boom'), 10n, null, undefined].map((cause) =>
      new HandlerError(event, 'sub', cause).message.split(': ').at(-1),
    );
    expect(reasons).toEqual(['Symbol(boom)', '10n', 'null', 'undefined']);
  });
});

/** Payloads a validator cannot read, by name. */
function hostilePayloads(): Array<[string, () => unknown]> {
  return [
    [
      'a payload with a throwing getter',
      () => ({
        userId: 'u1',
        get email(): string {
          throw new Error('getter says no');
        },
      }),
    ],
    ['a Proxy whose every trap throws', trappedProxy],
    ['a revoked Proxy', revokedProxy],
  ];
}

/** Checks that an error is the ValidationError of an unreadable 'user.created' payload. */
function expectUnreadable(error: unknown): void {
  expect(error).toBeInstanceOf(ValidationError);
  const validation = error as ValidationError;
  expect(validation.eventType).toBe('user.created');
  expect(validation.issues).toHaveLength(1);
  expect(validation.issues[0]?.path).toEqual([]);
  expect(validation.issues[0]?.message).toMatch(/^the payload could not be read: ./);
  expect(validation.cause).toBeDefined();
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('resolved'),
    (error: unknown) => error,
  );
}

describe('payloads a validator cannot read', () => {
  it.each(hostilePayloads())('refuses %s at publish with a ValidationError', async (_, payload) => {
    const bus = createEventBus({ schemas: events });
    const handler = vi.fn();
    bus.subscribe('user.created', handler);
    expectUnreadable(await rejection(bus.publish('user.created', payload() as never)));
    expect(bus.stats().published).toBe(0);
    expect(handler).not.toHaveBeenCalled();
  });

  it.each(hostilePayloads())(
    'refuses %s at publishSync with a ValidationError',
    async (_, payload) => {
      const bus = createEventBus({ schemas: events });
      const handler = vi.fn();
      bus.subscribe('user.created', handler);
      expectUnreadable(await rejection(bus.publishSync('user.created', payload() as never)));
      expect(bus.stats().published).toBe(0);
      expect(handler).not.toHaveBeenCalled();
    },
  );

  it.each(hostilePayloads())('refuses %s at receive with a ValidationError', async (_, payload) => {
    const bus = createEventBus({ schemas: events });
    const handler = vi.fn();
    bus.subscribe('user.created', handler);
    expectUnreadable(await rejection(bus.receive({ type: 'user.created', data: payload() })));
    expect(bus.stats().published).toBe(0);
    expect(handler).not.toHaveBeenCalled();
  });

  it('keeps what the validator threw as the cause', async () => {
    const bus = createEventBus({ schemas: events });
    const error = await rejection(bus.publish('user.created', revokedProxy() as never));
    expect((error as ValidationError).cause).toBeInstanceOf(TypeError);
  });

  it.each(hostilePayloads())(
    'gives registry.validate a failed result for %s',
    async (_, payload) => {
      const result = await SchemaRegistry.from(events).validate('user.created', payload());
      expect(result.success).toBe(false);
      if (!result.success) expectUnreadable(result.error);
    },
  );

  it('gives registry.validateSync a failed result when the validator throws', () => {
    const throwing: StandardSchemaV1 = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: () => {
          throw new Error('the validator gave up');
        },
      },
    };
    const result = new SchemaRegistry({ 'user.created': throwing }).validateSync(
      'user.created',
      {},
    );
    expect(result.success).toBe(false);
    if (!result.success) expectUnreadable(result.error);
  });

  it('leaves no unhandled rejection when validateSync meets zod answering asynchronously', async () => {
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      expect(() =>
        SchemaRegistry.from(events).validateSync('user.created', revokedProxy()),
      ).toThrow(AsyncSchemaError);
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it('turns a validator that rejects into a ValidationError', async () => {
    const rejecting: StandardSchemaV1 = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: () => Promise.reject(new Error('the validator gave up')),
      },
    };
    const bus = createEventBus({ schemas: { 'user.created': rejecting } });
    expectUnreadable(await rejection(bus.publish('user.created', {})));
    const result = await new SchemaRegistry({ 'user.created': rejecting }).validate(
      'user.created',
      {},
    );
    expect(result.success).toBe(false);
    if (!result.success) expectUnreadable(result.error);
    expect(bus.stats().published).toBe(0);
  });
});
