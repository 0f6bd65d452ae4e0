import type { StandardSchemaV1 } from '@standard-schema/spec';
import { describe, expect, it, vi } from 'vitest';
import {
  type AnyEvent,
  AsyncSchemaError,
  BusClosedError,
  createEventBus,
  HandlerError,
  type IncomingEvent,
  InvalidOptionError,
  MetadataKey,
  SchemaRegistry,
  UnknownEventError,
  ValidationError,
} from '../src/index.js';
import { type AppEvents, catchUnhandled, events, settle } from './fixtures.js';

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

describe('handlers that throw hostile values', () => {
  it.each(hostileCauses())(
    'reports a handler throwing %s as a HandlerError at publish',
    async (_, cause) => {
      const reported: unknown[] = [];
      const bus = createEventBus<AppEvents>({ onError: (error) => reported.push(error) });
      bus.subscribe('user.deleted', () => {
        throw cause;
      });
      await bus.publish('user.deleted', { userId: 'u1' });
      await settle();
      expect(reported).toHaveLength(1);
      expect(reported[0]).toBeInstanceOf(HandlerError);
      expect((reported[0] as HandlerError).cause).toBe(cause);
      expect(bus.stats()).toMatchObject({ published: 1, failed: 1, queued: 0 });
    },
  );

  it.each(hostileCauses())(
    'resolves publishSync and receive with the HandlerError of %s',
    async (_, cause) => {
      // receive's failure is also reported: onError keeps it off the console.
      const bus = createEventBus<AppEvents>({ onError: () => {} });
      bus.subscribe('user.deleted', () => {
        throw cause;
      });
      const errors = await bus.publishSync('user.deleted', { userId: 'u1' });
      const received = await bus.receive({ type: 'user.deleted', data: { userId: 'u1' } });
      for (const error of [...errors, ...received.errors]) {
        expect(error).toBeInstanceOf(HandlerError);
        expect(error.cause).toBe(cause);
      }
      expect(errors.length + received.errors.length).toBe(2);
      expect(bus.stats()).toMatchObject({ published: 2, failed: 2 });
    },
  );
});

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
    const unhandled = catchUnhandled('unhandledRejection');
    try {
      expect(() =>
        SchemaRegistry.from(events).validateSync('user.created', revokedProxy()),
      ).toThrow(AsyncSchemaError);
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(unhandled.caught).toEqual([]);
    } finally {
      unhandled.stop();
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

describe('publish options of the wrong kind', () => {
  const badIds: Array<[string, unknown]> = [
    ['a number', 42],
    ['an empty string', ''],
    ['an object', {}],
  ];

  it.each(badIds)('refuses an id that is %s at publish, counting nothing', async (_, id) => {
    const bus = createEventBus<AppEvents>();
    const handler = vi.fn();
    bus.subscribe('user.deleted', handler);
    const error = await rejection(bus.publish('user.deleted', { userId: 'u1' }, { id } as never));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as InvalidOptionError).option).toBe('publish({ id })');
    expect((error as InvalidOptionError).message).toContain('expected a non-empty string');
    await settle();
    expect(bus.stats().published).toBe(0);
    expect(handler).not.toHaveBeenCalled();
  });

  it.each(badIds)('refuses an id that is %s at publishSync, counting nothing', async (_, id) => {
    const bus = createEventBus({ schemas: events });
    const handler = vi.fn();
    bus.subscribe('user.deleted', handler);
    const error = await rejection(
      bus.publishSync('user.deleted', { userId: 'u1' }, { id } as never),
    );
    expect((error as InvalidOptionError).option).toBe('publishSync({ id })');
    expect(bus.stats().published).toBe(0);
    expect(handler).not.toHaveBeenCalled();
  });

  it('refuses a bad id given to ctx.publish, so no event carries it as causationId', async () => {
    const bus = createEventBus<AppEvents>();
    const seen = vi.fn();
    const outcome = new Promise<unknown>((resolve) => {
      bus.subscribe('user.deleted', (_event, ctx) =>
        ctx
          .publish('user.created', { userId: 'u1', email: 'a@b.c' }, { id: 42 } as never)
          .then(resolve, resolve),
      );
    });
    bus.subscribe('user.created', seen);
    await bus.publish('user.deleted', { userId: 'u1' });
    expect((await outcome) as InvalidOptionError).toBeInstanceOf(InvalidOptionError);
    await settle();
    expect(bus.stats().byType['user.created']?.published ?? 0).toBe(0);
    expect(seen).not.toHaveBeenCalled();
  });

  it.each([
    ['options that are a number', 5],
    ['metadata that is a string', { metadata: 'abc' }],
    ['metadata that is null', { metadata: null }],
    ['an id that is a number', { id: 42 }],
  ])('refuses %s at ctx.publish, as publish does', async (_, options) => {
    const bus = createEventBus<AppEvents>();
    const seen = vi.fn();
    bus.subscribe('user.created', seen);
    const outcome = new Promise<unknown>((resolve) => {
      bus.subscribe('user.deleted', (_event, ctx) =>
        ctx
          .publish('user.created', { userId: 'u1', email: 'a@b.c' }, options as never)
          .then(resolve, resolve),
      );
    });
    await bus.publish('user.deleted', { userId: 'u1' });
    expect(await outcome).toBeInstanceOf(InvalidOptionError);
    await settle();
    expect(bus.stats().byType['user.created']).toBeUndefined();
    expect(seen).not.toHaveBeenCalled();
  });

  it.each([
    ['a number', 5],
    ['a string', 'high'],
    ['null', null],
  ])('refuses options that are %s at publish and publishSync', async (_, options) => {
    const bus = createEventBus({ schemas: events });
    for (const [fn, call] of [
      ['publish', bus.publish],
      ['publishSync', bus.publishSync],
    ] as const) {
      const error = await rejection(call('user.deleted', { userId: 'u1' }, options as never));
      expect((error as InvalidOptionError).option).toBe(`${fn}(options)`);
    }
    expect(bus.stats().published).toBe(0);
  });

  it('refuses an unknown priority at publishSync as publish does', async () => {
    const bus = createEventBus({ schemas: events });
    for (const [fn, call] of [
      ['publish', bus.publish],
      ['publishSync', bus.publishSync],
    ] as const) {
      const error = await rejection(
        call('user.deleted', { userId: 'u1' }, { priority: 'urgent' } as never),
      );
      expect((error as InvalidOptionError).option).toBe(`${fn}({ priority })`);
    }
    expect(bus.stats().published).toBe(0);
  });

  it('refuses a priority that only looks like a number, and a received timestamp likewise', async () => {
    const bus = createEventBus({ schemas: events });
    for (const priority of ['5', Number.NaN, Number.POSITIVE_INFINITY]) {
      const error = await rejection(
        bus.publish('user.deleted', { userId: 'u1' }, { priority } as never),
      );
      expect((error as InvalidOptionError).option).toBe('publish({ priority })');
    }
    const handler = vi.fn();
    bus.subscribe('user.deleted', handler);
    for (const timestamp of ['1234', Number.NaN, Number.NEGATIVE_INFINITY, 12n]) {
      const error = await rejection(
        bus.receive({ type: 'user.deleted', data: { userId: 'u1' }, timestamp } as never),
      );
      expect((error as InvalidOptionError).option).toBe('receive({ timestamp })');
    }
    await settle();
    expect(handler).not.toHaveBeenCalled();
    expect(bus.stats().published).toBe(0);
  });

  it('refuses options whose fields cannot be read', async () => {
    const bus = createEventBus({ schemas: events });
    const error = await rejection(
      bus.publish('user.deleted', { userId: 'u1' }, revokedProxy() as never),
    );
    expect((error as InvalidOptionError).option).toBe('publish(options)');
    expect((error as InvalidOptionError).cause).toBeInstanceOf(TypeError);
  });
});

