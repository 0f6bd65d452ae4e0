import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { InvalidOptionError } from '@gossip/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  type Catalogue,
  eventSchemaId,
  RegistryErrorCode,
  toAsyncAPI,
  toJSONSchemaDocuments,
  UnrepresentableSchemaError,
} from '../src/index.js';

interface ParseResult {
  readonly diagnostics: ReadonlyArray<{ severity: number; path: string; message: string }>;
  readonly channels: ReadonlyArray<string>;
  readonly operations: ReadonlyArray<string>;
}

/** Each document as @asyncapi/parser reads it, all in one child process. */
function parseAsyncAPI(documents: readonly unknown[]): ParseResult[] {
  const script = fileURLToPath(new URL('./validate-asyncapi.mjs', import.meta.url));
  const output = execFileSync(process.execPath, [script], { input: JSON.stringify(documents) });
  return JSON.parse(output.toString()) as ParseResult[];
}

interface Category {
  name: string;
  children: Category[];
}
const category: z.ZodType<Category> = z.object({
  name: z.string(),
  get children() {
    return z.array(category);
  },
});

const catalogue: Catalogue = {
  events: [
    {
      type: 'order.placed',
      description: 'A customer placed an order.',
      compatibility: 'backward',
      versions: [
        { version: 1, schema: z.object({ orderId: z.string(), amount: z.number() }) },
        {
          version: 2,
          schema: z
            .object({
              orderId: z.string(),
              amount: z.number().min(0),
              currency: z.enum(['EUR', 'USD']).default('EUR'),
              lines: z.array(z.tuple([z.string(), z.int().positive()])),
            })
            .meta({
              examples: [{ orderId: 'o-1', amount: 12.5, currency: 'EUR', lines: [['sku-1', 2]] }],
            }),
        },
      ],
    },
    { type: 'catalog.updated', versions: [{ version: 1, schema: z.object({ root: category }) }] },
    {
      type: 'user.created',
      versions: [
        {
          version: 1,
          schema: {
            type: 'object',
            properties: { userId: { type: 'string' } },
            required: ['userId'],
            examples: [{ userId: 'u-1' }],
          },
        },
      ],
    },
  ],
};

describe('toJSONSchemaDocuments', () => {
  it('makes one draft 2020-12 document per event type and version, with stable ids', () => {
    const documents = toJSONSchemaDocuments(catalogue);
    expect(documents.map((d) => d.id)).toEqual([
      'urn:gossip:event:order.placed:v2',
      'urn:gossip:event:order.placed:v1',
      'urn:gossip:event:catalog.updated:v1',
      'urn:gossip:event:user.created:v1',
    ]);
    const [v2] = documents;
    expect(v2?.document).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'urn:gossip:event:order.placed:v2',
      title: 'order.placed v2',
      description: 'A customer placed an order.',
      type: 'object',
      // the payload as it goes on the wire: the default is always there
      required: ['orderId', 'amount', 'currency', 'lines'],
    });
    expect(eventSchemaId('order.placed', 2)).toBe(v2?.id);
  });

  it('gives the same documents for the same catalogue', () => {
    expect(JSON.stringify(toJSONSchemaDocuments(catalogue))).toBe(
      JSON.stringify(toJSONSchemaDocuments(catalogue)),
    );
  });

  it('refuses a schema with no JSON Schema, naming the event and version', () => {
    const transformed: Catalogue = {
      events: [{ type: 'a.b', versions: [{ version: 3, schema: z.string().transform(Number) }] }],
    };
    expect(() => toJSONSchemaDocuments(transformed)).toThrow(UnrepresentableSchemaError);
    expect(() => toJSONSchemaDocuments(transformed)).toThrow(/a\.b v3/);
    try {
      toAsyncAPI(transformed, { title: 't', version: '1' });
    } catch (error) {
      expect((error as UnrepresentableSchemaError).code).toBe(
        RegistryErrorCode.UnrepresentableSchema,
      );
    }
  });

  it('refuses repeated or invalid version numbers', () => {
    const repeated: Catalogue = {
      events: [
        {
          type: 'a.b',
          versions: [
            { version: 1, schema: true },
            { version: 1, schema: true },
          ],
        },
      ],
    };
    expect(() => toJSONSchemaDocuments(repeated)).toThrow(InvalidOptionError);
  });
});

