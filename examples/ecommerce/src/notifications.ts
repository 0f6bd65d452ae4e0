/**
 * Customer emails. Handlers only ask for an email (`email.requested`, low priority, so orders
 * go first); a batch processor gathers the requests and sends them five at a time, or whatever
 * has gathered after 200 ms, in one call to the mail API.
 */
import { type BatchProcessor, createBatchProcessor } from '@gossip/batch';
import type { Event } from '@gossip/core';
import type { TraceLogger } from '@gossip/example-trace';
import type { ShopBus, ShopEvents } from './events.js';
import type { FakeMailApi } from './mail-api.js';
import type { OrderStore } from './orders.js';

type EmailRequested = Event<'email.requested', ShopEvents['email.requested']>;

export function registerNotifications(
  bus: ShopBus,
  deps: { logger: TraceLogger; store: OrderStore; mailApi: FakeMailApi },
): BatchProcessor<EmailRequested> {
  const { logger, store, mailApi } = deps;

  bus.subscribe(
    'order.created',
    async (event, ctx) => {
      const { orderId, customer } = event.data;
      await ctx.publish(
        'email.requested',
        { to: customer.email, template: 'order-confirmation', orderId },
        { priority: 'low' },
      );
    },
    { name: 'confirmation-email' },
  );

  // Emails about an order already in the store: look up its customer, ask for the email.
  const emailAbout =
    (template: ShopEvents['email.requested']['template']) =>
    async (
      event: { readonly data: { readonly orderId: string } },
      ctx: { readonly publish: ShopBus['publish'] },
    ) => {
      const { orderId } = event.data;
      const to = store.get(orderId)?.customer.email;
      if (to === undefined) throw new Error(`unknown order ${orderId}`);
      await ctx.publish('email.requested', { to, template, orderId }, { priority: 'low' });
    };
  bus.subscribe('order.shipped', emailAbout('shipping-notice'), { name: 'shipping-email' });
  bus.subscribe('payment.declined', emailAbout('payment-declined'), { name: 'declined-email' });

  // Subscribes itself to `email.requested`; the batch is typed from the bus and the pattern.
  return createBatchProcessor(
    bus,
    'email.requested',
    {
      batchSize: 5,
      flushInterval: 200,
      retry: { attempts: 2, delay: 50 },
      subscribe: { name: 'email-batcher' },
      onError: (error) =>
        logger.write({ kind: 'note', message: `emails not sent: ${error.message}` }),
    },
    async (batch, ctx) => {
      await mailApi.sendMany(
        batch.map((event) => event.data),
        ctx.signal,
      );
      const summary = batch
        .map((event) => `${event.data.template} ${event.data.orderId}`)
        .join(', ');
      logger.write({
        kind: 'note',
        message: `mail API: ${batch.length} emails in one call (${summary})`,
      });
    },
  );
}
