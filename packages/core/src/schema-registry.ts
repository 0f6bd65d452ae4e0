import type { StandardSchemaV1 } from '@standard-schema/spec';
import { assertEventType, assertFunction, assertSchema, assertSchemaMap } from './assert.js';
import type { CompatibilityCheck } from './compatibility-check.js';
import { nameOf } from './describe.js';
import { AsyncSchemaError, InvalidOptionError, UnknownEventError } from './errors.js';
import { type Metadata, MetadataKey } from './event.js';
import type { InferEventMap, SchemaMap } from './event-map.js';
import { isPromiseLike } from './is-promise-like.js';
import { noop } from './noop.js';
import { optionName } from './option-name.js';
import type { RegisterOptions, TypedRegisterOptions } from './register-options.js';
import type { RegisteredSchema } from './registered-schema.js';
import { sameSchema } from './same-schema.js';
import { unreadable } from './unreadable.js';
import { toResult, type ValidationResult } from './validation-result.js';
import { Versions } from './versions.js';

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
   * The type looked up last and what it found: a publish looks its type up twice (its schema,
   * then its stamp), and a run of events of one type asks for the same one each time.
   */
  #lastType: string | undefined;
  #last: TypeVersions | undefined;
  /** The types whose compatibility check is running. */
  readonly #checking = new Set<string>();

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
   * @throws InvalidOptionError for a wrong argument, or for a version of the same type
   *   registered from inside its compatibility check; what the compatibility check throws
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
    if (this.#compatibility !== undefined) {
      // The candidate is numbered and checked against the versions before it: its check may
      // not register another version of its type meanwhile.
      if (this.#checking.has(type)) {
        throw new InvalidOptionError(
          'register(type)',
          `no "${type}" while its compatibility check runs (register it after)`,
          type,
        );
      }
      this.#checking.add(type);
      try {
        this.#compatibility(type, [...list], schema, upcast);
      } finally {
        this.#checking.delete(type);
      }
    }
    list.push({ type, schema, version: next, upcast });
    this.#entries.set(type, {
      list,
      stamp: Object.freeze({ [MetadataKey.SchemaVersion]: String(next) }),
    });
    this.#lastType = undefined;
    this.#last = undefined;
    return next;
  }

  /** A type's versions, through the one-type cache ({@link #last}). */
  #versions(type: string): TypeVersions | undefined {
    if (type === this.#lastType) return this.#last;
    const versions = this.#entries.get(type);
    this.#lastType = type;
    this.#last = versions;
    return versions;
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
    const list = this.#versions(type)?.list;
    return list?.[(version ?? list.length) - 1];
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
    return this.#versions(type)?.stamp;
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
