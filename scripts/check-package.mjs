// `pnpm check:package` in a package: lints the package as it is published, not as it sits in the
// workspace. pnpm packs it (so `publishConfig` and `workspace:` ranges are applied as
// `pnpm publish` applies them), then publint and attw read that tarball.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const dir = mkdtempSync(join(tmpdir(), 'gossip-pack-'));
try {
  run('pnpm', ['pack', '--pack-destination', dir]);
  const tarball = join(dir, readdirSync(dir).find((file) => file.endsWith('.tgz')) ?? '');
  run('publint', ['run', tarball, '--strict']);
  run('attw', [tarball, '--profile', process.argv[2] ?? 'node16']);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
