import { GossipError } from '@gossip/core';
import { MiddlewareErrorCode } from './error-code.js';

/**
 * A call was refused without running the handler, because its circuit breaker is open.
 *
 * @example
 * ```ts
 * bus.lifecycle.on('error', (error) => {
 *   if (error.cause instanceof CircuitOpenError) logger.info(`retry in ${error.cause.retryAfter} ms`);
 * });
 * ```
 */
export class CircuitOpenError extends GossipError {
  /** Milliseconds until the circuit half-opens and lets a trial call through; 0 if a trial runs now. */
  readonly retryAfter: number;

  /**
   * @param subscription - the subscription whose call was refused
   * @param failures - the number of failures in a row that opened the circuit
   * @param retryAfter - milliseconds until the circuit half-opens
   */
  constructor(subscription: string, failures: number, retryAfter: number) {
    super(
      // Core's GossipError types `code` as core's own codes; this package adds its own.
      MiddlewareErrorCode.CircuitOpen,
      retryAfter > 0
        ? `Circuit open for "${subscription}": ${failures} calls failed in a row, so calls fail fast for another ${retryAfter} ms. Fix what the handler depends on; the circuit then closes after one successful trial call.`
        : `Circuit open for "${subscription}": a trial call is running after ${failures} failures in a row, and calls fail fast until it succeeds. Fix what the handler depends on.`,
    );
    this.retryAfter = retryAfter;
  }
}
