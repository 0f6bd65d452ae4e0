import { assertDelay, assertFunction, assertInteger } from './assert.js';
import {
  checkOptions,
  type OptionCheck,
  type OptionChecks,
  readOptions,
  readSafely,
} from './check-options.js';
import { InvalidOptionError } from './errors.js';
import type { Metadata } from './event.js';
import type { Middleware, Priority, PublishOptions, SubscribeOptions } from './handler.js';
import { noop } from './noop.js';
import { optionName } from './option-name.js';
import type { OverflowPolicy } from './overflow-policy.js';
import type { Scheduler, SchedulerFactory } from './scheduler.js';

/** The overflow policies, in the order the docs present them. */
export const OVERFLOW_POLICIES: readonly OverflowPolicy[] = [
  'block',
  'reject',
  'drop-oldest',
  'drop-newest',
];

/** Checks an option that is a count: an integer of at least 1. */
export const assertCount: OptionCheck = (name, value) => assertInteger(name, value, 1);

/** Throws InvalidOptionError unless the value is a non-empty string. */
export function assertNonEmpty(name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidOptionError(name, 'a non-empty string', value);
  }
}

/** Throws InvalidOptionError unless `signal` is an AbortSignal, whatever it is. */
export function assertSignal(name: string, signal: unknown): asserts signal is AbortSignal {
  let isSignal: boolean;
  try {
    isSignal = signal instanceof AbortSignal;
  } catch {
    isSignal = false; // a Proxy whose getPrototypeOf throws
  }
  if (!isSignal) throw new InvalidOptionError(name, 'an AbortSignal', signal);
}

/** The options of subscribe, which once and stream subscribe with. @internal */
export const SUBSCRIBE_CHECKS: OptionChecks = {
  name: assertNonEmpty,
  filter: assertFunction,
  orderingKey: assertFunction,
  signal: assertSignal,
  middleware: checkMiddleware,
};

/** Checks a priority: a level name or a finite number. */
const checkPriority: OptionCheck = (name, priority) => {
  priorityValue(priority as Priority, name);
};

/**
 * The options of publish and `ctx.publish`: an `id` becomes the `causationId` of the events
 * its handlers publish; `metadata` is checked where it is copied, by {@link copyMetadata}, so
 * that it is read once. @internal
 */
export const PUBLISH_CHECKS: OptionChecks = {
  metadata: noop,
  id: assertNonEmpty,
  priority: checkPriority,
};

/**
 * The options of publishSync: publish's, and its own. Written out rather than spread from
 * publish's, so that a bundler can drop them from an application that never publishes.
 * @internal
 */
export const SYNC_CHECKS: OptionChecks = {
  metadata: noop,
  id: assertNonEmpty,
  priority: checkPriority,
  signal: assertSignal,
  timeout: assertDelay,
  sequential: (name, sequential) => {
    if (typeof sequential !== 'boolean')
      throw new InvalidOptionError(name, 'a boolean', sequential);
  },
};

/**
 * Checks subscribe options and returns a copy of them, each field read once (a getter cannot
 * pass the check and then give something else); throws InvalidOptionError for one of the
 * wrong kind, or options that cannot be read, naming `fn` (subscribe, or once and stream,
 * which subscribe with theirs).
 */
export function checkSubscribeOptions(options: SubscribeOptions, fn: string): SubscribeOptions {
  const copy = readOptions(fn, options, () => ({ ...options }));
  checkOptions(fn, copy, SUBSCRIBE_CHECKS);
  const { middleware } = copy;
  // The copy holds plain values, read once; the middleware array is copied as well, so that
  // changing the caller's array afterwards changes nothing.
  return middleware === undefined ? copy : { ...copy, middleware: [...middleware] };
}

/**
 * Throws InvalidOptionError for publish options of the wrong kind (publish, `ctx.publish`, or
 * publishSync with `SYNC_CHECKS`) before anything is validated or counted, and returns them as
 * read, once (see {@link checkOptions}).
 *
 * @internal
 */
export function checkPublishOptions<T extends PublishOptions>(
  options: T | undefined,
  checks: OptionChecks = PUBLISH_CHECKS,
): T | undefined {
  return options === undefined
    ? undefined
    : checkOptions(checks === PUBLISH_CHECKS ? 'publish' : 'publishSync', options, checks);
}

/** The metadata of an event published without any. @internal */
export const NO_METADATA: Metadata = /* @__PURE__ */ Object.freeze({});

/**
 * A frozen copy of the metadata of publish options already checked and read
 * ({@link checkPublishOptions}): what `ctx.publish` adds its causation keys to.
 *
 * @internal
 */
