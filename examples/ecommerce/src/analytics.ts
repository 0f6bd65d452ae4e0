/**
 * Analytics for high-value orders only. The filter is typed by the subscription's pattern, so
 * `event.data.total` is a number here, checked by the compiler; an order it refuses is never
 * queued for this handler and costs it no worker.
 */

import type { TraceLogger } from '@gossip/example-trace';
import { where } from '@gossip/filters';
import type { ShopBus } from './events.js';

/** Orders from this total on count as high value. */
export const HIGH_VALUE = 500;

export interface HighValueOrder {
  readonly orderId: string;
  readonly total: number;
}

export function registerAnalytics(bus: ShopBus, logger: TraceLogger): HighValueOrder[] {
  const seen: HighValueOrder[] = [];
  bus.subscribe(
    'order.created',
    (event) => {
      const { orderId, total } = event.data;
      seen.push({ orderId, total });
      logger.write({
        kind: 'note',
        message: `analytics: high-value order ${orderId}, ${total.toFixed(2)} EUR`,
      });
    },
    { name: 'high-value-analytics', filter: where((event) => event.data.total >= HIGH_VALUE) },
  );
  return seen;
}
