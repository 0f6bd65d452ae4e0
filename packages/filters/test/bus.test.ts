import { BufferFullError, createEventBus, type Metadata } from '@gossip/core';
import { describe, expect, it } from 'vitest';
import { and, byMetadata, filtered, hasMetadata, not, or, where } from '../src/index.js';

type ShopEvents = {
  'order.created': { orderId: string; amount: number };
  'user.created': { email: string };
};

const order = (orderId: string, amount = 50) => ({ orderId, amount });
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('filters on a live bus', () => {
  it('counts high and low priority orders, as the seed does', async () => {
    const bus = createEventBus<ShopEvents>();
    let high = 0;
    let low = 0;
    bus.subscribe('order.created', () => void high++, { filter: byMetadata('priority', 'high') });
    bus.subscribe(
      'order.created',
      filtered(byMetadata('priority', 'low'), () => void low++),
    );
    const priorities = ['high', 'low', 'high', 'high', 'low', 'normal'];
    for (const [i, priority] of priorities.entries()) {
      await bus.publish('order.created', order(`o${i}`), { metadata: { priority } });
    }
    await bus.shutdown();
    expect({ high, low }).toEqual({ high: 3, low: 2 });
  });

  it('counts users by source: api 3, web 2, mobile 1', async () => {
    const bus = createEventBus<ShopEvents>();
    const counts: Record<string, number> = { api: 0, web: 0, mobile: 0 };
    for (const source of Object.keys(counts)) {
      bus.subscribe(
        'user.created',
        () => {
          counts[source] = (counts[source] ?? 0) + 1;
        },
        { filter: byMetadata('source', source) },
      );
    }
    let unknownSource = 0;
    bus.subscribe('user.created', () => void unknownSource++, {
      filter: not(or(...Object.keys(counts).map((source) => byMetadata('source', source)))),
    });
    const sources = ['api', 'web', 'api', 'mobile', 'web', 'api', 'batch'];
    for (const source of sources) {
      await bus.publish(
        'user.created',
        { email: `${source}@example.com` },
        { metadata: { source } },
      );
    }
    await bus.shutdown();
    expect(counts).toEqual({ api: 3, web: 2, mobile: 1 });
    expect(unknownSource).toBe(1);
  });

  it('selects VIP orders with the composite filter over six orders: high 4, api 4, vip 2', async () => {
    const bus = createEventBus<ShopEvents>();
    const vip = and(
      byMetadata('customer_type', 'vip'),
      or(byMetadata('priority', 'high'), byMetadata('amount_threshold', 'exceeded')),
    );
    const seen = { high: [] as string[], api: [] as string[], vip: [] as string[] };
    bus.subscribe('order.created', (e) => void seen.high.push(e.data.orderId), {
      filter: byMetadata('priority', 'high'),
    });
    bus.subscribe('order.created', (e) => void seen.api.push(e.data.orderId), {
      filter: byMetadata('source', 'api'),
    });
    bus.subscribe('order.created', (e) => void seen.vip.push(e.data.orderId), { filter: vip });
    const orders: Array<[string, Metadata]> = [
      ['o1', { priority: 'high', source: 'api', customer_type: 'vip' }],
      ['o2', { priority: 'high', source: 'api' }],
      ['o3', { priority: 'high', source: 'web', customer_type: 'regular' }],
      ['o4', { priority: 'high', source: 'api', customer_type: 'regular' }],
      [
        'o5',
        { priority: 'low', source: 'api', customer_type: 'vip', amount_threshold: 'exceeded' },
      ],
      [
        'o6',
        {
          priority: 'low',
          source: 'mobile',
          customer_type: 'regular',
          amount_threshold: 'exceeded',
        },
      ],
    ];
    for (const [id, metadata] of orders)
      await bus.publish('order.created', order(id), { metadata });
    await bus.shutdown();
    expect(seen.high).toEqual(['o1', 'o2', 'o3', 'o4']);
    expect(seen.api).toEqual(['o1', 'o2', 'o4', 'o5']);
    expect(seen.vip).toEqual(['o1', 'o5']);
  });

  it('filters on the typed payload with where, alone and combined', async () => {
    const bus = createEventBus<ShopEvents>();
    const big: string[] = [];
    const bigFromApi: string[] = [];
    bus.subscribe('order.created', (e) => void big.push(e.data.orderId), {
      filter: where((e) => e.data.amount > 100),
    });
    bus.subscribe('order.created', (e) => void bigFromApi.push(e.data.orderId), {
      filter: and(
        hasMetadata('source'),
        byMetadata('source', 'api'),
        where((e) => e.data.amount > 100),
      ),
    });
    await bus.publish('order.created', order('small', 20), { metadata: { source: 'api' } });
    await bus.publish('order.created', order('big-web', 500), { metadata: { source: 'web' } });
    await bus.publish('order.created', order('big-api', 101), { metadata: { source: 'api' } });
    await bus.shutdown();
    expect(big).toEqual(['big-web', 'big-api']);
    expect(bigFromApi).toEqual(['big-api']);
  });

  it('reports a filter that throws as that subscription failing, and skips the event', async () => {
    const failures: unknown[] = [];
    const bus = createEventBus<ShopEvents>({ onError: (error) => failures.push(error.cause) });
    let called = 0;
    bus.subscribe('order.created', () => void called++, {
      filter: where(() => {
        throw new Error('broken filter');
      }),
    });
    await bus.publish('order.created', order('o1'));
    await bus.shutdown();
    expect(called).toBe(0);
    expect(failures).toEqual([new Error('broken filter')]);
  });

  it('costs no worker and no buffer slot for an event the filter option refuses', async () => {
    const bus = createEventBus<ShopEvents>({ workers: 1, bufferSize: 1, overflow: 'reject' });
    let release = () => {};
    const blocked = new Promise<void>((resolve) => {
      release = resolve;
    });
    const handled: string[] = [];
    bus.subscribe(
      'order.created',
      async (e) => {
        handled.push(e.data.orderId);
        await blocked;
      },
      { filter: byMetadata('priority', 'high') },
    );
    const high = { metadata: { priority: 'high' } };
    const low = { metadata: { priority: 'low' } };
    await bus.publish('order.created', order('h1'), high);
    await tick(); // h1 now holds the only worker
    await bus.publish('order.created', order('h2'), high); // h2 fills the only buffer slot
    expect(bus.stats()).toMatchObject({ inFlight: 1, queued: 1 });

    for (let i = 0; i < 10; i++) await bus.publish('order.created', order(`l${i}`), low);
    expect(bus.stats()).toMatchObject({ inFlight: 1, queued: 1, dropped: 0 });

    // The buffer really is full: one more accepted event overflows.
    await expect(bus.publish('order.created', order('h3'), high)).rejects.toBeInstanceOf(
      BufferFullError,
    );
    release();
    const report = await bus.shutdown();
    expect(handled).toEqual(['h1', 'h2']);
    expect(report.delivered).toBe(2);
  });

  it('whereas filtered() runs inside the handler, so its refused events do take buffer slots', async () => {
    const bus = createEventBus<ShopEvents>({ workers: 1, bufferSize: 1, overflow: 'reject' });
    let release = () => {};
    const blocked = new Promise<void>((resolve) => {
      release = resolve;
    });
    bus.subscribe(
      'order.created',
      filtered(byMetadata('priority', 'high'), async () => {
        await blocked;
      }),
    );
    await bus.publish('order.created', order('h1'), { metadata: { priority: 'high' } });
    await tick();
    await bus.publish('order.created', order('l1'), { metadata: { priority: 'low' } });
    await expect(
      bus.publish('order.created', order('l2'), { metadata: { priority: 'low' } }),
    ).rejects.toBeInstanceOf(BufferFullError);
    release();
    await bus.shutdown();
  });
});
