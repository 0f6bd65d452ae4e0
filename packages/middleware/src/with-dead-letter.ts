import {
  type AnyEvent,
  InvalidOptionError,
  type Metadata,
  type Middleware,
  type PublishFn,
} from '@gossip/core';
import { assertFunction, assertHandler, optionsOf } from './assert.js';
import { countAttempts } from './attempts.js';
import { DeadLetterError } from './dead-letter-error.js';
import { describeError } from './describe-error.js';

/**
 * What a dead-letter handler receives: the event whose handler finally failed, what it failed
 * with, and after how many tries.
 *
 * @example
 * ```ts
 * withDeadLetter({ handler: (letter: DeadLetter) => parked.push(letter) });
 * ```
 */
export interface DeadLetter {
  /** The event, as the handler received it. */
  readonly event: AnyEvent;
  /** What the handler last threw or rejected with (any value). */
  readonly error: unknown;
  /** How many tries were made: as counted by a withRetry inside, else `ctx.attempt` (1). */
  readonly attempts: number;
  /** The subscription whose handler failed. */
  readonly subscription: string;
}

/**
 * The payload of a published dead-letter event: plain data, so that it survives JSON and a
 * broker. Register the dead-letter event type with a schema of this shape.
 *
 * @example
 * ```ts
 * const events = defineEvents({
 *   'dead.letter': z.object({
 *     event: z.object({ id: z.string(), type: z.string(), timestamp: z.number(), data: z.unknown(), metadata: z.record(z.string(), z.string()) }),
 *     error: z.object({ name: z.string(), message: z.string(), code: z.string().optional() }),
 *     attempts: z.number(),
 *     subscription: z.string(),
 *     failedAt: z.number(),
 *   }),
 * });
 * ```
 */
export interface DeadLetterPayload {
  /** The failed event: id, type, timestamp (ms since the epoch), data and metadata. */
  readonly event: {
    readonly id: string;
    readonly type: string;
    readonly timestamp: number;
    readonly data: unknown;
    readonly metadata: Metadata;
  };
  /**
   * The handler's last failure: its name and message (for a non-Error value, name `'NonError'`
   * and the value as text), and its `code` when it is a GossipError.
   */
  readonly error: {
    readonly name: string;
    readonly message: string;
    readonly code?: string | undefined;
  };
  /** How many tries were made. */
  readonly attempts: number;
  /** The subscription whose handler failed. */
  readonly subscription: string;
  /** When the dead letter was sent, in milliseconds since the epoch. */
  readonly failedAt: number;
}

/**
 * Options of {@link withDeadLetter}: where dead letters go (`publish` or `handler`, exactly
 * one), and whether the failure is still reported.
 *
 * @example
 * ```ts
 * withDeadLetter({ publish: 'dead.letter' });
 * withDeadLetter({ handler: async (letter) => db.insert('dead_letters', letter), rethrow: true });
 * ```
 */
export type DeadLetterOptions =
  | {
      /** The event type to publish each dead letter as, through `ctx.publish`; payload {@link DeadLetterPayload}. */
      readonly publish: string;
      readonly handler?: never;
      /**
       * Also rethrow the handler's failure after the dead letter is sent, so the bus still
       * counts and reports it. By default a dead-lettered delivery counts as handled: the
       * dead letter is its report (a broker bridge acknowledges the message instead of
       * redelivering it).
       * @default false
       */
      readonly rethrow?: boolean;
    }
  | {
      /** Called with each dead letter; may be async. */
      readonly handler: (letter: DeadLetter) => void | Promise<void>;
      readonly publish?: never;
      /** As for `publish`. @default false */
      readonly rethrow?: boolean;
    };

/**
 * Sends an event whose handler finally failed to a dead letter, with the error and the number
 * of tries: published as an event of its own (`publish`) or given to a function (`handler`).
 *
 * Place it outside withRetry (before it in a chain), so that only the final failure is
 * dead-lettered. Failures while `ctx.signal` is aborted (shutdown) are not dead-lettered, as
 * the event was interrupted rather than poisonous; nor is a failure to handle the dead-letter
 * event itself, so a broken dead-letter consumer cannot loop. If the dead letter cannot be sent,
 * the delivery fails with a DeadLetterError whose cause is the handler's failure.
 *
 * @param options - `publish` or `handler`, and `rethrow`
 * @returns the middleware
 * @throws InvalidOptionError unless exactly one of `publish` (an event type) and `handler` (a function) is given,
 *   or for a key that is not an option (a misspelt one)
 *
 * @example
 * ```ts
 * bus.use(chain(withDeadLetter({ publish: 'dead.letter' }), withRetry({ attempts: 3 })));
 * bus.subscribe('dead.letter', (event) => alert(event.data.subscription, event.data.error.message));
 * ```
 */
export function withDeadLetter(options: DeadLetterOptions): Middleware {
  const {
    publish: target,
    handler,
    rethrow = false,
  } = optionsOf('withDeadLetter', options, ['publish', 'handler', 'rethrow']);
  if ((target === undefined) === (handler === undefined)) {
    throw new InvalidOptionError(
      'withDeadLetter',
      'exactly one of "publish" (an event type) and "handler" (a function)',
      options,
    );
  }
  if (target !== undefined && (typeof target !== 'string' || target.length === 0)) {
    throw new InvalidOptionError('withDeadLetter({ publish })', 'an event type name', target);
  }
  if (handler !== undefined) assertFunction('withDeadLetter({ handler })', handler);
  if (typeof rethrow !== 'boolean') {
    throw new InvalidOptionError('withDeadLetter({ rethrow })', 'a boolean', rethrow);
  }

  return (next) => {
    assertHandler('withDeadLetter', next);
    return async (event, ctx) => {
      const [counted, counter] = countAttempts(ctx);
      try {
        await next(event, counted);
        return;
      } catch (error) {
        if (ctx.signal.aborted || event.type === target) throw error;
        const letter: DeadLetter = {
          event,
          error,
          attempts: counter.attempts,
          subscription: ctx.subscription,
        };
        try {
          if (handler !== undefined) {
            await handler(letter);
          } else if (target !== undefined) {
            // On a gossip bus ctx.publish is always a PublishFn; the Middleware type keeps it
            // generic only so that typed buses keep their typed publish.
            const publish = ctx.publish as unknown as PublishFn;
            await publish(target, toPayload(letter));
          }
        } catch (deliveryError) {
          throw new DeadLetterError(event, ctx.subscription, error, deliveryError);
        }
        if (rethrow) throw error;
      }
    };
  };
}

function toPayload(letter: DeadLetter): DeadLetterPayload {
  const { event, error, attempts, subscription } = letter;
  return {
    event: {
      id: event.id,
      type: event.type,
      timestamp: event.timestamp,
      data: event.data,
      metadata: event.metadata,
    },
    error: describeError(error),
    attempts,
    subscription,
    failedAt: Date.now(),
  };
}
