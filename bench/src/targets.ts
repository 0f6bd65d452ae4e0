import { CORE_BUDGET } from './bundle-size.js';
import type { ScenarioResult, TargetResult } from './results.js';
import { FIRE_AND_FORGET_TABLE } from './scenarios/fire-and-forget.js';
import { afterGc, beforeGc } from './scenarios/gc-steady-state.js';
import { ONE_VERSION, THREE_VERSIONS, VERSIONS_PUBLISH } from './scenarios/schema-versions.js';
import { VALIDATION_REFERENCE } from './scenarios/validation.js';
import { pairedRatio } from './stats.js';
import { TYPE_CHECK_TARGET, type TypeScalingResult } from './type-scaling/measure-type-scaling.js';

/** A target: where its value comes from, and which case to profile when it is missed. */
export interface TargetSpec {
  readonly id: string;
  readonly description: string;
  readonly limit: number;
  readonly kind: 'max' | 'min';
  /** The value, or undefined when its scenario did not run. */
  value(
    results: readonly ScenarioResult[],
    sizes: ReadonlyMap<string, number>,
    types?: TypeScalingResult,
  ): number | undefined;
  /** The result table and library to profile when missed. */
  readonly profile?: { readonly resultId: string; readonly library: string };
  /** True when the value is only a lower bound (a run stopped at its deadline): a miss. */
  atLeast?(results: readonly ScenarioResult[]): boolean;
}

/** `a` relative to `b` in one table: the median of their per-round ratios (see pairedRatio). */
function ratioOf(
  results: readonly ScenarioResult[],
  id: string,
  a: string,
  b: string,
): number | undefined {
  const rows = results.find((r) => r.id === id)?.rows;
  const top = rows?.find((row) => row.library === a)?.rounds;
  const bottom = rows?.find((row) => row.library === b)?.rounds;
  if (top === undefined || bottom === undefined || top.length === 0 || bottom.length === 0) {
    return undefined;
  }
  return pairedRatio(top, bottom);
}

/** The fire-and-forget tables, smallest count first, with gossip's and eventemitter3's rows. */
function fireAndForgetRuns(results: readonly ScenarioResult[]) {
  return results
    .filter((r) => r.id.startsWith(FIRE_AND_FORGET_TABLE))
    .map((r) => ({
      events: Number(r.id.slice(FIRE_AND_FORGET_TABLE.length)),
      gossip: r.rows.find((row) => row.library === 'gossip'),
      eventemitter3: r.rows.find((row) => row.library === 'eventemitter3'),
    }))
    .sort((a, b) => a.events - b.events);
}

/** gossip's per-event cost at the largest count over that at the smallest. */
function fireAndForgetScaling(results: readonly ScenarioResult[]) {
  const runs = fireAndForgetRuns(results);
  const small = runs[0]?.gossip;
  const large = runs.at(-1)?.gossip;
  if (runs.length < 2 || small === undefined || large === undefined || small.median <= 0) {
    return undefined;
  }
  return {
    value: large.median / small.median,
    atLeast: large.lowerBound === true || small.lowerBound === true,
  };
}

/** gossip's per-event cost over eventemitter3's, at the largest count. */
function fireAndForgetVsEmitter(results: readonly ScenarioResult[]) {
  const largest = fireAndForgetRuns(results).at(-1);
  const { gossip, eventemitter3 } = largest ?? {};
  if (gossip === undefined || eventemitter3 === undefined || eventemitter3.median <= 0) {
    return undefined;
  }
  return {
    value: gossip.median / eventemitter3.median,
    atLeast: gossip.lowerBound === true || eventemitter3.lowerBound === true,
  };
}

