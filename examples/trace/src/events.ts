/** The shop's events: an order, the payment its handler takes, and the receipt mailed for it. */
import { defineEvents } from '@gossip/core';
import { z } from 'zod';

export const events = defineEvents({
  'order.placed': z.object({ orderId: z.string(), amount: z.number().positive() }),
  'payment.taken': z.object({ orderId: z.string(), amount: z.number().positive() }),
});
