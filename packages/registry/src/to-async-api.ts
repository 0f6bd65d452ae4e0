import type { Catalogue } from './catalogue.js';
import { CATALOGUE_OPTIONS, type CatalogueOptions } from './catalogue-of.js';
import type { JSONSchemaObject } from './json-schema.js';
import { catalogueFrom } from './registry-exporters.js';
import type { RegistryView } from './registry-view.js';
import { isObject } from './schema-node.js';
import { payloadSchema, versionsOf } from './to-json-schema-documents.js';

/**
 * A server of an AsyncAPI document: where the events travel.
 *
 * @example
 * ```ts
 * const nats: AsyncAPIServer = { host: 'nats.example.com:4222', protocol: 'nats' };
 * ```
 */
export interface AsyncAPIServer {
  /** Host name, and port if not the protocol's default. */
  readonly host: string;
  /** Protocol: `nats`, `redis`, `amqp`, `kafka`, `ws`, ... */
  readonly protocol: string;
  /** The protocol's version. */
  readonly protocolVersion?: string;
  /** A path beneath the host. */
  readonly pathname?: string;
  /** What this server is. */
  readonly description?: string;
}

/**
 * The options of {@link toAsyncAPI}.
 *
 * @example
 * ```ts
 * const options: AsyncAPIOptions = { title: 'Shop events', version: '1.4.0' };
 * ```
 */
export interface AsyncAPIOptions extends CatalogueOptions {
  /** The application's title. */
  readonly title: string;
  /** The version of the application's API (not of AsyncAPI). */
  readonly version: string;
  /** What the application is. */
  readonly description?: string;
  /** The servers, by id. */
  readonly servers?: Readonly<Record<string, AsyncAPIServer>>;
  // `modes` and `descriptions` (from CatalogueOptions) are read when a registry is given.
}

/**
 * An AsyncAPI 3.0 document, as plain JSON: serialise it with `JSON.stringify` (or a YAML
 * writer).
 *
 * @example
 * ```ts
 * const doc: AsyncAPIDocument = toAsyncAPI(catalogue, { title: 'Shop', version: '1.0.0' });
 * ```
 */
export interface AsyncAPIDocument {
  readonly asyncapi: '3.0.0';
  readonly info: {
    readonly title: string;
    readonly version: string;
    readonly description?: string;
  };
  readonly servers?: Readonly<Record<string, AsyncAPIServer>>;
  readonly defaultContentType: 'application/json';
  readonly channels: Readonly<Record<string, JSONSchemaObject>>;
  readonly operations: Readonly<Record<string, JSONSchemaObject>>;
  readonly components: {
    readonly messages: Readonly<Record<string, JSONSchemaObject>>;
    readonly schemas: Readonly<Record<string, JSONSchemaObject>>;
  };
}

// AsyncAPI keys (channel, message, operation, schema ids) match ^[\w\d.\-_]+$.
function keyOf(name: string): string {
  return name.replace(/[^\w.-]/g, '_');
}

const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SCHEMAS = [
  'items',
  'additionalProperties',
  'propertyNames',
  'contains',
  'not',
  'if',
  'then',
  'else',
  'unevaluatedProperties',
  'unevaluatedItems',
];
const SCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf'];

/**
 * Rewrites a draft 2020-12 schema as an AsyncAPI Schema (a superset of draft 07) placed at
 * `base`: local `$ref`s point into the AsyncAPI document, `prefixItems` become `items` lists.
 */
