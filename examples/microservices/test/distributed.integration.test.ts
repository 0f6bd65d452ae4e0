/**
 * The distributed demo against the real brokers (`.ci/services.sh` starts them): the test runs
 * the launcher as `pnpm demo:distributed` does, which starts the four services as processes,
 * and checks from its `--json` summary that every service saw what it should.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { brokerUrls, MAX_ATTEMPTS, namesOf } from '../src/distributed/broker.js';
import {
  type HandledMessage,
  parseLine,
  type RunSummary,
  runSummary,
  type TransportName,
} from '../src/distributed/protocol.js';
import { people } from '../src/scenario.js';

const main = fileURLToPath(new URL('../src/distributed/main.ts', import.meta.url));
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** A test that runs the launcher: four processes start, each compiling its TypeScript. */
const RUN_TIMEOUT = 90_000;

/** Every launcher a test started, killed in afterAll if it is still running. */
const launchers = new Set<ChildProcess>();

interface LauncherRun {
  readonly code: number | null;
  readonly lines: readonly string[];
  readonly stderr: string;
}

/**
 * Runs the launcher to its end, at most `timeoutMs`; `onLine` sees each line of its stdout as
 * it comes (and may signal it).
 */
function runLauncher(
  args: readonly string[],
  options: {
    env?: NodeJS.ProcessEnv;
    timeoutMs?: number;
    onLine?: (line: string, launcher: ChildProcess) => void;
  } = {},
): Promise<LauncherRun> {
  const { timeoutMs = 90_000 } = options;
  const launcher = spawn(
    process.execPath,
    ['--import', tsxLoader, '--conditions=@gossip/source', main, ...args],
    { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  launchers.add(launcher);
  const lines: string[] = [];
  let stderr = '';
  createInterface({ input: launcher.stdout }).on('line', (line) => {
    lines.push(line);
    options.onLine?.(line, launcher);
  });
  launcher.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      launcher.kill('SIGKILL');
      reject(
        new Error(
          `the launcher did not end within ${timeoutMs} ms:\n${lines.join('\n')}\n${stderr}`,
        ),
      );
    }, timeoutMs);
    launcher.once('close', (code) => {
      clearTimeout(timer);
      launchers.delete(launcher);
      resolve({ code, lines, stderr });
    });
  });
}

afterAll(() => {
  // A launcher that outlived its test: SIGTERM makes it stop its services; those whose
  // launcher is gone stop by themselves when their stdin closes.
  for (const launcher of launchers) launcher.kill('SIGTERM');
});

/** Whether a process is still running. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits (bounded) until none of `pids` is running; returns those still running. */
async function gone(pids: readonly number[], timeoutMs = 5000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let running = pids.filter(alive);
  while (running.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    running = running.filter(alive);
  }
  return running;
}

/** What the broker still holds of a run: stream or keys, by name. */
async function leftOnBroker(transport: TransportName, run: string): Promise<string[]> {
  const names = namesOf(run);
  if (transport === 'nats') {
    const nc = await connect({ servers: brokerUrls.nats, noAsyncTraces: true });
    try {
      const jsm = await jetstreamManager(nc);
      const left: string[] = [];
      for await (const stream of jsm.streams.list()) {
        if (stream.config.name === names.stream) left.push(stream.config.name);
      }
      return left;
    } finally {
      await nc.close();
    }
  }
  const client = new Redis(brokerUrls.redis);
  try {
    return await client.keys(`${names.keyPrefix}:*`);
  } finally {
    client.disconnect();
  }
}

const ok = (calls: readonly HandledMessage[]) => calls.filter((call) => call.ok);

