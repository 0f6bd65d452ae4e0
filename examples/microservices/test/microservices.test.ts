import {
  createRecordingLogger,
  type HandledEntry,
  type RecordingLogger,
} from '@gossip/example-trace';
import { describe, expect, it } from 'vitest';
import { type MicroservicesDemoResult, run } from '../src/run.js';

// The story runs once, inside the first test that asks for it (so the console guard of the
// test setup is in force), and every test checks a different part of its outcome.
let story: Promise<{ logger: RecordingLogger; result: MicroservicesDemoResult }> | undefined;
function runStory() {
  story ??= (async () => {
    const logger = createRecordingLogger();
    return { logger, result: await run(logger) };
  })();
  return story;
}

describe('the microservices example', () => {
  it('fans each new account out to every service', async () => {
    const { logger } = await runStory();
    const handled = logger.entries.filter((e): e is HandledEntry => e.kind === 'handled');
    const handlers = [
      ...new Set(handled.filter((e) => e.event === 'user.account.created').map((e) => e.handler)),
    ].sort();

    expect(handlers).toEqual(['analytics.users', 'email.welcome', 'notification.push']);
    expect(handled.filter((e) => e.event === 'user.account.created')).toHaveLength(9);
  });

  it('chains account created -> welcome email -> analytics, linked by causation ids', async () => {
    const { result } = await runStory();
    const { ada, grace, alan } = result.userIds;

    expect(
      result.deliveries.map(({ userId, outcome }) => ({ userId, outcome })).sort(byUser),
    ).toEqual(
      [
        { userId: ada, outcome: 'sent' },
        { userId: grace, outcome: 'sent' },
        { userId: alan, outcome: 'bounced' },
      ].sort(byUser),
    );
    for (const delivery of result.deliveries) {
      expect(delivery.causationId).toBeDefined();
      expect(delivery.causationId).toBe(result.signups.get(delivery.userId));
    }
    // The bounce went on to the user service, which marked the address.
    expect(result.verified).toEqual({ ada: undefined, grace: undefined, alan: false });
    expect(result.counts.get('user.email.unverified')).toBe(1);
  });

  it('reports the failing push handler and lets every other handler run', async () => {
    const { logger, result } = await runStory();
    const { grace } = result.userIds;

    expect(result.failures).toEqual([
      {
        subscription: 'notification.push',
        event: 'user.account.created',
        userId: grace,
        message: expect.stringMatching(/token expired/),
      },
    ]);
    // Grace's account event still reached the email and analytics services, and her
    // welcome email went out.
    const graceEventId = result.signups.get(grace);
    const handled = logger.entries.filter(
      (e): e is HandledEntry => e.kind === 'handled' && e.eventId === graceEventId,
    );
    expect(handled.map((e) => [e.handler, e.ok]).sort()).toEqual([
      ['analytics.users', true],
      ['email.welcome', true],
      ['notification.push', false],
    ]);
    expect(result.deliveries).toContainEqual(
      expect.objectContaining({ userId: grace, outcome: 'sent' }),
    );
    expect(result.counts.get('notification.push.sent')).toBe(1);
  });

  it('shuts down complete, with the one failure counted', async () => {
    const { result } = await runStory();

    expect(result.report.complete).toBe(true);
    expect(result.report.undelivered).toEqual([]);
    expect(result.report.failed).toBe(1);
    expect(result.report.published).toBe(8);
    expect(result.report.delivered).toBe(14);
  });
});

function byUser(a: { userId: string }, b: { userId: string }): number {
  return a.userId.localeCompare(b.userId);
}
