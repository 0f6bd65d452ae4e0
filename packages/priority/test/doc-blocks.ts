import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One `ts` code block of a Markdown guide, written out as a module. */
export interface DocBlock {
  /** Its position among the guide's `ts` blocks, from 1. */
  readonly index: number;
  readonly code: string;
  readonly file: string;
}

/**
 * Writes each `ts` block of a guide to its own module in `dir` (a dot-directory, which neither
 * tsc's globs nor the test runner pick up), importing `pkg` from the package's source, so the
 * blocks can be run against the real API. (docs/test/snippets.test.ts type-checks them.)
 */
export function writeDocBlocks(
  guide: string,
  dir: string,
  pkg: string,
  source: string,
): DocBlock[] {
  const text = readFileSync(guide, 'utf8');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const specifier = relative(dir, source).replace(/\.ts$/, '.js');
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((match, i) => {
    const code = (match[1] ?? '').replaceAll(`'${pkg}'`, `'${specifier}'`);
    const file = join(dir, `block-${i + 1}.ts`);
    writeFileSync(file, code);
    return { index: i + 1, code, file };
  });
}
