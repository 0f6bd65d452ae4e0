import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { problemsUnder, writeSnippets } from './snippet-check.js';

describe('code blocks in the docs', () => {
  const written = writeSnippets('plain-strict');

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