describe('a received message read once', () => {
  /** A message whose every field is a getter counting its reads. */
  function countedMessage(metadata: () => unknown = () => ({ source: 'nats' })) {
    const reads = { type: 0, data: 0, id: 0, timestamp: 0, metadata: 0 };
    const message = {
      get type() {
        reads.type++;
        return 'user.deleted';
      },
      get data() {
        reads.data++;
        return { userId: 'u1' };
      },
      get id() {
        reads.id++;
        return 'remote-1';
      },
      get timestamp() {
        reads.timestamp++;
        return 1234;
      },
      get metadata() {
        reads.metadata++;
        return metadata();
      },
    };
    // The metadata getter may return anything: that is what is being tested.
    return { message: message as IncomingEvent, reads };
  }

  it('reads each field of the message exactly once', async () => {
    const bus = createEventBus({ schemas: events });
    const { message, reads } = countedMessage();
    const { event } = await bus.receive(message);
    expect(reads).toEqual({ type: 1, data: 1, id: 1, timestamp: 1, metadata: 1 });
    expect(event).toMatchObject({ id: 'remote-1', timestamp: 1234, data: { userId: 'u1' } });
    expect(event.metadata.source).toBe('nats');
  });

  it('refuses metadata that is a string when first read, even if it is an object afterwards', async () => {
    const bus = createEventBus({ schemas: events });
    const handler = vi.fn();
    bus.subscribe('user.deleted', handler);
    let read = 0;
    const { message } = countedMessage(() => (read++ === 0 ? 'not an object' : { ok: 'yes' }));
    const error = await rejection(bus.receive(message));
    expect((error as InvalidOptionError).option).toBe('receive({ metadata })');
    expect(bus.stats().published).toBe(0);
    expect(handler).not.toHaveBeenCalled();
  });

  it('keeps the metadata as it was read, whatever the message does afterwards', async () => {
    const bus = createEventBus({ schemas: events });
    const metadata: Record<string, string> = { source: 'nats' };
    const seen = new Promise<AnyEvent>((resolve) => {
      bus.subscribe('user.deleted', (event) => resolve(event));
    });
    const received = bus.receive({ type: 'user.deleted', data: { userId: 'u1' }, metadata });
    metadata.source = 'changed';
    await received;
    expect((await seen).metadata.source).toBe('nats');
  });

  it('refuses a message whose fields cannot be read with an InvalidOptionError', async () => {
    const bus = createEventBus({ schemas: events });
    const unreadable = {
      get type(): string {
        throw new Error('no type for you');
      },
    };
    for (const message of [unreadable, revokedProxy()]) {
      const error = await rejection(bus.receive(message as never));
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect((error as InvalidOptionError).option).toBe('receive(message)');
      expect((error as InvalidOptionError).cause).toBeDefined();
    }
  });
});

