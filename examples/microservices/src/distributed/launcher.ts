/**
 * The launcher: starts the four services as processes, waits until each is ready, has the
 * user service sign three people up, waits until every service has seen what it should, stops
 * them, and reads the broker's dead letters. Every wait is bounded by one deadline; on a
 * failure or at the deadline the children are killed and `launch` rejects with a
 * {@link LaunchError} that says what was still missing.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { people } from '../scenario.js';
import { brokerTitles, namesOf, openBroker, type RunBroker } from './broker.js';
import {
  type Command,
  type HandledMessage,
  parseLine,
  type RunSummary,
  type ServiceMessage,
  type ServiceName,
  type ServiceSummary,
  serviceMessage,
  serviceNames,
  type TransportName,
} from './protocol.js';
import { missingSightings } from './sightings.js';
import { Story } from './story.js';
import { Watch } from './watch.js';

/** Options of {@link launch}. */
export interface LaunchOptions {
  /** The broker. */
  readonly transport: TransportName;
  /** The bound on the whole run, in milliseconds. */
  readonly timeoutMs: number;
  /** Where the story goes, one line at a time. */
  readonly print: (line: string) => void;
  /** Stops the run early (Ctrl-C): the children are killed and `launch` rejects. */
  readonly signal?: AbortSignal;
}

/** The run failed or timed out; the message says what it was waiting for. */
export class LaunchError extends Error {
  override readonly name = 'LaunchError';
}

/** One service process, and what it has said. */
class Child {
  readonly name: ServiceName;
  readonly process: ChildProcessWithoutNullStreams;
  readonly handled: HandledMessage[] = [];
  readonly errors: Array<{ code: string; message: string }> = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<number | null>;
  ready: Extract<ServiceMessage, { kind: 'ready' }> | undefined;
  stopped: Extract<ServiceMessage, { kind: 'stopped' }> | undefined;
  fatal: string | undefined;
  exitCode: number | null | undefined;

  constructor(name: ServiceName, spawned: ChildProcessWithoutNullStreams) {
    this.name = name;
    this.process = spawned;
    // A write to a service that has just died fails with EPIPE; its exit says why.
    spawned.stdin.on('error', () => {});
    this.exited = new Promise((resolve) => {
      spawned.once('exit', (code) => {
        this.exitCode = code;
        resolve(code);
      });
    });
  }

  /** Why it died, in a few words, for the error message. */
  get lastWords(): string {
    if (this.fatal !== undefined) return this.fatal;
    const tail = this.stderr.slice(-5).join(' | ');
    return tail === '' ? 'no message' : tail;
  }
}

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
// The children run their TypeScript through tsx and resolve gossip's packages to their
// sources (`@gossip/source`), as `pnpm start` does: no build needed.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * Runs the distributed story once.
 *
 * @returns what every service saw, the broker's dead letters and the shutdown reports
 * @throws LaunchError when a service fails, the broker is unreachable, or the deadline passes
 */
