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
import { appEvents } from '../events.js';
import { bouncing, devices, people } from '../scenario.js';
import { brokerTitles, MAX_ATTEMPTS, namesOf, openBroker, type RunBroker } from './broker.js';
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

/** One service's expected sightings: `count` distinct events of `type` settled by `handler`. */
interface Sighting {
  readonly handler: string;
  readonly type: string;
  readonly count: number;
}

/**
 * What every service should have seen once the story is over, worked out from the scenario.
 * An event counts once its handler succeeded, or failed on every one of the bridge's
 * attempts (it is then dead-lettered).
 */
function expectedSightings(): Record<ServiceName, readonly Sighting[]> {
  const everyone = Object.values(people);
  const signups = everyone.length;
  const bounced = everyone.filter(({ email }) => bouncing.has(email)).length;
  const pushed = everyone.filter(({ email }) => devices.get(email)?.expired === false).length;
  const created = 'user.account.created';
  return {
    user: [{ handler: 'user.bounce-handler', type: 'email.welcome.bounced', count: bounced }],
    email: [{ handler: 'email.welcome', type: created, count: signups }],
    notification: [{ handler: 'notification.push', type: created, count: signups }],
    analytics: [
      { handler: 'analytics.users', type: created, count: signups },
      { handler: 'analytics.users', type: 'user.email.unverified', count: bounced },
      { handler: 'analytics.emails', type: 'email.welcome.sent', count: signups - bounced },
      { handler: 'analytics.emails', type: 'email.welcome.bounced', count: bounced },
      { handler: 'analytics.push', type: 'notification.push.sent', count: pushed },
    ],
  };
}

