import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { problemsUnder, root, writeSnippets } from './snippet-check.js';

describe('code blocks in the docs', () => {
  const written = writeSnippets('repository');

  it('are many', () => {
    expect(written.size).toBeGreaterThan(10);
  });

  it("type check against the packages with the repository's settings", () => {
    const config = ts.readConfigFile(join(root, 'tsconfig.base.json'), ts.sys.readFile);
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
    expect(problemsUnder(options, written)).toEqual([]);
  }, 60_000);

  // A reader's project is more often plain `strict`, without exactOptionalPropertyTypes and
  // noUncheckedIndexedAccess: what compiles here must compile there too. In the same file as
  // the check above, so that the two share what the compiler parsed.
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
    expect(problemsUnder(options, writeSnippets('plain-strict'))).toEqual([]);
  }, 60_000);
});
