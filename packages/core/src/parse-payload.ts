import type { StandardSchemaV1 } from '@standard-schema/spec';
import { assertNotEventObject } from './assert.js';
import { nameOf } from './describe.js';
import { UnknownEventError, ValidationError } from './errors.js';
import { isPromiseLike } from './is-promise-like.js';
import type { RegisteredSchema } from './registered-schema.js';
import type { SchemaRegistry } from './schema-registry.js';
import { unreadable } from './unreadable.js';

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
