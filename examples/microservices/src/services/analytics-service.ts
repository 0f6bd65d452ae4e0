/**
 * The analytics service counts the sign-up funnel: accounts created, welcome emails sent or
 * bounced, pushes delivered. It subscribes with patterns, so a new `email.*` event is counted
 * without touching this code; `event.type` narrows `event.data` where it needs a field.
 */
import type { AppBus } from '../events.js';

/** A welcome email as analytics saw it, linked to the account event that caused it. */
export interface WelcomeDelivery {
  readonly userId: string;
  readonly outcome: 'sent' | 'bounced';
  readonly causationId: string | undefined;
}

export class AnalyticsService {
  readonly counts = new Map<string, number>();
  readonly deliveries: WelcomeDelivery[] = [];
  /** Account event ids, by user: what each delivery's causation id should point at. */
  readonly signups = new Map<string, string>();

  constructor(bus: AppBus) {
    const count = (type: string): void => {
      this.counts.set(type, (this.counts.get(type) ?? 0) + 1);
    };
    bus.subscribe(
      'user.*.*',
      (event) => {
        count(event.type);
        if (event.type === 'user.account.created') this.signups.set(event.data.userId, event.id);
      },
      { name: 'analytics.users' },
    );
    bus.subscribe(
      'email.welcome.*',
      (event) => {
        count(event.type);
        this.deliveries.push({
          userId: event.data.userId,
          outcome: event.type === 'email.welcome.sent' ? 'sent' : 'bounced',
          causationId: event.metadata.causationId,
        });
      },
      { name: 'analytics.emails' },
    );
    bus.subscribe('notification.**', (event) => count(event.type), { name: 'analytics.push' });
  }
}
