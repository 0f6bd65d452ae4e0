import type { StandardSchemaV1 } from '@standard-schema/spec';
import { InvalidOptionError } from './errors.js';
import type { SchemaMap } from './event-map.js';
import { patternProblem } from './pattern-matcher.js';

/** Throws InvalidOptionError unless the value is a Standard Schema. */
export function assertSchema(name: string, schema: unknown): asserts schema is StandardSchemaV1 {
  const standard = (schema as { '~standard'?: { validate?: unknown } } | null | undefined)?.[
    '~standard'
  ];
  if (typeof standard?.validate !== 'function') {
    throw new InvalidOptionError(
      name,
      'a Standard Schema (a zod, valibot or arktype schema, for example)',
      schema,
    );
  }
}

/**
 * Throws InvalidOptionError, naming the value `name`, unless it is an object of event types
 * and schemas. One schema given in its place is refused before its keys are read as event
 * names, since they would be the schema's internals.
 */
export function assertSchemaMap(name: string, schemas: unknown): asserts schemas is SchemaMap {
  if (typeof schemas !== 'object' || schemas === null || isSchema(schemas)) {
    throw new InvalidOptionError(
      name,
      'a map of event names to schemas, such as { "user.created": z.object({ ... }) }',
      schemas,
    );
  }
}

/** True for a Standard Schema (given where a map of them was expected). Never throws. */
function isSchema(value: object): boolean {
  try {
    return '~standard' in value;
  } catch {
    return false;
  }
}

/** Throws InvalidOptionError unless the name is a valid event type: non-empty dot-separated segments, no `*`. */
export function assertEventType(name: string, type: unknown): asserts type is string {
  if (typeof type !== 'string' || !/^[^.*]+(\.[^.*]+)*$/.test(type)) {
    const expected =
      'an event type name of non-empty dot-separated segments without "*", such as "user.created"';
    throw new InvalidOptionError(
      name,
      isEventObject(type) ? `${expected}${PUBLISH_SHAPE}` : expected,
      type,
    );
  }
}

/** What the message says to a caller who handed publish an event object. */
const PUBLISH_SHAPE =
  ': publish takes (type, data), as in publish("user.created", { ... }), not one { type, data } object';

/** True for an object with a `type` key: an event given where its type was expected. Never throws. */
function isEventObject(value: unknown): boolean {
  try {
    return typeof value === 'object' && value !== null && 'type' in value;
  } catch {
    return false; // a revoked Proxy
  }
}

/**
 * Throws the InvalidOptionError of {@link assertEventType} for an event object given to `fn`
 * as an event type (`publish({ type, data })`), which a bus with schemas would otherwise call
 * an unknown event.
 */
export function assertNotEventObject(fn: string, type: unknown): void {
  if (isEventObject(type)) assertEventType(`${fn}(type)`, type);
}

/**
 * The InvalidOptionError for a value that is not a well-formed pattern, saying what is wrong
 * with it, or undefined for a pattern that is; `fn` is the function it was given to.
 */
export function patternError(fn: string, pattern: unknown): InvalidOptionError | undefined {
  const problem = typeof pattern === 'string' ? patternProblem(pattern) : 'it is not a string';
  return problem === undefined
    ? undefined
    : new InvalidOptionError(`${fn}(pattern)`, `a valid pattern (${problem})`, pattern);
}

/** Throws InvalidOptionError unless the value is an integer at least `min`. */
export function assertInteger(name: string, value: unknown, min: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new InvalidOptionError(name, `an integer of at least ${min}`, value);
  }
}

/**
 * The longest delay a timer takes: 2^31 - 1 ms (about 24.8 days). Hosts run a longer
 * `setTimeout` after 1 ms, so every delay option is refused past it.
 *
 * @example
 * ```ts
 * if (ms > MAX_DELAY) throw new RangeError('too long for a timer');
 * ```
 */
export const MAX_DELAY = 2_147_483_647;

/** Throws InvalidOptionError unless the value is a delay a timer can wait: above 0, at most MAX_DELAY. */
export function assertDelay(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !(value > 0) || value > MAX_DELAY) {
    throw new InvalidOptionError(
      name,
      `a number of milliseconds above 0 and at most ${MAX_DELAY}`,
      value,
    );
  }
}

/** Throws InvalidOptionError unless the value is a finite number above zero. */
export function assertPositive(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new InvalidOptionError(name, 'a finite number above 0', value);
  }
}

/** Throws InvalidOptionError unless the value is a function. */
export function assertFunction(
  name: string,
  value: unknown,
): asserts value is (...args: never[]) => unknown {
  if (typeof value !== 'function') throw new InvalidOptionError(name, 'a function', value);
}

/** Throws InvalidOptionError unless the value is one of the allowed strings. */
export function assertOneOf<T extends string>(
  name: string,
  value: unknown,
  allowed: readonly T[],
): asserts value is T {
  if (!allowed.includes(value as T)) {
    throw new InvalidOptionError(name, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
  }
}
