import { describe, expect, it } from 'vitest';
import { afterGc, beforeGc, gcPlan, gcSteadyState } from '../src/scenarios/gc-steady-state.js';
import { evaluateTargets } from '../src/targets.js';

const quickContext = {
  quick: true,
  log: () => {},
  measure: { rounds: 1, time: 5, warmupTime: 1 },
};

describe('the GC steady-state scenario', () => {
  it('times 100,000 calls before and after each forced GC in a full run', () => {
    expect(gcPlan(false).calls).toBe(100_000);
  });

  it("gives gossip's and the reference's windows before and after GC, a round per cycle", async () => {
    const [table] = await gcSteadyState.run(quickContext);
    expect(table?.id).toBe('gc');
    expect(table?.rows.map((row) => row.library)).toEqual([
      beforeGc('gossip'),
      afterGc('gossip'),
      beforeGc('reference'),
      afterGc('reference'),
    ]);
    for (const row of table?.rows ?? []) {
      expect(row.rounds).toHaveLength(gcPlan(true).cycles);
      expect(row.median).toBeGreaterThan(0);
    }
    const target = evaluateTargets(
      table === undefined ? [] : [table],
      new Map(),
      undefined,
    ).targets.find((t) => t.id === 'gc-after-vs-before');
    expect(target?.limit).toBe(1.2);
    expect(target?.value).toBeGreaterThan(0);
  }, 30_000);
});
