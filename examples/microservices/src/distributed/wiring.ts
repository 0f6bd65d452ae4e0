/**
 * How each service joins the broker: which of its events go out, which come in, and the
 * service module it runs. The modules are the ones the in-process demo runs (`../services`):
 * a service does not know whether its bus is bridged.
 */
import type { TraceLogger } from '@gossip/example-trace';
import type { BridgeOptions } from '@gossip/transport';
import type { AppBus, AppEvents } from '../events.js';
import { bouncing, devices } from '../scenario.js';
import { AnalyticsService } from '../services/analytics-service.js';
import { EmailService } from '../services/email-service.js';
import { NotificationService } from '../services/notification-service.js';
import { UserService } from '../services/user-service.js';
import type { ServiceName, ServiceState } from './protocol.js';

/**
 * Each service's bridge: it publishes the events of its own domain and subscribes to what its
 * handlers take. The patterns are checked against the catalogue: a misspelt event name does
 * not compile. The consumer group is the service's name.
 */
export const wiring = {
  user: { publish: ['user.**'], subscribe: ['email.welcome.bounced'] },
  email: { publish: ['email.**'], subscribe: ['user.account.created'] },
  notification: { publish: ['notification.**'], subscribe: ['user.account.created'] },
  analytics: { subscribe: ['user.*.*', 'email.welcome.*', 'notification.**'] },
} as const satisfies Record<ServiceName, BridgeOptions<AppEvents>>;

/** A service running on a bus. */
export interface RunningService {
  /** What it holds, for the launcher's summary. */
  state(): ServiceState;
  /** Only the user service takes sign-ups; it answers with the new user's id. */
  signUp?(name: string, email: string): Promise<string>;
}

/** Starts service `name` on `bus`: it subscribes its handlers. */
export function startService(name: ServiceName, bus: AppBus, logger: TraceLogger): RunningService {
  switch (name) {
    case 'user': {
      const users = new UserService(bus, logger);
      const ids: string[] = [];
      return {
        async signUp(fullName, email) {
          const userId = await users.createAccount(fullName, email);
          ids.push(userId);
          return userId;
        },
        state: () => ({
          service: 'user',
          verified: Object.fromEntries(ids.map((id) => [id, users.verified(id) ?? null])),
        }),
      };
    }
    case 'email':
      new EmailService(bus, logger, bouncing);
      return { state: () => ({ service: 'email' }) };
    case 'notification':
      new NotificationService(bus, devices);
      return { state: () => ({ service: 'notification' }) };
    case 'analytics': {
      const analytics = new AnalyticsService(bus);
      return {
        state: () => ({
          service: 'analytics',
          counts: Object.fromEntries(analytics.counts),
          deliveries: analytics.deliveries.map(({ userId, outcome, causationId }) => ({
            userId,
            outcome,
            causationId: causationId ?? null,
          })),
          signups: Object.fromEntries(analytics.signups),
        }),
      };
    }
  }
}
