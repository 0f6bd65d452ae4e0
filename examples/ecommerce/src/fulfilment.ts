/**
 * The order pipeline: reserve stock, take payment, ship. Each step is a handler that publishes
 * the next event through `ctx.publish`, so every event carries the id of the event that caused
 * it (`causationId`) and of the order's first event (`correlationId`).
 */

import { type TraceLogger, tryLogger } from '@gossip/example-trace';
import { chain, withRetry, withTimeout, withTrace } from '@gossip/middleware';
import type { ShopBus } from './events.js';
import type { OrderStore } from './orders.js';
import type { FakePaymentGateway } from './payment-gateway.js';
import type { FakeWarehouse } from './warehouse.js';

/** What the pipeline recorded, for the summary and the test. */
export interface FulfilmentRecords {
  /** Orders in the order the inventory handler took them up (first try only). */
  readonly reservationOrder: string[];
}

export function registerFulfilment(
  bus: ShopBus,
  deps: {
    logger: TraceLogger;
    store: OrderStore;
    warehouse: FakeWarehouse;
    payments: FakePaymentGateway;
  },
): FulfilmentRecords {
  const { logger, store, warehouse, payments } = deps;
  const records: FulfilmentRecords = { reservationOrder: [] };
  const note = (message: string): void => logger.write({ kind: 'note', message });

  // The warehouse API can hang or report a lock conflict: each try gets 150 ms, and a failed
  // try is repeated after 25 ms, then 50 ms.
  bus.subscribe(
    'order.created',
    async (event, ctx) => {
      const { orderId, items, express } = event.data;
      if (ctx.attempt === 1) {
        records.reservationOrder.push(orderId);
        note(`reserving stock for ${orderId}${express ? ' (express)' : ''}`);
      }
      const skus = items.map((line) => line.sku);
      await warehouse.reserve(orderId, skus, ctx.signal);
      await ctx.publish(
        'inventory.reserved',
        { orderId, skus },
        { priority: store.priorityOf(orderId) },
      );
    },
    {
      name: 'inventory',
      middleware: [
        chain(
          withRetry({ attempts: 3, delay: 25 }),
          withTimeout(150),
          withTrace(tryLogger(logger)),
        ),
      ],
    },
  );

  bus.subscribe(
    'inventory.reserved',
    async (event, ctx) => {
      const { orderId } = event.data;
      const order = store.get(orderId);
      if (order === undefined) throw new Error(`unknown order ${orderId}`);
      const priority = store.priorityOf(orderId);
      const result = await payments.charge(order.customer.id, order.total, ctx.signal);
      if (result.ok) {
        await ctx.publish(
          'payment.captured',
          { orderId, paymentId: result.paymentId, amount: order.total },
          { priority },
        );
      } else {
        note(`payment for ${orderId} declined: ${result.reason}`);
        await ctx.publish(
          'payment.declined',
          { orderId, amount: order.total, reason: result.reason },
          { priority },
        );
      }
    },
    { name: 'payments' },
  );

  bus.subscribe(
    'payment.captured',
    async (event, ctx) => {
      const { orderId } = event.data;
      const express = store.get(orderId)?.express === true;
      await ctx.publish(
        'order.shipped',
        { orderId, carrier: express ? 'overnight' : 'ground', trackingId: `trk-${orderId}` },
        { priority: store.priorityOf(orderId) },
      );
    },
    { name: 'shipping' },
  );

  return records;
}