/** Every target, in the order the report lists them. */
export const TARGET_SPECS: readonly TargetSpec[] = [
  ...([1, 10] as const).flatMap((handlers): TargetSpec[] => [
    {
      id: `queued-${String(handlers)}-vs-emittery`,
      description: `Queued publish, ${String(handlers)} handler(s): at least 20x faster than emittery (emittery ns / gossip ns)`,
      limit: 20,
      kind: 'min',
      value: (r) => ratioOf(r, `queued-${String(handlers)}`, 'emittery', 'gossip'),
      profile: { resultId: `queued-${String(handlers)}`, library: 'gossip' },
    },
    {
      id: `queued-${String(handlers)}-vs-eventemitter3`,
      description: `Queued publish, ${String(handlers)} handler(s): within 5x of eventemitter3 per event (gossip ns / eventemitter3 ns)`,
      limit: 5,
      kind: 'max',
      value: (r) => ratioOf(r, `queued-${String(handlers)}`, 'gossip', 'eventemitter3'),
      profile: { resultId: `queued-${String(handlers)}`, library: 'gossip' },
    },
    {
      id: `awaited-${String(handlers)}-vs-promise-all`,
      description: `publishSync, ${String(handlers)} async handler(s): within 1.25x of the Promise.all reference`,
      limit: 1.25,
      kind: 'max',
      value: (r) => ratioOf(r, `awaited-${String(handlers)}`, 'gossip', 'reference'),
      profile: { resultId: `awaited-${String(handlers)}`, library: 'gossip' },
    },
  ]),
  {
    id: 'fire-and-forget-scaling',
    description:
      'Fire-and-forget publish, default options, 1 sync handler: per-event cost at the largest count (1,000,000 in full mode) within 1.5x of that at 10,000',
    limit: 1.5,
    kind: 'max',
    value: (r) => fireAndForgetScaling(r)?.value,
    atLeast: (r) => fireAndForgetScaling(r)?.atLeast === true,
  },
  {
    id: 'fire-and-forget-vs-eventemitter3',
    description:
      "Fire-and-forget publish, default options, 1 sync handler, largest count (1,000,000 in full mode): within 5x of eventemitter3's emit per event",
    limit: 5,
    kind: 'max',
    value: (r) => fireAndForgetVsEmitter(r)?.value,
    atLeast: (r) => fireAndForgetVsEmitter(r)?.atLeast === true,
  },
  {
    id: 'gc-after-vs-before',
    description:
      'publishSync, 1 async handler: the 100,000 calls (10,000 in quick mode) right after a forced full GC within 1.2x of the steady state before it',
    limit: 1.2,
    kind: 'max',
    value: (r) => ratioOf(r, 'gc', afterGc('gossip'), beforeGc('gossip')),
  },
  {
    id: 'validation-overhead',
    description:
      'Publish with a zod schema: within 1.15x of publish without one plus safeParse alone',
    limit: 1.15,
    kind: 'max',
    value: (r) => ratioOf(r, 'validation', 'gossip, zod schema', VALIDATION_REFERENCE),
    profile: { resultId: 'validation', library: 'gossip, zod schema' },
  },
  {
    id: 'versions-publish',
    description:
      'Publish on the latest of 3 schema versions: within 1.05x of publish with 1 version (issue 15)',
    limit: 1.05,
    kind: 'max',
    value: (r) => ratioOf(r, VERSIONS_PUBLISH, THREE_VERSIONS, ONE_VERSION),
    profile: { resultId: VERSIONS_PUBLISH, library: THREE_VERSIONS },
  },
  {
    id: 'wildcard-vs-exact',
    description:
      'Publish reaching a handler through a pattern: within 1.5x of one reaching it by exact name',
    limit: 1.5,
    kind: 'max',
    value: (r) => ratioOf(r, 'wildcards', 'gossip, wildcard', 'gossip, exact'),
    profile: { resultId: 'wildcards', library: 'gossip, wildcard' },
  },
  {
    id: 'core-size',
    description: `@gossip/core minified and gzipped: at most ${String(CORE_BUDGET)} bytes`,
    limit: CORE_BUDGET,
    kind: 'max',
    value: (_r, sizes) => sizes.get('@gossip/core'),
  },
  ...(['map', 'zod'] as const).map(
    (kind): TargetSpec => ({
      id: `type-check-${kind}`,
      description:
        kind === 'map'
          ? `Type-check, largest app (1000 events in full mode), hand-written map: at most ${String(TYPE_CHECK_TARGET)}x the mitt floor (the real mitt, one \`on\` per event, no emits)`
          : `Type-check, largest app (1000 events in full mode), zod schemas: at most ${String(TYPE_CHECK_TARGET)}x inferring the schemas alone`,
      limit: TYPE_CHECK_TARGET,
      kind: 'max',
      value: (_r, _s, types) => {
        const app = kind === 'map' ? 'gossip-map' : 'gossip-zod';
        const ratios = types?.ratios.filter((x) => x.app === app) ?? [];
        const largest = ratios.reduce<(typeof ratios)[number] | undefined>(
          (best, x) => (best === undefined || x.events > best.events ? x : best),
          undefined,
        );
        return largest?.checkRatio;
      },
    }),
  ),
];

/** A missed target's case to profile. */
export interface ProfileRequest {
  readonly target: string;
  readonly resultId: string;
  readonly library: string;
}

/**
 * Checks every target whose scenario ran.
 *
 * @param results - the scenario tables
 * @param sizes - bundle sizes (min+gz bytes) by package
 * @param types - the type-scaling measurement, if it ran
 * @returns the targets with value and verdict, and the cases to profile for the missed ones
 */
export function evaluateTargets(
  results: readonly ScenarioResult[],
  sizes: ReadonlyMap<string, number>,
  types: TypeScalingResult | undefined,
): { targets: TargetResult[]; profiles: ProfileRequest[] } {
  const targets: TargetResult[] = [];
  const profiles: ProfileRequest[] = [];
  for (const spec of TARGET_SPECS) {
    const value = spec.value(results, sizes, types);
    if (value === undefined) continue;
    const atLeast = spec.atLeast?.(results) === true;
    const hit = !atLeast && (spec.kind === 'max' ? value <= spec.limit : value >= spec.limit);
    targets.push({
      id: spec.id,
      description: spec.description,
      value,
      limit: spec.limit,
      kind: spec.kind,
      hit,
      ...(atLeast ? { atLeast } : {}),
    });
    if (!hit && spec.profile !== undefined) profiles.push({ target: spec.id, ...spec.profile });
  }
  return { targets, profiles };
}
