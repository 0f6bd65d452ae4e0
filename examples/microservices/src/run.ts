/**
 * Four services in one process, sharing one bus. Each registers its handlers in its
 * constructor; none knows the others. Three people sign up: the account event fans out to the
 * email, notification and analytics services, the email service's outcome chains on to
 * analytics (and, for a bounce, back to the user service), and one failing push handler
 * stops nothing else.
 */
import { HandlerError, type ShutdownReport } from '@gossip/core';
import { handledLogger, type TraceLogger } from '@gossip/example-trace';
import { withTrace } from '@gossip/middleware';
import { createAppBus } from './events.js';
import { bouncing, devices, people } from './scenario.js';
import { AnalyticsService, type WelcomeDelivery } from './services/analytics-service.js';
import { EmailService } from './services/email-service.js';
import { NotificationService } from './services/notification-service.js';
import { UserService } from './services/user-service.js';

/** A handler failure the bus reported. */
export interface ReportedFailure {
  readonly subscription: string;
  readonly event: string;
  readonly userId: string | undefined;
  readonly message: string;
}

/** What happened, for the test to check. */
export interface MicroservicesDemoResult {
  readonly report: ShutdownReport;
  readonly userIds: Readonly<Record<'ada' | 'grace' | 'alan', string>>;
  readonly failures: ReadonlyArray<ReportedFailure>;
  readonly counts: ReadonlyMap<string, number>;
  readonly deliveries: ReadonlyArray<WelcomeDelivery>;
  readonly signups: ReadonlyMap<string, string>;
  readonly verified: Readonly<Record<'ada' | 'grace' | 'alan', boolean | undefined>>;
}

/** Runs the story, writing its trace to `logger`. */
export async function run(logger: TraceLogger): Promise<MicroservicesDemoResult> {
  const note = (message: string): void => logger.write({ kind: 'note', message });
  const failures: ReportedFailure[] = [];
  const bus = createAppBus({
    workers: 8,
    middleware: [withTrace(handledLogger(logger))],
    // A failing handler is reported here, with its event and subscription; the bus goes on.
    onError: (error) => {
      if (error instanceof HandlerError) {
        const { data } = error.event;
        const userId =
          typeof data === 'object' &&
          data !== null &&
          'userId' in data &&
          typeof data.userId === 'string'
            ? data.userId
            : undefined;
        failures.push({
          subscription: error.subscription,
          event: error.event.type,
          userId,
          message: error.message,
        });
        note(
          `onError: "${error.subscription}" failed on ${error.event.type} for ${userId ?? '?'}; the bus goes on`,
        );
      }
    },
  });

  logger.write({ kind: 'step', message: 'services start; each subscribes its own handlers' });
  const users = new UserService(bus, logger);
  new EmailService(bus, logger, bouncing);
  new NotificationService(bus, devices);
  const analytics = new AnalyticsService(bus);

  logger.write({ kind: 'step', message: 'three people sign up' });
  const userIds = {
    ada: await users.createAccount(people.ada.name, people.ada.email),
    grace: await users.createAccount(people.grace.name, people.grace.email),
    alan: await users.createAccount(people.alan.name, people.alan.email),
  };

  logger.write({
    kind: 'step',
    message: 'shutting down: the queue drains, chained events included',
  });
  const report = await bus.shutdown({ timeout: 5000 });
  logger.write({ kind: 'report', report });
  const funnel = [...analytics.counts].map(([type, n]) => `${type} ${n}`).join(', ');
  note(`analytics: ${funnel}`);

  return {
    report,
    userIds,
    failures,
    counts: analytics.counts,
    deliveries: analytics.deliveries,
    signups: analytics.signups,
    verified: {
      ada: users.verified(userIds.ada),
      grace: users.verified(userIds.grace),
      alan: users.verified(userIds.alan),
    },
  };
}