describe('toAsyncAPI', () => {
  const document = toAsyncAPI(catalogue, {
    title: 'Shop events',
    version: '1.0.0',
    servers: { production: { host: 'nats.example.com:4222', protocol: 'nats' } },
  });

  it('is a valid AsyncAPI 3.0 document for @asyncapi/parser, which refuses a broken schema', () => {
    const broken = structuredClone(document) as {
      components: { schemas: Record<string, unknown> };
    };
    broken.components.schemas['user.created.v1'] = { type: 5 };
    const [valid, refused] = parseAsyncAPI([document, broken]);
    if (valid === undefined || refused === undefined)
      throw new Error('the parser answered nothing');
    const { diagnostics, channels, operations } = valid;
    // severity 0 is an error; 2 is the parser's advice to use AsyncAPI 3.1
    expect(diagnostics.filter((d) => d.severity === 0)).toEqual([]);
    expect(channels).toEqual(['order.placed', 'catalog.updated', 'user.created']);
    expect(operations).toEqual([
      'order.placed.send send 1',
      'order.placed.receive receive 2',
      'catalog.updated.send send 1',
      'catalog.updated.receive receive 1',
      'user.created.send send 1',
      'user.created.receive receive 1',
    ]);
    expect(refused.diagnostics.some((d) => d.severity === 0)).toBe(true);
  }, 30_000);

  it('sends the latest version, receives every one, and carries metadata as string headers', () => {
    expect(document.operations['order.placed.send']?.messages).toEqual([
      { $ref: '#/channels/order.placed/messages/order.placed.v2' },
    ]);
    expect(document.components.messages['order.placed.v1']).toMatchObject({
      name: 'order.placed',
      contentType: 'application/json',
      headers: { type: 'object', additionalProperties: { type: 'string' } },
      payload: { $ref: '#/components/schemas/order.placed.v1' },
      'x-gossip-version': 1,
    });
    expect(document.channels['order.placed']).toMatchObject({
      'x-gossip-compatibility': 'backward',
    });
  });

  it('gives examples where the schema has them', () => {
    expect(document.components.messages['order.placed.v2']?.examples).toEqual([
      {
        name: 'order.placed.v2.example1',
        payload: { orderId: 'o-1', amount: 12.5, currency: 'EUR', lines: [['sku-1', 2]] },
      },
    ]);
    expect(document.components.messages['user.created.v1']?.examples).toHaveLength(1);
    expect(document.components.messages['order.placed.v1']).not.toHaveProperty('examples');
  });

  it('writes payloads as AsyncAPI schemas: tuples as item lists, references into the document', () => {
    const payload = document.components.schemas['order.placed.v2'] as {
      properties: { lines: { items: { items: unknown; additionalItems: unknown } } };
    };
    const lines = payload.properties.lines;
    expect(lines.items.items).toEqual([
      { type: 'string' },
      expect.objectContaining({ type: 'integer' }),
    ]);
    expect(lines.items.additionalItems).toBe(false);
    expect(JSON.stringify(document.components.schemas['catalog.updated.v1'])).toContain(
      '"$ref":"#/components/schemas/catalog.updated.v1',
    );
    expect(JSON.stringify(document)).not.toContain('"$schema"');
  });

  it('refuses a misspelt option, of a catalogue too, suggesting the right one', () => {
    const options = { title: 'Shop events', verison: '1.0.0' } as never;
    expect(() => toAsyncAPI(catalogue, options)).toThrow(InvalidOptionError);
    expect(() => toAsyncAPI(catalogue, options)).toThrow(
      'Invalid option "toAsyncAPI({ verison })": expected a known option (did you mean "version"?), received "1.0.0".',
    );
    expect(() => toAsyncAPI(catalogue, { title: 'x', version: '1', server: {} } as never)).toThrow(
      '(did you mean "servers"?)',
    );
    expect(() => toAsyncAPI(catalogue, undefined as never)).toThrow(
      'Invalid option "toAsyncAPI(options)"',
    );
  });
});
