/**
 * The events the services exchange: the only thing they share besides the bus. A service
 * never calls another; it publishes what happened and subscribes to what it cares about.
 */
import {
  type BusOf,
  createEventBus,
  defineEvents,
  type EventBusOptions,
  type InferEventMap,
} from '@gossip/core';
import { z } from 'zod';

export const appEvents = defineEvents({
  'user.account.created': z.object({ userId: z.string(), email: z.email(), name: z.string() }),
  'user.email.unverified': z.object({ userId: z.string(), email: z.email() }),
  'email.welcome.sent': z.object({ userId: z.string(), messageId: z.string() }),
  'email.welcome.bounced': z.object({ userId: z.string(), email: z.email(), reason: z.string() }),
  'notification.push.sent': z.object({ userId: z.string(), deviceId: z.string() }),
});

/** The payload types handlers receive, inferred from the schemas. */
export type AppEvents = InferEventMap<typeof appEvents>;

/** The bus the services share. */
export type AppBus = BusOf<typeof appEvents>;

/** Creates the shared bus. */
export function createAppBus(options: EventBusOptions = {}): AppBus {
  return createEventBus({ ...options, schemas: appEvents });
}
