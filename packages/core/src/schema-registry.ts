import type { StandardJSONSchemaV1, StandardSchemaV1 } from '@standard-schema/spec';
import { assertEventType, assertFunction, assertNotEventObject, assertSchema } from './assert.js';
import { messageOf, nameOf } from './describe.js';
import {
  AsyncSchemaError,
  InvalidOptionError,
  UnknownEventError,
  ValidationError,
} from './errors.js';
import { type Metadata, MetadataKey } from './event.js';
import type { InferEventMap, SchemaMap } from './event-map.js';
import { noop } from './noop.js';
import { optionName } from './option-name.js';
import { type Upcaster, Versions } from './versions.js';

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
 * One registered schema version of an event type.
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
  /** The version number: 1 for the type's first schema, then 2, 3, ... */
  readonly version: number;
  /** Lifts a payload of the version before to this one; none where no path is kept. */
  readonly upcast?: Upcaster | undefined;
}

/**
 * Options of `registry.register()`.
 *
 * @example
 * ```ts
 * registry.register('order.placed', placedV2, { upcast: (v1) => ({ ...v1, currency: 'EUR' }) });
 * ```
 */
export interface RegisterOptions {
  /**
   * Lifts a payload of the latest version so far (its output) to this one (its input), so that
   * an event received at that version still reaches handlers. Without it, no older event can
   * be lifted past this version.
   */
  readonly upcast?: Upcaster;
  /** The number the version must get; an InvalidOptionError if it would get another. */
  readonly version?: number;
}

/**
 * {@link RegisterOptions} typed for one event type: the upcaster takes the payload of the type's
 * latest version so far (as the registry's map types it) and returns the new schema's input.
 *
 * @example
 * ```ts
 * registry.register('user.deleted', deletedV2, { upcast: (v1) => ({ ...v1, by: 'unknown' }) });
 * ```
 */
export interface TypedRegisterOptions<TPrevious, TSchema extends StandardSchemaV1> {
  /**
   * Lifts a payload of the type's latest version so far to this one. On a registry that types
   * the event (made from schemas), it takes that version's output and must return this
   * schema's input; on an untyped registry, anything.
   */
  readonly upcast?: unknown extends TPrevious
    ? Upcaster
    : Upcaster<TPrevious, StandardSchemaV1.InferInput<TSchema>>;
  /** The number the version must get; an InvalidOptionError if it would get another. */
  readonly version?: number;
}

/**
 * Checks a new schema version against the versions before it, and throws to refuse it. Core
 * checks no compatibility itself: `@gossip/registry` provides checks (backward, forward,
 * full, ...).
 *
 * @param type - the event type
 * @param existing - its registered versions, oldest first (empty for its first schema)
 * @param candidate - the schema about to become the next version
 * @param upcast - the upcaster registered with it, if any: a checker may accept a change it
 *   cannot check when older events have a path to the new version
 *
 * @example
 * ```ts
 * const frozen: CompatibilityCheck = (type, existing) => {
 *   if (existing.length > 0) throw new Error(`${type} is frozen`);
 * };
 * ```
 */
export type CompatibilityCheck = (
  type: string,
  existing: readonly RegisteredSchema[],
  candidate: StandardSchemaV1,
  upcast?: Upcaster,
) => void;

/**
 * Options of a {@link SchemaRegistry}.
 *
 * @example
 * ```ts
 * new SchemaRegistry(events, { compatibility: backward() });
 * ```
 */
export interface SchemaRegistryOptions {
  /** Called before a new version is appended; what it throws refuses the registration. */
  readonly compatibility?: CompatibilityCheck;
}

/** An event type's versions, and the metadata its events are published with. */
interface TypeVersions {
  readonly list: RegisteredSchema[];
  /** `{ 'gossip.schemaVersion': '<latest>' }`, frozen once per version, not once per event. */
  stamp: Metadata;
}

