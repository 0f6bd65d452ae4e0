import {
  createRecordingLogger,
  type HandledEntry,
  type RecordingLogger,
  type TryEntry,
} from '@gossip/example-trace';
import { describe, expect, it } from 'vitest';
import { type AuthDemoResult, run } from '../src/run.js';

// The story runs once, inside the first test that asks for it (so the console guard of the
// test setup is in force), and every test checks a different part of its outcome.
let story: Promise<{ logger: RecordingLogger; result: AuthDemoResult }> | undefined;
function runStory() {
  story ??= (async () => {
    const logger = createRecordingLogger();
    return { logger, result: await run(logger) };
  })();
  return story;
}

describe('the auth service example', () => {
  it('runs the whole story and shuts down with nothing lost', async () => {
    const { logger, result } = await runStory();

    const handled = logger.entries.filter((e): e is HandledEntry => e.kind === 'handled');
    const handlersOf = (type: string) =>
      handled
        .filter((e) => e.event === type && e.ok)
        .map((e) => e.handler)
        .sort();

    // Fan-out: each event reached every handler subscribed to it, and none failed for good.
    expect(handlersOf('auth.user.registered')).toEqual(['audit-log', 'welcome-email']);
    expect(handlersOf('auth.login.succeeded')).toEqual([
      'audit-log',
      'audit-log',
      'login-tracker',
      'login-tracker',
    ]);
    expect(handlersOf('auth.password.changed')).toEqual([
      'audit-log',
      'password-alert',
      'session-revoker',
    ]);
    expect(handled.filter((e) => !e.ok)).toEqual([]);

    // Two good logins, four refused (three wrong passwords, one unknown address).
    expect(result.logins.map((session) => session !== undefined)).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
    ]);

    // The report: complete, nothing failed, nothing left undelivered.
    expect(result.report.complete).toBe(true);
    expect(result.report.failed).toBe(0);
    expect(result.report.undelivered).toEqual([]);
    expect(result.report.published).toBe(9);
    expect(logger.entries).toContainEqual({ kind: 'report', report: result.report });
  });

  it('turns the third failed login into a security alert caused by it', async () => {
    const { result } = await runStory();

    const failed = result.audit.filter((entry) => entry.type === 'auth.login.failed');
    expect(failed).toHaveLength(4);
    expect(result.alerts).toHaveLength(1);
    const [alert] = result.alerts;
    expect(alert).toMatchObject({ email: 'ada@example.com', ip: '203.0.113.9', failures: 3 });
    // The alert was published by the handler of the third failed login (the fourth, for an
    // unknown address, counts separately), and keeps that request's id.
    expect(alert?.causationId).toBe(failed[2]?.eventId);
    expect(alert?.requestId).toBe(failed[2]?.requestId);
    expect(result.emails).toContainEqual({
      to: 'ada@example.com',
      template: 'suspicious-activity',
      attempt: 1,
    });
  });

  it('audits every auth event with its request id, and nothing else', async () => {
    const { result } = await runStory();

    expect(result.audit.map((entry) => entry.type)).toEqual([
      'auth.user.registered',
      'auth.login.succeeded',
      'auth.login.succeeded',
      'auth.login.failed',
      'auth.login.failed',
      'auth.login.failed',
      'auth.login.failed',
      'auth.password.changed',
    ]);
    const requestIds = result.audit.map((entry) => entry.requestId);
    expect(requestIds).toEqual([
      'req-1',
      'req-2',
      'req-3',
      'req-4',
      'req-5',
      'req-6',
      'req-7',
      'req-8',
    ]);
  });

  it('retries the welcome email after a busy provider and the password email after a timeout', async () => {
    const { logger, result } = await runStory();
    const tries = logger.entries.filter((e): e is TryEntry => e.kind === 'try');
    const triesOf = (handler: string) =>
      tries.filter((e) => e.handler === handler).map((e) => ({ attempt: e.attempt, ok: e.ok }));

    expect(triesOf('welcome-email')).toEqual([
      { attempt: 1, ok: false },
      { attempt: 2, ok: true },
    ]);
    expect(tries.find((e) => e.handler === 'welcome-email')?.error).toMatch(/busy/);
    expect(triesOf('password-alert')).toEqual([
      { attempt: 1, ok: false },
      { attempt: 2, ok: true },
    ]);
    expect(tries.find((e) => e.handler === 'password-alert')?.error).toMatch(/timed out/);
    expect(result.emails.map(({ template, attempt }) => ({ template, attempt }))).toEqual(
      expect.arrayContaining([
        { template: 'welcome', attempt: 2 },
        { template: 'password-changed', attempt: 2 },
      ]),
    );
  });

  it("revokes both of ada's sessions before changePassword returns", async () => {
    const { result } = await runStory();
    expect(result.revokedSessions).toBe(2);
    expect(result.openSessionsAfterPasswordChange).toBe(0);
  });
});