export async function launch(options: LaunchOptions): Promise<RunSummary> {
  const { transport, timeoutMs, print } = options;
  const started = performance.now();
  const run = randomUUID().replaceAll('-', '').slice(0, 8);
  const names = namesOf(run);
  const watch = new Watch();
  const children = new Map<ServiceName, Child>();
  const story = new Story(print);
  const say = (who: string, text: string): void => story.say(who, text);
  let stopping = false;
  const signups = new Map<string, string>();

  const deadline = setTimeout(() => {
    const waiting = watch.waitingFor;
    const missing = waiting?.missing() ?? '';
    watch.fail(
      new LaunchError(
        `timed out after ${timeoutMs} ms while ${waiting?.what ?? 'starting'}${missing === '' ? '' : `; still missing: ${missing}`}`,
      ),
    );
  }, timeoutMs);
  const onAbort = (): void => watch.fail(new LaunchError('interrupted'));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted === true) onAbort();

  function onMessage(child: Child, message: ServiceMessage): void {
    switch (message.kind) {
      case 'ready':
        child.ready = message;
        break;
      case 'handled':
        child.handled.push(message);
        break;
      case 'signed-up':
        signups.set(message.name, message.userId);
        break;
      case 'error':
        child.errors.push({ code: message.code, message: message.message });
        break;
      case 'stopped':
        child.stopped = message;
        break;
      case 'fatal':
        child.fatal = message.message;
        break;
      case 'note':
        break;
    }
    story.message(message);
    watch.changed();
  }

  function startChild(name: ServiceName): Child {
    const spawned = spawn(
      process.execPath,
      [
        '--import',
        tsxLoader,
        '--conditions=@gossip/source',
        here('./service.ts'),
        name,
        '--transport',
        transport,
        '--run',
        run,
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const child = new Child(name, spawned);
    spawned.on('error', (error) =>
      watch.fail(new LaunchError(`could not start the ${name} service: ${error.message}`)),
    );
    createInterface({ input: spawned.stdout }).on('line', (line) => {
      const message = parseLine(serviceMessage, line);
      if (message === undefined) say(name, `| ${line}`);
      else onMessage(child, message);
    });
    createInterface({ input: spawned.stderr }).on('line', (line) => {
      child.stderr.push(line);
      say(name, `! ${line}`);
    });
    void child.exited.then((code) => {
      if (!stopping || code !== 0) {
        watch.fail(
          new LaunchError(
            `the ${name} service exited with code ${code ?? `null (${spawned.signalCode ?? 'signal'})`} ${stopping ? 'while stopping' : 'before it was asked to stop'}: ${child.lastWords}`,
          ),
        );
      }
      watch.changed();
    });
    return child;
  }

  function tell(child: Child, message: Command): void {
    child.process.stdin.write(`${JSON.stringify(message)}\n`);
  }

  const all = (): Child[] => [...children.values()];
  const missingOf = (test: (child: Child) => boolean): string =>
    all()
      .filter((child) => !test(child))
      .map((child) => child.name)
      .join(', ');

  let opening: Promise<RunBroker> | undefined;
  let broker: RunBroker | undefined;
  try {
    story.print(
      `# microservices over ${brokerTitles[transport]}: four processes, one event catalogue (run ${run})`,
    );
    print('# each line: time since start, [the process], then event #number -> handler, outcome\n');
    say('launcher', `connecting to ${brokerTitles[transport]}`);
    opening = openBroker(transport, names);
    broker = await watch
      .race(`connecting to ${brokerTitles[transport]}`, opening)
      .catch((error: unknown) => {
        if (error instanceof LaunchError) throw error;
        throw new LaunchError(
          `cannot reach ${brokerTitles[transport]}: ${error instanceof Error ? error.message : String(error)}. Is it running? .ci/services.sh starts it`,
        );
      });
    say('launcher', `this run's messages: ${broker.where}`);

    for (const name of serviceNames) children.set(name, startChild(name));
    const pids = all().map((child) => `${child.name} (pid ${child.process.pid ?? '?'})`);
    say('launcher', `started ${pids.join(', ')}: each a process of its own`);
    await watch.until(
      'waiting for the services to be ready',
      () => all().every((child) => child.ready !== undefined),
      () => `${missingOf((child) => child.ready !== undefined)} not ready`,
    );

    const user = children.get('user');
    if (user === undefined) throw new LaunchError('the user service is missing');
    const users: Array<{ name: string; email: string; userId: string }> = [];
    for (const person of Object.values(people)) {
      say('launcher', `${person.name} signs up through the user service`);
      tell(user, { command: 'sign-up', name: person.name, email: person.email });
      await watch.until(`waiting for ${person.name}'s sign-up`, () => signups.has(person.name));
      users.push({ ...person, userId: signups.get(person.name) ?? '' });
    }

    const missing = (): string =>
      missingSightings((name) => children.get(name)?.handled ?? []).join('; ');
    await watch.until(
      'waiting until every service has seen what it should',
      () => missing() === '',
      missing,
    );

    say('launcher', 'every service has seen what it should; stopping them (SIGTERM)');
    stopping = true;
    for (const child of all()) child.process.kill('SIGTERM');
    await watch.until(
      'waiting for the services to stop',
      () => all().every((child) => child.stopped !== undefined && child.exitCode === 0),
      () => `${missingOf((child) => child.exitCode === 0)} still running`,
    );

    const deadLetters = await watch.race('reading the dead letters', broker.deadLetters());
    for (const letter of deadLetters) {
      say(
        'broker',
        `dead letter: ${letter.type} ${story.label(letter.eventId)} after ${letter.attempts} deliveries: ${letter.code}: ${letter.message}`,
      );
    }

    const summaryFor = (name: ServiceName): ServiceSummary => {
      const child = children.get(name);
      if (child === undefined) throw new LaunchError(`the ${name} service is missing`);
      return summaryOf(child);
    };
    const services = {
      user: summaryFor('user'),
      email: summaryFor('email'),
      notification: summaryFor('notification'),
      analytics: summaryFor('analytics'),
    };
    const summary: RunSummary = {
      kind: 'summary',
      transport,
      run,
      durationMs: Math.round(performance.now() - started),
      users,
      services,
      deadLetters,
    };
    story.summary(summary);
    return summary;
  } finally {
    clearTimeout(deadline);
    options.signal?.removeEventListener('abort', onAbort);
    await Promise.all(all().map((child) => end(child)));
    // Even when the run gave up while connecting: the connection may still come, and must be
    // closed for the process to end.
    const removing = opening
      ?.then((opened) => opened.remove())
      .catch((error: unknown) => {
        if (broker !== undefined)
          story.print(`# could not remove the run's stream or keys: ${String(error)}`);
      });
    await Promise.race([removing, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
  }
}

function summaryOf(child: Child): ServiceSummary {
  const { ready, stopped } = child;
  if (ready === undefined || stopped === undefined)
    throw new LaunchError(`the ${child.name} service did not report its end`);
  return {
    pid: ready.pid,
    handled: child.handled,
    errors: child.errors,
    report: stopped.report,
    state: stopped.state,
    exitCode: child.exitCode ?? null,
  };
}

/** Ends a child that is still running: SIGTERM, then SIGKILL if it lingers. Bounded. */
async function end(child: Child): Promise<void> {
  child.process.stdin.end();
  if (child.exitCode !== undefined) return;
  const exitedWithin = (ms: number): Promise<boolean> =>
    Promise.race([
      child.exited.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref()),
    ]);
  child.process.kill('SIGTERM');
  if (await exitedWithin(3000)) return;
  child.process.kill('SIGKILL');
  await exitedWithin(2000);
}
