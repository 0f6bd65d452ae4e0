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
  const [rMin, wMin] = [lowerBound(r), lowerBound(w)];
  if (
    rMin !== undefined &&
    (wMin === undefined ||
      wMin.value < rMin.value ||
      (wMin.value === rMin.value && rMin.exclusive && !wMin.exclusive))
  ) {
    const keyword = rMin.exclusive ? 'exclusiveMinimum' : 'minimum';
    pushProblem(
      context,
      path,
      'constraint-stricter',
      describeBound(rMin, true),
      describeBound(wMin, true),
      keyword,
    );
  }
  const [rMax, wMax] = [upperBound(r), upperBound(w)];
  if (
    rMax !== undefined &&
    (wMax === undefined ||
      wMax.value > rMax.value ||
      (wMax.value === rMax.value && rMax.exclusive && !wMax.exclusive))
  ) {
    const keyword = rMax.exclusive ? 'exclusiveMaximum' : 'maximum';
    pushProblem(
      context,
      path,
      'constraint-stricter',
      describeBound(rMax, false),
      describeBound(wMax, false),
      keyword,
    );
  }
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
