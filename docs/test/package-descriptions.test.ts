import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './snippet-check.js';

// The API reference (pnpm docs:api) lists the packages each with the first paragraph of its
// entry point's @packageDocumentation comment (typedoc.json: useFirstParagraphOfCommentAsSummary):
// that paragraph is the package's description, as its package.json says it to npm.
const packages = readdirSync(join(root, 'packages'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/** The text of the first paragraph of the @packageDocumentation comment, on one line. */
function entrySummary(source: string): string | undefined {
  const comment = /^\/\*\*\n([\s\S]*?)\*\//.exec(source)?.[1];
  if (comment === undefined || !comment.includes('@packageDocumentation')) return undefined;
  const lines = comment.split('\n').map((line) => line.replace(/^\s*\*\s?/, ''));
  const end = lines.indexOf('');
  return lines
    .slice(0, end === -1 ? lines.length : end)
    .join(' ')
    .trim();
}

describe('the packages in the API reference', () => {
  it.each(packages)('@gossip/%s opens its entry point with its description', (name) => {
    const dir = join(root, 'packages', name);
    const { description } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      description?: string;
    };
    expect(description).toBeTruthy();
    expect(entrySummary(readFileSync(join(dir, 'src/index.ts'), 'utf8'))).toBe(description);
  });

  it('are listed with that paragraph', () => {
    const options = JSON.parse(readFileSync(join(root, 'docs/typedoc.json'), 'utf8')) as {
      useFirstParagraphOfCommentAsSummary?: boolean;
    };
    expect(options.useFirstParagraphOfCommentAsSummary).toBe(true);
  });
});
