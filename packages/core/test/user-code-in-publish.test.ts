import { describe, expect, it, vi } from 'vitest';
import {
  type AnyEvent,
  BufferFullError,
  BusClosedError,
  createEventBus,
  type PublishOptions,
  type ShutdownReport,
} from '../src/index.js';

type M = { 'a.b': { n: number } };

/**
 * User code that runs inside publish, publishSync and receive before the event is queued:
 * filters, `publish` observers, onError for a filter that threw. Whatever it does, the event is
 * accounted for once, and nothing runs after the shutdown report.
 */
describe('user code that runs inside a publish', () => {
  it.each([
    ['a publish observer', 'observer'],
    ['a filter', 'filter'],
  ] as const)(
    'a shutdown started from %s waits for the event: delivered before the report',
    async (_, where) => {
      for (const how of ['publish', 'publishSync', 'receive'] as const) {
        const bus = createEventBus<M>();
        const handled: string[] = [];
        let shutdown: Promise<ShutdownReport> | undefined;
        const stop = () => {
          shutdown ??= bus.shutdown({ timeout: 1000 });
        };
        if (where === 'observer') bus.lifecycle.on('publish', stop);
        bus.subscribe(
          'a.b',
          () => {
            handled.push(how);
          },
          where === 'filter'
            ? {
                filter: () => {
                  stop();
                  return true;
                },
              }
            : {},
        );
        if (how === 'publish') await bus.publish('a.b', { n: 1 });
        else if (how === 'publishSync') await bus.publishSync('a.b', { n: 1 });
        else await bus.receive({ type: 'a.b', data: { n: 1 } });
        // An observer sees local publishes only: a received event starts no shutdown.
        const report = await (shutdown ?? bus.shutdown());
        expect(handled).toEqual([how]);
        expect(report).toMatchObject({ published: 1, delivered: 1, failed: 0, complete: true });
      }
    },
  );

  it('an observer publishes after the event it observes: handled after it, and refused, not the observed one, when that fills the buffer', async () => {
    const bus = createEventBus<M>({ bufferSize: 1, overflow: 'reject' });
    const handled: number[] = [];
    const refused: unknown[] = [];
    bus.subscribe('a.b', (event) => {
      handled.push(event.data.n);
    });
    bus.lifecycle.on('publish', (event) => {
      if ((event.data as { n: number }).n === 1)
        bus.publish('a.b', { n: 2 }).catch((error) => refused.push(error));
    });
    await bus.publish('a.b', { n: 1 });
    await bus.idle();
    expect(handled).toEqual([1]);
    expect(refused).toEqual([expect.any(BufferFullError)]);
    expect(bus.stats()).toMatchObject({ published: 1, delivered: 1 });

    const roomy = createEventBus<M>();
    const order: number[] = [];
    roomy.subscribe('a.b', (event) => {
      order.push(event.data.n);
    });
    roomy.lifecycle.on('publish', (event) => {
      if ((event.data as { n: number }).n === 1) void roomy.publish('a.b', { n: 2 });
    });
    await roomy.publish('a.b', { n: 1 });
    await roomy.idle();
    expect(order).toEqual([1, 2]);
  });

  it('onError publishing into a full buffer while a filter failure is reported takes no delivery away', async () => {
    const bus = createEventBus<M & { 'c.d': { n: number } }>({
      bufferSize: 1,
      overflow: 'reject',
      onError: () => {
        bus.publish('c.d', { n: 0 }).catch(() => {});
      },
    });
    bus.subscribe('a.b', () => {}, {
      filter: () => {
        throw new Error('bad filter');
      },
    });
    bus.subscribe('a.b', () => {});
    bus.subscribe('c.d', () => {});
    await bus.publish('a.b', { n: 1 });
    await bus.idle();
    expect(bus.stats().byType['a.b']).toMatchObject({ published: 1, delivered: 1, failed: 1 });
  });

  it('reads publish options once: a getter cannot pass the check and then give the bus another value', async () => {
    const bus = createEventBus<M & { 'c.d': { n: number } }>();
    const seen: AnyEvent[] = [];
    bus.subscribe('a.b', (event) => {
      seen.push(event);
    });
    let reads = 0;
    const options = {
      get id() {
        reads++;
        return reads === 1 ? 'checked-id' : { not: 'a string' };
      },
      get metadata() {
        if (reads > 1) throw new TypeError('read twice');
        return { k: 'v' };
      },
    } as unknown as PublishOptions;
    await bus.publish('a.b', { n: 1 }, options);
    let outcome: unknown;
    bus.subscribe('c.d', (_event, ctx) => {
      reads = 0;
      outcome = ctx.publish('a.b', { n: 2 }, options);
    });
    await bus.publish('c.d', { n: 0 });
    await bus.idle();
    await expect(outcome).resolves.toBeUndefined();
    expect(seen.map((event) => [event.id, event.metadata.k])).toEqual([
      ['checked-id', 'v'],
      ['checked-id', 'v'],
    ]);
  });

  it('refuses a publish whose option getter closes the bus, counting nothing', async () => {
    const bus = createEventBus<M>();
    const handler = vi.fn();
    bus.subscribe('a.b', handler);
    let shutdown: Promise<ShutdownReport> | undefined;
    const options = {
      get priority() {
        shutdown = bus.shutdown();
        return 'high' as const;
      },
    };
    await expect(bus.publish('a.b', { n: 1 }, options)).rejects.toThrow(BusClosedError);
    await expect(shutdown).resolves.toMatchObject({ published: 0, complete: true });
    expect(handler).not.toHaveBeenCalled();
  });
});
