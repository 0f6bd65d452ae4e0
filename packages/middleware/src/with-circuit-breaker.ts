import type { Middleware } from '@gossip/core';
import {
  assertDuration,
  assertFunction,
  assertHandler,
  assertInteger,
  optionsOf,
} from './assert.js';
import { callQuietly } from './call-quietly.js';
import { CircuitOpenError } from './circuit-open-error.js';

/**
 * The state of a circuit breaker: `closed` lets calls through, `open` fails them fast,
 * `half-open` lets one trial call through to decide between the two.
 *
 * @example
 * ```ts
 * const onStateChange = (state: CircuitState) => gauge.set(state === 'open' ? 1 : 0);
 * ```
 */
export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * Options of {@link withCircuitBreaker}.
 *
 * @example
 * ```ts
 * withCircuitBreaker({ failureThreshold: 5, resetAfter: 30_000, onStateChange: (to, from) => log.warn({ from, to }) });
 * ```
 */
export interface CircuitBreakerOptions {
  /**
   * How many calls in a row must fail to open the circuit; an integer of at least 1.
   * @default 5
   */
  readonly failureThreshold?: number;
  /**
   * How long the circuit stays open before it half-opens, in milliseconds.
   * @default 30000
   */
  readonly resetAfter?: number;
  /**
   * Called on each change of state, with the new state and the previous one. A throw here is
   * ignored: it changes neither the call's outcome nor the circuit's state, and never reaches
   * the host as an uncaught exception.
   * @default none
   */
  readonly onStateChange?: (state: CircuitState, previous: CircuitState) => void;
}

/**
 * Fails calls fast while the handler keeps failing, so a broken dependency is not hammered.
 *
 * After `failureThreshold` failures in a row the circuit opens: calls fail at once with a
 * {@link CircuitOpenError} (code `CIRCUIT_OPEN`) without running the handler. After
 * `resetAfter` milliseconds it half-opens: the next call runs as a trial (others still fail
 * fast); if it succeeds the circuit closes, if it fails the circuit opens again. One circuit
 * per `withCircuitBreaker(...)` call, shared by every handler it wraps: give each subscription
 * its own for separate circuits.
 *
 * @param options - failureThreshold, resetAfter, onStateChange
 * @returns the middleware
 * @throws InvalidOptionError for a threshold below 1, a negative reset time, or a key that is not
 *   an option (a misspelt one)
 *
 * @example
 * ```ts
 * const breaker = withCircuitBreaker({ failureThreshold: 3, resetAfter: 10_000 });
 * bus.subscribe('invoice.requested', callBillingApi, { middleware: [breaker] });
 * ```
 */
export function withCircuitBreaker(options?: CircuitBreakerOptions): Middleware {
  const {
    failureThreshold = 5,
    resetAfter = 30_000,
    onStateChange,
  } = optionsOf('withCircuitBreaker', options, ['failureThreshold', 'resetAfter', 'onStateChange']);
  assertInteger('withCircuitBreaker({ failureThreshold })', failureThreshold, 1);
  assertDuration('withCircuitBreaker({ resetAfter })', resetAfter);
  if (onStateChange !== undefined)
    assertFunction('withCircuitBreaker({ onStateChange })', onStateChange);

  let state: CircuitState = 'closed';
  let failures = 0;
  let openedAt = 0;
  let trialRunning = false;
  const moveTo = (next: CircuitState): void => {
    const previous = state;
    state = next;
    if (onStateChange === undefined) return;
    // An observer must neither change the call's outcome nor crash the host; as with
    // withLogging's logger, there is nowhere else to report its failure.
    callQuietly(() => onStateChange(next, previous));
  };

  return (next) => {
    assertHandler('withCircuitBreaker', next);
    return async (event, ctx) => {
      if (state === 'open') {
        const left = openedAt + resetAfter - Date.now();
        if (left > 0) throw new CircuitOpenError(ctx.subscription, failures, left);
        moveTo('half-open');
      }
      const trial = state === 'half-open';
      if (trial) {
        if (trialRunning) throw new CircuitOpenError(ctx.subscription, failures, 0);
        trialRunning = true;
      }
      try {
        await next(event, ctx);
      } catch (error) {
        failures++;
        if (trial || (state === 'closed' && failures >= failureThreshold)) {
          openedAt = Date.now();
          moveTo('open');
        }
        throw error;
      } finally {
        if (trial) trialRunning = false;
      }
      if (trial) {
        failures = 0;
        moveTo('closed');
      } else if (state === 'closed') {
        failures = 0;
      }
    };
  };
}
