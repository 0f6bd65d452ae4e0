/**
 * The business logic: registration, login and password change. It knows nothing of emails,
 * audit or security monitoring; it says what happened on the bus, and the subscribers react.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { AuthBus } from './events.js';
import type { SessionStore } from './sessions.js';

const hash = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  length: number,
) => Promise<Buffer>;

interface User {
  readonly userId: string;
  readonly email: string;
  readonly username: string;
  salt: Buffer;
  passwordHash: Buffer;
}

/** What the service knows of the HTTP request it is serving. */
export interface RequestContext {
  readonly requestId: string;
  readonly ip: string;
  readonly userAgent: string;
}

/** A password change did not complete: a handler that must succeed failed. */
export class PasswordChangeError extends Error {
  override readonly name = 'PasswordChangeError';
}

export class AuthService {
  readonly #bus: AuthBus;
  readonly #sessions: SessionStore;
  readonly #users = new Map<string, User>();
  #nextUser = 0;

  constructor(bus: AuthBus, sessions: SessionStore) {
    this.#bus = bus;
    this.#sessions = sessions;
  }

  /** Registers a user; the welcome email and the audit entry follow from the event. */
  async register(
    request: RequestContext,
    input: { email: string; username: string; password: string },
  ): Promise<string> {
    const userId = `u-${++this.#nextUser}`;
    const salt = randomBytes(16);
    const passwordHash = await hash(input.password, salt, 32);
    this.#users.set(input.email, {
      userId,
      email: input.email,
      username: input.username,
      salt,
      passwordHash,
    });
    await this.#bus.publish(
      'auth.user.registered',
      { userId, email: input.email, username: input.username },
      { metadata: metadataOf(request) },
    );
    return userId;
  }

  /**
   * Checks a password. Success opens a session; failure is published too, so the security
   * monitor can count failures, and the caller learns only that the login was refused.
   */
  async login(
    request: RequestContext,
    email: string,
    password: string,
  ): Promise<string | undefined> {
    const metadata = metadataOf(request);
    const user = this.#users.get(email);
    if (user === undefined) {
      await this.#bus.publish(
        'auth.login.failed',
        { email, ip: request.ip, reason: 'unknown-user' },
        { metadata },
      );
      return undefined;
    }
    if (!(await matches(password, user))) {
      await this.#bus.publish(
        'auth.login.failed',
        { email, ip: request.ip, reason: 'wrong-password' },
        { metadata },
      );
      return undefined;
    }
    const sessionId = this.#sessions.open(user.userId);
    await this.#bus.publish(
      'auth.login.succeeded',
      { userId: user.userId, sessionId, ip: request.ip, userAgent: request.userAgent },
      { metadata },
    );
    return sessionId;
  }

  /**
   * Changes a password. Published with `publishSync`: the request must not answer "done"
   * until every handler has run, above all the one that revokes the other sessions.
   */
  async changePassword(
    request: RequestContext,
    email: string,
    oldPassword: string,
    newPassword: string,
  ): Promise<void> {
    const user = this.#users.get(email);
    if (user === undefined || !(await matches(oldPassword, user))) {
      throw new PasswordChangeError('the current password is wrong');
    }
    user.salt = randomBytes(16);
    user.passwordHash = await hash(newPassword, user.salt, 32);
    const errors = await this.#bus.publishSync(
      'auth.password.changed',
      { userId: user.userId, email },
      { metadata: metadataOf(request), timeout: 2000 },
    );
    if (errors.length > 0) {
      throw new PasswordChangeError(
        `${errors.length} handler(s) failed: ${errors.map((e) => e.message).join('; ')}`,
      );
    }
  }
}

async function matches(password: string, user: User): Promise<boolean> {
  return timingSafeEqual(await hash(password, user.salt, 32), user.passwordHash);
}

/** The request id travels in every event's metadata, so the audit log can tie them together. */
function metadataOf(request: RequestContext): Record<string, string> {
  return { requestId: request.requestId, source: 'auth-api' };
}
