/**
 * What every service should have seen once the story is over, worked out from the scenario,
 * and how far each is: the launcher waits on it before it stops the services.
 */
import { bouncing, devices, people } from '../scenario.js';
import { MAX_ATTEMPTS } from './broker.js';
import { type HandledMessage, type ServiceName, serviceNames } from './protocol.js';

/** One service's expected sightings: `count` distinct events of `type` settled by `handler`. */
interface Sighting {
  readonly handler: string;
  readonly type: string;
  readonly count: number;
}

/**
 * What every service should have seen once the story is over, worked out from the scenario.
 * An event counts once its handler succeeded, or failed on every one of the bridge's
 * attempts (it is then dead-lettered).
 */
export function expectedSightings(): Record<ServiceName, readonly Sighting[]> {
  const everyone = Object.values(people);
  const signups = everyone.length;
  const bounced = everyone.filter(({ email }) => bouncing.has(email)).length;
  const pushed = everyone.filter(({ email }) => devices.get(email)?.expired === false).length;
  const created = 'user.account.created';
  return {
    user: [{ handler: 'user.bounce-handler', type: 'email.welcome.bounced', count: bounced }],
    email: [{ handler: 'email.welcome', type: created, count: signups }],
    notification: [{ handler: 'notification.push', type: created, count: signups }],
    analytics: [
      { handler: 'analytics.users', type: created, count: signups },
      { handler: 'analytics.users', type: 'user.email.unverified', count: bounced },
      { handler: 'analytics.emails', type: 'email.welcome.sent', count: signups - bounced },
      { handler: 'analytics.emails', type: 'email.welcome.bounced', count: bounced },
      { handler: 'analytics.push', type: 'notification.push.sent', count: pushed },
    ],
  };
}

/** How many distinct events a service has settled for one sighting. */
function settled(handled: readonly HandledMessage[], { handler, type }: Sighting): number {
  const failures = new Map<string, number>();
  const done = new Set<string>();
  for (const call of handled) {
    if (call.handler !== handler || call.type !== type) continue;
    if (call.ok) done.add(call.eventId);
    else failures.set(call.eventId, (failures.get(call.eventId) ?? 0) + 1);
  }
  for (const [eventId, count] of failures) if (count >= MAX_ATTEMPTS) done.add(eventId);
  return done.size;
}

/**
 * What the services have not seen yet, one phrase per missing sighting; empty once every
 * service has seen what it should.
 */
export function missingSightings(
  handledBy: (service: ServiceName) => readonly HandledMessage[],
): string[] {
  const expected = expectedSightings();
  return serviceNames.flatMap((service) =>
    expected[service].flatMap((sighting) => {
      const seen = settled(handledBy(service), sighting);
      return seen < sighting.count
        ? [`${service} saw ${seen} of ${sighting.count} ${sighting.type} (${sighting.handler})`]
        : [];
    }),
  );
}
