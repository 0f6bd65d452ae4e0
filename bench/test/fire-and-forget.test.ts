import { describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../src/results.js';
import {
  FIRE_AND_FORGET_LIBRARIES,
  fireAndForgetId,
  fireAndForgetPlan,
  fireAndForgetSeries,
  seriesRow,
} from '../src/scenarios/fire-and-forget.js';
import { evaluateTargets } from '../src/targets.js';

const plan = { rounds: 3, deadlineMs: 50, budgetMs: 1000, warmupRuns: 1, warmupEvents: 100 };

describe('fireAndForgetSeries', () => {
  // Real runs, timed for real (a fraction of a second): the bound is wide for a busy machine.
  it('times each run of gossip and eventemitter3 to the last handler call', async () => {
    for (const make of Object.values(FIRE_AND_FORGET_LIBRARIES)) {
      const result = await fireAndForgetSeries(make, 2000, { ...plan, deadlineMs: 10_000 });
      expect(result.aborted).toBeUndefined();
      expect(result.rounds).toHaveLength(3);
      for (const ns of result.rounds) expect(ns).toBeGreaterThan(0);
    }
  }, 30_000);

  it('stops a run at its deadline and says how far it got, instead of hanging', async () => {
    const silent = () => () => {};
    const result = await fireAndForgetSeries(silent, 1000, { ...plan, warmupRuns: 0 });
    expect(result.rounds).toEqual([]);
    expect(result.aborted).toMatchObject({ handled: 0, of: 1000 });
    expect(result.aborted?.afterMs).toBeGreaterThanOrEqual(40);
  });
});

describe('the fire-and-forget plan', () => {
  it('runs 10k, 100k and 1M events in full mode and stops a run after 60 s', () => {
    const { sizes, plan: at } = fireAndForgetPlan(false);
    expect(sizes).toEqual([10_000, 100_000, 1_000_000]);
    expect(at(1_000_000).deadlineMs).toBe(60_000);
  });

  it('keeps --quick to small counts', () => {
    expect(fireAndForgetPlan(true).sizes).toEqual([10_000, 30_000]);
  });
});

describe('the fire-and-forget targets', () => {
  const full = { ...plan, deadlineMs: 60_000 };
  const table = (events: number, gossip: ScenarioResult['rows'][number]): ScenarioResult => ({
    id: fireAndForgetId(events),
    title: '',
    unit: 'ns/event',
    reference: 'eventemitter3',
    rows: [seriesRow('eventemitter3', events, { rounds: [10, 10, 10] }, full), gossip],
  });
  const targets = (gossipAtMillion: ScenarioResult['rows'][number]) =>
    evaluateTargets(
      [
        table(10_000, seriesRow('gossip', 10_000, { rounds: [40, 40, 40] }, full)),
        table(1_000_000, gossipAtMillion),
      ],
      new Map(),
      undefined,
    ).targets.filter((t) => t.id.startsWith('fire-and-forget'));

  it('compare the largest count with the smallest, and with eventemitter3 there', () => {
    const measured = targets(seriesRow('gossip', 1_000_000, { rounds: [48, 50, 52] }, full));
    expect(measured.map((t) => [t.id, t.value, t.hit])).toEqual([
      ['fire-and-forget-scaling', 1.25, true],
      ['fire-and-forget-vs-eventemitter3', 5, true],
    ]);
  });

  it('record a miss, with a lower bound, for a run stopped at its deadline', () => {
    const aborted = seriesRow(
      'gossip',
      1_000_000,
      { rounds: [], aborted: { afterMs: 60_100, handled: 12_345, of: 1_000_000 } },
      full,
    );
    expect(aborted).toMatchObject({ median: 60_000, lowerBound: true });
    expect(aborted.error).toMatch(/aborted after 60 s \(12,345 of 1,000,000 handled\)/);
    for (const target of targets(aborted)) {
      expect(target).toMatchObject({ hit: false, atLeast: true });
    }
  });
});
