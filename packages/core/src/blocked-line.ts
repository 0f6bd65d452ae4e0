import { type IdSource, idOf } from './clock.js';
import { BusClosedError } from './errors.js';
import type { Metadata } from './event.js';
import type { Job } from './job.js';
import { noop } from './noop.js';
import { Queue } from './queue.js';
import type { TypeEntry } from './router.js';
import type { Subscription } from './subscription.js';

/** The most blocked publishers one gate holds. */
export const GATE_SIZE = 1024;

/** Slots per publisher in a gate's `slots`: a job, or the parts of a plain publish. */
const STRIDE = 6;

/**
 * Makes the job of a plain publish (no options, no filter) that waited as its parts: its event
 * is built only when it enters the buffer, with the id and timestamp it got at publish.
 */
export type JobOfParts = (
  entry: TypeEntry,
  targets: Subscription[],
  data: unknown,
  metadata: Metadata,
  timestamp: number,
  id: string,
) => Job;

/**
 * A run of blocked publishers sharing one promise, which resolves once every one of them has
 * entered the buffer. A publisher that awaits its publish before the next is alone in its gate;
 * a loop of unawaited publishes fills gates of up to GATE_SIZE, so a million blocked publishes
 * cost about a thousand promises, not a million.
 */
interface Gate {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
  /** The type of its first event, to name in the error if shutdown's deadline refuses it. */
  readonly type: string;
  /**
   * Per publisher, STRIDE slots: `[job]`, or `[entry, targets, data, metadata]` and its id as
   * two parts (see {@link IdSource.into}).
   */
  readonly slots: unknown[];
  /** Per publisher, its event's timestamp (0 for a job): doubles kept unboxed. */
  readonly stamps: number[];
  /** How many publishers it holds. */
  count: number;
  /** How many of them have entered the buffer. */
  taken: number;
}

/**
 * The publishers waiting for room in the buffer, in order (overflow `block`). A million
 * unawaited publishes past a full buffer all wait here, so each is kept small: a plain publish
 * is six slots and a timestamp in its gate's arrays, its id among them as two parts, and no
 * object of its own: its event and job are made when it enters the buffer. That is 56 bytes a
 * publisher instead of about 200 in four objects, which the garbage collector no longer walks
 * one by one; where memory freshly touched is slow (a VM), holding them was most of the cost.
 * Every operation is O(1).
 */
export class BlockedLine {
  readonly #gates = new Queue<Gate>();
  /** The last gate, which takes new publishers until it is full or one of them has entered. */
  #open: Gate | undefined;
  readonly #jobOf: JobOfParts;
  /** How many publishers wait. */
  size = 0;

  constructor(jobOf: JobOfParts) {
    this.#jobOf = jobOf;
  }

  /** Adds a publisher whose job is made (a received event, an event with options or filters). */
  push(job: Job): Promise<void> {
    const gate = this.#gate(job.event.type);
    const { slots } = gate;
    const at = gate.count * STRIDE;
    slots[at] = job;
    for (let i = 1; i < STRIDE; i++) slots[at + i] = undefined;
    gate.stamps[gate.count++] = 0;
    return gate.promise;
  }

  /**
   * Adds a plain publish as its parts, and takes its id from `ids` for `timestamp`; its event
   * and job are made when it leaves the line.
   */
  pushParts(
    entry: TypeEntry,
    targets: Subscription[],
    data: unknown,
    metadata: Metadata,
    timestamp: number,
    ids: IdSource,
  ): Promise<void> {
    const gate = this.#gate(entry.type);
    const { slots } = gate;
    const at = gate.count * STRIDE;
    slots[at] = entry;
    slots[at + 1] = targets;
    slots[at + 2] = data;
    slots[at + 3] = metadata;
    ids.into(timestamp, slots, at + 4);
    gate.stamps[gate.count++] = timestamp;
    return gate.promise;
  }

  /** Takes the first publisher out, as a job; its gate resolves once it was the gate's last. */
  shift(): Job | undefined {
    const gate = this.#gates.peek();
    if (gate === undefined) return undefined;
    const job = this.#take(gate);
    if (gate.taken === gate.count) {
      this.#gates.shift();
      if (gate === this.#open) this.#open = undefined;
      gate.resolve();
    }
    return job;
  }

  /**
   * Empties the line at the shutdown deadline and returns the waiting publishers' jobs, to be
   * reported undelivered. A gate none of whose publishers got in is refused with
   * BusClosedError. A gate some of whose publishers got in (only the first can be) resolves:
   * refusing it would tell those publishers their delivered events were not published, and a
   * retry would deliver them twice; the rest are accepted, and reported undelivered.
   */
  abandon(): Job[] {
    const jobs: Job[] = [];
    for (const gate of this.#gates.drain()) {
      const entered = gate.taken > 0;
      while (gate.taken < gate.count) jobs.push(this.#take(gate));
      if (entered) gate.resolve();
      else gate.reject(new BusClosedError(gate.type));
    }
    this.#open = undefined;
    return jobs;
  }

  /** The job of a gate's next publisher, made from its parts if it waited as parts. */
  #take(gate: Gate): Job {
    const index = gate.taken++;
    const at = index * STRIDE;
    const { slots } = gate;
    const targets = slots[at + 1] as Subscription[] | undefined;
    this.size--;
    if (targets === undefined) return slots[at] as Job;
    return this.#jobOf(
      slots[at] as TypeEntry,
      targets,
      slots[at + 2],
      slots[at + 3] as Metadata,
      gate.stamps[index] as number,
      idOf(slots[at + 4] as string, slots[at + 5] as number),
    );
  }

  /** The gate a new publisher joins: the open one, or a new one. */
  #gate(type: string): Gate {
    this.size++;
    const open = this.#open;
    if (open !== undefined && open.taken === 0 && open.count < GATE_SIZE) return open;
    let resolve = noop;
    let reject: (error: unknown) => void = noop;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // After a full gate, a loop of unawaited publishes is likely to fill the next one too: its
    // arrays are made at their full size rather than grown (and copied) a push at a time.
    const full = open !== undefined && open.count === GATE_SIZE;
    const gate: Gate = {
      promise,
      resolve,
      reject,
      type,
      slots: full ? new Array<unknown>(GATE_SIZE * STRIDE) : [],
      stamps: full ? new Array<number>(GATE_SIZE) : [],
      count: 0,
      taken: 0,
    };
    this.#gates.push(gate);
    this.#open = gate;
    return gate;
  }
}
