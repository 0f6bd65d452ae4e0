import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { guideBlocks } from '../../../docs/test/doc-blocks.js';

const { blocks, find, run } = guideBlocks('batch', dirname(fileURLToPath(import.meta.url)));

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
