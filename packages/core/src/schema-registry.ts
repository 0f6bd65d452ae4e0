import type { StandardSchemaV1 } from '@standard-schema/spec';
import { assertEventType, assertInteger, assertNotEventObject, assertSchema } from './assert.js';
import { messageOf, nameOf } from './describe.js';
import {
  AsyncSchemaError,
  InvalidOptionError,
  UnknownEventError,
  ValidationError,
} from './errors.js';
import type { InferEventMap, SchemaMap } from './event-map.js';
import { noop } from './noop.js';

/**
 * The outcome of validating a payload: the validated value (with the schema's defaults and
 * transforms applied), or the error that says what is wrong.
 *
 * @example
 * ```ts
 * const result = registry.validateSync('user.created', input);
 * if (result.success) use(result.data); else logger.error(result.error.issues);
 * ```
 */
export type ValidationResult<TData = unknown> =
  | { readonly success: true; readonly data: TData }
  | { readonly success: false; readonly error: ValidationError | UnknownEventError };

/**
 * One registered schema with its version.
 *
 * @example
 * ```ts
 * registry.get('user.created')?.version; // 1
 * ```
 */
export interface RegisteredSchema {
  /** The event type. */
  readonly type: string;
  /** The schema, as given. */
  readonly schema: StandardSchemaV1;
  /** The version number, 1 unless given at registration. */
  readonly version: number;
}

/**
 * Maps each event type to its schema and validates payloads against it. Used by the bus at
 * publish and on receipt from a transport; usable alone.
 *
 * @typeParam TEvents - the event map the registry validates
 *
 * @example
 * ```ts
 * const registry = new SchemaRegistry(defineEvents({
 *   'user.created': z.object({ email: z.email() }),
 * }));
 * registry.validateSync('user.created', { email: 'nope' }).success; // false
 * const bus = createEventBus({ registry });
 * ```
 */
export class SchemaRegistry<TEvents extends object = Record<string, unknown>> {
  readonly #entries = new Map<string, RegisteredSchema>();

  /**
   * @param schemas - the schemas to register at once, each at version 1
   */
  constructor(schemas?: SchemaMap) {
    if (schemas === undefined) return;
    if (typeof schemas !== 'object' || schemas === null) {
      throw new InvalidOptionError('schemas', 'an object of event types and schemas', schemas);
    }
    if (isSchema(schemas)) {
      // Said before its keys are read as event names: they would be the schema's internals.
      throw new InvalidOptionError(
        'schemas',
        'a map of event names to schemas, such as { "user.created": z.object({ ... }) }, not one schema',
        schemas,
      );
    }
    for (const [type, schema] of Object.entries(schemas)) this.register(type, schema);
  }

  /**
   * Creates a registry typed by its schemas, so that `InferEventMap` need not be written.
   *
   * @param schemas - each event type's name mapped to its schema
   * @returns a registry holding those schemas
   *
   * @example
   * ```ts
   * const registry = SchemaRegistry.from({ 'user.created': z.object({ email: z.string() }) });
   * ```
   */
  static from<const TSchemas extends SchemaMap>(
    schemas: TSchemas,
  ): SchemaRegistry<InferEventMap<TSchemas>> {
    return new SchemaRegistry<InferEventMap<TSchemas>>(schemas);
  }

  /**
   * Registers (or replaces) the schema of an event type.
   *
   * @param type - the event type, such as `'user.created'`
   * @param schema - a Standard Schema
   * @param options - `version`, a positive integer
   * @returns this registry
   *
   * @example
   * ```ts
   * registry.register('user.deleted', z.object({ userId: z.string() }), { version: 2 });
   * ```
   */
  register(type: string, schema: StandardSchemaV1, options: { version?: number } = {}): this {
    assertEventType('type', type);
    assertSchema(`schema of "${type}"`, schema);
    const version = options.version ?? 1;
    assertInteger('version', version, 1);
    this.#entries.set(type, { type, schema, version });
    return this;
  }

  /**
   * Tells whether the event type has a schema.
   *
   * @param type - the event type
   * @returns true if a schema is registered for it
   *
   * @example
   * ```ts
   * registry.has('user.created'); // true
   * ```
   */
  has(type: string): boolean {
    return this.#entries.has(type);
  }

  /**
   * The registered schema of an event type, with its version.
   *
   * @param type - the event type
   * @returns the registration, or undefined if there is none
   *
   * @example
   * ```ts
   * const entry = registry.get('user.created');
   * ```
   */
  get(type: string): RegisteredSchema | undefined {
    return this.#entries.get(type);
  }

