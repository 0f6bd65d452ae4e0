import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { rootDir } from './paths.js';

/** The newest modification time of any file under `dir`. */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/**
 * True when a package's dist/index.js is missing or older than a file of its src.
 *
 * @param dir - the package's folder
 */
export function isStale(dir: string): boolean {
  const dist = join(dir, 'dist', 'index.js');
  const src = join(dir, 'src');
  return !existsSync(dist) || (existsSync(src) && newest(src) > statSync(dist).mtimeMs);
}

/**
 * Builds a workspace package with `pnpm --filter <name> build` when its dist is stale.
 *
 * @param name - the package name
 * @param dir - the package's folder
 * @param log - told when a build runs
 * @returns false when the build failed
 */
export function buildIfStale(name: string, dir: string, log: (line: string) => void): boolean {
  if (!isStale(dir)) return true;
  log(`building ${name} (dist missing or older than src)`);
  const built = spawnSync('pnpm', ['--filter', name, 'build'], { cwd: rootDir, encoding: 'utf8' });
  return built.status === 0 && existsSync(join(dir, 'dist', 'index.js'));
}
