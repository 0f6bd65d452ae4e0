import { createEventBus, defineEvents, InvalidOptionError } from '@gossip/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NotPublishedError, recordBus, settled } from '../src/index.js';

const events = defineEvents({
  'order.placed': z.object({
    orderId: z.string(),
    customer: z.object({ id: z.string(), tier: z.enum(['gold', 'basic']) }),
    items: z.array(z.object({ sku: z.string(), quantity: z.number() })),
  }),
  'order.shipped': z.object({ orderId: z.string() }),
  'payment.failed': z.object({ orderId: z.string(), reason: z.string() }),
});

function makeBus() {
  const bus = createEventBus({ schemas: events });
  bus.subscribe('order.placed', (event, ctx) =>
    ctx.publish('order.shipped', { orderId: event.data.orderId }),
  );
  return bus;
}

const placed = (orderId: string, tier: 'gold' | 'basic' = 'basic') => ({
  orderId,
  customer: { id: 'c1', tier },
  items: [{ sku: 'KB-1', quantity: 1 }],
});

describe('recordBus', () => {
  it('records what was published, events published by handlers included, in order', async () => {
    const bus = makeBus();
    const recorder = recordBus(bus);
    await bus.publish('order.placed', placed('o1'));
    await settled(bus);
    expect(recorder.events.map((event) => event.type)).toEqual(['order.placed', 'order.shipped']);
    const [shipped] = recorder.ofType('order.shipped');
    expect(shipped?.data).toEqual({ orderId: 'o1' });
    expect(shipped?.metadata.causationId).toBe(recorder.ofType('order.placed')[0]?.id);
    await bus.shutdown();
  });

  it('records publishSync too', async () => {
    const bus = makeBus();
    const recorder = recordBus(bus);
    await bus.publishSync('payment.failed', { orderId: 'o1', reason: 'declined' });
    expect(recorder.ofType('payment.failed')).toHaveLength(1);
    await bus.shutdown();
  });

  it('expectPublished returns the first event matching a deep partial of the payload', async () => {
    const bus = makeBus();
    const recorder = recordBus(bus);
    await bus.publish('order.placed', placed('o1'));
    await bus.publish('order.placed', placed('o2', 'gold'));
    const found = recorder.expectPublished('order.placed', { customer: { tier: 'gold' } });
    expect(found.data.orderId).toBe('o2');
    expect(recorder.expectPublished('order.placed').data.orderId).toBe('o1');
    expect(
      recorder.expectPublished('order.placed', { items: [{ sku: 'KB-1' }] }).data.orderId,
    ).toBe('o1');
    await bus.shutdown();
  });

  it('throws a NotPublishedError listing what was published when nothing matches', async () => {
    const bus = makeBus();
    const recorder = recordBus(bus);
    await bus.publish('order.placed', placed('o1'));
    await settled(bus);
    const check = () => recorder.expectPublished('order.shipped', { orderId: 'o9' });
    expect(check).toThrow(NotPublishedError);
    expect(check).toThrow(
      [
        'Expected "order.shipped" with data matching {"orderId":"o9"} to have been published, but none of the 1 "order.shipped" matched. Published (2):',
        '  1. order.placed {"orderId":"o1","customer":{"id":"c1","tier":"basic"},"items":[{"sku":"KB-1","quantity":1}]}',
        '  2. order.shipped {"orderId":"o1"}',
      ].join('\n'),
    );
    expect(() => recorder.expectPublished('payment.failed')).toThrow(
      /Expected "payment.failed" to have been published, but no "payment.failed" was\. Published \(2\):/,
    );
    await bus.shutdown();
  });

  it('says so when nothing at all was published', () => {
    const recorder = recordBus(makeBus());
    expect(() => recorder.expectPublished('order.shipped')).toThrow(
      'Expected "order.shipped" to have been published, but nothing was published.',
    );
  });

  it('does not match an array of another length', async () => {
    const bus = makeBus();
    const recorder = recordBus(bus);
    await bus.publish('order.placed', placed('o1'));
    expect(() => recorder.expectPublished('order.placed', { items: [] })).toThrow(
      NotPublishedError,
    );
    await bus.shutdown();
  });

  it('clear forgets, and stop stops recording but keeps what was recorded', async () => {
    const bus = makeBus();
    const recorder = recordBus(bus);
    await bus.publish('payment.failed', { orderId: 'o1', reason: 'declined' });
    const before = recorder.events;
    recorder.clear();
    expect(recorder.events).toEqual([]);
    expect(before).toHaveLength(1);
    await bus.publish('payment.failed', { orderId: 'o2', reason: 'declined' });
    recorder.stop();
    recorder.stop();
    await bus.publish('payment.failed', { orderId: 'o3', reason: 'declined' });
    expect(recorder.ofType('payment.failed').map((event) => event.data.orderId)).toEqual(['o2']);
    expect(bus.lifecycle.listenerCount('publish')).toBe(0);
    await bus.shutdown();
  });

  it('records received events apart, when asked, without counting a delivery', async () => {
    const bus = makeBus();
    const recorder = recordBus(bus, { received: true });
    await bus.receive({ type: 'payment.failed', data: { orderId: 'o1', reason: 'declined' } });
    await bus.publish('payment.failed', { orderId: 'o2', reason: 'declined' });
    await settled(bus);
    expect(recorder.received.map((event) => event.data)).toEqual([
      { orderId: 'o1', reason: 'declined' },
    ]);
    expect(recorder.events.map((event) => event.type)).toEqual(['payment.failed']);
    expect(bus.stats().delivered).toBe(0);
    recorder.stop();
    expect(bus.listenerCount()).toBe(1);
    await bus.shutdown();
  });

  it('refuses what is not a bus, and a bad option', () => {
    expect(() => recordBus({} as never)).toThrow(InvalidOptionError);
    expect(() => recordBus(null as never)).toThrow(/recordBus\(bus\)/);
    expect(() => recordBus(makeBus(), { received: 'yes' as never })).toThrow(
      /recordBus\(\{ received \}\)/,
    );
  });

  it('refuses a misspelt option, suggesting the right one', () => {
    const options = { recieved: true } as { received?: boolean };
    expect(() => recordBus(makeBus(), options)).toThrow(InvalidOptionError);
    expect(() => recordBus(makeBus(), options)).toThrow(
      'Invalid option "recordBus({ recieved })": expected a known option (did you mean "received"?), received true.',
    );
    expect(() => recordBus(makeBus(), null as never)).toThrow(
      'Invalid option "recordBus(options)"',
    );
  });
});

describe('settled', () => {
  it('resolves once every handler has run', async () => {
    const bus = createEventBus({ schemas: events });
    const handled: string[] = [];
    // Each handler waits for a promise the test resolves, not for time to pass.
    let release = (): void => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    bus.subscribe('order.shipped', async (event) => {
      await released;
      handled.push(event.data.orderId);
    });
    void bus.publish('order.shipped', { orderId: 'o1' });
    await bus.publish('order.shipped', { orderId: 'o2' });
    let done = false;
    const waiting = settled(bus).then(() => {
      done = true;
    });
    await Promise.resolve();
    expect(done).toBe(false);
    release();
    await waiting;
    expect(handled.sort()).toEqual(['o1', 'o2']);
    await bus.shutdown();
  });
});
