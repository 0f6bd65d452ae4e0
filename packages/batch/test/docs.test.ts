import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { writeDocBlocks } from './doc-blocks.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
const dir = join(here, '.docs');
const blocks = writeDocBlocks(
  join(root, 'docs/batch.md'),
  dir,
  '@gossip/batch',
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
  if (block === undefined) throw new Error(`no block of docs/batch.md contains ${marker}`);
  return block;
};

describe('docs/batch.md', () => {
  it('has the examples the tests below run', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
  });

  it('runs the first example and prints what the guide says', async () => {
    const printed = await run(find('db.insertMany').file);
    expect(printed.slice(0, 3)).toEqual([
      'inserted 100 orders',
      'inserted 100 orders',
      'inserted 50 orders',
    ]);
    expect(printed[3]).toBe(JSON.stringify({ batches: 1, events: 50, failed: [] }));
  });

  it('runs the class example', async () => {
    expect(await run(find('metrics, total').file)).toEqual(['1 metrics, total 12']);
  });

  it('runs the dead-letter example: three attempts, then the events reach email.dead', async () => {
    const printed = await run(find("'email.dead'").file);
    expect(printed).toContain('3 1');
    expect(printed.some((line) => line.startsWith('not sent to ada@example.com:'))).toBe(true);
  });

  it('runs the shutdown example', async () => {
    expect(await run(find('ctx.signal.aborted').file)).toEqual(['uploaded 1 lines']);
  });
});
