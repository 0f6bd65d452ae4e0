import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { benchDir, rootDir } from '../paths.js';
import type { TypeProbe } from '../results.js';
import { eventNames, wildcardPatterns } from './event-names.js';
import { eventMapSource } from './generate-apps.js';
import { runTsc } from './run-tsc.js';

/** The probes: each a few lines over the same event map, checked alone. */
function probes(first: string, field: string, pattern: string): Array<[string, string]> {
  return [
    ['baseline: the map imported, a bus created', ''],
    ['Pattern<M> (every pattern of the map)', 'export declare const p: Pattern<AppEvents>;'],
    [
      'MatchedType<M, Pattern<M>> (the matches of every pattern of the map at once)',
      'export declare const p: MatchedType<AppEvents, Pattern<AppEvents>>;',
    ],
    ['one publish', `void bus.publish('${first}', { id: 'x', ${field}: 0 });`],
    [
      'one exact subscribe, handler annotated',
      `bus.subscribe('${first}', (event: PatternEvent<AppEvents, '${first}'>) => sink(event.data.${field}));`,
    ],
    [
      'one exact subscribe, handler contextually typed',
      `bus.subscribe('${first}', (event) => sink(event.data.${field}));`,
    ],
    ['one wildcard subscribe', `bus.subscribe('${pattern}', (event) => sink(event.data.id));`],
  ];
}

/**
 * Checks small probe apps over a map of `events` events, each adding one construct to a
 * baseline, and reports their instantiations: the construct that costs most shows which type
 * does the work. Used when a type-check target is missed.
 *
 * @param events - the size of the event map
 * @returns each probe's instantiations
 */
export async function probeInstantiations(events: number): Promise<TypeProbe[]> {
  const names = eventNames(events);
  const first = names[0]?.name ?? 'a.b.c';
  const pattern = wildcardPatterns(names, 1)[0]?.pattern ?? '**';
  const outDir = join(benchDir, '.generated', 'type-scaling', `probes-n${String(events)}`);
  rmSync(outDir, { recursive: true, force: true });
  const results: TypeProbe[] = [];
  let index = 0;
  for (const [probe, code] of probes(first, 'f0', pattern)) {
    const dir = join(outDir, `probe-${String(index++)}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'events.ts'), eventMapSource(names));
    writeFileSync(
      join(dir, 'index.ts'),
      `import { createEventBus } from '@gossip/core';
import type { MatchedType, Pattern, PatternEvent } from '@gossip/core';
import type { AppEvents } from './events.js';

export const sink = (value: unknown): void => {
  void value;
};
export const bus = createEventBus<AppEvents>();
${code}
`,
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: relative(dir, join(rootDir, 'tsconfig.base.json')),
        compilerOptions: { noEmit: true, declaration: false, sourceMap: false, types: ['node'] },
        include: ['*.ts'],
      }),
    );
    try {
      const result = await runTsc(join(dir, 'tsconfig.json'));
      results.push({ probe, code, instantiations: result.instantiations });
    } catch (error) {
      results.push({
        probe,
        code,
        instantiations: null,
        error: String(error).split('\n')[0] ?? '',
      });
    }
  }
  return results;
}
