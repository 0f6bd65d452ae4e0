import { InvalidOptionError } from '@gossip/core';
import type { Catalogue } from './catalogue.js';
import { CATALOGUE_OPTIONS, type CatalogueOptions } from './catalogue-of.js';
import type { SchemaVersion } from './check-versions.js';
import { convertSchema } from './convert-schema.js';
import type { JSONSchemaObject } from './json-schema.js';
import { catalogueFrom } from './registry-exporters.js';
import type { RegistryView } from './registry-view.js';
import { UnrepresentableSchemaError } from './unrepresentable-schema-error.js';

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';

/**
 * One JSON Schema document: the payload of one version of one event type.
 *
 * @example
 * ```ts
 * const [doc] = toJSONSchemaDocuments(catalogue);
 * writeFileSync(`${doc.eventType}.v${doc.version}.json`, JSON.stringify(doc.document));
 * ```
 */
export interface EventSchemaDocument {
  /** The event type. */
  readonly eventType: string;
  /** The version. */
  readonly version: number;
  /** The document's `$id`: `urn:gossip:event:<type>:v<version>`. */
  readonly id: string;
  /** The JSON Schema (draft 2020-12), with `$schema`, `$id` and `title`. */
  readonly document: JSONSchemaObject;
}

/**
 * The stable `$id` of a version of an event type's schema.
 *
 * @param eventType - the event type
 * @param version - the version
 * @returns `urn:gossip:event:<type>:v<version>`
 *
 * @example
 * ```ts
 * eventSchemaId('order.placed', 2); // 'urn:gossip:event:order.placed:v2'
 * ```
 */
export function eventSchemaId(eventType: string, version: number): string {
  return `urn:gossip:event:${eventType}:v${version}`;
}

/**
 * The payload's JSON Schema (output side: what goes on the wire) of one version.
 *
 * @internal
 */
export function payloadSchema(eventType: string, entry: SchemaVersion): JSONSchemaObject {
  const converted = convertSchema(entry.schema, 'output', false);
  if (!converted.success) {
    throw new UnrepresentableSchemaError(eventType, entry.version, converted.reason);
  }
  const { data } = converted;
  if (typeof data === 'boolean') return data ? {} : { not: {} };
  const { $schema: _schema, $id: _id, ...rest } = data;
  return rest;
}

/**
 * The versions of an event type, the latest first, checked.
 *
 * @internal
 */
export function versionsOf(event: Catalogue['events'][number]): SchemaVersion[] {
  const seen = new Set<number>();
  for (const entry of event.versions) {
    if (!Number.isInteger(entry.version) || entry.version < 1 || seen.has(entry.version)) {
      throw new InvalidOptionError(
        `${event.type}.versions`,
        'distinct positive integer version numbers',
        entry.version,
      );
    }
    seen.add(entry.version);
  }
  return [...event.versions].sort((a, b) => b.version - a.version);
}

/**
 * Exports a catalogue as JSON Schema documents (draft 2020-12), one per event type and
 * version, each with a stable `$id` (`urn:gossip:event:order.placed:v2`). Each describes the
 * payload as it goes on the wire: a zod schema's output side, so a field with a default is
 * required.
 *
 * @param catalogue - the event types and their versions
 * @returns the documents, by event type in catalogue order and latest version first
 * @throws UnrepresentableSchemaError if a schema has no JSON Schema (a zod transform)
 *
 * @example
 * ```ts
 * for (const { id, document } of toJSONSchemaDocuments(catalogue)) publishSchema(id, document);
 * ```
 */
export function toJSONSchemaDocuments(catalogue: Catalogue): EventSchemaDocument[] {
  return catalogue.events.flatMap((event) =>
    versionsOf(event).map((entry) => {
      const id = eventSchemaId(event.type, entry.version);
      const document: JSONSchemaObject = {
        $schema: DRAFT,
        $id: id,
        title: `${event.type} v${entry.version}`,
        ...(event.description === undefined ? {} : { description: event.description }),
        ...payloadSchema(event.type, entry),
      };
      return { eventType: event.type, version: entry.version, id, document };
    }),
  );
}

/**
 * Exports a core `SchemaRegistry` (or a catalogue) as JSON Schema documents, one per event type
 * and version: {@link toJSONSchemaDocuments} of {@link catalogueOf} the registry. The
 * `registry.toJSONSchema()` of issue 15, a function here so that core's bundle stays small.
 *
 * @param source - a registry, or a catalogue
 * @param options - the modes and descriptions, for a registry
 * @returns the documents, by event type in registration order and latest version first
 * @throws UnrepresentableSchemaError if a schema has no JSON Schema (a zod transform)
 * @throws InvalidOptionError for options holding a key that is not an option (a misspelt one,
 *   of the options or of `modes`), or an unknown mode
 *
 * @example
 * ```ts
 * for (const { eventType, version, document } of toJSONSchema(registry)) {
 *   writeFileSync(`${eventType}.v${version}.json`, JSON.stringify(document, null, 2));
 * }
 * ```
 */
export function toJSONSchema(
  source: Catalogue | RegistryView,
  options: CatalogueOptions = {},
): EventSchemaDocument[] {
  return toJSONSchemaDocuments(catalogueFrom('toJSONSchema', source, options, CATALOGUE_OPTIONS));
}
