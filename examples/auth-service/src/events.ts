/**
 * The auth service's events, declared once with zod. Every publish and subscribe below is
 * checked against this map by the compiler, and every payload by the schema at run time.
 */
import {
  type BusOf,
  createEventBus,
  defineEvents,
  type EventBusOptions,
  type InferEventMap,
} from '@gossip/core';
import { z } from 'zod';

export const authEvents = defineEvents({
  'auth.user.registered': z.object({
    userId: z.string(),
    email: z.email(),
    username: z.string().min(2),
  }),
  'auth.login.succeeded': z.object({
    userId: z.string(),
    sessionId: z.string(),
    ip: z.string(),
    userAgent: z.string(),
  }),
  'auth.login.failed': z.object({
    email: z.email(),
    ip: z.string(),
    reason: z.enum(['unknown-user', 'wrong-password']),
  }),
  'auth.password.changed': z.object({ userId: z.string(), email: z.email() }),
  'security.alert.raised': z.object({
    email: z.email(),
    ip: z.string(),
    failures: z.number().int().positive(),
  }),
});

/** The payload types handlers receive, inferred from the schemas. */
export type AuthEvents = InferEventMap<typeof authEvents>;

/** The bus every part of the service shares. */
export type AuthBus = BusOf<typeof authEvents>;

/** Creates the bus with the auth events' schemas. */
export function createAuthBus(options: EventBusOptions = {}): AuthBus {
  return createEventBus({ ...options, schemas: authEvents });
}
