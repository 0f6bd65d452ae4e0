import type { JSONSchemaObject } from './json-schema.js';
import { pushProblem, type ReadContext } from './read-context.js';
import { numberOf } from './schema-node.js';

/**
 * A reader's lower bound (`minLength`, `minItems`) must be at most the writer's; an upper bound
 * (`maxLength`, `maxItems`) at least the writer's.
 *
 * @internal
 */
export function readCount(
  context: ReadContext,
  r: JSONSchemaObject,
  w: JSONSchemaObject,
  path: string,
  keyword: string,
  unit: string,
): void {
  const lower = keyword.startsWith('min');
  const rValue = numberOf(r, keyword);
  const wValue = numberOf(w, keyword);
  if (rValue === undefined || (lower && rValue <= 0)) return;
  const breaks = wValue === undefined || (lower ? wValue < rValue : wValue > rValue);
  if (!breaks) return;
  const word = lower ? 'at least' : 'at most';
  const writer = wValue === undefined ? `any number of ${unit}` : `${word} ${wValue} ${unit}`;
  pushProblem(context, path, 'constraint-stricter', `${word} ${rValue} ${unit}`, writer, keyword);
}