/**
 * Maps each event type to its schema versions and validates payloads against the latest. Used
 * by the bus at publish and on receipt from a transport (where an older version is upcast);
 * usable alone.
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
  readonly #entries = new Map<string, TypeVersions>();
  readonly #compatibility: CompatibilityCheck | undefined;

  /**
   * @param schemas - the schemas to register at once: each a schema (version 1), or its
   *   {@link versions}
   * @param options - `compatibility`, the check each new version must pass
   */
  constructor(schemas?: SchemaMap, options: SchemaRegistryOptions = {}) {
    const { compatibility } = options;
    if (compatibility !== undefined) {
      assertFunction(optionName('SchemaRegistry', 'compatibility'), compatibility);
    }
    this.#compatibility = compatibility;
    if (schemas === undefined) return;
    assertSchemaMap('SchemaRegistry(schemas)', schemas);
    // Each is checked by register (assertSchema): the map's type checks only the schema key.
    for (const [type, schema] of Object.entries(schemas)) {
      this.register(type, schema as StandardSchemaV1);
    }
  }

  /**
   * Creates a registry typed by its schemas, so that `InferEventMap` need not be written.
   *
   * @param schemas - each event type's name mapped to its schema (or its versions)
   * @param options - as for the constructor
   * @returns a registry holding those schemas
   *
   * @example
   * ```ts
   * const registry = SchemaRegistry.from({ 'user.created': z.object({ email: z.string() }) });
   * ```
   */
  static from<const TSchemas extends SchemaMap>(
    schemas: TSchemas,
    options?: SchemaRegistryOptions,
  ): SchemaRegistry<InferEventMap<TSchemas>> {
    return new SchemaRegistry<InferEventMap<TSchemas>>(schemas, options);
  }

  /**
   * Appends a schema version to an event type: 1 for its first schema, then 2, 3, ... The
   * latest version is the type's contract: publish validates against it and stamps its number
   * on each event (`gossip.schemaVersion`). Registering a schema identical to the latest adds
   * nothing: identical means the same object, or the same JSON Schema (input and output) where
   * the schema offers one (Standard JSON Schema, as zod 4 does), which does not show
   * refinements or transforms' code. The registry's `compatibility` check runs before a version
   * is appended, and what it throws refuses it. {@link versions} register each of their
   * versions in turn (`options` are then not read).
   *
   * @param type - the event type, such as `'user.created'`
   * @param schema - a Standard Schema, or {@link versions}
   * @param options - `upcast`: lifts the previous latest version to this one; `version`: the
   *   number this version must get
   * @returns the version's number (the latest's, when nothing was added)
   * @throws InvalidOptionError for a wrong argument; what the compatibility check throws
   *
   * @example
   * ```ts
   * registry.register('user.deleted', z.object({ userId: z.string() })); // 1
   * registry.register('user.deleted', z.object({ userId: z.string(), by: z.string() }), {
   *   upcast: (v1) => ({ ...v1, by: 'unknown' }),
   * }); // 2
   * ```
   */
  register<TType extends string, TSchema extends StandardSchemaV1>(
    type: TType,
    schema: TSchema,
    options?: TypedRegisterOptions<TType extends keyof TEvents ? TEvents[TType] : unknown, TSchema>,
  ): number;
  register(type: string, schema: StandardSchemaV1, options: RegisterOptions = {}): number {
    assertEventType('register(type)', type);
    assertSchema(`schema of "${type}"`, schema);
    if (schema instanceof Versions) {
      let last = 0;
      for (const { schema: step, upcast } of schema.steps) {
        last = this.register(type, step, upcast === undefined ? {} : { upcast });
      }
      return last;
    }
    const { upcast, version } = options;
    if (upcast !== undefined) assertFunction(optionName('register', 'upcast'), upcast);
    const list = this.#entries.get(type)?.list ?? [];
    const latest = list.at(-1);
    const same = latest !== undefined && sameSchema(latest.schema, schema);
    const next = same ? latest.version : list.length + 1;
    if (version !== undefined && version !== next) {
      throw new InvalidOptionError(
        optionName('register', 'version'),
        `${next}, the version "${type}" would get`,
        version,
      );
    }
    if (same) return next;
    this.#compatibility?.(type, [...list], schema, upcast);
    list.push({ type, schema, version: next, upcast });
    this.#entries.set(type, {
      list,
      stamp: Object.freeze({ [MetadataKey.SchemaVersion]: String(next) }),
    });
    return next;
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
   * A registered schema version of an event type: the latest, or the one asked for.
   *
   * @param type - the event type
   * @param version - the version's number
   * @default version the latest
   * @returns the registration, or undefined if there is none
   *
   * @example
   * ```ts
   * const entry = registry.get('user.created');
   * const first = registry.get('user.created', 1)?.schema;
   * ```
   */
  get(type: string, version?: number): RegisteredSchema | undefined {
    const list = this.#entries.get(type)?.list;
    return version === undefined ? list?.at(-1) : list?.[version - 1];
  }

  /**
   * The version numbers of an event type, oldest first.
   *
   * @param type - the event type
   * @returns `[1, 2, ...]`, or an empty list for an unknown type
   *
   * @example
   * ```ts
   * registry.versions('order.placed'); // [1, 2, 3]
   * ```
   */
  versions(type: string): number[] {
    return this.#entries.get(type)?.list.map((entry) => entry.version) ?? [];
  }

  /**
   * The number of an event type's latest version: the one publish validates against.
   *
   * @param type - the event type
   * @returns the number, or undefined for an unknown type
   *
   * @example
   * ```ts
   * registry.latest('order.placed'); // 3
   * ```
   */
  latest(type: string): number | undefined {
    return this.#entries.get(type)?.list.length;
  }

  /**
   * The metadata stamped on an event of this type, `{ 'gossip.schemaVersion': '<latest>' }`,
   * one frozen object per version.
   *
   * @internal
   */
  stampOf(type: string): Metadata | undefined {
    return this.#entries.get(type)?.stamp;
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
    const entry = this.get(type);
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
    const entry = this.get(type);
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
 * the validator could not read). The bus's path, with no result object in between. `fn`
 * (publish, publishSync, receive) names the type in errors.
 */
