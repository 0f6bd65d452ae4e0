import type { StandardSchemaV1 } from '@standard-schema/spec';
import { describeValue, messageOf } from './describe.js';
import type { AnyEvent } from './event.js';

/**
 * The stable code of every error gossip throws or reports, one per failure.
 *
 * Codes never change between versions: match on them, not on messages.
 *
 * @example
 * ```ts
 * if (error instanceof GossipError && error.code === ErrorCode.BufferFull) retryLater();
 * ```
 */
export const ErrorCode = {
  Validation: 'VALIDATION_FAILED',
  UnknownEvent: 'UNKNOWN_EVENT',
  UnmatchedPattern: 'UNMATCHED_PATTERN',
  InvalidOption: 'INVALID_OPTION',
  AsyncSchema: 'ASYNC_SCHEMA',
  BufferFull: 'BUFFER_FULL',
  BusClosed: 'BUS_CLOSED',
  Handler: 'HANDLER_FAILED',
  Timeout: 'TIMEOUT',
  LoopDetected: 'LOOP_DETECTED',
  EventDropped: 'EVENT_DROPPED',
  Upcast: 'UPCAST_FAILED',
} as const;

/** One of the values of {@link ErrorCode}. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * The code of a GossipError: one of core's {@link ErrorCode} values, or a code of a sibling
 * package's own table (such as `@gossip/batch`'s `'BATCH_FAILED'`).
 *
 * @example
 * ```ts
 * const MyCode = { Throttled: 'MY_THROTTLED' } as const;
 * class ThrottledError extends GossipError {
 *   constructor() { super(MyCode.Throttled, 'Throttled: slow down.'); }
 * }
 * ```
 */
export type GossipErrorCode = ErrorCode | (string & Record<never, never>);

/**
 * The base class of every error gossip throws or reports.
 *
 * @example
 * ```ts
 * try {
 *   await bus.publish('user.created', input);
 * } catch (error) {
 *   if (error instanceof GossipError) logger.error(error.code, error.message);
 * }
 * ```
 */
export class GossipError extends Error {
  /** A stable code: one of {@link ErrorCode}, or of a sibling package's table. */
  readonly code: GossipErrorCode;