/** How many distinct events a service has settled for one sighting. */
function settled(handled: readonly HandledMessage[], { handler, type }: Sighting): number {
  const failures = new Map<string, number>();
  const done = new Set<string>();
  for (const call of handled) {
    if (call.handler !== handler || call.type !== type) continue;
    if (call.ok) done.add(call.eventId);
    else failures.set(call.eventId, (failures.get(call.eventId) ?? 0) + 1);
  }
  for (const [eventId, count] of failures) if (count >= MAX_ATTEMPTS) done.add(eventId);
  return done.size;
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

  constructor(name: ServiceName, process: ChildProcessWithoutNullStreams) {
    this.name = name;
    this.process = process;
    this.exited = new Promise((resolve) => {
      process.once('exit', (code) => {
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

/** Waits on conditions over what the children say, all bounded by one failure. */
class Watch {
  readonly #tests = new Set<() => void>();
  #failure: Error | undefined;
  /** What the current wait is for, and what it still misses: for the timeout's message. */
  waitingFor: { what: string; missing: () => string } | undefined;

  get failure(): Error | undefined {
    return this.#failure;
  }

  /** Re-checks every wait; called on each message. */
  changed(): void {
    for (const test of [...this.#tests]) test();
  }

  fail(error: Error): void {
    this.#failure ??= error;
    this.changed();
  }

  /** Resolves when `check` holds; rejects when the run fails first. */
  until(what: string, check: () => boolean, missing: () => string = () => ''): Promise<void> {
    this.waitingFor = { what, missing };
    return new Promise((resolve, reject) => {
      const test = (): void => {
        if (this.#failure !== undefined) {
          this.#tests.delete(test);
          reject(this.#failure);
        } else if (check()) {
          this.#tests.delete(test);
          resolve();
        }
      };
      this.#tests.add(test);
      test();
    });
  }

  /** Awaits `promise`, or rejects when the run fails first. */
  async race<T>(what: string, promise: Promise<T>): Promise<T> {
    this.waitingFor = { what, missing: () => '' };
    let settledValue: { value: T } | undefined;
    let error: { error: unknown } | undefined;
    promise.then(
      (value) => {
        settledValue = { value };
        this.changed();
      },
      (cause: unknown) => {
        error = { error: cause };
        this.changed();
      },
    );
    await this.until(what, () => settledValue !== undefined || error !== undefined);
    if (error !== undefined) throw error.error;
    if (settledValue === undefined) throw new LaunchError(`no value while ${what}`);
    return settledValue.value;
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
  const labels = new Map<string, number>();
  const label = (eventId: string | undefined): string => {
    if (eventId === undefined) return '?';
    let n = labels.get(eventId);
    if (n === undefined) {
      n = labels.size + 1;
      labels.set(eventId, n);
    }
    return `#${n}`;
  };
  const say = (who: string, text: string): void => {
    const at = `${(performance.now() - started).toFixed(0).padStart(6)} ms`;
    print(`${at}  ${`[${who}]`.padEnd(15)}${text}`.trimEnd());
  };
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
    const who = child.name;
    switch (message.kind) {
      case 'ready':
        child.ready = message;
        say(
          who,
          `ready (pid ${message.pid}): group "${message.group}" takes ${message.subscribe.join(', ')}${message.publish.length > 0 ? `; sends ${message.publish.join(', ')}` : ''}`,
        );
        break;
      case 'handled': {
        child.handled.push(message);
        // The cause first, so that it gets the lower number when both are new to the story.
        const cause =
          message.causationId === undefined ? '' : `  caused by ${label(message.causationId)}`;
        const event = `${message.type} ${label(message.eventId)}`.padEnd(30);
        const outcome = message.ok ? 'ok    ' : 'FAILED';
        const again = message.delivery > 1 ? `  delivery ${message.delivery}` : '';
        const error = message.error === undefined ? '' : `  (${message.error})`;
        say(who, `${event} -> ${message.handler.padEnd(20)} ${outcome}${again}${cause}${error}`);
        break;
      }
      case 'note':
        say(who, `   ${message.message}`);
        break;
      case 'signed-up':
        signups.set(message.name, message.userId);
        say(who, `${message.name} signed up as ${message.userId}`);
        break;
      case 'error':
        child.errors.push({ code: message.code, message: message.message });
        say(who, `onError: ${message.code}: ${message.message}`);
        break;
      case 'stopped': {
        child.stopped = message;
        const { report } = message;
        say(
          who,
          `stopped: published ${report.published}, delivered ${report.delivered}, failed ${report.failed}, ${report.undelivered === 0 ? 'nothing undelivered' : `${report.undelivered} undelivered`}`,
        );
        break;
      }
      case 'fatal':
        child.fatal = message.message;
        say(who, `FATAL: ${message.message}`);
        break;
    }
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

  let broker: RunBroker | undefined;
  try {
    print(
      `# microservices over ${brokerTitles[transport]}: four processes, one event catalogue (run ${run})`,
    );
    print('# each line: time since start, [the process], then event #number -> handler, outcome\n');
    say('launcher', `connecting to ${brokerTitles[transport]}`);
    broker = await watch
      .race(`connecting to ${brokerTitles[transport]}`, openBroker(transport, names))
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

    const expected = expectedSightings();
    const missingSightings = (): string =>
      serviceNames
        .flatMap((name) =>
          expected[name].flatMap((sighting) => {
            const seen = settled(children.get(name)?.handled ?? [], sighting);
            return seen < sighting.count
              ? [`${name} saw ${seen} of ${sighting.count} ${sighting.type} (${sighting.handler})`]
              : [];
          }),
        )
        .join('; ');
    await watch.until(
      'waiting until every service has seen what it should',
      () => missingSightings() === '',
      missingSightings,
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
        `dead letter: ${letter.type} ${label(letter.eventId)} after ${letter.attempts} deliveries: ${letter.code}: ${letter.message}`,
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
    printSightings(summary, print, label);
    return summary;
  } finally {
    clearTimeout(deadline);
    options.signal?.removeEventListener('abort', onAbort);
    await Promise.all(all().map((child) => end(child)));
    if (broker !== undefined) {
      await Promise.race([
        broker.remove().catch((error: unknown) => {
          print(`# could not remove the run's stream or keys: ${String(error)}`);
        }),
        new Promise((resolve) => setTimeout(resolve, 5000).unref()),
      ]);
    }
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

/** Where an event type stands in the catalogue: the summary lists types in that order. */
function catalogueOrder(type: string): number {
  const index = Object.keys(appEvents).indexOf(type);
  return index === -1 ? Number.MAX_SAFE_INTEGER : index;
}

/** The end of the story: what each service saw, in a few lines. */
function printSightings(
  summary: RunSummary,
  print: (line: string) => void,
  label: (eventId: string) => string,
): void {
  print('');
  print(`# what each service saw (${summary.durationMs} ms, ${summary.transport})`);
  for (const name of serviceNames) {
    const { handled, state } = summary.services[name];
    const events = new Map<string, Set<string>>();
    for (const call of handled) {
      const ids = events.get(call.type) ?? new Set<string>();
      ids.add(call.eventId);
      events.set(call.type, ids);
    }
    const seen = [...events]
      .sort(([a], [b]) => catalogueOrder(a) - catalogueOrder(b))
      .map(([type, ids]) => `${type} ${[...ids].map(label).join(' ')}`)
      .join(', ');
    const failed = handled.filter((call) => !call.ok);
    const failures =
      failed.length === 0
        ? ''
        : `; ${failed.length} failed ${failed.length === 1 ? 'call' : 'calls'} (${[...new Set(failed.map((call) => label(call.eventId)))].join(' ')})`;
    const calls = `${handled.length} handler ${handled.length === 1 ? 'call' : 'calls'}`;
    print(`  ${name.padEnd(13)} ${calls}: ${seen}${failures}`);
    if (state.service === 'user') {
      const unverified = Object.entries(state.verified)
        .filter(([, verified]) => verified === false)
        .map(([userId]) => userId);
      print(`  ${''.padEnd(13)} addresses marked unverified: ${unverified.join(', ') || 'none'}`);
    }
    if (state.service === 'analytics') {
      const funnel = Object.entries(state.counts)
        .sort(([a], [b]) => catalogueOrder(a) - catalogueOrder(b))
        .map(([type, n]) => `${type} ${n}`)
        .join(', ');
      print(`  ${''.padEnd(13)} funnel: ${funnel}`);
    }
  }
  for (const letter of summary.deadLetters) {
    print(
      `  ${'dead letters'.padEnd(13)} ${letter.type} ${label(letter.eventId)}: ${letter.code} after ${letter.attempts} deliveries`,
    );
  }
}
