import { messageOf } from './describe.js';
import { type GossipError, LoopDetectedError } from './errors.js';

/**
 * The one line printed for a failure nobody listens to: its code and its message (a handler's
 * names the event type, the event id and the subscription; a refused loop's gets the id of the
 * event whose handler published), on one line whatever the message holds. Never throws.
 *
 * @internal
 * @param error - a failure the bus reports
 * @returns the line
 *
 * @example
 * ```ts
 * failureLine(new HandlerError(event, 'mailer', new Error('SMTP is down')));
 * // 'gossip: [HANDLER_FAILED] Handler "mailer" failed on event "mail.requested" (0190...): SMTP is down'
 * ```
 */
export function failureLine(error: GossipError): string {
  let text = messageOf(error);
  try {
    text = `[${String(error.code)}] ${text}`;
    if (error instanceof LoopDetectedError) text += ` (caused by event ${error.causedBy.id})`;
  } catch {
    // A hostile value given to bus.report(): its message is all there is to say.
  }
  return `gossip: ${text.replace(/\s*\n\s*/g, ' ')}`;
}

/**
 * Prints a failure with `console.error`, as one line: what the bus does with a failure when it
 * has no `onError` option and no `error` lifecycle listener, so that no failure is silent.
 *
 * @internal
 * @param error - the failure
 *
 * @example
 * ```ts
 * if (onError === undefined && lifecycle.listenerCount('error') === 0) printFailure(error);
 * ```
 */
export function printFailure(error: GossipError): void {
  console.error(failureLine(error));
}
