import { UNCHECKED } from './convert-schema.js';
import { deref } from './deref.js';
import type { JSONSchema, JSONSchemaObject } from './json-schema.js';
import { merge, mergeAll, without } from './merge.js';
import { readArray } from './read-array.js';
import { pushProblem, type ReadContext } from './read-context.js';
import { readNumber } from './read-number.js';
import { readObject } from './read-object.js';
import type { ReadProblem } from './read-problem.js';
import { readString } from './read-string.js';
import { readValues } from './read-values.js';
import {
  acceptsAnything,
  allowsType,
  describeSchema,
  isObject,
  type Node,
  nodesOf,
  typesOf,
  valuesOf,
} from './schema-node.js';

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
  const context: ReadContext = {
    readerRoot: reader,
    writerRoot: writer,
    problems: [],
    active: new Map(),
  };
  read(context, reader, writer, '');
  return context.problems;
}

function read(context: ReadContext, reader: Node, writer: Node, path: string): void {
  const r = deref(context.readerRoot, reader);
  const w = deref(context.writerRoot, writer);
  if (r === undefined || w === undefined) {
    const side = r === undefined ? 'reader' : 'writer';
    pushProblem(context, path, 'cannot-check', `the ${side}'s $ref cannot be resolved`, '');
    return;
  }
  if (w === false || r === true || acceptsAnything(r)) return;
  if (isObject(r) && typeof r[UNCHECKED] === 'string') {
    pushProblem(context, path, 'cannot-check', String(r[UNCHECKED]), '');
    return;
  }
  if (r === false) {
    pushProblem(context, path, 'type-mismatch', 'nothing', describeSchema(w));
    return;
  }
  if (w === true || acceptsAnything(w)) {
    pushProblem(context, path, 'type-narrower', describeSchema(r), 'anything');
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

function readObjects(context: ReadContext, r: JSONSchemaObject, w: JSONSchemaObject, path: string) {
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
      pushProblem(
        context,
        path,
        'type-narrower',
        describeSchema(r),
        `any type (${describeSchema(w)})`,
      );
      return;
    }
    if (!allowsType(readerTypes, type)) {
      const kind =
        type === 'null'
          ? 'null-refused'
          : type === 'number' && readerTypes.includes('integer')
            ? 'type-narrower'
            : 'type-mismatch';
      pushProblem(context, path, kind, describeSchema(r), describeSchema(w));
      return;
    }
  }
  if (valuesOf(r) !== undefined) {
    pushProblem(context, path, 'values-narrower', describeSchema(r), `any ${describeSchema(w)}`);
    return;
  }
  if (type === undefined || type === 'number' || type === 'integer')
    readNumber(context, r, w, path);
  if (type === undefined || type === 'string') readString(context, r, w, path);
  if (type === undefined || type === 'array') readArray(context, r, w, path, read);
  if (type === undefined || type === 'object') readObject(context, r, w, path, read);
}

// Every branch of a writer union must be readable. A branch of a type the reader refuses
// while other branches are read is a narrowing, not a change of type.
function readWriterUnion(
  context: ReadContext,
  r: JSONSchemaObject,
  w: JSONSchemaObject,
  branches: ReadonlyArray<Node>,
  path: string,
): void {
  const trials = branches.map((branch) => {
    const trial: ReadContext = { ...context, problems: [] };
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
        pushProblem(context, path, 'type-narrower', describeSchema(r), describeSchema(w));
      }
    }
  }
}

// A writer of several types (`type: ['string', 'null']`): each type on its own.
function readTypes(
  context: ReadContext,
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
    pushProblem(context, path, 'type-mismatch', describeSchema(r), describeSchema(w));
    return;
  }
  if (refused.includes('null'))
    pushProblem(context, path, 'null-refused', describeSchema(r), 'null');
  if (refused.some((t) => t !== 'null')) {
    pushProblem(context, path, 'type-narrower', describeSchema(r), describeSchema(w));
  }
  for (const type of allowed) read(context, r, { ...w, type }, path);
}

// A reader union reads a writer's value if one of its branches does.
function readByUnion(
  context: ReadContext,
  branches: ReadonlyArray<Node>,
  r: JSONSchemaObject,
  w: JSONSchemaObject,
  path: string,
): void {
  const trials = branches.map((branch) => {
    const trial: ReadContext = { ...context, problems: [] };
    read(trial, branch, w, path);
    return { branch, problems: trial.problems };
  });
  if (trials.some((trial) => trial.problems.length === 0)) return;
  const writerTypes = typesOf(w);
  if (writerTypes?.length === 1 && writerTypes[0] === 'null') {
    pushProblem(context, path, 'null-refused', describeSchema(r), 'null');
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
  pushProblem(context, path, 'branch-unreadable', describeSchema(r), describeSchema(w));
}
