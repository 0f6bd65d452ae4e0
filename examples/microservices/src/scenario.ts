/**
 * The people of the story and what the services know about them, shared by the in-process
 * demo (`run.ts`) and the distributed one (`distributed/`), so that both tell the same story.
 */
import type { Device } from './services/notification-service.js';

/** Who signs up, in this order. */
export const people = {
  ada: { name: 'Ada Lovelace', email: 'ada@example.com' },
  grace: { name: 'Grace Hopper', email: 'grace@example.com' },
  alan: { name: 'Alan Turing', email: 'alan@invalid.example' },
} as const;

/** The email service's view: addresses whose mailbox does not exist. */
export const bouncing: ReadonlySet<string> = new Set([people.alan.email]);

/** The notification service's view: each user's phone. Alan has none. */
export const devices: ReadonlyMap<string, Device> = new Map([
  [people.ada.email, { deviceId: 'pixel-8', expired: false }],
  [people.grace.email, { deviceId: 'iphone-12', expired: true }],
]);
