import { Session } from 'node:inspector/promises';
import { findSourceMap } from 'node:module';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchCase } from './measure.js';
import { rootDir } from './paths.js';
import type { ProfileSummary } from './results.js';

/** The parts of a V8 CPU profile the summary reads. */
export interface CpuProfile {
  readonly nodes: ReadonlyArray<{
    readonly id: number;
    readonly callFrame: {
      readonly functionName: string;
      readonly url: string;
      readonly lineNumber: number;
      readonly columnNumber: number;
    };
    readonly hitCount?: number;
  }>;
  readonly samples?: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

/**
 * Runs a case over and over for `durationMs` under the V8 sampling profiler (what
 * `node --cpu-prof` records, taken in-process through the inspector).
 *
 * @param benchCase - the case to profile
 * @param durationMs - how long to run it
 * @returns the raw profile
 */
export async function recordProfile(benchCase: BenchCase, durationMs: number): Promise<CpuProfile> {
  const prepared = await benchCase.prepare();
  // Warm up first, so the profile shows optimised code rather than the interpreter.
  const warmEnd = performance.now() + Math.min(200, durationMs / 2);
  while (performance.now() < warmEnd) await prepared.run();
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    const end = performance.now() + durationMs;
    while (performance.now() < end) await prepared.run();
    const { profile } = await session.post('Profiler.stop');
    return profile as CpuProfile;
  } finally {
    session.disconnect();
  }
}

/** The source position of a position in a bundle, where the bundle has a source map. */
function original(url: string, line: number, column: number): { url: string; line: number } {
  const map = url.startsWith('file://') ? findSourceMap(url) : undefined;
  const entry = map?.findEntry(line, column);
  if (entry === undefined || !('originalSource' in entry)) return { url, line };
  return { url: entry.originalSource, line: entry.originalLine };
}

/** Where a function lives, shortened: a path inside the repository, or a package name. */
function location(bundleUrl: string, bundleLine: number, column: number): string {
  if (bundleUrl === '') return '';
  const { url, line } = original(bundleUrl, bundleLine, column);
  let path = url;
  if (url.startsWith('file://')) {
    try {
      path = fileURLToPath(url);
    } catch {
      path = url;
    }
  }
  const nodeModules = path.lastIndexOf('/node_modules/');
  if (nodeModules >= 0) {
    const rest = path.slice(nodeModules + '/node_modules/'.length).split('/');
    const pkg = rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? path);
    return pkg;
  }
  if (path.startsWith(rootDir)) path = relative(rootDir, path);
  return `${path}:${String(line + 1)}`;
}

/**
 * Summarises a CPU profile: self time per function, the largest first.
 *
 * @param profile - a V8 CPU profile
 * @param top - how many functions to keep
 * @returns the functions with their share of the samples, and the sample count
 */
export function summariseProfile(
  profile: CpuProfile,
  top = 12,
): { samples: number; top: ProfileSummary['top'] } {
  const selfCount = new Map<number, number>();
  if (profile.samples !== undefined && profile.samples.length > 0) {
    for (const id of profile.samples) selfCount.set(id, (selfCount.get(id) ?? 0) + 1);
  } else {
    for (const node of profile.nodes) selfCount.set(node.id, node.hitCount ?? 0);
  }
  const byFunction = new Map<string, { function: string; location: string; count: number }>();
  let total = 0;
  for (const node of profile.nodes) {
    const count = selfCount.get(node.id) ?? 0;
    if (count === 0) continue;
    total += count;
    const name = node.callFrame.functionName || '(anonymous)';
    const where = location(
      node.callFrame.url,
      node.callFrame.lineNumber,
      node.callFrame.columnNumber,
    );
    const key = `${name}@${where}`;
    const entry = byFunction.get(key) ?? { function: name, location: where, count: 0 };
    entry.count += count;
    byFunction.set(key, entry);
  }
  const sorted = [...byFunction.values()].sort((a, b) => b.count - a.count).slice(0, top);
  return {
    samples: total,
    top: sorted.map((entry) => ({
      function: entry.function,
      location: entry.location,
      selfPercent: total === 0 ? 0 : (100 * entry.count) / total,
    })),
  };
}
