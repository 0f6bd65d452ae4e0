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
});