export function parsePayload(
  registry: SchemaRegistry<object>,
  type: string,
  data: unknown,
  fn: string,
): unknown {
  const entry = registry.get(type);
  if (entry === undefined) {
    assertNotEventObject(fn, type);
    throw new UnknownEventError(nameOf(type));
  }
  return parseVersion(entry, data);
}

/**
 * {@link parsePayload} against one registered version; `version` (given on receipt of an event
 * that carries one) is named in a ValidationError.
 *
 * @internal
 */
export function parseVersion(entry: RegisteredSchema, data: unknown, version?: number): unknown {
  const { type } = entry;
  let result: StandardSchemaV1.Result<unknown> | Promise<StandardSchemaV1.Result<unknown>>;
  try {
    result = entry.schema['~standard'].validate(data);
  } catch (error) {
    throw unreadable(type, error, version);
  }
  if (isPromiseLike<StandardSchemaV1.Result<unknown>>(result)) {
    return Promise.resolve(result).then(
      (settled) => {
        if (settled.issues !== undefined)
          throw new ValidationError(type, settled.issues, { version });
        return settled.value;
      },
      (error: unknown) => {
        throw unreadable(type, error, version);
      },
    );
  }
  if (result.issues !== undefined) throw new ValidationError(type, result.issues, { version });
  return result.value;
}

/**
 * The ValidationError of a payload its validator threw on instead of answering: a getter that
 * throws, a Proxy, a revoked Proxy. Untrusted input must fail as invalid input, never escape as
 * the validator's raw error; that error is kept as the cause.
 */
function unreadable(type: string, error: unknown, version?: number): ValidationError {
  const message = `the payload could not be read: ${messageOf(error)}`;
  return new ValidationError(type, [{ message, path: [] }], { cause: error, version });
}

/**
 * Tells whether two schemas are the same contract: the same object, or the same JSON Schema
 * of input and output where both offer Standard JSON Schema. A schema that offers none, or
 * whose conversion throws (zod's does for a transform's output), is only the same as itself.
 */
function sameSchema(a: StandardSchemaV1, b: StandardSchemaV1): boolean {
  if (a === b) return true;
  const print = fingerprint(a);
  return print !== undefined && print === fingerprint(b);
}

function fingerprint(schema: StandardSchemaV1): string | undefined {
  try {
    const converter = (schema['~standard'] as Partial<StandardJSONSchemaV1.Props>).jsonSchema;
    if (converter === undefined) return undefined;
    const options = { target: 'draft-2020-12' };
    return JSON.stringify([converter.input(options), converter.output(options)]);
  } catch {
    return undefined;
  }
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

function isSchema(value: object): boolean {
  try {
    return '~standard' in value;
  } catch {
    return false;
  }
}