describe('metadata keys', () => {
  /** Metadata with an own "__proto__" key (as JSON.parse makes it) and a Symbol key. */
  function trickyMetadata(): Record<string, string> {
    const metadata = JSON.parse('{"requestId":"r1","__proto__":"p","constructor":"c"}') as Record<
      string,
      string
    >;
    Object.defineProperty(metadata, Symbol('secret'), { value: 's', enumerable: true });
    return metadata;
  }

  /** The metadata's own keys and values, gossip's own keys left out. */
  function userPart(metadata: object): Array<[string, unknown]> {
    const gossipKeys: string[] = Object.values(MetadataKey);
    return Reflect.ownKeys(metadata)
      .filter((key) => !gossipKeys.includes(key as string))
      .map((key) => [String(key), Object.getOwnPropertyDescriptor(metadata, key)?.value]);
  }

  const expected = [
    ['requestId', 'r1'],
    ['__proto__', 'p'],
    ['constructor', 'c'],
  ];

  it('keeps own string keys, "__proto__" included, and drops Symbol keys at publish', async () => {
    const bus = createEventBus<AppEvents>();
    const seen = bus.once('user.deleted');
    await bus.publish('user.deleted', { userId: 'u1' }, { metadata: trickyMetadata() });
    const { metadata } = await seen;
    expect(userPart(metadata)).toEqual(expected);
    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
    expect(Object.isFrozen(metadata)).toBe(true);
  });

  it('gives the same metadata at publish, ctx.publish and receive', async () => {
    const bus = createEventBus({ schemas: events });
    const published = bus.once('user.deleted');
    await bus.publish('user.deleted', { userId: 'u1' }, { metadata: trickyMetadata() });
    const caused = bus.once('order.paid');
    bus.subscribe('order.placed', (_event, ctx) =>
      ctx.publish('order.paid', { orderId: 'o1', amount: 1 }, { metadata: trickyMetadata() }),
    );
    await bus.publish('order.placed', { orderId: 'o1', amount: 1 });
    const { event: received } = await bus.receive({
      type: 'user.deleted',
      data: { userId: 'u1' },
      metadata: trickyMetadata(),
    });
    for (const event of [await published, await caused, received]) {
      expect(userPart(event.metadata)).toEqual(expected);
    }
    expect(received.metadata[MetadataKey.Origin]).toBe('remote');
    expect((await caused).metadata[MetadataKey.CausationId]).toBeDefined();
  });

  it('keeps "__proto__" as a plain key when a handler spreads the metadata into a new event', async () => {
    const bus = createEventBus<AppEvents>();
    const second = bus.once('user.created');
    bus.subscribe('user.deleted', (event, ctx) =>
      ctx.publish(
        'user.created',
        { userId: 'u1', email: 'a@b.c' },
        { metadata: { ...event.metadata } },
      ),
    );
    await bus.publish('user.deleted', { userId: 'u1' }, { metadata: trickyMetadata() });
    expect(userPart((await second).metadata)).toEqual(expected);
  });

  it('copies only own enumerable keys, reading each value once', async () => {
    const bus = createEventBus<AppEvents>();
    const reads: string[] = [];
    const metadata = Object.create({ inherited: 'no' }) as Record<string, string>;
    Object.defineProperty(metadata, 'hidden', { value: 'no', enumerable: false });
    for (const key of ['a', 'b']) {
      Object.defineProperty(metadata, key, {
        enumerable: true,
        get: () => {
          reads.push(key);
          return `${key}-value`;
        },
      });
    }
    const seen = bus.once('user.deleted');
    await bus.publish('user.deleted', { userId: 'u1' }, { metadata });
    expect(userPart((await seen).metadata)).toEqual([
      ['a', 'a-value'],
      ['b', 'b-value'],
    ]);
    expect(reads).toEqual(['a', 'b']);
  });

  it('refuses metadata that cannot be read with an InvalidOptionError', async () => {
    const bus = createEventBus<AppEvents>();
    const error = await rejection(
      bus.publish('user.deleted', { userId: 'u1' }, { metadata: revokedProxy() as never }),
    );
    expect((error as InvalidOptionError).option).toBe('publish({ metadata })');
    expect((error as InvalidOptionError).cause).toBeInstanceOf(TypeError);
  });
});

