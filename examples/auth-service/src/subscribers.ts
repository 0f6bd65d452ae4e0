/**
 * Everything that reacts to the auth events. Each subscription has a name, which the trace,
 * the bus's errors and its stats use.
 */
import type { Middleware } from '@gossip/core';
import { type TraceLogger, tryLogger } from '@gossip/example-trace';
import { chain, withRecovery, withRetry, withTimeout, withTrace } from '@gossip/middleware';
import type { AuthBus } from './events.js';
import type { FakeMailer } from './mailer.js';
import type { SessionStore } from './sessions.js';

/** One line of the audit log. */
export interface AuditEntry {
  readonly type: string;
  readonly eventId: string;
  readonly requestId: string | undefined;
  readonly at: number;
}

/** A security alert, with the event that caused it. */
export interface AlertRecord {
  readonly email: string;
  readonly ip: string;
  readonly failures: number;
  readonly eventId: string;
  /** The id of the failed login whose handler raised the alert. */
  readonly causationId: string | undefined;
  readonly requestId: string | undefined;
}

/** What the subscribers recorded, for the example's summary and its test. */
export interface AuthRecords {
  readonly audit: AuditEntry[];
  readonly alerts: AlertRecord[];
  readonly lastLogin: Map<string, { ip: string; userAgent: string }>;
  revokedSessions: number;
}

/** Failed logins for one address, from any IP, before an alert is raised. */
export const ALERT_THRESHOLD = 3;

/**
 * The middleware around every email handler, outermost first: recovery turns whatever escapes
 * into a reported HandlerError; retry tries three times, 50 then 100 ms apart; timeout gives
 * each try 250 ms and aborts its signal after that; logging records each try.
 */
export function reliableEmail(logger: TraceLogger): Middleware {
  return chain(
    withRecovery(),
    withRetry({ attempts: 3, delay: 50, backoff: 'exponential' }),
    withTimeout(250),
    withTrace(tryLogger(logger)),
  );
}

/** Subscribes every handler of the service to the bus. */
export function registerSubscribers(
  bus: AuthBus,
  deps: { logger: TraceLogger; mailer: FakeMailer; sessions: SessionStore },
): AuthRecords {
  const { logger, mailer, sessions } = deps;
  const records: AuthRecords = { audit: [], alerts: [], lastLogin: new Map(), revokedSessions: 0 };
  const note = (message: string): void => logger.write({ kind: 'note', message });

  // Audit: `auth.**` matches every auth event, present and future, whatever its depth.
  bus.subscribe(
    'auth.**',
    (event) => {
      records.audit.push({
        type: event.type,
        eventId: event.id,
        requestId: event.metadata.requestId,
        at: event.timestamp,
      });
    },
    { name: 'audit-log' },
  );

  bus.subscribe(
    'auth.user.registered',
    async (event, ctx) => {
      await mailer.send(event.data.email, 'welcome', ctx.attempt, ctx.signal);
    },
    { name: 'welcome-email', middleware: [reliableEmail(logger)] },
  );

  bus.subscribe(
    'auth.login.succeeded',
    (event) => {
      const { userId, ip, userAgent } = event.data;
      const previous = records.lastLogin.get(userId);
      if (previous !== undefined && previous.ip !== ip) {
        note(`${userId} signed in from a new place: ${ip} (${userAgent})`);
      }
      records.lastLogin.set(userId, { ip, userAgent });
    },
    { name: 'login-tracker' },
  );

  // Counts failed logins per address; the third raises an alert. The alert is published
  // through ctx.publish, so it carries the failed login's id as its causation id.
  const failures = new Map<string, number>();
  bus.subscribe(
    'auth.login.failed',
    async (event, ctx) => {
      const { email, ip } = event.data;
      const count = (failures.get(email) ?? 0) + 1;
      failures.set(email, count);
      if (count < ALERT_THRESHOLD) return;
      failures.delete(email);
      // Caused events carry causation ids, not the cause's metadata: pass the request id on.
      const requestId = event.metadata.requestId ?? 'unknown';
      await ctx.publish(
        'security.alert.raised',
        { email, ip, failures: count },
        { metadata: { requestId } },
      );
    },
    { name: 'security-monitor' },
  );

  bus.subscribe(
    'security.alert.raised',
    async (event, ctx) => {
      const { email, ip, failures: count } = event.data;
      records.alerts.push({
        email,
        ip,
        failures: count,
        eventId: event.id,
        causationId: event.metadata.causationId,
        requestId: event.metadata.requestId,
      });
      note(`security: ${count} failed logins for ${email} from ${ip}; warning the owner`);
      await mailer.send(email, 'suspicious-activity', ctx.attempt, ctx.signal);
    },
    { name: 'security-alert', middleware: [reliableEmail(logger)] },
  );

  bus.subscribe(
    'auth.password.changed',
    (event) => {
      const revoked = sessions.revokeAll(event.data.userId);
      records.revokedSessions += revoked;
      note(`revoked ${revoked} session(s) of ${event.data.userId}`);
    },
    { name: 'session-revoker' },
  );

  bus.subscribe(
    'auth.password.changed',
    async (event, ctx) => {
      await mailer.send(event.data.email, 'password-changed', ctx.attempt, ctx.signal);
    },
    { name: 'password-alert', middleware: [reliableEmail(logger)] },
  );

  return records;
}
