import { messageOf, nameOf } from './describe.js';
import { UnknownEventError, UpcastError } from './errors.js';
import { parsePayload, parseVersion } from './parse-payload.js';
import type { RegisteredSchema } from './registered-schema.js';
import type { SchemaRegistry } from './schema-registry.js';
import type { Upcaster } from './versions.js';

/**
 * The payload of a received event as its type's latest version: validated against the schema
 * of the version the event carries (`stamp`, its `gossip.schemaVersion`; the latest when
 * absent), then lifted one version at a time by the registered upcasters, each result validated
 * against its version's schema. Throws UnknownEventError, a ValidationError naming the event's
 * version, or an UpcastError: the version is unknown, a version after it has no upcaster
 * (checked before any upcaster runs), or an upcaster threw or returned an invalid payload.
 * The payload itself (not a promise) when nothing is lifted and the schema is synchronous:
 * receive pays no promise for an event of the latest version.
 *
 * @internal
 */
export function upcastPayload(
  registry: SchemaRegistry<object>,
  type: string,
  data: unknown,
  stamp: string | undefined,
): unknown {
  const latest = registry.latest(type);
  if (latest === undefined) throw new UnknownEventError(nameOf(type));
  if (stamp === undefined) return parsePayload(registry, type, data, 'receive');
  const from = Number(stamp);
  const own = String(from) === stamp ? registry.get(type, from) : undefined;
  if (own === undefined) {
    throw new UpcastError(
      type,
      stamp,
      `"${type}" has versions 1 to ${latest}. Register it, or publish a known one.`,
    );
  }
  const path: Array<readonly [RegisteredSchema, Upcaster]> = [];
  for (let version = from + 1; version <= latest; version++) {
    const step = registry.get(type, version);
    if (step?.upcast === undefined) {
      throw new UpcastError(
        type,
        stamp,
        `version ${version} has no upcaster. Register one, or publish version ${latest}.`,
      );
    }
    path.push([step, step.upcast]);
  }
  const value = parseVersion(own, data, from);
  if (path.length === 0) return value;
  return (async () => {
    let lifted = await value;
    for (const [step, upcast] of path) {
      try {
        lifted = await parseVersion(step, await upcast(lifted), step.version);
      } catch (error) {
        const reason = `the upcaster to version ${step.version} failed: ${messageOf(error)}`;
        throw new UpcastError(type, stamp, reason, { cause: error });
      }
    }
    return lifted;
  })();
}
