import type { AnyEvent, Filter, Handler } from '@gossip/core';
import { assertFunction } from './assert.js';

/**
 * Wraps a handler so that it runs only for the events the filter accepts; for the others the
 * wrapped handler returns at once, successfully.
 *
 * Prefer the `filter` option of `subscribe` where you can: it is checked before the event is
 * scheduled, so a refused event costs no worker and no buffer slot. `filtered` runs inside the
 * handler call, which suits a handler passed around on its own, or one behind middleware.
 *
 * @typeParam TEvent - the event the handler receives
 * @typeParam TPublish - the publish function of its bus; inferred where the handler is
 *   subscribed, else `unknown`, so that a handler made on its own fits any bus
 * @param filter - decides which events reach the handler
 * @param handler - the handler to wrap
 * @returns the wrapped handler, of the same type
 * @throws InvalidOptionError if the filter or the handler is not a function
 *
 * @example
 * ```ts
 * bus.subscribe('order.created', filtered(byMetadata('priority', 'high'), notifyOnCall));
 * ```
 */
export function filtered<TEvent extends AnyEvent, TPublish = unknown>(
  filter: Filter<TEvent>,
  handler: Handler<TEvent, TPublish>,
): Handler<TEvent, TPublish> {
  assertFunction('filtered(filter)', filter);
  assertFunction('filtered(handler)', handler);
  return (event, ctx) => {
    if (!filter(event)) return;
    return handler(event, ctx);
  };
}
