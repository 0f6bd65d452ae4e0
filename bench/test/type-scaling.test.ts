import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { compilePattern } from '@gossip/core';
import { describe, expect, it } from 'vitest';
import { benchDir, rootDir } from '../src/paths.js';
import { eventNames, wildcardPatterns } from '../src/type-scaling/event-names.js';
import { guardFailures } from '../src/type-scaling/instantiation-guard.js';
import { parseDiagnostics, runTsc, TypeCheckFailedError } from '../src/type-scaling/run-tsc.js';

// The type-checking of the generated apps (their instantiation counts) runs in `pnpm bench --quick`:
// see bench/src/type-scaling/instantiation-guard.ts. Here, only what needs no compiler run, and the
// runner's own failure modes.
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

describe('the instantiation guard of pnpm bench --quick', () => {
  const within = {
    'gossip-map': 36_658,
    'mitt-floor': 2_826,
    'gossip-zod': 82_378,
    'zod-floor': 33_285,
  };

  it('holds for the recorded counts', () => {
    expect(guardFailures(within)).toEqual([]);
  });

  it('names an app over its recorded count', () => {
    expect(guardFailures({ ...within, 'gossip-zod': 91_000, 'zod-floor': 40_000 })).toEqual([
      'gossip-zod: 91000 instantiations, over the recorded bound of 90600',
    ]);
  });

  it('names an app that grew against its floor', () => {
    expect(guardFailures({ ...within, 'mitt-floor': 2_000 })).toEqual([
      'gossip-map: 18.3x the instantiations of mitt-floor, over the recorded 14.3x',
    ]);
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
        // Without the DOM lib, which the compiler would read for nothing: a second of each run.
        compilerOptions: {
          noEmit: true,
          declaration: false,
          sourceMap: false,
          types: [],
          lib: ['ES2022'],
        },
        include: ['*.ts'],
      }),
    );
    return join(dir, 'tsconfig.json');
  }

  it('fails loudly, naming TS2589, when an app is too deep for the compiler', async () => {
    const tsconfig = app(
      'too-deep',
      // Not tail-recursive, so the compiler gives up after a hundred levels, at once.
      `type Deep<T extends unknown[]> = T['length'] extends 5000 ? T : [0, ...Deep<[0, ...T]>];
export const long: Deep<[]>['length'] = 5000;
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
