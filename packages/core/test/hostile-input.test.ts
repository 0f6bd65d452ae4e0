import { describe, expect, it } from 'vitest';
import { type AnyEvent, HandlerError, InvalidOptionError } from '../src/index.js';

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
