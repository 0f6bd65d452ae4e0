import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { guideBlocks } from '../../../docs/test/doc-blocks.js';

const { blocks, find, run } = guideBlocks('priority', dirname(fileURLToPath(import.meta.url)));

describe('docs/priority.md', () => {
  it('has the examples the tests below run', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
  });

  it('runs the bus example in the order the guide says', async () => {
    const printed = await run(find("name: 'payment'").file);
    expect(printed).toEqual(['ran first', 'ran payment', 'ran audit', 'ran email', 'ran report']);
  });

  it('runs the ordering key example in publish order', async () => {
    const printed = await run(find("status: 'paid'").file);
    expect(printed).toEqual(['o1 placed', 'o1 paid']);
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