describe('event types and patterns that are not strings', () => {
  /** Calls a promise-returning method, failing the test on a synchronous throw. */
  async function refusal(call: () => Promise<unknown>): Promise<unknown> {
    let promise: Promise<unknown> | undefined;
    expect(() => {
      promise = call();
    }).not.toThrow();
    return rejection(promise ?? Promise.resolve());
  }

  /** A bus method called with arguments its types refuse. */
  const loose = (method: unknown) => method as (...args: unknown[]) => Promise<unknown>;

  const names: Array<[string, unknown]> = [
    ['undefined', undefined],
    ['a Symbol', Symbol('s')],
    ['a revoked Proxy', revokedProxy()],
  ];

  it.each(names)(
    'refuses %s as an event type at publish with an InvalidOptionError',
    async (_, type) => {
      const bus = createEventBus();
      const error = await refusal(() => loose(bus.publish)(type));
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect((error as InvalidOptionError).option).toBe('publish(type)');
      expect(bus.stats().published).toBe(0);
    },
  );

  it.each(names)(
    'refuses %s as an event type at publishSync with an InvalidOptionError',
    async (_, type) => {
      const bus = createEventBus();
      const error = await refusal(() => loose(bus.publishSync)(type));
      expect((error as InvalidOptionError).option).toBe('publishSync(type)');
    },
  );

  it.each(names)(
    'refuses %s as an event type on a bus with schemas with an UnknownEventError',
    async (_, type) => {
      const bus = createEventBus({ schemas: events });
      for (const call of [bus.publish, bus.publishSync]) {
        const error = await refusal(() => loose(call)(type, {}));
        expect(error).toBeInstanceOf(UnknownEventError);
      }
    },
  );

  it('names a Symbol event type readably', async () => {
    const bus = createEventBus({ schemas: events });
    const error = await refusal(() => loose(bus.publish)(Symbol('s'), {}));
    expect((error as UnknownEventError).message).toContain('Unknown event "Symbol(s)"');
  });

  it.each(names)('refuses %s as the type of a received message', async (_, type) => {
    for (const bus of [createEventBus(), createEventBus({ schemas: events })]) {
      const error = await refusal(() => bus.receive({ type } as never));
      expect((error as InvalidOptionError).option).toBe('receive({ type })');
    }
  });

  it.each(names)('rejects once(%s) with an InvalidOptionError', async (_, pattern) => {
    const bus = createEventBus();
    const error = await refusal(() => bus.once(pattern as never));
    expect((error as InvalidOptionError).option).toBe('once(pattern)');
  });

  it.each(names)(
    'throws an InvalidOptionError at subscribe(%s), as for any bad pattern',
    (_, pattern) => {
      const bus = createEventBus();
      expect(() => bus.subscribe(pattern as never, () => {})).toThrow(InvalidOptionError);
    },
  );

  it.each(names)('refuses %s with a BusClosedError once the bus is shut down', async (_, type) => {
    const bus = createEventBus({ schemas: events });
    await bus.shutdown();
    for (const call of [
      () => loose(bus.publish)(type, {}),
      () => loose(bus.publishSync)(type, {}),
      () => bus.receive({ type } as never),
      () => bus.receive(type as never),
    ]) {
      expect(await refusal(call)).toBeInstanceOf(BusClosedError);
    }
  });
});

