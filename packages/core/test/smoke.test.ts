import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEventBus, defineEvents } from '../src/index.js';

describe('smoke', () => {
  it('publishes and subscribes', async () => {
    const bus = createEventBus({
      schemas: defineEvents({
        'user.created': z.object({ email: z.string() }),
        'order.paid': z.object({ amount: z.number() }),
      }),
    });
    const seen: string[] = [];
    bus.subscribe('**', (e) => {
      seen.push(e.type);
    });
    await bus.publish('user.created', { email: 'a' });
    await bus.publish('order.paid', { amount: 1 });
    const report = await bus.shutdown();
    expect(seen).toEqual(['user.created', 'order.paid']);
    expect(report.delivered).toBe(2);
  });
});
