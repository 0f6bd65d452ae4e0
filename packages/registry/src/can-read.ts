import { accepts, isMultiple } from './accepts.js';
import { UNCHECKED } from './convert-schema.js';
import type { JSONSchema, JSONSchemaObject } from './json-schema.js';
import {
  acceptsAnything,
  allowsType,
  asNode,
  describeSchema,
  isObject,
  type Node,
  nodesOf,
  numberOf,
  propertiesOf,
  requiredOf,
  resolvePointer,
  stringOf,
  typeOfValue,
  typesOf,
  valuesOf,
} from './schema-node.js';
import { extraPath, indexPath, itemsPath, propertyPath, quotePath } from './schema-path.js';

/**
 * Why a reader cannot read what a writer writes, in reader and writer terms (a
 * {@link SchemaDifference} says the same in terms of versions).
 *
 * - `type-mismatch`: the reader accepts none of the writer's types.
 * - `type-narrower`: the reader accepts some of the writer's types, not all.
 * - `null-refused`: the writer may write `null`, the reader refuses it.
 * - `values-narrower`: the reader's `enum`/`const` lacks some values the writer writes.
 * - `values-differ`: the reader's `enum`/`const` shares no value with the writer's.
 * - `missing-required`: the reader requires a field the writer never writes.
 * - `optional-required`: the reader requires a field the writer may leave out.
 * - `field-refused`: the reader refuses unknown fields and the writer writes one.
 * - `extras-refused`: the reader refuses unknown fields and the writer may write any.
 * - `constraint-stricter`: a bound (`minimum`, `maxLength`, ...) is stricter in the reader.
 * - `pattern-differs`, `format-differs`: the reader checks another `pattern` or `format`.
 * - `branch-unreadable`: no branch of the reader's union reads this writer branch.
 * - `cannot-check`: a schema cannot be expressed (or read) as JSON Schema here.
 *
 * @example
 * ```ts
 * const kind: ReadProblemKind = 'missing-required';
 * ```
 */
export type ReadProblemKind =
  | 'type-mismatch'
  | 'type-narrower'
  | 'null-refused'
  | 'values-narrower'
  | 'values-differ'
  | 'missing-required'
  | 'optional-required'
  | 'field-refused'
  | 'extras-refused'
  | 'constraint-stricter'
  | 'pattern-differs'
  | 'format-differs'
  | 'branch-unreadable'
  | 'cannot-check';

/**
 * One reason a reader's schema cannot read data a writer's schema allows.
 *
 * @example
 * ```ts
 * const [problem] = canRead({ type: 'string' }, { type: 'number' });
 * problem?.kind; // 'type-mismatch'
 * ```
 */
export interface ReadProblem {
  /** Where in the payload: `amount`, `items[].sku`, `''` for the payload itself. */
  readonly path: string;
  /** What kind of problem. */
  readonly kind: ReadProblemKind;
  /** The keyword concerned, for `constraint-stricter`, `pattern-differs`, `format-differs`. */
  readonly keyword?: string;
  /** What the reader accepts there, in words (`number`, `"a" | "b"`, `at least 3`). */
  readonly reader: string;
  /** What the writer writes there, in words. */
  readonly writer: string;
  /** The problem as a sentence. */
  readonly message: string;
}

interface Context {
  readonly readerRoot: JSONSchema;
  readonly writerRoot: JSONSchema;
  readonly problems: ReadProblem[];
  // Pairs of (reader, writer) nodes being checked, to stop on a recursive schema: a pair met
  // again inside itself holds if everything else does.
  readonly active: Map<object, Set<object>>;
}

const UNION = ['anyOf', 'oneOf'] as const;

