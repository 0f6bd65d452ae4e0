import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { compilePattern } from '@gossip/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { benchDir, rootDir } from '../src/paths.js';
import { eventNames, wildcardPatterns } from '../src/type-scaling/event-names.js';
import { type AppKind, generateApps } from '../src/type-scaling/generate-apps.js';
import {
  parseDiagnostics,
  runTsc,
  type TscResult,
  TypeCheckFailedError,
} from '../src/type-scaling/run-tsc.js';

/**
 * Instantiation counts are deterministic for a given TypeScript version (5.9.3 here), so they
 * catch a type-level regression that check times, noisy on a shared machine, would hide.
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
 * down again.
 */
const MAX_INSTANTIATIONS: Record<'gossip-map' | 'gossip-zod', number> = {
  'gossip-map': 46_000,
  'gossip-zod': 120_500,
};
const MAX_MULTIPLE_OF_FLOOR = { 'gossip-map': 16.5, 'gossip-zod': 3.6 };

const EVENTS = 200;

describe('the generated event names', () => {
  it('are distinct, three segments each', () => {
    const names = eventNames(EVENTS).map((n) => n.name);
    expect(new Set(names).size).toBe(EVENTS);
    for (const name of names) expect(name.split('.')).toHaveLength(3);
  });

  it('give 100 distinct patterns of every kind, each matching the name it narrows to', () => {
    const names = eventNames(EVENTS);
    const patterns = wildcardPatterns(names, 100);
    expect(new Set(patterns.map((p) => p.pattern)).size).toBe(100);
    for (const shape of [/^\w+\.\*\.\*$/, /^\w+\.\w+\.\*$/, /^\w+\.\*\*$/, /^\*\.\w+\.\w+$/]) {
      expect(patterns.some((p) => shape.test(p.pattern))).toBe(true);
    }
    for (const { pattern, firstMatch } of patterns) {
      expect(compilePattern(pattern)(firstMatch)).toBe(true);
    }
  });
});

describe(`type-check scaling, ${String(EVENTS)} events`, () => {
  const results = new Map<AppKind, TscResult>();

  beforeAll(async () => {
    const apps = generateApps({
      events: EVENTS,
      core: 'source',
      outDir: join(benchDir, '.generated', 'test', `type-scaling-n${String(EVENTS)}`),
    });
    // Two compilers at a time: nothing here is timed.
    const kinds = Object.keys(apps.tsconfig) as AppKind[];
    for (let i = 0; i < kinds.length; i += 2) {
      const pair = kinds.slice(i, i + 2);
      const done = await Promise.all(pair.map((kind) => runTsc(apps.tsconfig[kind])));
      pair.forEach((kind, j) => {
        const result = done[j];
        if (result !== undefined) results.set(kind, result);
      });
    }
  }, 120_000);

  it('checks all four apps without a compiler error', () => {
    expect([...results.keys()].sort()).toEqual([
      'gossip-map',
      'gossip-zod',
      'mitt-floor',
      'zod-floor',
    ]);
  });

  it('keeps the gossip apps under their recorded instantiation counts', () => {
    expect(results.get('gossip-map')?.instantiations).toBeLessThan(
      MAX_INSTANTIATIONS['gossip-map'],
    );
    expect(results.get('gossip-zod')?.instantiations).toBeLessThan(
      MAX_INSTANTIATIONS['gossip-zod'],
    );
  });

  it('keeps the gossip apps within a recorded multiple of their floors', () => {
    const multiple = (app: AppKind, floor: AppKind) =>
      (results.get(app)?.instantiations ?? Number.POSITIVE_INFINITY) /
      (results.get(floor)?.instantiations ?? 1);
    expect(multiple('gossip-map', 'mitt-floor')).toBeLessThan(MAX_MULTIPLE_OF_FLOOR['gossip-map']);
    expect(multiple('gossip-zod', 'zod-floor')).toBeLessThan(MAX_MULTIPLE_OF_FLOOR['gossip-zod']);
  });
});

describe('runTsc', () => {
  function app(name: string, source: string): string {
    const dir = join(benchDir, '.generated', 'test', name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'index.ts'), source);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: relative(dir, join(rootDir, 'tsconfig.base.json')),
        compilerOptions: { noEmit: true, declaration: false, sourceMap: false, types: [] },
        include: ['*.ts'],
      }),
    );
    return join(dir, 'tsconfig.json');
  }

  it('fails loudly, naming TS2589, when an app is too deep for the compiler', async () => {
    const tsconfig = app(
      'too-deep',
      `type Tuple<N extends number, T extends unknown[] = []> = T['length'] extends N ? T : Tuple<N, [...T, 0]>;
export const long: Tuple<5000>['length'] = 5000;
`,
    );
    const error = await runTsc(tsconfig).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(TypeCheckFailedError);
    expect((error as TypeCheckFailedError).codes).toContain('TS2589');
    expect((error as TypeCheckFailedError).message).toMatch(/hit the compiler's limits \(TS2589/);
  }, 60_000);

  it('fails on any other compiler error too, naming its code', async () => {
    const tsconfig = app('wrong-type', "export const n: number = 'not a number';\n");
    const error = await runTsc(tsconfig).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(TypeCheckFailedError);
    expect((error as TypeCheckFailedError).codes).toEqual(['TS2322']);
  }, 60_000);

  it('reads the figures of --extendedDiagnostics', () => {
    const values = parseDiagnostics(
      'Files:              42\nInstantiations:     12345\nMemory used:        98765K\nCheck time:         1.25s\n',
    );
    expect(values.get('Instantiations')).toBe('12345');
    expect(values.get('Memory used')).toBe('98765K');
    expect(values.get('Check time')).toBe('1.25s');
  });
});