  /**
   * Every registered event type, in registration order.
   *
   * @returns the event types
   *
   * @example
   * ```ts
   * registry.types(); // ['user.created', 'order.paid']
   * ```
   */
  types(): string[] {
    return [...this.#entries.keys()];
  }

  /**
   * Validates a payload against its event type's schema, synchronous or not.
   *
   * @param type - the event type
   * @param data - the payload, untrusted
   * @returns a promise of the result: the validated value, or the error
   *
   * @example
   * ```ts
   * const result = await registry.validate('user.created', JSON.parse(body));
   * ```
   */
  async validate<TType extends keyof TEvents & string>(
    type: TType,
    data: unknown,
  ): Promise<ValidationResult<TEvents[TType]>> {
    const entry = this.#entries.get(type);
    if (entry === undefined) return { success: false, error: new UnknownEventError(nameOf(type)) };
    try {
      return toResult<TEvents[TType]>(type, await entry.schema['~standard'].validate(data));
    } catch (error) {
      return { success: false, error: unreadable(type, error) };
    }
  }

  /**
   * Validates a payload synchronously; for schemas without asynchronous refinements (zod
   * schemas usually are).
   *
   * @param type - the event type
   * @param data - the payload, untrusted
   * @returns the result: the validated value, or the error
   * @throws AsyncSchemaError if the schema validates asynchronously (zod does for a payload it
   *   cannot read, such as one with a throwing getter: `validate()` reports that as invalid)
   *
   * @example
   * ```ts
   * const result = registry.validateSync('user.created', { email: 'a@b.c' });
   * ```
   */
  validateSync<TType extends keyof TEvents & string>(
    type: TType,
    data: unknown,
  ): ValidationResult<TEvents[TType]> {
    const entry = this.#entries.get(type);
    if (entry === undefined) return { success: false, error: new UnknownEventError(nameOf(type)) };
    let result: StandardSchemaV1.Result<unknown> | Promise<StandardSchemaV1.Result<unknown>>;
    try {
      result = entry.schema['~standard'].validate(data);
    } catch (error) {
      return { success: false, error: unreadable(type, error) };
    }
    if (isPromiseLike(result)) {
      // Its outcome is never read: a rejection (zod answers a payload it cannot read that
      // way) must not also surface as an unhandled one.
      result.then(undefined, noop);
      throw new AsyncSchemaError(type);
    }
    return toResult<TEvents[TType]>(type, result);
  }
}

/**
 * The payload as its schema outputs it (defaults and transforms applied), or a promise of it
 * for an asynchronous schema; throws UnknownEventError or ValidationError (also for a payload
 * the validator could not read). The bus's path, with no result object in between.
 */
export function parsePayload(
  registry: SchemaRegistry<object>,
  type: string,
  data: unknown,
): unknown {
  const entry = registry.get(type);
  if (entry === undefined) {
    assertNotEventObject(type);
    throw new UnknownEventError(nameOf(type));
  }
  let result: StandardSchemaV1.Result<unknown> | Promise<StandardSchemaV1.Result<unknown>>;
  try {
    result = entry.schema['~standard'].validate(data);
  } catch (error) {
    throw unreadable(type, error);
  }
  if (isPromiseLike<StandardSchemaV1.Result<unknown>>(result)) {
    return Promise.resolve(result).then(
      (settled) => {
        if (settled.issues !== undefined) throw new ValidationError(type, settled.issues);
        return settled.value;
      },
      (error: unknown) => {
        throw unreadable(type, error);
      },
    );
  }
  if (result.issues !== undefined) throw new ValidationError(type, result.issues);
  return result.value;
}

/**
 * The ValidationError of a payload its validator threw on instead of answering: a getter that
 * throws, a Proxy, a revoked Proxy. Untrusted input must fail as invalid input, never escape as
 * the validator's raw error; that error is kept as the cause.
 */
function unreadable(type: string, error: unknown): ValidationError {
  const message = `the payload could not be read: ${messageOf(error)}`;
  return new ValidationError(type, [{ message, path: [] }], { cause: error });
}

/** Tells whether a value is a promise (or any thenable). */
export function isPromiseLike<T>(value: unknown): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null | undefined)?.then === 'function';
}

function toResult<TData>(
  type: string,
  result: StandardSchemaV1.Result<unknown>,
): ValidationResult<TData> {
  if (result.issues !== undefined) {
    return { success: false, error: new ValidationError(type, result.issues) };
  }
  return { success: true, data: result.value as TData };
}

/** True for a Standard Schema (given where a map of them was expected). Never throws. */
function isSchema(value: object): boolean {
  try {
    return '~standard' in value;
  } catch {
    return false;
  }
}
