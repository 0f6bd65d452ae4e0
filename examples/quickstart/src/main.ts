/**
 * The quickstart: declare events once with zod, publish and subscribe with checked types, see
 * an invalid payload refused, a handler failure reported, and a graceful shutdown's report.
 */
import { createEventBus, defineEvents, ValidationError } from '@gossip/core';
import { z } from 'zod';

const events = defineEvents({
  'user.created': z.object({ userId: z.string(), email: z.email() }),
  'order.placed': z.object({ orderId: z.string(), amount: z.number().positive() }),
  'order.paid': z.object({ orderId: z.string(), amount: z.number().positive() }),
  'email.sent': z.object({ to: z.email(), template: z.string() }),
});

const bus = createEventBus({
  schemas: events,
  workers: 4,
  onError: (error) => console.log(`  ! ${error.message}`),
});

bus.subscribe('user.created', async (event, ctx) => {
  console.log(`  user.created   -> welcome email for ${event.data.email}`);
  await ctx.publish('email.sent', { to: event.data.email, template: 'welcome' });
});

bus.subscribe('order.*', (event) => {
  // `event` is the union of order.placed and order.paid, narrowed by its type.
  if (event.type === 'order.paid')
    console.log(`  order.paid     -> ${event.data.orderId} paid ${event.data.amount}`);
  else console.log(`  order.placed   -> ${event.data.orderId} for ${event.data.amount}`);
});

bus.subscribe('email.sent', (event) => {
  console.log(
    `  email.sent     -> ${event.data.template} to ${event.data.to} (caused by ${event.metadata.causationId})`,
  );
});

bus.subscribe(
  'order.paid',
  () => {
    throw new Error('the ledger is offline');
  },
  { name: 'ledger' },
);

console.log('gossip quickstart\n');
await bus.publish(
  'user.created',
  { userId: 'u1', email: 'ada@example.com' },
  { metadata: { requestId: 'r1' } },
);
await bus.publish('order.placed', { orderId: 'o1', amount: 42 });

const errors = await bus.publishSync('order.paid', { orderId: 'o1', amount: 42 });
console.log(`  publishSync(order.paid) settled with ${errors.length} handler error(s)`);

try {
  await bus.publish('order.placed', { orderId: 'o2', amount: -5 });
} catch (error) {
  if (error instanceof ValidationError) console.log(`  refused: ${error.message}`);
}

const report = await bus.shutdown({ timeout: 5000 });
console.log(
  `\nshutdown: published ${report.published}, delivered ${report.delivered}, failed ${report.failed}, undelivered ${report.undelivered.length}`,
);
