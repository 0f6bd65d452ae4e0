import { assertFunction, assertInteger, assertOneOf } from './assert.js';
import type { OverflowPolicy } from './dispatcher.js';
import { InvalidOptionError } from './errors.js';
import type { Metadata } from './event.js';
import type { Middleware, Priority, PublishOptions, SubscribeOptions } from './handler.js';
import { assertKnownKeys, unknownKey, unknownOption } from './known-keys.js';
import type { Scheduler, SchedulerFactory } from './scheduler.js';

/** The overflow policies, in the order the docs present them. */
export const OVERFLOW_POLICIES: readonly OverflowPolicy[] = [
  'block',
  'reject',
  'drop-oldest',
  'drop-newest',
];

/** The keys of subscribe options. @internal */
export const SUBSCRIBE_KEYS: readonly string[] = [
  'name',
  'filter',
  'orderingKey',
  'signal',
  'middleware',
];

/** The keys of publish options. @internal */
export const PUBLISH_KEYS: readonly string[] = ['metadata', 'id', 'priority'];

/**
 * Checks subscribe options and returns a copy of them, each field read once (a getter cannot
 * pass the check and then give something else); throws InvalidOptionError for one of the
 * wrong kind, or options that cannot be read.
 */
export function checkSubscribeOptions(options: SubscribeOptions): SubscribeOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', 'an object', options);
  }
  const copy = readSafely('options', options, () => ({ ...options }));
  assertKnownKeys('subscribe', copy, SUBSCRIBE_KEYS);
  const { name, filter, orderingKey, signal, middleware } = copy;
  if (name !== undefined && (typeof name !== 'string' || name.length === 0)) {
    throw new InvalidOptionError('name', 'a non-empty string', name);
  }
  if (filter !== undefined) assertFunction('filter', filter);
  if (orderingKey !== undefined) assertFunction('orderingKey', orderingKey);
  assertSignal(signal);
  if (middleware !== undefined) checkMiddleware(middleware);
  const checked: { -readonly [K in keyof SubscribeOptions]: SubscribeOptions[K] } = {};
  if (name !== undefined) checked.name = name;
  if (filter !== undefined) checked.filter = filter;
  if (orderingKey !== undefined) checked.orderingKey = orderingKey;
  if (signal !== undefined) checked.signal = signal;
  if (middleware !== undefined) checked.middleware = [...middleware];
  return checked;
}

/** Throws InvalidOptionError unless `signal` is undefined or an AbortSignal, whatever it is. */
export function assertSignal(signal: unknown): asserts signal is AbortSignal | undefined {
  let isSignal: boolean;
  try {
    isSignal = signal === undefined || signal instanceof AbortSignal;
  } catch {
    isSignal = false; // a Proxy whose getPrototypeOf throws
  }
  if (!isSignal) throw new InvalidOptionError('signal', 'an AbortSignal', signal);
}

/**
 * Throws InvalidOptionError for publish options of the wrong kind (publish, publishSync and
 * `ctx.publish`), before anything is validated or counted: options that are not an object or
 * cannot be read, an `id` that is not a non-empty string (it becomes the `causationId` of the
 * events its handlers publish), an unknown `priority`, a key that is not an option (`known`:
 * publish's by default; publishSync adds its own). `metadata` is checked where it is copied,
 * by {@link copyMetadata}, so that it is read once.
 *
 * @internal
 */
export function checkPublishOptions(
  options: PublishOptions | undefined,
  known: readonly string[] = PUBLISH_KEYS,
): void {
  // Kept apart: the closure below would make every call allocate, options given or not.
  if (options !== undefined) checkGivenOptions(options, known);
}

function checkGivenOptions(options: PublishOptions, known: readonly string[]): void {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', 'an object', options);
  }
  const [id, priority, unknown] = readSafely('options', options, () => [
    options.id,
    options.priority,
    unknownKey(options, known),
  ]);
  if (unknown !== undefined) {
    throw unknownOption(known === PUBLISH_KEYS ? 'publish' : 'publishSync', unknown, known);
  }
  if (id !== undefined && (typeof id !== 'string' || id.length === 0)) {
    throw new InvalidOptionError('id', 'a non-empty string', id);
  }
  if (priority !== undefined) priorityValue(priority as Priority);
}

/** The metadata of an event published without any. @internal */
export const NO_METADATA: Metadata = /* @__PURE__ */ Object.freeze({});

/**
 * Checks publish options ({@link checkPublishOptions}) and returns a frozen copy of their
 * metadata: what `ctx.publish` adds its causation keys to, so that options of the wrong kind
 * are refused there as at publish, not spread into the event.
 *
 * @internal
 */
export function publishMetadata(options: PublishOptions | undefined): Metadata {
  checkPublishOptions(options);
  const metadata: unknown = options?.metadata;
  return metadata === undefined ? NO_METADATA : copyMetadata(metadata);
}