describe('event types named like Object.prototype members', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    'counts "%s" under its own key of stats().byType',
    async (type) => {
      const bus = createEventBus();
      const handler = vi.fn();
      bus.subscribe(type, handler);
      await bus.publish(type, { n: 1 });
      await bus.publishSync(type, { n: 2 });
      await bus.receive({ type, data: { n: 3 } });
      await settle();
      expect(handler).toHaveBeenCalledTimes(3);
      const { byType, published, delivered } = bus.stats();
      expect(Object.hasOwn(byType, type)).toBe(true);
      expect(Object.getOwnPropertyDescriptor(byType, type)?.value).toEqual({
        published: 3,
        delivered: 3,
        failed: 0,
        dropped: 0,
      });
      expect(Object.keys(byType)).toEqual([type]);
      expect({ published, delivered }).toEqual({ published: 3, delivered: 3 });
      expect(byType.published).toBeUndefined();
    },
  );

  it('has no inherited keys in stats().byType', () => {
    const { byType } = createEventBus().stats();
    for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(byType[key]).toBeUndefined();
    }
  });

  it('keeps a __proto__ event apart from the others', async () => {
    const bus = createEventBus();
    await bus.publish('user.created', {});
    await bus.publish('__proto__', {});
    const { byType } = bus.stats();
    expect(Object.keys(byType).sort()).toEqual(['__proto__', 'user.created']);
    expect(byType['user.created']?.published).toBe(1);
  });
});

describe('subscribe and publishSync options that fight back', () => {
  const revoked = (): unknown => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  };

  it('refuses a revoked Proxy as a signal with an InvalidOptionError, at subscribe and publishSync', async () => {
    const bus = createEventBus<AppEvents>();
    expect(() =>
      bus.subscribe('user.deleted', vi.fn(), { signal: revoked() as AbortSignal }),
    ).toThrow(InvalidOptionError);
    await expect(
      bus.publishSync('user.deleted', { userId: 'u1' }, { signal: revoked() as AbortSignal }),
    ).rejects.toBeInstanceOf(InvalidOptionError);
  });

  it('refuses subscribe options that cannot be read', () => {
    const bus = createEventBus<AppEvents>();
    expect(() => bus.subscribe('user.deleted', vi.fn(), revoked() as object)).toThrow(
      InvalidOptionError,
    );
  });

  it('reads each subscribe option once: a getter cannot pass the check and then change', async () => {
    const bus = createEventBus<AppEvents>();
    let reads = 0;
    const options = {
      get name() {
        reads++;
        return reads === 1 ? 'audit' : (42 as unknown as string);
      },
    };
    const errors: string[] = [];
    bus.lifecycle.on('error', (error) => void errors.push((error as HandlerError).subscription));
    bus.subscribe(
      'user.deleted',
      () => {
        throw new Error('no');
      },
      options,
    );
    await bus.publish('user.deleted', { userId: 'u1' });
    await settle();
    expect(reads).toBe(1);
    expect(errors).toEqual(['audit']);
  });
});