/**
 * Lists why a reader with `reader` cannot read every payload `writer` allows: the empty list
 * when it can. Both are JSON Schemas (draft 2020-12); for a zod schema, pass the reader's
 * `input` side and the writer's `output` side (`checkCompatibility` does this for you).
 *
 * The check is conservative where JSON Schema cannot be compared exactly: two different
 * `pattern`s or `format`s are a problem, `not` and `if`/`then` are not read, `oneOf` is read as
 * `anyOf`. A writer without `additionalProperties` is taken to write only the fields it names,
 * as zod's output schemas do.
 *
 * @param reader - the schema of the side that reads (validates) the payload
 * @param writer - the schema of the side that wrote it
 * @returns the problems, empty if every payload the writer allows is one the reader accepts
 *
 * @example
 * ```ts
 * canRead({ type: 'number', minimum: 10 }, { type: 'number', minimum: 0 });
 * // [{ path: '', kind: 'constraint-stricter', keyword: 'minimum', ... }]
 * ```
 */
export function canRead(reader: JSONSchema, writer: JSONSchema): ReadProblem[] {
  const context: Context = {
    readerRoot: reader,
    writerRoot: writer,
    problems: [],
    active: new Map(),
  };
  read(context, reader, writer, '');
  return context.problems;
}

function push(
  context: Context,
  path: string,
  kind: ReadProblemKind,
  reader: string,
  writer: string,
  keyword?: string,
): void {
  const where = quotePath(path);
  const what = keyword === undefined ? '' : ` (${keyword})`;
  const message =
    kind === 'cannot-check'
      ? `${where} cannot be checked: ${reader}`
      : `${where}${what}: the reader accepts ${reader}, the writer writes ${writer}`;
  context.problems.push({ path, kind, reader, writer, message, ...(keyword ? { keyword } : {}) });
}

function deref(root: JSONSchema, node: Node): Node | undefined {
  let current: Node = node;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string'; hops++) {
    if (hops > 32) return undefined;
    const target = resolvePointer(root, current.$ref);
    if (target === undefined) return undefined;
    const { $ref: _ref, ...siblings } = current;
    current = acceptsAnything(siblings) ? target : merge(target, siblings);
  }
  return current;
}

function without(schema: JSONSchemaObject, keywords: ReadonlyArray<string>): JSONSchemaObject {
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) if (!keywords.includes(key)) rest[key] = value;
  return rest;
}

// A branch of a union or intersection, with the keywords beside the union applied to it.
function merge(branch: Node, siblings: JSONSchemaObject): Node {
  if (typeof branch === 'boolean') return branch ? siblings : false;
  const merged: Record<string, unknown> = { ...siblings, ...branch };
  if (isObject(siblings.properties) && isObject(branch.properties)) {
    merged.properties = { ...siblings.properties, ...branch.properties };
  }
  if (Array.isArray(siblings.required) && Array.isArray(branch.required)) {
    merged.required = [...new Set([...siblings.required, ...branch.required])];
  }
  return merged;
}

function read(context: Context, reader: Node, writer: Node, path: string): void {
  const r = deref(context.readerRoot, reader);
  const w = deref(context.writerRoot, writer);
  if (r === undefined || w === undefined) {
    const side = r === undefined ? 'reader' : 'writer';
    push(context, path, 'cannot-check', `the ${side}'s $ref cannot be resolved`, '');
    return;
  }
  if (w === false || r === true || acceptsAnything(r)) return;
  if (isObject(r) && typeof r[UNCHECKED] === 'string') {
    push(context, path, 'cannot-check', String(r[UNCHECKED]), '');
    return;
  }
  if (r === false) {
    push(context, path, 'type-mismatch', 'nothing', describeSchema(w));
    return;
  }
  if (w === true || acceptsAnything(w)) {
    push(context, path, 'type-narrower', describeSchema(r), 'anything');
    return;
  }
  let pairs = context.active.get(r);
  if (pairs?.has(w)) return;
  if (pairs === undefined) {
    pairs = new Set();
    context.active.set(r, pairs);
  }
  pairs.add(w);
  try {
    readObjects(context, r, w, path);
  } finally {
    pairs.delete(w);
  }
}

