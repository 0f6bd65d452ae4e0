/**
 * The shop's `order.placed` event through three versions, each with the upcaster from the one
 * before, in a registry that refuses a version breaking `backward` compatibility. This module
 * is also what `gossip catalog src/events.ts` reads (its `registry` and `compatibility`).
 */
import { SchemaRegistry, versions } from '@gossip/core';
import { compatibility as makePolicy } from '@gossip/registry';
import { z } from 'zod';

/** v1: an order and its amount, in euros. */
export const placedV1 = z.object({ orderId: z.string(), amount: z.number().nonnegative() });

/** v2: the currency, added with a default, so v1 events still read (backward). */
export const placedV2 = placedV1.extend({ currency: z.enum(['EUR', 'USD']).default('EUR') });

/**
 * v3: the order's lines (with a default, so v2 events still read) and an optional coupon. Its
 * upcaster says what a v2 order had: no lines recorded.
 */
export const placedV3 = z.object({
  orderId: z.string(),
  amount: z.number().nonnegative(),
  currency: z.enum(['EUR', 'USD']).default('EUR'),
  coupon: z.string().optional(),
  lines: z.array(z.object({ sku: z.string(), quantity: z.int().positive() })).default([]),
});

/** The registry's policy: every new version must read the events of the one before. */
export const compatibility = makePolicy({ mode: 'backward' });

/** The events of the shop, `order.placed` at version 3. */
export const events = {
  'order.placed': versions(placedV1)
    .upcast(placedV2, (v1) => ({ ...v1, currency: 'EUR' as const }))
    .upcast(placedV3, (v2) => ({ ...v2, lines: [] })),
};

/** A registry of the shop's events, checked by {@link compatibility}. */
export function createRegistry() {
  return SchemaRegistry.from(events, { compatibility });
}

/** The registry `gossip catalog src/events.ts` prints. */
export const registry = createRegistry();
