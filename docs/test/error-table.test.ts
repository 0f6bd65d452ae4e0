import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as core from '../../packages/core/src/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

describe("docs/core.md's error table", () => {
  it('lists every error class core exports', () => {
    const guide = readFileSync(join(root, 'docs/core.md'), 'utf8');
    const table = guide.slice(guide.indexOf('## Errors'));
    const classes = Object.entries(core)
      .filter(([, value]) => typeof value === 'function' && value.prototype instanceof Error)
      .map(([name]) => name);
    expect(classes).toContain('EventDroppedError');
    expect(classes.filter((name) => !table.includes(`| \`${name}\` |`))).toEqual([]);
  });
});
