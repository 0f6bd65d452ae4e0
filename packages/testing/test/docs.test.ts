import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { guideBlocks } from '../../../docs/test/doc-blocks.js';

const { blocks, find, run } = guideBlocks('testing', dirname(fileURLToPath(import.meta.url)));

// The guide's example test declares vitest suites of its own, so it cannot run inside this one:
// docs/test/snippets.test.ts type-checks it, and record-bus.test.ts covers what it relies on.
describe('docs/testing.md', () => {
  it('has the examples the tests below run', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
  });

  it('runs the example without a test runner and prints what it caught', async () => {
    const printed = await run(find('grace@example.com').file);
    expect(printed).toEqual(['1 event(s) published, none for grace']);
  });
});