describe.each(['nats', 'redis'] as const)(
  'pnpm demo:distributed over %s',
  { timeout: RUN_TIMEOUT },
  (transport) => {
    let result: Promise<{ run: LauncherRun; summary: RunSummary }> | undefined;
    // The launcher runs once, in the first test that asks for it; each test checks a part.
    function demo() {
      result ??= (async () => {
        const run = await runLauncher([
          '--transport',
          transport,
          '--json',
          '--timeout-ms',
          '60000',
        ]);
        const output = `${run.lines.join('\n')}\n${run.stderr}`;
        expect(run.code, output).toBe(0);
        const summary = parseLine(runSummary, run.lines.at(-1) ?? '');
        if (summary === undefined) throw new Error(`no summary on the last line:\n${output}`);
        return { run, summary };
      })();
      return result;
    }

    it('runs each service as a process of its own, which all stop cleanly', async () => {
      const { summary } = await demo();
      const services = Object.values(summary.services);
      const pids = services.map((service) => service.pid);

      expect(summary.transport).toBe(transport);
      expect(new Set(pids).size).toBe(4);
      expect(pids).not.toContain(process.pid);
      for (const service of services) {
        expect(service.exitCode).toBe(0);
        expect(service.report).toMatchObject({ complete: true, undelivered: 0, dropped: 0 });
        expect(service.errors).toEqual([]);
      }
      expect(await gone(pids)).toEqual([]);
    });

    it('delivers every event through the broker, typed payloads and ids intact', async () => {
      const { summary } = await demo();
      const users = new Map(summary.users.map(({ name, userId }) => [name, userId]));
      const created = summary.services.email.handled;

      for (const service of Object.values(summary.services)) {
        for (const call of service.handled) expect(call.origin, call.type).toBe('remote');
      }
      expect(users.size).toBe(Object.keys(people).length);
      // The email service got each account event once, with the user service's ids, and the
      // analytics service saw the same event ids: the id travels unchanged.
      expect(created.map((call) => call.userId).sort()).toEqual([...users.values()].sort());
      expect(created.every((call) => call.ok && call.delivery === 1)).toBe(true);
      const { state } = summary.services.analytics;
      if (state.service !== 'analytics') throw new Error('analytics reported another state');
      expect(Object.values(state.signups).sort()).toEqual(
        created.map((call) => call.eventId).sort(),
      );
    });

    it('fans each sign-up out to email, notification and analytics', async () => {
      const { summary } = await demo();
      const signups = Object.keys(people).length;
      const { email, notification, analytics } = summary.services;
      const distinct = (calls: readonly HandledMessage[]) =>
        new Set(calls.filter((call) => call.type === 'user.account.created').map((c) => c.eventId));

      expect(distinct(email.handled).size).toBe(signups);
      expect(distinct(notification.handled).size).toBe(signups);
      expect(distinct(analytics.handled).size).toBe(signups);
      expect(analytics.state).toMatchObject({
        counts: {
          'user.account.created': 3,
          'email.welcome.sent': 2,
          'email.welcome.bounced': 1,
          'user.email.unverified': 1,
          'notification.push.sent': 1,
        },
      });
    });

    it('chains a bounce across three processes, linked by causation ids', async () => {
      const { summary } = await demo();
      const alan = summary.users.find(({ email }) => email === people.alan.email)?.userId;
      const { state } = summary.services.analytics;
      if (state.service !== 'analytics') throw new Error('analytics reported another state');

      expect(state.deliveries.map(({ userId, outcome }) => ({ userId, outcome }))).toContainEqual({
        userId: alan,
        outcome: 'bounced',
      });
      for (const delivery of state.deliveries) {
        expect(delivery.causationId).toBe(state.signups[delivery.userId]);
      }
      // email -> user: the bounce reached the user service, which marked the address...
      const [bounce] = ok(summary.services.user.handled);
      expect(bounce).toMatchObject({ type: 'email.welcome.bounced', userId: alan });
      expect(summary.services.user.state).toEqual({
        service: 'user',
        verified: Object.fromEntries(
          summary.users.map(({ userId }) => [userId, userId === alan ? false : null]),
        ),
      });
      // ... and user -> analytics: the event it published is linked to the bounce.
      const unverified = summary.services.analytics.handled.find(
        (call) => call.type === 'user.email.unverified',
      );
      expect(unverified?.causationId).toBe(bounce?.eventId);
    });

    it('redelivers the failing push, then dead-letters it with the error', async () => {
      const { summary } = await demo();
      const grace = summary.users.find(({ email }) => email === people.grace.email)?.userId;
      const calls = summary.services.notification.handled.filter((call) => call.userId === grace);

      expect(calls.map(({ ok, delivery }) => ({ ok, delivery }))).toEqual(
        Array.from({ length: MAX_ATTEMPTS }, (_, i) => ({ ok: false, delivery: i + 1 })),
      );
      expect(calls[0]?.error).toMatch(/token expired/);
      expect(summary.services.notification.report.failed).toBe(MAX_ATTEMPTS);
      expect(summary.deadLetters).toEqual([
        {
          type: 'user.account.created',
          eventId: calls[0]?.eventId,
          code: 'HANDLER_FAILED',
          message: expect.stringMatching(/token expired/),
          attempts: MAX_ATTEMPTS,
        },
      ]);
      // The other services handled Grace's sign-up once, as anyone's.
      const others = [summary.services.email, summary.services.analytics];
      for (const service of others) {
        expect(
          ok(service.handled).filter((call) => call.eventId === calls[0]?.eventId),
        ).toHaveLength(1);
      }
    });

    it("removes the run's stream or keys from the broker", async () => {
      const { summary } = await demo();
      expect(await leftOnBroker(transport, summary.run)).toEqual([]);
    });
  },
);

describe('the launcher on failure', { timeout: RUN_TIMEOUT }, () => {
  it('exits with code 1 and says so when the broker is not there', async () => {
    const run = await runLauncher(['--transport', 'nats'], {
      env: { NATS_URL: '127.0.0.1:1' },
      timeoutMs: 30_000,
    });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot reach NATS JetStream: .*Is it running\?/);
  });

  it('stops every service and exits with code 130 when interrupted', async () => {
    let pids: number[] = [];
    const run = await runLauncher(['--transport', 'redis'], {
      onLine: (line, launcher) => {
        const started = /\[launcher\]\s+started (.*): each a process/.exec(line)?.[1];
        if (started === undefined) return;
        pids = [...started.matchAll(/pid (\d+)/g)].map((match) => Number(match[1]));
        launcher.kill('SIGINT');
      },
    });

    expect(pids).toHaveLength(4);
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(/interrupted/);
    expect(await gone(pids)).toEqual([]);
  });
});
