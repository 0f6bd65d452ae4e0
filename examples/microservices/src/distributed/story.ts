/**
 * The story the launcher prints: one line per thing a service said, with the time since the
 * start and the process it came from, then what each service saw. Event ids are long and
 * opaque, so the story numbers events in the order it first mentions them: `#7` is the seventh
 * event it has shown, in whichever process.
 */
import { appEvents } from '../events.js';
import { type RunSummary, type ServiceMessage, serviceNames } from './protocol.js';

/** Prints the story through `print`. */
export class Story {
  readonly #print: (line: string) => void;
  readonly #started = performance.now();
  readonly #labels = new Map<string, number>();

  constructor(print: (line: string) => void) {
    this.#print = print;
  }

  /** A line of its own, such as a heading. */
  print(line: string): void {
    this.#print(line);
  }

  /** A line from `who` (a service, the launcher, the broker). */
  say(who: string, text: string): void {
    const at = `${(performance.now() - this.#started).toFixed(0).padStart(6)} ms`;
    this.#print(`${at}  ${`[${who}]`.padEnd(15)}${text}`.trimEnd());
  }

  /** The short name of an event id: `#1`, `#2`, ... */
  label(eventId: string): string {
    let n = this.#labels.get(eventId);
    if (n === undefined) {
      n = this.#labels.size + 1;
      this.#labels.set(eventId, n);
    }
    return `#${n}`;
  }

  /** Tells what a service said. */
  message(message: ServiceMessage): void {
    this.say(message.service, this.#text(message));
  }

  #text(message: ServiceMessage): string {
    switch (message.kind) {
      case 'ready': {
        const sends = message.publish.length > 0 ? `; sends ${message.publish.join(', ')}` : '';
        return `ready (pid ${message.pid}): group "${message.group}" takes ${message.subscribe.join(', ')}${sends}`;
      }
      case 'handled': {
        // The cause first, so that it gets the lower number when both are new to the story.
        const cause =
          message.causationId === undefined ? '' : `  caused by ${this.label(message.causationId)}`;
        const event = `${message.type} ${this.label(message.eventId)}`.padEnd(30);
        const outcome = message.ok ? 'ok    ' : 'FAILED';
        const again = message.delivery > 1 ? `  delivery ${message.delivery}` : '';
        const error = message.error === undefined ? '' : `  (${message.error})`;
        return `${event} -> ${message.handler.padEnd(20)} ${outcome}${again}${cause}${error}`;
      }
      case 'note':
        return `   ${message.message}`;
      case 'signed-up':
        return `${message.name} signed up as ${message.userId}`;
      case 'error':
        return `onError: ${message.code}: ${message.message}`;
      case 'stopped': {
        const { published, delivered, failed, undelivered } = message.report;
        const left = undelivered === 0 ? 'nothing undelivered' : `${undelivered} undelivered`;
        return `stopped: published ${published}, delivered ${delivered}, failed ${failed}, ${left}`;
      }
      case 'fatal':
        return `FATAL: ${message.message}`;
    }
  }

  /** The end of the story: what each service saw, in a few lines. */
  summary(summary: RunSummary): void {
    const print = this.#print;
    const label = (eventId: string): string => this.label(eventId);
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
}

/** Where an event type stands in the catalogue: the summary lists types in that order. */
function catalogueOrder(type: string): number {
  const index = Object.keys(appEvents).indexOf(type);
  return index === -1 ? Number.MAX_SAFE_INTEGER : index;
}
