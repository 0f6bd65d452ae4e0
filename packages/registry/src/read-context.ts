import type { JSONSchema } from './json-schema.js';
import type { ReadProblem, ReadProblemKind } from './read-problem.js';
import type { Node } from './schema-node.js';
import { quotePath } from './schema-path.js';

/** The state of one `canRead` check, handed down as it reads the schemas. @internal */
export interface ReadContext {
  readonly readerRoot: JSONSchema;
  readonly writerRoot: JSONSchema;
  readonly problems: ReadProblem[];
  // Pairs of (reader, writer) nodes being checked, to stop on a recursive schema: a pair met
  // again inside itself holds if everything else does.
  readonly active: Map<object, Set<object>>;
}

/** Reads what `reader` accepts against what `writer` writes at `path`, in `context`. @internal */
export type ReadNode = (context: ReadContext, reader: Node, writer: Node, path: string) => void;

/** Adds a problem to the check's list, with its message. @internal */
export function pushProblem(
  context: ReadContext,
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
