import { type Catalogue, toJSONSchemaDocuments } from '@gossip/registry';

type Json = Record<string, unknown>;

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short name for a JSON Schema's type: `string`, `number[]`, `"EUR" | "USD"`, `object`. */
function typeName(schema: unknown): string {
  if (!isJson(schema)) return schema === false ? 'never' : 'any';
  if (Array.isArray(schema.enum))
    return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  if ('const' in schema) return JSON.stringify(schema.const);
  const union = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(union)) return union.map(typeName).join(' | ');
  if (typeof schema.$ref === 'string') return schema.$ref.split('/').at(-1) ?? 'ref';
  const type = schema.type;
  if (type === 'array') return `${typeName(schema.items)}[]`;
  if (Array.isArray(type)) return type.join(' | ');
  if (typeof schema.format === 'string') return `${String(type)} (${schema.format})`;
  return typeof type === 'string' ? type : 'any';
}

/**
 * The fields of a payload's JSON Schema, one line each: `name: type` with `?` for optional.
 *
 * @internal
 */
export function fieldLines(schema: Json): string[] {
  const properties = isJson(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const lines = Object.entries(properties).map(
    ([name, field]) => `${name}${required.has(name) ? '' : '?'}: ${typeName(field)}`,
  );
  return lines.length === 0 ? [`(${typeName(schema)})`] : lines;
}

/**
 * The catalogue as text: per event type, its versions and mode, then the fields of its latest
 * version (as they go on the wire).
 *
 * @internal
 */
export function formatCatalogue(catalogue: Catalogue): string {
  const out: string[] = [];
  for (const event of catalogue.events) {
    const numbers = event.versions.map((entry) => entry.version).sort((a, b) => a - b);
    const latest = numbers.at(-1);
    const upcasts = event.versions.filter((entry) => entry.upcast === true).length;
    out.push(
      `${event.type}  versions ${numbers.join(', ')} (latest v${latest ?? '?'})  compatibility ${event.compatibility ?? 'backward'}${upcasts > 0 ? `  upcasters ${upcasts}` : ''}`,
    );
    if (event.description !== undefined) out.push(`  ${event.description}`);
    const last = event.versions.find((entry) => entry.version === latest);
    if (last === undefined) continue;
    try {
      const [doc] = toJSONSchemaDocuments({ events: [{ type: event.type, versions: [last] }] });
      for (const line of fieldLines(doc?.document ?? {})) out.push(`    ${line}`);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      out.push(`    (fields cannot be shown: ${reason})`);
    }
  }
  return `${out.join('\n')}\n`;
}
