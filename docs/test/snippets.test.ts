import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Every ```ts block in README.md and docs/*.md must type check against the real packages, so
// the docs cannot drift from the API. Blocks are compiled from source, as modules, with the
// repository's strict settings.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const out = join(root, 'docs/.snippets');

interface Snippet {
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
];

/** Writes every block as a module of its own; returns each file's block. */
function writeSnippets(): Map<string, Snippet> {
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

// Both programs parse the same files (lib.dom.d.ts, the packages): parse each once.
const parsed = new Map<string, ts.SourceFile | undefined>();
function hostFor(options: ts.CompilerOptions): ts.CompilerHost {
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, ...rest) => {
    const key = `${fileName}\u0000${JSON.stringify(language)}`;
    if (!parsed.has(key)) parsed.set(key, read(fileName, language, ...rest));
    return parsed.get(key);
  };
  return host;
}

/** The compiler's complaints about the blocks (not about the packages), `guide:line: message`. */
function problemsUnder(options: ts.CompilerOptions, written: Map<string, Snippet>): string[] {
  const all: ts.CompilerOptions = {
    ...options,
    noEmit: true,
    types: ['node'],
    baseUrl: root,
    paths: { '@gossip/*': ['packages/*/src/index.ts'] },
  };
  const program = ts.createProgram([...written.keys()], all, hostFor(all));
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

describe('code blocks in the docs', () => {
  const written = writeSnippets();

  it('are many', () => {
    expect(written.size).toBeGreaterThan(10);
  });

  it("type check against the packages with the repository's settings", () => {
    const config = ts.readConfigFile(join(root, 'tsconfig.base.json'), ts.sys.readFile);
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
    expect(problemsUnder(options, written)).toEqual([]);
  }, 60_000);

  // A reader's project is more often plain `strict`, without exactOptionalPropertyTypes and
  // noUncheckedIndexedAccess: what compiles here must compile there too.
  it('type check under a plain strict tsconfig', () => {
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.esnext.disposable.d.ts'],
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      skipLibCheck: true,
      esModuleInterop: true,
    };
    expect(problemsUnder(options, written)).toEqual([]);
  }, 60_000);
});
