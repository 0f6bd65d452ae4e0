/**
 * Middleware for gossip event handlers: chain, recovery, retry, timeout, logging, dead letter,
 * deduplication, circuit breaker and rate limit.
 *
 * The guide: docs/middleware.md in the repository.
 *
 * @packageDocumentation
 */
export { chain } from './chain.js';
export { CircuitOpenError } from './circuit-open-error.js';
export { DeadLetterError } from './dead-letter-error.js';
export type { ErrorDescription } from './describe-error.js';
export { MiddlewareErrorCode } from './error-code.js';
export { RetryIfError } from './retry-if-error.js';
export type {
  DropRecord,
  ErrorRecord,
  HandlerEndRecord,
  HandlerStartRecord,
  PublishRecord,
  ShutdownRecord,
  TracedEvent,
  TraceRecord,
} from './trace-record.js';
export type { CircuitBreakerOptions, CircuitState } from './with-circuit-breaker.js';
export { withCircuitBreaker } from './with-circuit-breaker.js';
export type { DeadLetter, DeadLetterOptions, DeadLetterPayload } from './with-dead-letter.js';
export { withDeadLetter } from './with-dead-letter.js';
export type { DedupeOptions } from './with-dedupe.js';
export { withDedupe } from './with-dedupe.js';
export type { Logger, LoggingOptions, LogStyle } from './with-logging.js';
export { withLogging } from './with-logging.js';
export type { RateLimitOptions } from './with-rate-limit.js';
export { withRateLimit } from './with-rate-limit.js';
export type { RecoveryOptions } from './with-recovery.js';
export { withRecovery } from './with-recovery.js';
export type { Backoff, RetryOptions } from './with-retry.js';
export { withRetry } from './with-retry.js';
export type { TimeoutOptions } from './with-timeout.js';
export { withTimeout } from './with-timeout.js';
export type { TraceField, TraceLevel, TraceLogger, TraceOptions } from './with-trace.js';
export { traceBus, withTrace } from './with-trace.js';
