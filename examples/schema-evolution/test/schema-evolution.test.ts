import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from '../src/run.js';

describe('the schema evolution example', () => {
  it('refuses a breaking v4 and brings v1 and v2 payloads to the v3 handler', async () => {
    const lines: string[] = [];
    const result = await run((line) => lines.push(line));

    expect(result.versions).toEqual([1, 2, 3]);
    expect(result.refused?.code).toBe('INCOMPATIBLE_SCHEMA');
    expect(result.refused?.version).toBe(4);
    expect(result.refused?.differences.map((d) => d.message)).toEqual([
      'required field "total" added (breaks backward: v3 events cannot be read)',
    ]);
    expect(result.handled).toEqual([
      { orderId: 'o-1', amount: 12.5, currency: 'EUR', lines: [] },
      { orderId: 'o-2', amount: 40, currency: 'EUR', lines: [] },
      { orderId: 'o-3', amount: 9, currency: 'USD', lines: [] },
      { orderId: 'o-4', amount: 30, currency: 'EUR', lines: [{ sku: 'tea', quantity: 2 }] },
    ]);
    expect(result.stamps).toEqual(['3', '3', '3', '3']);
    expect(result.report.delivered).toBe(4);
    expect(result.report.failed).toBe(0);
    expect(lines).toContain('order.placed still has versions 1, 2, 3');
  });

  it('runs as `pnpm start` does, printing the refused change', async () => {
    const dir = fileURLToPath(new URL('..', import.meta.url));
    const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        tsx,
        ['--conditions=@gossip/source', 'src/main.ts'],
        { cwd: dir, timeout: 30_000 },
        (error, out) => (error === null ? resolve(out) : reject(error)),
      );
    });
    expect(stdout).toContain('refused: Schema order.placed v4 is not backward compatible');
    expect(stdout).toContain('v3 handler: o-1 12.5 EUR, 0 lines (stamped v3)');
    expect(stdout).toContain('shutdown: 4 delivered, 0 failed');
  }, 40_000);
});
