import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { portOpen } from '@gossip/transport/conformance';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');

function run(command: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    // The exit status is not checked: `shutdown` ends the connection redis-cli waits on.
    execFile(command, args, { cwd: root, timeout: timeoutMs }, () => resolve());
  });
}

async function waitPort(open: boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await portOpen(6379)) === open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Redis port 6379 did not ${open ? 'open' : 'close'} within ${timeoutMs} ms`);
}

/**
 * Stops the test server (SHUTDOWN NOSAVE), waits `downMs`, then starts it again with the start
 * command of `.ci/services.sh` and waits for its port. The server is started again even if a
 * step fails.
 */
export async function restartRedis(downMs = 200): Promise<void> {
  try {
    await run('redis-cli', ['-h', '127.0.0.1', '-p', '6379', 'shutdown', 'nosave'], 5000);
    await waitPort(false, 5000);
    await new Promise((resolve) => setTimeout(resolve, downMs));
  } finally {
    await run('bash', [join(root, '.ci/services.sh')], 15_000);
    await waitPort(true, 15_000);
  }
}
