import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

// Every ```ts block in README.md, docs/*.md and packages/*/README.md must type check against the real packages, so
// the docs cannot drift from the API: under the repository's settings (snippets.test.ts) and
// under a plain strict tsconfig (snippets-strict.test.ts), each in its own test file so that the
// two compilers run on separate workers. Blocks are compiled from source, as modules.
export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Where the blocks are written, one folder per test file. */
const base = join(root, 'docs/.snippets');

export interface Snippet {
  readonly source: string;
  readonly line: number;
  readonly code: string;
}

function snippetsOf(file: string): Snippet[] {
  const text = readFileSync(join(root, file), 'utf8');
  const snippets: Snippet[] = [];
  const fence = /^```ts\n([\s\S]*?)^```/gm;
  for (const match of text.matchAll(fence)) {
    const line = text.slice(0, match.index).split('\n').length;
    snippets.push({ source: file, line, code: match[1] ?? '' });
  }
  return snippets;
}

const files = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
  ...readdirSync(join(root, 'packages'))
    .filter((name) => existsSync(join(root, 'packages', name, 'README.md')))
    .map((name) => `packages/${name}/README.md`),
];

/** Writes every block as a module of its own; returns each file's block. */
export function writeSnippets(name: string): Map<string, Snippet> {
  const out = join(base, name);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const written = new Map<string, Snippet>();
  for (const file of files) {
    snippetsOf(file).forEach((snippet, index) => {
      const name = join(out, `${file.replace(/[/.]/g, '_')}_${index}.ts`);
      writeFileSync(name, `${snippet.code}\nexport {};\n`);
      written.set(name, snippet);
    });
  }
  return written;
}

/**
 * Source files parsed once for every check in this process: the two checks (the repository's
 * settings, plain strict) read the same libraries and packages, and differ only in what the
 * checker is asked, which parsing does not depend on. Keyed as the language service keys
 * them: by file, language version and module format.
 */
const parsed = new Map<string, ts.SourceFile>();

function cachingHost(options: ts.CompilerOptions): ts.CompilerHost {
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, onError, fresh) => {
    const version = typeof language === 'object' ? language.languageVersion : language;
    const format = typeof language === 'object' ? language.impliedNodeFormat : undefined;
    const key = `${fileName}\0${version}\0${format}`;
    let file = parsed.get(key);
    if (file === undefined || fresh) {
      file = read(fileName, language, onError, fresh);
      if (file !== undefined) parsed.set(key, file);
    }
    return file;
  };
  return host;
}

/** The compiler's complaints about the blocks (not about the packages), `guide:line: message`. */
export function problemsUnder(
  options: ts.CompilerOptions,
  written: Map<string, Snippet>,
): string[] {
  const all: ts.CompilerOptions = {
    ...options,
    noEmit: true,
    types: ['node'],
    baseUrl: root,
    paths: {
      '@gossip/transport/conformance': ['packages/transport/src/conformance.ts'],
      '@gossip/*': ['packages/*/src/index.ts'],
    },
  };
  const program = ts.createProgram([...written.keys()], all, cachingHost(all));
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file === undefined || written.has(resolve(d.file.fileName)))
    .map((d) => {
      const snippet = d.file ? written.get(resolve(d.file.fileName)) : undefined;
      const where =
        d.file && d.start !== undefined && snippet
          ? `${snippet.source}:${snippet.line + d.file.getLineAndCharacterOfPosition(d.start).line + 1}`
          : relative(root, d.file?.fileName ?? '?');
      return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
}
