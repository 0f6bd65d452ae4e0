/**
 * How withRetry tells an outer withDeadLetter how many tries were made. The counter travels in
 * the handler context under a private symbol: middleware that passes `{ ...ctx, ... }` on (as
 * every middleware here does) keeps it, and handlers never see it in their types.
 */
const COUNTER: unique symbol = Symbol('gossip.middleware.attempts');

/** The number of tries made so far, updated by withRetry. */
export interface AttemptCounter {
  attempts: number;
}

interface Counted {
  readonly [COUNTER]?: AttemptCounter;
}

/** Returns a copy of the context carrying a new counter, and the counter. */
export function countAttempts<TContext extends { readonly attempt: number }>(
  ctx: TContext,
): [TContext, AttemptCounter] {
  const counter: AttemptCounter = { attempts: ctx.attempt };
  const counted: TContext & Counted = { ...ctx, [COUNTER]: counter };
  return [counted, counter];
}

/** Records the try that is about to start, if an outer middleware counts them. */
export function recordAttempt(ctx: object, attempt: number): void {
  const counter = (ctx as Counted)[COUNTER];
  if (counter !== undefined) counter.attempts = attempt;
}