function readObjects(context: Context, r: JSONSchemaObject, w: JSONSchemaObject, path: string) {
  for (const keyword of UNION) {
    const branches = nodesOf(w, keyword);
    if (branches === undefined) continue;
    readWriterUnion(
      context,
      r,
      w,
      branches.map((branch) => merge(branch, without(w, [keyword]))),
      path,
    );
    return;
  }
  const writerAll = nodesOf(w, 'allOf');
  if (writerAll !== undefined) {
    read(context, r, writerAll.reduce<Node>(mergeAll, without(w, ['allOf'])), path);
    return;
  }
  const writerValues = valuesOf(w);
  if (writerValues !== undefined) {
    readValues(context, r, w, writerValues, path);
    return;
  }
  const writerTypes = typesOf(w);
  if (writerTypes !== undefined && writerTypes.length > 1) {
    readTypes(context, r, w, writerTypes, path);
    return;
  }
  for (const keyword of UNION) {
    const branches = nodesOf(r, keyword);
    if (branches === undefined) continue;
    readByUnion(
      context,
      branches.map((branch) => merge(branch, without(r, [keyword]))),
      r,
      w,
      path,
    );
    return;
  }
  const readerAll = nodesOf(r, 'allOf');
  if (readerAll !== undefined) {
    const siblings = without(r, ['allOf']);
    for (const branch of readerAll) read(context, merge(branch, siblings), w, path);
    return;
  }
  const readerTypes = typesOf(r);
  const type = writerTypes?.[0];
  if (readerTypes !== undefined) {
    if (type === undefined) {
      push(context, path, 'type-narrower', describeSchema(r), `any type (${describeSchema(w)})`);
      return;
    }
    if (!allowsType(readerTypes, type)) {
      const kind =
        type === 'null'
          ? 'null-refused'
          : type === 'number' && readerTypes.includes('integer')
            ? 'type-narrower'
            : 'type-mismatch';
      push(context, path, kind, describeSchema(r), describeSchema(w));
      return;
    }
  }
  if (valuesOf(r) !== undefined) {
    push(context, path, 'values-narrower', describeSchema(r), `any ${describeSchema(w)}`);
    return;
  }
  if (type === undefined || type === 'number' || type === 'integer')
    readNumber(context, r, w, path);
  if (type === undefined || type === 'string') readString(context, r, w, path);
  if (type === undefined || type === 'array') readArray(context, r, w, path);
  if (type === undefined || type === 'object') readObject(context, r, w, path);
}

// Every branch of a writer union must be readable. A branch of a type the reader refuses
// while other branches are read is a narrowing, not a change of type.
function readWriterUnion(
  context: Context,
  r: JSONSchemaObject,
  w: JSONSchemaObject,
  branches: ReadonlyArray<Node>,
  path: string,
): void {
  const trials = branches.map((branch) => {
    const trial: Context = { ...context, problems: [] };
    read(trial, r, branch, path);
    return trial.problems;
  });
  const mismatch = (problem: ReadProblem) =>
    problem.path === path && problem.kind === 'type-mismatch';
  const mixed = trials.some((problems) => !problems.some(mismatch));
  let narrowed = false;
  for (const problems of trials) {
    for (const problem of problems) {
      if (!mixed || !mismatch(problem)) context.problems.push(problem);
      else if (!narrowed) {
        narrowed = true;
        push(context, path, 'type-narrower', describeSchema(r), describeSchema(w));
      }
    }
  }
}

function mergeAll(merged: Node, branch: Node): Node {
  if (merged === false || branch === false) return false;
  if (merged === true) return branch;
  return merge(branch, merged);
}

