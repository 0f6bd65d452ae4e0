import { join } from 'node:path';
import { benchDir } from '../paths.js';
import { APP_KINDS, type AppKind, generateApps } from './generate-apps.js';
import { runTsc } from './run-tsc.js';

/**
 * Instantiation counts are deterministic for a given TypeScript version (5.9.3 here), so they
 * catch a type-level regression that check times, noisy on a shared machine, would hide. The
 * quick run (`pnpm bench --quick`, which CI runs) fails when the gossip apps go over these.
 *
 * Recorded 2026-12-01 against @gossip/core 0.1.0 (its source, at 958730c), 200 events and 100
 * wildcard patterns, the apps subscribing only (issue 13's fair floors: the real mitt with one
 * `on` per event, the zod schemas' output types read; no publish or emit anywhere):
 * gossip-map 41 872, mitt-floor 2 826, gossip-zod 109 530, zod-floor 33 285. With a publish per
 * event and the old floors (a mitt-style emitter that also emitted, zod's input and output types
 * and a parse per event) they were 51 749, 4 734, 140 642 and 63 123 on 2026-11-27; before the
 * names of a map were read through `NamesOf` and publish's payload got a wide contextual type,
 * 56 364 and 145 821; before the inverted pattern index, 297 318 and 376 364. The bounds leave
 * 10 % of room, so a type-level regression fails here; lower them when the per-call cost comes
 * down again. Lowered on 2026-12-01 (second session) to gossip-map 36 658 and gossip-zod
 * 82 378, core from its source as here (floors unchanged; from its built declarations, as
 * `pnpm --filter @gossip/bench type-scaling` resolves it, 29 005 and 74 746): subscribe's
 * handler type written out instead of through `BusHandler`, and schema maps checked at the
 * Standard Schema key alone, with zod's types read from `_zod`.
 */
export const MAX_INSTANTIATIONS: Readonly<Record<'gossip-map' | 'gossip-zod', number>> = {
  'gossip-map': 40_300,
  'gossip-zod': 90_600,
};

/** The most each gossip app may cost, as a multiple of its floor's instantiations. */
export const MAX_MULTIPLE_OF_FLOOR: Readonly<Record<'gossip-map' | 'gossip-zod', number>> = {
  'gossip-map': 14.3,
  'gossip-zod': 2.75,
};

/** The size the bounds were recorded at. */
export const GUARD_EVENTS = 200;

const PAIRS = [
  ['gossip-map', 'mitt-floor'],
  ['gossip-zod', 'zod-floor'],
] as const;

/** What {@link checkInstantiations} found. */
export interface InstantiationGuard {
  readonly events: number;
  /** Each app's instantiations. */
  readonly counts: Readonly<Record<AppKind, number>>;
  /** One line per bound exceeded; empty when the guard holds. */
  readonly failures: readonly string[];
}

/**
 * The bounds the counts exceed, one line each.
 *
 * @param counts - each app's instantiations at {@link GUARD_EVENTS} events
 * @returns the lines; empty when every bound holds
 */
export function guardFailures(counts: Readonly<Record<AppKind, number>>): string[] {
  const failures: string[] = [];
  for (const [app, floor] of PAIRS) {
    const count = counts[app];
    if (!(count < MAX_INSTANTIATIONS[app])) {
      failures.push(
        `${app}: ${String(count)} instantiations, over the recorded bound of ${String(MAX_INSTANTIATIONS[app])}`,
      );
    }
    const multiple = count / Math.max(counts[floor], 1);
    if (!(multiple < MAX_MULTIPLE_OF_FLOOR[app])) {
      failures.push(
        `${app}: ${multiple.toFixed(1)}x the instantiations of ${floor}, over the recorded ${String(MAX_MULTIPLE_OF_FLOOR[app])}x`,
      );
    }
  }
  return failures;
}

/**
 * Type-checks the four apps at {@link GUARD_EVENTS} events, core from its source (no build),
 * two compilers at a time (nothing here is timed), and holds the gossip apps to their recorded
 * instantiation counts. A compiler error in any app rejects with a `TypeCheckFailedError`.
 *
 * @param log - progress lines
 * @returns the counts and the bounds they exceed
 */
export async function checkInstantiations(
  log: (line: string) => void,
): Promise<InstantiationGuard> {
  const apps = generateApps({
    events: GUARD_EVENTS,
    core: 'source',
    outDir: join(benchDir, '.generated', 'instantiation-guard'),
  });
  const counts = {} as Record<AppKind, number>;
  for (let i = 0; i < APP_KINDS.length; i += 2) {
    const pair = APP_KINDS.slice(i, i + 2);
    const done = await Promise.all(pair.map((kind) => runTsc(apps.tsconfig[kind])));
    pair.forEach((kind, j) => {
      counts[kind] = done[j]?.instantiations ?? Number.NaN;
      log(`instantiation guard n=${String(GUARD_EVENTS)} ${kind}: ${String(counts[kind])}`);
    });
  }
  return { events: GUARD_EVENTS, counts, failures: guardFailures(counts) };
}
