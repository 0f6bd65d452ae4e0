import { describe, expect, it } from 'vitest';
import { deliverMessage, type Envelope, type Settler } from '../src/index.js';

const envelope: Envelope = {
  id: 'e1',
  type: 'order.placed',
  timestamp: 0,
  payload: new Uint8Array(0),
  headers: {},
};

/** A settler that records what it was asked to do. */
function recorder(overrides: Partial<Settler<string>> = {}) {
  const calls: string[] = [];
  const errors: unknown[] = [];
  const settler: Settler<string> = {
    ack: (raw) => void calls.push(`ack ${raw}`),
    nack: (raw, delayMs) => void calls.push(`nack ${raw} ${delayMs}`),
    term: (raw) => void calls.push(`term ${raw}`),
    onError: (error) => void errors.push(error),
    ...overrides,
  };
  return { calls, errors, settler };
}

describe('deliverMessage', () => {
  it('hands the envelope and attempt over and settles what onMessage settles', async () => {
    const { calls, settler } = recorder();
    await deliverMessage(
      async (message) => {
        expect(message.envelope).toBe(envelope);
        expect(message.attempt).toBe(3);
        await message.ack();
      },
      settler,
      'm1',
      envelope,
      3,
    );
    expect(calls).toEqual(['ack m1']);
  });

  it('works the attempt out on demand, once, when given a function', async () => {
    const { calls, settler } = recorder();
    let asked = 0;
    const attemptOf = () => {
      asked++;
      return 4;
    };
    await deliverMessage(
      async (message) => void (await message.ack()),
      settler,
      'm1',
      envelope,
      attemptOf,
    );
    expect(asked).toBe(0);
    await deliverMessage(
      async (message) => {
        expect([message.attempt, message.attempt]).toEqual([4, 4]);
        await message.nack();
      },
      settler,
      'm2',
      envelope,
      attemptOf,
    );
    expect(asked).toBe(1);
    expect(calls).toEqual(['ack m1', 'nack m2 0']);
  });

  it('reports an attempt function that throws, and counts the delivery as the first', async () => {
    const { calls, errors, settler } = recorder();
    const broken = new Error('no delivery count');
    await deliverMessage(
      async (message) => {
        expect([message.attempt, message.attempt]).toEqual([1, 1]);
        await message.nack(10);
      },
      settler,
      'm1',
      envelope,
      () => {
        throw broken;
      },
    );
    expect(errors).toEqual([broken]);
    expect(calls).toEqual(['nack m1 10']);
  });

  it('settles a message once: a second ack, nack or term is ignored', async () => {
    const { calls, settler } = recorder();
    await deliverMessage(
      async (message) => {
        await message.nack(250);
        await message.ack();
        await message.term();
      },
      settler,
      'm1',
      envelope,
      1,
    );
    expect(calls).toEqual(['nack m1 250']);
  });

  it('nacks a message left unsettled, and reports what onMessage threw', async () => {
    const { calls, errors, settler } = recorder();
    const failure = new Error('handler blew up');
    await deliverMessage(() => Promise.reject(failure), settler, 'm1', envelope, 1);
    await deliverMessage(async () => undefined, settler, 'm2', envelope, 1);
    expect(calls).toEqual(['nack m1 0', 'nack m2 0']);
    expect(errors).toEqual([failure]);
  });

  it('leaves an unsettled message to the settler, with the failure', async () => {
    const seen: unknown[] = [];
    const { calls, settler } = recorder({
      unsettled: (raw, failure) => void seen.push(raw, failure),
    });
    await deliverMessage(() => Promise.reject('nope'), settler, 'm1', envelope, 1);
    expect(seen).toEqual(['m1', 'nope']);
    expect(calls).toEqual([]);
  });

  it('rejects the settle call when the broker action throws, and never rejects itself', async () => {
    const { errors, settler } = recorder({
      ack: () => {
        throw new Error('connection closed');
      },
      nack: () => Promise.reject(new Error('still closed')),
    });
    let acked: unknown;
    await expect(
      deliverMessage(
        async (message) => {
          acked = await message.ack().catch((error: unknown) => error);
        },
        settler,
        'm1',
        envelope,
        1,
      ),
    ).resolves.toBeUndefined();
    expect(acked).toEqual(new Error('connection closed'));
    await deliverMessage(async () => undefined, settler, 'm2', envelope, 1);
    expect(errors).toEqual([new Error('still closed')]);
  });

  it('treats an onMessage that throws synchronously or returns no promise like one that rejects or resolves', async () => {
    const { calls, errors, settler } = recorder({
      // A settler that answers with something that is not a promise: still never a rejection.
      unsettled: (raw, failure) => {
        calls.push(`unsettled ${raw} ${String(failure)}`);
        return 42 as never;
      },
    });
    const boom = new Error('sync boom');
    await expect(
      deliverMessage(
        (() => {
          throw boom;
        }) as never,
        settler,
        'm1',
        envelope,
        1,
      ),
    ).resolves.toBeUndefined();
    await expect(
      deliverMessage((() => undefined) as never, settler, 'm2', envelope, 1),
    ).resolves.toBeUndefined();
    expect(calls).toEqual(['unsettled m1 Error: sync boom', 'unsettled m2 undefined']);
    expect(errors).toEqual([boom]);
  });
});