// A writer with an enum or const writes finitely many values: try each on the reader.
function readValues(
  context: Context,
  r: JSONSchemaObject,
  w: JSONSchemaObject,
  values: ReadonlyArray<unknown>,
  path: string,
): void {
  const refused = values.filter((value) => !accepts(context.readerRoot, r, value));
  if (refused.length === 0) return;
  const readerTypes = typesOf(r);
  const typeRefused = (value: unknown) =>
    readerTypes !== undefined && !allowsType(readerTypes, typeOfValue(value));
  if (refused.every(typeRefused)) {
    if (refused.every((value) => value === null)) {
      push(context, path, 'null-refused', describeSchema(r), 'null');
    } else if (refused.length === values.length) {
      push(context, path, 'type-mismatch', describeSchema(r), describeSchema(w));
    } else {
      push(context, path, 'type-narrower', describeSchema(r), describeSchema(w));
    }
    return;
  }
  const kind = refused.length === values.length ? 'values-differ' : 'values-narrower';
  push(context, path, kind, describeSchema(r), describeSchema(w));
}

// A writer of several types (`type: ['string', 'null']`): each type on its own.
function readTypes(
  context: Context,
  r: JSONSchemaObject,
  w: JSONSchemaObject,
  types: ReadonlyArray<string>,
  path: string,
): void {
  const readerTypes = typesOf(r);
  const allowed =
    readerTypes === undefined ? types : types.filter((t) => allowsType(readerTypes, t));
  const refused = types.filter((t) => !allowed.includes(t));
  if (allowed.length === 0) {
    push(context, path, 'type-mismatch', describeSchema(r), describeSchema(w));
    return;
  }
  if (refused.includes('null')) push(context, path, 'null-refused', describeSchema(r), 'null');
  if (refused.some((t) => t !== 'null')) {
    push(context, path, 'type-narrower', describeSchema(r), describeSchema(w));
  }
  for (const type of allowed) read(context, r, { ...w, type }, path);
}

// A reader union reads a writer's value if one of its branches does.
function readByUnion(
  context: Context,
  branches: ReadonlyArray<Node>,
  r: JSONSchemaObject,
  w: JSONSchemaObject,
  path: string,
): void {
  const trials = branches.map((branch) => {
    const trial: Context = { ...context, problems: [] };
    read(trial, branch, w, path);
    return { branch, problems: trial.problems };
  });
  if (trials.some((trial) => trial.problems.length === 0)) return;
  const writerTypes = typesOf(w);
  if (writerTypes?.length === 1 && writerTypes[0] === 'null') {
    push(context, path, 'null-refused', describeSchema(r), 'null');
    return;
  }
  // When one branch is of the writer's type, its own problems say more than "no branch reads".
  const near = trials.filter(({ branch }) => {
    const types = typeof branch === 'boolean' ? undefined : typesOf(branch);
    return (
      types === undefined ||
      writerTypes === undefined ||
      writerTypes.some((t) => allowsType(types, t))
    );
  });
  // A branch whose discriminator (a `const` field) differs is not the one meant.
  const meant = near.filter(({ problems }) =>
    problems.every((problem) => problem.kind !== 'values-differ' || problem.path === path),
  );
  const [only] = meant.length === 1 ? meant : near;
  if ((meant.length === 1 || near.length === 1) && only !== undefined) {
    context.problems.push(...only.problems);
    return;
  }
  push(context, path, 'branch-unreadable', describeSchema(r), describeSchema(w));
}

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

