/**
 * The user service owns accounts. It announces new accounts, and when the email service
 * reports a bounce it marks the address as unverified.
 */

import type { TraceLogger } from '@gossip/example-trace';
import type { AppBus } from '../events.js';

interface Account {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  verified: boolean | undefined;
}

export class UserService {
  readonly #bus: AppBus;
  readonly #accounts = new Map<string, Account>();
  #next = 0;

  constructor(bus: AppBus, logger: TraceLogger) {
    this.#bus = bus;
    bus.subscribe(
      'email.welcome.bounced',
      async (event, ctx) => {
        const account = this.#accounts.get(event.data.userId);
        if (account === undefined) return;
        account.verified = false;
        logger.write({
          kind: 'note',
          message: `user: ${account.email} marked unverified (${event.data.reason})`,
        });
        await ctx.publish('user.email.unverified', {
          userId: account.userId,
          email: account.email,
        });
      },
      { name: 'user.bounce-handler' },
    );
  }

  /** Creates an account and announces it; the other services take it from there. */
  async createAccount(name: string, email: string): Promise<string> {
    const userId = `u-${++this.#next}`;
    this.#accounts.set(userId, { userId, email, name, verified: undefined });
    await this.#bus.publish('user.account.created', { userId, email, name });
    return userId;
  }

  /** Whether an address is known to be bad (false), good (true) or not known yet. */
  verified(userId: string): boolean | undefined {
    return this.#accounts.get(userId)?.verified;
  }
}
