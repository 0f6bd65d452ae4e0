import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { writeDocBlocks } from './doc-blocks.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
const dir = join(here, '.docs');
const blocks = writeDocBlocks(
  join(root, 'docs/priority.md'),
  dir,
  '@gossip/priority',
  join(here, '../src/index.ts'),
);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs a block as a module and returns what it printed, one string per console call. */
async function run(file: string): Promise<string[]> {
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
}

const find = (marker: string) => {
  const block = blocks.find((each) => each.code.includes(marker));
  if (block === undefined) throw new Error(`no block of docs/priority.md contains ${marker}`);
  return block;
};

describe('docs/priority.md', () => {
  it('has the examples the tests below run', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
  });

  it('runs the bus example in the order the guide says', async () => {
    const printed = await run(find("name: 'payment'").file);
    expect(printed).toEqual(['ran first', 'ran payment', 'ran audit', 'ran email', 'ran report']);
  });

  it('runs the aging example', async () => {
    const printed = await run(find("imageId: 'batch-17'").file);
    expect(printed.sort()).toEqual(['render batch-17', 'render user-upload']);
  });

  it('runs the queue example and prints what the guide says', async () => {
    const printed = await run(find("'fraud alert', 100").file);
    expect(printed).toEqual([
      '5',
      'fraud alert',
      JSON.stringify(['fraud alert', 'password reset', 'newsletter', 'invoice', 'weekly report']),
    ]);
  });

  it('runs the queue aging example', async () => {
    expect(await run(find("queue.enqueue('cleanup', 'low')").file)).toEqual(['request']);
  });
});