export function publishMetadata(options: PublishOptions | undefined): Metadata {
  const metadata: unknown = options?.metadata;
  return metadata === undefined ? NO_METADATA : copyMetadata('publish', metadata);
}

/**
 * A frozen copy of metadata (given at publish, or from a transport), so that changing the
 * caller's object afterwards cannot change a queued event; throws InvalidOptionError unless
 * it is an object of string values that can be read. The keys of `extra` are added last, over
 * the given ones. See {@link readMetadata} for what is copied.
 *
 * @internal
 */
export function copyMetadata(fn: string, metadata: unknown, extra?: Metadata): Metadata {
  return Object.freeze(Object.assign(readMetadata(fn, metadata), extra));
}

/**
 * An unfrozen copy of metadata, checked: {@link copyMetadata} before the freeze, for `receive`,
 * which reads the sender's schema version from it before adding its own keys.
 *
 * Only own enumerable string keys are copied (Symbol keys are dropped: they cannot travel as
 * headers), each value read once. The copy is a plain object, so users may spread it, and a
 * `__proto__` key stays an ordinary own key (defined, never assigned, which would set the
 * prototype instead), the same at publish, `ctx.publish` and receive. Errors name the metadata
 * as an option of `fn` (`publish({ metadata.region })`).
 *
 * @internal
 */
export function readMetadata(fn: string, metadata: unknown): Record<string, string> {
  const name = optionName(fn, 'metadata');
  if (
    typeof metadata !== 'object' ||
    metadata === null ||
    readSafely(name, metadata, Array.isArray)
  ) {
    throw new InvalidOptionError(name, 'an object of string values', metadata);
  }
  let copy: Record<string, string> = {};
  // A loop, not Object.fromEntries: half the cost per event, which receive pays for every message.
  const flat = readSafely(name, metadata as Record<string, unknown>, ownEntries);
  for (let i = 0; i < flat.length; i += 2) {
    const key = flat[i] as string;
    const value = flat[i + 1];
    if (typeof value !== 'string') {
      throw new InvalidOptionError(optionName(fn, `metadata.${key}`), 'a string', value);
    }
    // A computed key in a literal defines `__proto__`; an assignment would set the prototype.
    if (key === '__proto__') copy = { ...copy, [key]: value };
    else copy[key] = value;
  }
  return copy;
}

/**
 * Throws InvalidOptionError unless the `middleware` option of `fn` is an array of middleware
 * functions.
 */
export function checkMiddleware(
  name: string,
  middleware: unknown,
  fn: string,
): asserts middleware is readonly Middleware[] {
  if (!Array.isArray(middleware)) {
    throw new InvalidOptionError(name, 'an array of middleware', middleware);
  }
  for (const [i, m] of middleware.entries()) assertFunction(optionName(fn, `middleware[${i}]`), m);
}

const PRIORITIES: Readonly<Record<string, number>> = { high: 10, normal: 5, low: 1 };

/**
 * The number of a priority: `high` 10, `normal` 5 (the default), `low` 1, or the number itself.
 * Schedulers order by it, higher first.
 *
 * @param priority - a level name or a finite number, or undefined for normal
 * @param name - what the error for a bad priority calls it: `publish({ priority })` unless
 *   given, `enqueue(priority)` for a queue of one's own
 * @returns the priority as a number
 * @throws InvalidOptionError for an unknown name or a non-finite number
 *
 * @example
 * ```ts
 * priorityValue('high'); // 10
 * priorityValue(undefined); // 5
 * priorityValue(42); // 42
 * queue.enqueue(item, priorityValue(given, 'enqueue(priority)'));
 * ```
 */
export function priorityValue(priority: Priority | undefined, name?: string): number {
  if (priority === undefined) return 5;
  // Number.isFinite is false for anything but a finite number (it does not convert).
  if (Number.isFinite(priority)) return priority as number;
  const level =
    typeof priority === 'string' && Object.hasOwn(PRIORITIES, priority)
      ? PRIORITIES[priority]
      : undefined;
  if (level === undefined) {
    throw new InvalidOptionError(
      name ?? optionName('publish', 'priority'),
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
      optionName('createEventBus', 'scheduler'),
      'a factory returning a Scheduler (size, push, shift, dropOldest, clear)',
      scheduler,
    );
  }
}

/**
 * The own enumerable string keys of an object and their values, each value read once, in one
 * flat array (`[key0, value0, key1, value1, ...]`): `Object.entries` makes an array per key.
 */
function ownEntries(object: Record<string, unknown>): unknown[] {
  const flat: unknown[] = [];
  for (const key in object) if (Object.hasOwn(object, key)) flat.push(key, object[key]);
  return flat;
}
