/**
 * The shop's events. Order events carry the order id; the express flag lives on the order, so
 * each step can pass the order's priority on to the events it publishes.
 */
import {
  type BusOf,
  createEventBus,
  defineEvents,
  type EventBusOptions,
  type InferEventMap,
} from '@gossip/core';
import { z } from 'zod';

const lineItem = z.object({
  sku: z.string(),
  quantity: z.number().int().positive(),
  price: z.number().positive(),
});

export const shopEvents = defineEvents({
  'order.created': z.object({
    orderId: z.string(),
    customer: z.object({ id: z.string(), email: z.email() }),
    items: z.array(lineItem).min(1),
    total: z.number().positive(),
    express: z.boolean(),
  }),
  'inventory.reserved': z.object({ orderId: z.string(), skus: z.array(z.string()) }),
  'payment.captured': z.object({ orderId: z.string(), paymentId: z.string(), amount: z.number() }),
  'payment.declined': z.object({ orderId: z.string(), amount: z.number(), reason: z.string() }),
  'order.shipped': z.object({ orderId: z.string(), carrier: z.string(), trackingId: z.string() }),
  'email.requested': z.object({
    to: z.email(),
    template: z.enum(['order-confirmation', 'shipping-notice', 'payment-declined']),
    orderId: z.string(),
  }),
});

/** The payload types handlers receive, inferred from the schemas. */
export type ShopEvents = InferEventMap<typeof shopEvents>;

/** An order as `order.created` carries it. */
export type Order = ShopEvents['order.created'];

/** The bus the shop's parts share. */
export type ShopBus = BusOf<typeof shopEvents>;

/** Creates the bus with the shop's schemas. */
export function createShopBus(options: EventBusOptions = {}): ShopBus {
  return createEventBus({ ...options, schemas: shopEvents });
}
