import { describe, expect, it } from 'vitest';
import { createEventBus, type EventBus, type SubscriptionChange } from '../src/index.js';
import type { AppEvents } from './fixtures.js';

function record(bus: EventBus<AppEvents>): string[] {
  const seen: string[] = [];
  const log =
    (what: string) =>
    ({ pattern, name, count }: SubscriptionChange) =>
      seen.push(`${what} ${pattern} ${name} ${String(count)}`);
  bus.lifecycle.on('subscribe', log('+'));
  bus.lifecycle.on('unsubscribe', log('-'));
  return seen;
}

describe('subscribe and unsubscribe lifecycle events', () => {
  it('tell the count of subscriptions of exactly that pattern after each change', () => {
    const bus = createEventBus<AppEvents>();
    const seen = record(bus);
    const first = bus.subscribe('user.created', () => {});
    const second = bus.subscribe('user.created', () => {}, { name: 'mailer' });
    bus.subscribe('user.*', () => {});
    first();
    second();
    second(); // a second call changes nothing and says nothing
    expect(seen).toEqual([
      '+ user.created user.created 1',
      '+ user.created mailer 2',
      '+ user.* user.* 1',
      '- user.created user.created 1',
      '- user.created mailer 0',
    ]);
  });

  it('let a source start on the first subscriber and stop after the last', async () => {
    const bus = createEventBus<AppEvents>();
    let running = false;
    bus.lifecycle.on('subscribe', ({ pattern, count }) => {
      if (pattern === 'order.paid' && count === 1) running = true;
    });
    bus.lifecycle.on('unsubscribe', ({ pattern, count }) => {
      if (pattern === 'order.paid' && count === 0) running = false;
    });
    const controller = new AbortController();
    bus.subscribe('order.paid', () => {}, { signal: controller.signal });
    const next = bus.once('order.paid');
    expect(running).toBe(true);
    await bus.publish('order.paid', { orderId: 'o1', amount: 1 });
    await next;
    expect(running).toBe(true);
    controller.abort();
    expect(running).toBe(false);
  });

  it('are emitted for each subscription that clear() ends', () => {
    const bus = createEventBus<AppEvents>();
    bus.subscribe(['user.created', 'user.deleted'], () => {});
    const seen = record(bus);
    bus.clear();
    expect(seen).toEqual(['- user.created user.created 0', '- user.deleted user.deleted 0']);
  });

  it('are not emitted for a subscription whose signal had already aborted', () => {
    const bus = createEventBus<AppEvents>();
    const seen = record(bus);
    bus.subscribe('user.created', () => {}, { signal: AbortSignal.abort() })();
    expect(seen).toEqual([]);
  });
});