function toAsyncAPISchema(schema: unknown, base: string): unknown {
  if (!isObject(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (keyword === '$schema' || keyword === '$id') continue;
    if (keyword === '$ref' && typeof value === 'string' && value.startsWith('#')) {
      out.$ref = `${base}${value.slice(1)}`;
    } else if (SCHEMA_MAPS.includes(keyword) && isObject(value)) {
      out[keyword] = Object.fromEntries(
        Object.entries(value).map(([key, child]) => [key, toAsyncAPISchema(child, base)]),
      );
    } else if (SCHEMA_LISTS.includes(keyword) && Array.isArray(value)) {
      out[keyword] = value.map((child) => toAsyncAPISchema(child, base));
    } else if (keyword === 'prefixItems' && Array.isArray(value)) {
      out.items = value.map((child) => toAsyncAPISchema(child, base));
      if ('items' in schema) out.additionalItems = toAsyncAPISchema(schema.items, base);
    } else if (keyword === 'items' && 'prefixItems' in schema) {
      // written as additionalItems beside prefixItems
    } else if (SCHEMAS.includes(keyword)) {
      out[keyword] = toAsyncAPISchema(value, base);
    } else {
      out[keyword] = value;
    }
  }
  return out;
}

const HEADERS: JSONSchemaObject = {
  type: 'object',
  description:
    "The event's metadata (request id, source, priority, trace context, causation): string keys and values, carried as message headers.",
  additionalProperties: { type: 'string' },
};

/** Every option of {@link toAsyncAPI}. */
const ASYNCAPI_OPTIONS = [
  'title',
  'version',
  'description',
  'servers',
  ...CATALOGUE_OPTIONS,
] as const satisfies readonly (keyof AsyncAPIOptions)[];

/**
 * Exports a catalogue as an AsyncAPI 3.0 document: a channel per event type (its address the
 * event type), a `send` and a `receive` operation for each, a message per version with its
 * payload schema and the event's metadata as string headers. The latest version is the one
 * sent; every version can be received, so older ones are listed as extra messages. Examples
 * given in a schema (zod's `.meta({ examples })`) become message examples.
 *
 * @param source - a catalogue, or a schema registry to read one from (see catalogueOf)
 * @param options - the document's title and version, and the servers
 * @returns the document, as plain JSON
 * @throws UnrepresentableSchemaError if a schema has no JSON Schema (a zod transform)
 * @throws InvalidOptionError for options holding a key that is not an option (a misspelt one,
 *   of the options or of `modes`), or an unknown mode
 *
 * @example
 * ```ts
 * const doc = toAsyncAPI(catalogue, { title: 'Shop events', version: '1.0.0' });
 * writeFileSync('asyncapi.json', JSON.stringify(doc, null, 2));
 * const fromRegistry = toAsyncAPI(registry, { title: 'Shop events', version: '1.0.0', modes: 'full' });
 * ```
 */
export function toAsyncAPI(
  source: Catalogue | RegistryView,
  options: AsyncAPIOptions,
): AsyncAPIDocument {
  const catalogue = catalogueFrom('toAsyncAPI', source, options, ASYNCAPI_OPTIONS);
  const channels: Record<string, JSONSchemaObject> = {};
  const operations: Record<string, JSONSchemaObject> = {};
  const messages: Record<string, JSONSchemaObject> = {};
  const schemas: Record<string, JSONSchemaObject> = {};
  for (const event of catalogue.events) {
    const channel = keyOf(event.type);
    const channelMessages: Record<string, JSONSchemaObject> = {};
    const keys: string[] = [];
    for (const entry of versionsOf(event)) {
      const key = `${channel}.v${entry.version}`;
      const payload = payloadSchema(event.type, entry);
      schemas[key] = toAsyncAPISchema(payload, `#/components/schemas/${key}`) as JSONSchemaObject;
      const examples = Array.isArray(payload.examples) ? payload.examples : [];
      messages[key] = {
        name: event.type,
        title: `${event.type} v${entry.version}`,
        ...(event.description === undefined ? {} : { summary: event.description }),
        contentType: 'application/json',
        headers: HEADERS,
        payload: { $ref: `#/components/schemas/${key}` },
        ...(examples.length === 0
          ? {}
          : {
              examples: examples.map((example, index) => ({
                name: `${key}.example${index + 1}`,
                payload: example,
              })),
            }),
        'x-gossip-version': entry.version,
      };
      channelMessages[key] = { $ref: `#/components/messages/${key}` };
      keys.push(key);
    }
    channels[channel] = {
      address: event.type,
      ...(event.description === undefined ? {} : { description: event.description }),
      messages: channelMessages,
      ...(event.compatibility === undefined
        ? {}
        : { 'x-gossip-compatibility': event.compatibility }),
    };
    const ref = (key: string) => ({ $ref: `#/channels/${channel}/messages/${key}` });
    operations[`${channel}.send`] = {
      action: 'send',
      channel: { $ref: `#/channels/${channel}` },
      summary: `Publish ${event.type} (the latest version).`,
      messages: keys.slice(0, 1).map(ref),
    };
    operations[`${channel}.receive`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${channel}` },
      summary: `Receive ${event.type}, in any version.`,
      messages: keys.map(ref),
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: options.title,
      version: options.version,
      ...(options.description === undefined ? {} : { description: options.description }),
    },
    ...(options.servers === undefined ? {} : { servers: options.servers }),
    defaultContentType: 'application/json',
    channels,
    operations,
    components: { messages, schemas },
  };
}
