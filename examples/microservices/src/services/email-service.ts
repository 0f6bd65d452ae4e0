/**
 * The email service sends the welcome email for each new account, then says how it went:
 * `email.welcome.sent` or `email.welcome.bounced`, published from the handler so that each
 * carries the id of the account event that caused it.
 */

import type { TraceLogger } from '@gossip/example-trace';
import type { AppBus } from '../events.js';

export class EmailService {
  #sent = 0;

  /** @param bouncing - addresses whose mailbox does not exist */
  constructor(bus: AppBus, logger: TraceLogger, bouncing: ReadonlySet<string>) {
    bus.subscribe(
      'user.account.created',
      async (event, ctx) => {
        const { userId, email, name } = event.data;
        await new Promise<void>((resolve) => setTimeout(resolve, 5)); // the mail provider's latency
        if (bouncing.has(email)) {
          await ctx.publish('email.welcome.bounced', {
            userId,
            email,
            reason: '550 mailbox unavailable',
          });
          return;
        }
        const messageId = `msg-${++this.#sent}`;
        logger.write({ kind: 'note', message: `email: welcome sent to ${name} <${email}>` });
        await ctx.publish('email.welcome.sent', { userId, messageId });
      },
      { name: 'email.welcome' },
    );
  }
}