function readNumber(context: Context, r: JSONSchemaObject, w: JSONSchemaObject, path: string) {
  const [rMin, wMin] = [lowerBound(r), lowerBound(w)];
  if (
    rMin !== undefined &&
    (wMin === undefined ||
      wMin.value < rMin.value ||
      (wMin.value === rMin.value && rMin.exclusive && !wMin.exclusive))
  ) {
    const keyword = rMin.exclusive ? 'exclusiveMinimum' : 'minimum';
    push(
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
    push(
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
    push(context, path, 'constraint-stricter', `multiples of ${rStep}`, writer, 'multipleOf');
  }
}

// A reader's lower bound (`minLength`, `minItems`) must be at most the writer's; an upper bound
// (`maxLength`, `maxItems`) at least the writer's.
function readCount(
  context: Context,
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
  push(context, path, 'constraint-stricter', `${word} ${rValue} ${unit}`, writer, keyword);
}

function readString(context: Context, r: JSONSchemaObject, w: JSONSchemaObject, path: string) {
  readCount(context, r, w, path, 'minLength', 'characters');
  readCount(context, r, w, path, 'maxLength', 'characters');
  for (const [keyword, kind] of [
    ['pattern', 'pattern-differs'],
    ['format', 'format-differs'],
  ] as const) {
    const rValue = stringOf(r, keyword);
    const wValue = stringOf(w, keyword);
    if (rValue !== undefined && rValue !== wValue) {
      push(
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

function readArray(context: Context, r: JSONSchemaObject, w: JSONSchemaObject, path: string) {
  readCount(context, r, w, path, 'minItems', 'items');
  readCount(context, r, w, path, 'maxItems', 'items');
  if (r.uniqueItems === true && w.uniqueItems !== true) {
    push(context, path, 'constraint-stricter', 'unique items', 'repeated items', 'uniqueItems');
  }
  const rPrefix = nodesOf(r, 'prefixItems') ?? [];
  const wPrefix = nodesOf(w, 'prefixItems') ?? [];
  const rRest = asNode(r.items) ?? true;
  const wRest = asNode(w.items) ?? true;
  const writerMax = numberOf(w, 'maxItems') ?? Number.POSITIVE_INFINITY;
  const tuple = Math.max(rPrefix.length, wPrefix.length);
  for (let index = 0; index < tuple && index < writerMax; index++) {
    const written = wPrefix[index] ?? wRest;
    if (written === false) break;
    read(context, rPrefix[index] ?? rRest, written, indexPath(path, index));
  }
  if (wRest !== false && tuple < writerMax) read(context, rRest, wRest, itemsPath(path));
}

function readObject(context: Context, r: JSONSchemaObject, w: JSONSchemaObject, path: string) {
  readCount(context, r, w, path, 'minProperties', 'fields');
  readCount(context, r, w, path, 'maxProperties', 'fields');
  const rProps = propertiesOf(r);
  const wProps = propertiesOf(w);
  const rRequired = requiredOf(r);
  const wRequired = requiredOf(w);
  const rExtra = asNode(r.additionalProperties);
  // A writer that does not say `additionalProperties` is read as writing the fields it names:
  // zod's output schemas say `false`, hand-written ones seldom say anything.
  const wExtra = asNode(w.additionalProperties);
  const wMayExtra = wExtra !== undefined && wExtra !== false;
  for (const key of new Set([...rProps.keys(), ...rRequired])) {
    const at = propertyPath(path, key);
    const expected = rProps.get(key) ?? rExtra ?? true;
    const written = wProps.get(key);
    if (written !== undefined) {
      if (rRequired.has(key) && !wRequired.has(key)) {
        push(context, at, 'optional-required', 'a required field', 'an optional field');
      }
      read(context, expected, written, at);
    } else if (rRequired.has(key)) {
      push(context, at, 'missing-required', 'a required field', 'no such field');
    } else if (wMayExtra) {
      read(context, expected, wExtra, at);
    }
  }
  for (const [key, written] of wProps) {
    if (rProps.has(key) || rExtra === undefined || rExtra === true) continue;
    const at = propertyPath(path, key);
    if (rExtra === false) {
      push(context, at, 'field-refused', 'no unknown field', describeSchema(written));
    } else {
      read(context, rExtra, written, at);
    }
  }
  if (wMayExtra) {
    if (rExtra === false) {
      push(context, path, 'extras-refused', 'no unknown field', 'unknown fields');
    } else if (rExtra !== undefined) {
      read(context, rExtra, wExtra, extraPath(path));
    }
    const rNames = asNode(r.propertyNames);
    if (rNames !== undefined) {
      read(context, rNames, asNode(w.propertyNames) ?? { type: 'string' }, extraPath(path));
    }
  }
}
