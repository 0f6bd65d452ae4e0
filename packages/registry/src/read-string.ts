import type { JSONSchemaObject } from './json-schema.js';
import { pushProblem, type ReadContext } from './read-context.js';
import { readCount } from './read-count.js';
import { stringOf } from './schema-node.js';

/**
 * Compares what reader and writer say of a string: its length, `pattern` and `format`.
 *
 * @internal
 */
export function readString(
  context: ReadContext,
  r: JSONSchemaObject,
  w: JSONSchemaObject,
  path: string,
) {
  readCount(context, r, w, path, 'minLength', 'characters');
  readCount(context, r, w, path, 'maxLength', 'characters');
  for (const [keyword, kind] of [
    ['pattern', 'pattern-differs'],
    ['format', 'format-differs'],
  ] as const) {
    const rValue = stringOf(r, keyword);
    const wValue = stringOf(w, keyword);
    if (rValue !== undefined && rValue !== wValue) {
      pushProblem(
        context,
        path,
        kind,
        `${keyword} ${rValue}`,
        wValue === undefined ? `no ${keyword}` : `${keyword} ${wValue}`,
        keyword,
      );
    }
  }
}
