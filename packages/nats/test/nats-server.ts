import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { portOpen } from '@gossip/transport/conformance';

/** Where .ci/services.sh finds the server binary; NATS_SERVER_BIN overrides it. */
const BINARY = process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';

/**
 * A nats-server with JetStream that this test file starts on a free loopback port, with its own
 * store directory, so that it can be stopped and started (the broker-restart case) without
 * touching the shared server the other tests use. Stopped by its own process id, never by name.
 */
export interface PrivateNatsServer {
  readonly url: string;
  /** Stops the server (SIGTERM, then SIGKILL after a bound) and starts it again on the same port and store. */
  restart(): Promise<void>;
  /** Stops the server and removes its store. */
  stop(): Promise<void>;
}

/** Whether a private server can be started here. */
export const canStartServer = existsSync(BINARY);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

async function waitPort(port: number, open: boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await portOpen(port, 200)) !== open) {
    if (Date.now() > deadline) {
      throw new Error(
        `nats-server port ${port} did not ${open ? 'open' : 'close'} in ${timeoutMs} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Starts a private nats-server and resolves once its port accepts connections.
 *
 * @example
 * ```ts
 * const server = await startNatsServer();
 * try { ... } finally { await server.stop(); }
 * ```
 */
export async function startNatsServer(): Promise<PrivateNatsServer> {
  const port = await freePort();
  const store = mkdtempSync(join(tmpdir(), 'gossip-nats-'));
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    child = spawn(BINARY, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store], {
      stdio: 'ignore',
    });
    await waitPort(port, true, 10_000);
  };

  const kill = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    await waitPort(port, false, 5000);
  };

  await start();
  return {
    url: `127.0.0.1:${port}`,
    async restart() {
      try {
        await kill();
        await new Promise((resolve) => setTimeout(resolve, 200));
      } finally {
        // Whatever happened while stopping, the server is running again afterwards.
        await start();
      }
    },
    async stop() {
      try {
        await kill();
      } finally {
        rmSync(store, { recursive: true, force: true });
      }
    },
  };
}
