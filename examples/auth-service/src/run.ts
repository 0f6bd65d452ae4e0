/**
 * The auth service's story: ada signs up, logs in from two devices, someone guesses her
 * password three times (which raises a security alert), and she changes her password, which
 * closes her sessions. Then the bus shuts down and reports.
 */
import type { ShutdownReport } from '@gossip/core';
import { handledLogger, type TraceLogger } from '@gossip/example-trace';
import { withTrace } from '@gossip/middleware';
import { AuthService, type RequestContext } from './auth-service.js';
import { createAuthBus } from './events.js';
import { FakeMailer, type SentEmail } from './mailer.js';
import { SessionStore } from './sessions.js';
import { type AlertRecord, type AuditEntry, registerSubscribers } from './subscribers.js';

/** What happened, for the test to check. */
export interface AuthDemoResult {
  readonly report: ShutdownReport;
  readonly audit: ReadonlyArray<AuditEntry>;
  readonly alerts: ReadonlyArray<AlertRecord>;
  readonly emails: ReadonlyArray<SentEmail>;
  /** The outcome of each login, in order: a session id, or undefined when refused. */
  readonly logins: ReadonlyArray<string | undefined>;
  readonly revokedSessions: number;
  readonly openSessionsAfterPasswordChange: number;
}

const laptop = { ip: '198.51.100.4', userAgent: 'Firefox on Linux' };
const phone = { ip: '192.0.2.77', userAgent: 'Safari on iOS' };
const attacker = { ip: '203.0.113.9', userAgent: 'curl/8.5' };

/** Runs the story, writing its trace to `logger`. */
export async function run(logger: TraceLogger): Promise<AuthDemoResult> {
  const bus = createAuthBus({
    workers: 4,
    // Outermost, around every subscription: one trace line per handler call.
    middleware: [withTrace(handledLogger(logger))],
    onError: (error) => logger.write({ kind: 'note', message: `reported: ${error.message}` }),
  });
  const sessions = new SessionStore();
  // The provider is busy for the first welcome email, and hangs on the first
  // password-changed email: retry and timeout deal with both.
  const mailer = new FakeMailer({ welcome: 'busy', 'password-changed': 'hang' });
  const records = registerSubscribers(bus, { logger, mailer, sessions });
  const auth = new AuthService(bus, sessions);

  let nextRequest = 0;
  const request = (client: { ip: string; userAgent: string }): RequestContext => ({
    requestId: `req-${++nextRequest}`,
    ...client,
  });
  const step = (message: string): void => logger.write({ kind: 'step', message });
  const note = (message: string): void => logger.write({ kind: 'note', message });
  const password = 'correct horse battery staple';
  const logins: Array<string | undefined> = [];
  const login = async (client: typeof laptop, email: string, guess: string): Promise<void> => {
    const session = await auth.login(request(client), email, guess);
    logins.push(session);
    note(session === undefined ? `login refused for ${email}` : `${email} signed in: ${session}`);
  };

  step('ada signs up');
  const userId = await auth.register(request(laptop), {
    email: 'ada@example.com',
    username: 'ada',
    password,
  });

  step('ada signs in from her laptop, then her phone');
  await login(laptop, 'ada@example.com', password);
  await login(phone, 'ada@example.com', password);

  step(`someone at ${attacker.ip} guesses her password`);
  for (const guess of ['123456', 'password', 'ada1815'])
    await login(attacker, 'ada@example.com', guess);
  await login(attacker, 'root@example.com', 'admin');

  step('ada changes her password (publishSync: returns once every handler has run)');
  await auth.changePassword(
    request(laptop),
    'ada@example.com',
    password,
    'a new, longer passphrase',
  );
  const openSessionsAfterPasswordChange = sessions.count(userId);
  note(`ada has ${openSessionsAfterPasswordChange} open session(s)`);

  step('shutting down: drain the queue, wait for running handlers, report');
  const report = await bus.shutdown({ timeout: 5000 });
  logger.write({ kind: 'report', report });
  note(
    `audit log: ${records.audit.length} entries; emails sent: ${mailer.sent.map((e) => e.template).join(', ')}`,
  );

  return {
    report,
    audit: records.audit,
    alerts: records.alerts,
    emails: mailer.sent,
    logins,
    revokedSessions: records.revokedSessions,
    openSessionsAfterPasswordChange,
  };
}