/**
 * A frozen copy of metadata (given at publish, or from a transport), so that changing the
 * caller's object afterwards cannot change a queued event; throws InvalidOptionError unless
 * it is an object of string values that can be read.
 *
 * Only own enumerable string keys are copied (Symbol keys are dropped: they cannot travel as
 * headers), each value read once. The copy is a plain object, so users may spread it, and a
 * `__proto__` key stays an ordinary own key (defined, never assigned, which would set the
 * prototype instead), the same at publish, `ctx.publish` and receive. The keys of `extra` are
 * added last, over the given ones.
 *
 * @internal
 */
export function copyMetadata(metadata: unknown, extra?: Metadata): Metadata {
  if (
    typeof metadata !== 'object' ||
    metadata === null ||
    readSafely('metadata', metadata, () => Array.isArray(metadata))
  ) {
    throw new InvalidOptionError('metadata', 'an object of string values', metadata);
  }
  const entries = readSafely('metadata', metadata, () => Object.entries(metadata));
  for (const [key, value] of entries) {
    if (typeof value !== 'string') {
      throw new InvalidOptionError(`metadata.${key}`, 'a string', value);
    }
  }
  // fromEntries defines each key, where an assignment of `__proto__` would set the prototype;
  // `extra` (gossip's own keys, never `__proto__`) is assigned over them.
  return Object.freeze(Object.assign(Object.fromEntries(entries), extra) as Record<string, string>);
}

/**
 * Runs `read` on a value a user gave; what it throws (a getter, a revoked Proxy) becomes an
 * InvalidOptionError naming the value, with the raw error as its cause.
 *
 * @internal
 */
export function readSafely<T>(name: string, value: unknown, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new InvalidOptionError(name, 'an object whose fields can be read', value, {
      cause: error,
    });
  }
}

/** The bus options that are numbers and policies, checked and defaulted. */
export function checkDispatchOptions(options: {
  workers?: number;
  bufferSize?: number;
  overflow?: OverflowPolicy;
  maxCausationDepth?: number;
}): { workers: number; bufferSize: number; overflow: OverflowPolicy; maxCausationDepth: number } {
  const { workers = 10, bufferSize = 1000, overflow = 'block', maxCausationDepth = 32 } = options;
  assertInteger('workers', workers, 1);
  assertInteger('bufferSize', bufferSize, 1);
  assertOneOf('overflow', overflow, OVERFLOW_POLICIES);
  assertInteger('maxCausationDepth', maxCausationDepth, 1);
  return { workers, bufferSize, overflow, maxCausationDepth };
}

/** Throws InvalidOptionError unless the value is an array of middleware functions. */
export function checkMiddleware(middleware: unknown): asserts middleware is readonly Middleware[] {
  if (!Array.isArray(middleware)) {
    throw new InvalidOptionError('middleware', 'an array of middleware', middleware);
  }
  for (const [i, m] of middleware.entries()) assertFunction(`middleware[${i}]`, m);
}

const PRIORITIES: Readonly<Record<string, number>> = { high: 10, normal: 5, low: 1 };

/**
 * The number of a priority: `high` 10, `normal` 5 (the default), `low` 1, or the number itself.
 * Schedulers order by it, higher first.
 *
 * @param priority - a level name or a finite number, or undefined for normal
 * @returns the priority as a number
 * @throws InvalidOptionError for an unknown name or a non-finite number
 *
 * @example
 * ```ts
 * priorityValue('high'); // 10
 * priorityValue(undefined); // 5
 * priorityValue(42); // 42
 * ```
 */
export function priorityValue(priority: Priority | undefined): number {
  if (priority === undefined) return 5;
  if (typeof priority === 'number' && Number.isFinite(priority)) return priority;
  const level =
    typeof priority === 'string' && Object.hasOwn(PRIORITIES, priority)
      ? PRIORITIES[priority]
      : undefined;
  if (level === undefined) {
    throw new InvalidOptionError(
      'priority',
      "'high', 'normal', 'low' or a finite number",
      priority,
    );
  }
  return level;
}

/**
 * Makes one scheduler from the factory to check its shape, so that a wrong scheduler fails
 * at construction, not at the first publish.
 */
export function checkScheduler(factory: SchedulerFactory): void {
  const scheduler: unknown = factory();
  const candidate = scheduler as Partial<Record<keyof Scheduler, unknown>> | null;
  const methods = ['push', 'shift', 'dropOldest', 'clear'] as const;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.size !== 'number' ||
    methods.some((method) => typeof candidate[method] !== 'function')
  ) {
    throw new InvalidOptionError(
      'scheduler',
      'a factory returning a Scheduler (size, push, shift, dropOldest, clear)',
      scheduler,
    );
  }
}
