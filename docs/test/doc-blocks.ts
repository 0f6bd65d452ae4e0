import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, vi } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

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

/** The marker of a block that is deliberately not run: `// not run: <why>` on a line of its own. */
export const NOT_RUN = /^\s*\/\/ not run: \S/m;

/**
 * Writes each `ts` block of a Markdown file (README.md or a guide) to its own module in `dir`,
 * with every `@gossip/<name>` import pointing at that package's source, so that the blocks run
 * against the real packages without a build.
 *
 * @param file - the Markdown file, from the repository's root
 * @param dir - a dot-directory to write into (emptied first)
 * @returns the blocks, each with the line of the guide it starts on
 */
export function writeGuideBlocks(
  file: string,
  dir: string,
): Array<DocBlock & { readonly line: number }> {
  const text = readFileSync(join(root, file), 'utf8');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return [...text.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((match, i) => {
    const code = (match[1] ?? '').replace(/'@gossip\/([a-z-]+)'/g, (_, name: string) => {
      const source = join(root, 'packages', name, 'src/index.ts');
      return `'${relative(dir, source).replace(/\.ts$/, '.js')}'`;
    });
    const file = join(dir, `block-${String(i + 1)}.ts`);
    writeFileSync(file, `${code}\nexport {};\n`);
    const line = text.slice(0, match.index).split('\n').length;
    return { index: i + 1, code, file, line };
  });
}

/** The ts blocks of a package's guide, runnable, and a way to run one and read what it printed. */
export interface GuideBlocks {
  readonly blocks: DocBlock[];
  /** The block whose code contains `marker`. */
  find(marker: string): DocBlock;
  /** Runs a block's module file and returns what it printed, one string per console call. */
  run(file: string): Promise<string[]>;
}

/**
 * Writes the `ts` blocks of `docs/<guide>.md` next to the calling test (in `testDir/.docs`,
 * removed after the tests), importing `@gossip/<guide>` from the package's source.
 */
export function guideBlocks(guide: string, testDir: string): GuideBlocks {
  const dir = join(testDir, '.docs');
  const blocks = writeDocBlocks(
    join(root, `docs/${guide}.md`),
    dir,
    `@gossip/${guide}`,
    join(testDir, '../src/index.ts'),
  );
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    blocks,
    find(marker) {
      const block = blocks.find((each) => each.code.includes(marker));
      if (block === undefined) throw new Error(`no block of docs/${guide}.md contains ${marker}`);
      return block;
    },
    async run(file) {
      const printed: string[] = [];
      for (const method of ['log', 'warn', 'error'] as const) {
        vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
          printed.push(
            args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '),
          );
        });
      }
      await import(/* @vite-ignore */ file);
      return printed;
    },
  };
}
