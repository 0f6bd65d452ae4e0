import { isMultiple } from './accepts.js';
import type { JSONSchemaObject } from './json-schema.js';
import { pushProblem, type ReadContext } from './read-context.js';
import { numberOf } from './schema-node.js';

interface Bound {
  readonly value: number;
  readonly exclusive: boolean;
}

function lowerBound(schema: JSONSchemaObject): Bound | undefined {
  const inclusive = numberOf(schema, 'minimum');
  const exclusive = numberOf(schema, 'exclusiveMinimum');
  if (exclusive !== undefined && (inclusive === undefined || exclusive >= inclusive)) {
    return { value: exclusive, exclusive: true };
  }
  return inclusive === undefined ? undefined : { value: inclusive, exclusive: false };
}

function upperBound(schema: JSONSchemaObject): Bound | undefined {
  const inclusive = numberOf(schema, 'maximum');
  const exclusive = numberOf(schema, 'exclusiveMaximum');
  if (exclusive !== undefined && (inclusive === undefined || exclusive <= inclusive)) {
    return { value: exclusive, exclusive: true };
  }
  return inclusive === undefined ? undefined : { value: inclusive, exclusive: false };
}

function describeBound(bound: Bound | undefined, lower: boolean): string {
  if (bound === undefined) return 'no bound';
  const relation = lower
    ? bound.exclusive
      ? 'above'
      : 'at least'
    : bound.exclusive
      ? 'below'
      : 'at most';
  return `${relation} ${bound.value}`;
}

/**
 * Reports a reader's bound (`lower`: a minimum, else a maximum) that the writer's does not keep
 * within: none, a looser value, or the same value inclusive where the reader's is exclusive.
 */
function checkBound(
  context: ReadContext,
  path: string,
  read: Bound | undefined,
  written: Bound | undefined,
  lower: boolean,
): void {
  if (read === undefined) return;
  const looser =
    written === undefined ||
    (lower ? written.value < read.value : written.value > read.value) ||
    (written.value === read.value && read.exclusive && !written.exclusive);
  if (!looser) return;
  const keyword = lower
    ? read.exclusive
      ? 'exclusiveMinimum'
      : 'minimum'
    : read.exclusive
      ? 'exclusiveMaximum'
      : 'maximum';
  pushProblem(
    context,
    path,
    'constraint-stricter',
    describeBound(read, lower),
    describeBound(written, lower),
    keyword,
  );
}

/**
 * Compares the numeric bounds of reader and writer: `minimum` and `maximum` (exclusive or not)
 * and `multipleOf`.
 *
 * @internal
 */
export function readNumber(
  context: ReadContext,
  r: JSONSchemaObject,
  w: JSONSchemaObject,
  path: string,
) {
  checkBound(context, path, lowerBound(r), lowerBound(w), true);
  checkBound(context, path, upperBound(r), upperBound(w), false);
  const rStep = numberOf(r, 'multipleOf');
  const wStep = numberOf(w, 'multipleOf');
  if (rStep !== undefined && rStep > 0 && (wStep === undefined || !isMultiple(wStep, rStep))) {
    const writer = wStep === undefined ? 'any number' : `multiples of ${wStep}`;
    pushProblem(
      context,
      path,
      'constraint-stricter',
      `multiples of ${rStep}`,
      writer,
      'multipleOf',
    );
  }
}