  /**
   * @param code - the stable code of the failure
   * @param message - what happened and what to do about it
   * @param options - the underlying cause, if any
   */
  constructor(code: GossipErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** One problem a schema found in a payload, with the path to the offending field. */
export interface ValidationIssue {
  /** What the schema says is wrong. */
  readonly message: string;
  /** Where in the payload, as a list of keys and indexes; empty for the payload itself. */
  readonly path: ReadonlyArray<PropertyKey>;
}

function issuePath(issue: StandardSchemaV1.Issue): PropertyKey[] {
  return (issue.path ?? []).map((segment) =>
    typeof segment === 'object' && segment !== null ? segment.key : segment,
  );
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.length === 0 ? '(payload)' : path.map(String).join('.');
}

/**
 * A payload did not match its event's schema; no handler was called.
 *
 * @example
 * ```ts
 * const result = registry.validateSync('user.created', { email: 42 });
 * if (!result.success) logger.info(result.error.issues[0]?.path);
 * ```
 */
export class ValidationError extends GossipError {
  /** The event type whose schema refused the payload. */
  readonly eventType: string;
  /** The schema's issues, each with its path. */
  readonly issues: ReadonlyArray<ValidationIssue>;

  /**
   * @param eventType - the event type whose schema refused the payload
   * @param issues - the issues as the Standard Schema validator reported them
   * @param options - the underlying cause, if any: what a validator threw on a payload it could
   *   not read; and the schema version the payload was validated against, named in the message
   *   (given on receipt of an event that carries its version)
   */
  constructor(
    eventType: string,
    issues: ReadonlyArray<StandardSchemaV1.Issue>,
    options?: { cause?: unknown; version?: number | undefined },
  ) {
    const list = issues.map((issue) => ({ message: issue.message, path: issuePath(issue) }));
    const detail = list.map((issue) => `${formatPath(issue.path)}: ${issue.message}`).join('; ');
    const version = options?.version === undefined ? '' : ` version ${options.version}`;
    super(
      ErrorCode.Validation,
      `Invalid payload for event "${eventType}"${version}: ${detail}. Fix the payload to match the schema registered for "${eventType}"${version}.`,
      options,
    );
    this.eventType = eventType;
    this.issues = list;
  }
}

/**
 * A received event could not be lifted to its type's latest schema version, so no handler saw
 * it: its version is unknown, a version after it has no upcaster, or an upcaster threw (its
 * `cause`). `bus.receive()` rejects with it and the bus reports it (`onError`, the `error`
 * lifecycle event).
 *
 * @example
 * ```ts
 * createEventBus({ registry, onError: (error) => {
 *   if (error instanceof UpcastError) alert(error.eventType, error.version);
 * } });
 * ```
 */
export class UpcastError extends GossipError {
  /** The event type. */
  readonly eventType: string;
  /** The version the event said it has, as it said it (`gossip.schemaVersion`). */
  readonly version: string;

  /**
   * @param eventType - the event type
   * @param version - the version the event carried
   * @param reason - why it cannot be lifted, and what to do
   * @param options - what an upcaster threw, if it did
   */
  constructor(eventType: string, version: string, reason: string, options?: { cause?: unknown }) {
    super(
      ErrorCode.Upcast,
      `Cannot upcast event "${eventType}" from schema version ${JSON.stringify(version)}: ${reason}`,
      options,
    );
    this.eventType = eventType;
    this.version = version;
  }
}

/**
 * An event type the registry does not know was published or received.
 *
 * @example
 * ```ts
 * await bus.publish('user.craeted' as never, {}); // rejects with UnknownEventError
 * ```
 */
export class UnknownEventError extends GossipError {
  /** The event type that has no schema. */
  readonly eventType: string;

  /** @param eventType - the event type that has no schema */
  constructor(eventType: string) {
    super(
      ErrorCode.UnknownEvent,
      `Unknown event "${eventType}": no schema is registered for it. Check the name, or register a schema for "${eventType}" before publishing it.`,
    );
    this.eventType = eventType;
  }
}

/**
 * A subscription pattern matches none of the registered event types, so its handler could never run.
 *
 * @example
 * ```ts
 * bus.subscribe('ordr.*' as never, handler); // throws UnmatchedPatternError
 * ```
 */
export class UnmatchedPatternError extends GossipError {
  /** The pattern that matches nothing. */
  readonly pattern: string;

  /** @param pattern - the pattern that matches nothing */
  constructor(pattern: string) {
    super(
      ErrorCode.UnmatchedPattern,
      `Pattern "${pattern}" matches no registered event type. Check its spelling, or register the events it is meant to match.`,
    );
    this.pattern = pattern;
  }
}

/**
 * An option or argument is not valid; thrown at once, where it was given. It names the option
 * with the function it was given to, as the caller wrote it (see {@link optionName}).
 *
 * @example
 * ```ts
 * createEventBus({ workers: 0 });
 * // InvalidOptionError: Invalid option "createEventBus({ workers })": expected an integer of
 * // at least 1, received 0.
 * ```
 */
export class InvalidOptionError extends GossipError {
  /** The name of the option or argument: `createEventBus({ workers })`, `subscribe(handler)`. */
  readonly option: string;

  /**
   * @param option - the name of the option or argument, as {@link optionName} makes it
   * @param expected - what a valid value looks like
   * @param received - the value that was given
   * @param options - the underlying cause, if any: what reading the value threw
   */
  constructor(option: string, expected: string, received: unknown, options?: { cause?: unknown }) {
    super(
      ErrorCode.InvalidOption,
      `Invalid option "${option}": expected ${expected}, received ${describeValue(received)}.`,
      options,
    );
    this.option = option;
  }
}

/**
 * A schema validated asynchronously where a synchronous answer was asked for.
 *
 * @example
 * ```ts
 * registry.validateSync('user.created', data); // throws AsyncSchemaError for an async schema
 * ```
 */
export class AsyncSchemaError extends GossipError {
  /** The event type whose schema is asynchronous. */
  readonly eventType: string;

  /** @param eventType - the event type whose schema is asynchronous */
  constructor(eventType: string) {
    super(
      ErrorCode.AsyncSchema,
      `The schema for "${eventType}" validates asynchronously. Use registry.validate(), which returns a promise.`,
    );
    this.eventType = eventType;
  }
}

/**
 * The bus's buffer was full and its overflow policy is `reject`.
 *
 * @example
 * ```ts
 * const bus = createEventBus({ schemas, bufferSize: 1, overflow: 'reject' });
 * ```
 */
export class BufferFullError extends GossipError {
  /** The event type that was refused. */
  readonly eventType: string;

  /**
   * @param eventType - the event type that was refused
   * @param bufferSize - the size of the full buffer
   */
  constructor(eventType: string, bufferSize: number) {
    super(
      ErrorCode.BufferFull,
      `Cannot queue event "${eventType}": the buffer holds ${bufferSize} events and is full. Publish more slowly, raise bufferSize or workers, or choose overflow: 'block' to wait for room.`,
    );
    this.eventType = eventType;
  }
}

/**
 * The bus is shut down (or shutting down) and accepts no more events.
 *
 * @example
 * ```ts
 * await bus.shutdown();
 * await bus.publish('user.created', data); // rejects with BusClosedError
 * ```
 */
export class BusClosedError extends GossipError {
  /** The event type that was refused. */
  readonly eventType: string;

  /**
   * @param eventType - the event type (or pattern) that was refused
   * @param action - what was refused
   */
  constructor(eventType: string, action: 'publish' | 'subscribe to' | 'receive' = 'publish') {
    super(
      ErrorCode.BusClosed,
      `Cannot ${action} "${eventType}": the bus is shut down. Do it before calling shutdown(), or create a new bus.`,
    );
    this.eventType = eventType;
  }
}

/**
 * A handler threw, rejected, or was abandoned; carries the event and the subscription.
 *
 * @example
 * ```ts
 * createEventBus({ schemas, onError: (error) => {
 *   if (error instanceof HandlerError) log(error.subscription, error.event.id, error.cause);
 * } });
 * ```
 */
export class HandlerError extends GossipError {
  /** The event the handler failed on. */
  readonly event: AnyEvent;
  /** The subscription's name (its `name` option, or its pattern). */
  readonly subscription: string;

  /**
   * @param event - the event the handler failed on
   * @param subscription - the subscription's name
   * @param cause - what the handler threw (any value)
   */
  constructor(event: AnyEvent, subscription: string, cause: unknown) {
    super(
      ErrorCode.Handler,
      `Handler "${subscription}" failed on event "${event.type}" (${event.id}): ${messageOf(cause)}`,
      { cause },
    );
    this.event = event;
    this.subscription = subscription;
  }
}

/**
 * Tells whether a thrown value is already the HandlerError of this event (a middleware may
 * throw one), without throwing whatever the value is: `instanceof` reads the prototype chain,
 * which a revoked Proxy refuses.
 *
 * @internal
 */
export function isHandlerErrorOf(cause: unknown, event: AnyEvent): cause is HandlerError {
  try {
    return cause instanceof HandlerError && cause.event === event;
  } catch {
    return false;
  }
}

/**
 * Something took longer than its deadline.
 *
 * @example
 * ```ts
 * await bus.once('user.created', { timeout: 1000 }); // rejects with TimeoutError after a second
 * ```
 */
export class TimeoutError extends GossipError {
  /** The deadline that passed, in milliseconds. */
  readonly timeout: number;

  /**
   * @param what - what timed out, for the message
   * @param timeout - the deadline in milliseconds
   */
  constructor(what: string, timeout: number) {
    super(ErrorCode.Timeout, `${what} timed out after ${timeout} ms.`);
    this.timeout = timeout;
  }
}

/**
 * A chain of events caused by handlers grew past `maxCausationDepth`; the last was not published.
 *
 * @example
 * ```ts
 * createEventBus({ schemas, maxCausationDepth: 8 });
 * ```
 */
export class LoopDetectedError extends GossipError {
  /** The event type that was refused. */
  readonly eventType: string;
  /** The event whose handler tried to publish it. */
  readonly causedBy: AnyEvent;

  /**
   * @param eventType - the event type that was refused
   * @param cause - the event whose handler tried to publish it
   * @param maxDepth - the configured bound
   */
  constructor(eventType: string, cause: AnyEvent, maxDepth: number) {
    super(
      ErrorCode.LoopDetected,
      `Refused to publish "${eventType}" from a handler of "${cause.type}": the chain of caused events is deeper than ${maxDepth}, which looks like a loop. Break the cycle, or raise maxCausationDepth if the chain is meant to be this long.`,
      { cause },
    );
    this.eventType = eventType;
    this.causedBy = cause;
  }
}

/**
 * An event was dropped by the overflow policy before it reached a handler. `bus.receive()`
 * returns it among its errors, so a bridge asks the broker for redelivery.
 *
 * @example
 * ```ts
 * const { errors } = await bus.receive(message);
 * if (errors.some((e) => e instanceof EventDroppedError)) nak();
 * ```
 */
export class EventDroppedError extends GossipError {
  /** The event that was dropped. */
  readonly event: AnyEvent;
  /** The policy that dropped it. */
  readonly reason: 'drop-oldest' | 'drop-newest';

  /**
   * @param event - the event that was dropped
   * @param reason - the policy that dropped it
   */
  constructor(event: AnyEvent, reason: 'drop-oldest' | 'drop-newest') {
    super(
      ErrorCode.EventDropped,
      `Event "${event.type}" (${event.id}) was dropped by the ${reason} overflow policy because the buffer was full. Raise bufferSize or workers, or choose overflow: 'block'.`,
    );
    this.event = event;
    this.reason = reason;
  }
}
