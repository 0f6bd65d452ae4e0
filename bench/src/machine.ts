import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { benchDir, rootDir } from './paths.js';
import { PEER_PACKAGES } from './peers.js';
import type { MachineInfo } from './results.js';

/** The machine the benchmark runs on. */
export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    os: `${type()} ${release()}`,
    node: process.version,
  };
}

function versionOf(manifest: string): string {
  if (!existsSync(manifest)) return 'not installed';
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string };
  return version ?? 'unknown';
}

/** The git commit of the working tree, with `+changes` when it differs from the commit. */
function commit(): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], {
    cwd: rootDir,
    encoding: 'utf8',
  });
  if (head.status !== 0) return 'unknown commit';
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'packages/core'], {
    cwd: rootDir,
    encoding: 'utf8',
  });
  return `${head.stdout.trim()}${dirty.stdout.trim() === '' ? '' : '+changes'}`;
}

/** The versions of gossip and of every library measured. */
export function libraryVersions(): Record<string, string> {
  const versions: Record<string, string> = {
    '@gossip/core': `${versionOf(join(rootDir, 'packages', 'core', 'package.json'))} (${commit()})`,
  };
  for (const name of PEER_PACKAGES) {
    versions[name] = versionOf(join(benchDir, 'node_modules', name, 'package.json'));
  }
  versions['node:events'] = process.version;
  return versions;
}
