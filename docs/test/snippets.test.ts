import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Every ```ts block in README.md, docs/*.md and packages/*/README.md must type check against the
// real packages, so the docs cannot drift from the API. Blocks are compiled from source, as
// modules, with the repository's strict settings.
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
  ...readdirSync(join(root, 'packages')).map((name) => `packages/${name}/README.md`),
];

describe('code blocks in the docs', () => {
  it('type check against the packages', () => {
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
    expect(written.size).toBeGreaterThan(10);

    const config = ts.readConfigFile(join(root, 'tsconfig.base.json'), ts.sys.readFile);
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
    const program = ts.createProgram([...written.keys()], {
      ...options,
      noEmit: true,
      types: ['node'],
      baseUrl: root,
      paths: {
        '@gossip/transport/conformance': ['packages/transport/src/conformance.ts'],
        '@gossip/*': ['packages/*/src/index.ts'],
      },
    });
    const problems = ts
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
    expect(problems).toEqual([]);
  }, 60_000);
});
