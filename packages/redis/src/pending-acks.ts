import type { Redis } from 'ioredis';

/**
 * @internal The acknowledgements of one consumer group, batched: queued per stream, then sent as
 * one XACK per stream at the end of the turn (`setImmediate`), or ahead of the next read on the
 * reading connection (`sendOn`), whichever comes first. A failed XACK is reported and its
 * entries stay pending: another consumer (or this one) claims them after claimIdleMs, a
 * duplicate delivery rather than a loss.
 */
export class PendingAcks {
  readonly #group: string;
  readonly #command: Redis;
  readonly #report: (error: unknown) => void;
  readonly #ids = new Map<string, string[]>();
  #chain: Promise<void> = Promise.resolve();
  #scheduled = false;

  /**
   * @param group - the consumer group the entries are acknowledged for
   * @param command - the connection the turn's batch is sent on
   * @param report - called with a failed XACK's error
   */
  constructor(group: string, command: Redis, report: (error: unknown) => void) {
    this.#group = group;
    this.#command = command;
    this.#report = report;
  }

  /** Queues an entry's ack; the acks of one turn go out together. */
  add(key: string, id: string): void {
    const ids = this.#ids.get(key);
    if (ids === undefined) this.#ids.set(key, [id]);
    else ids.push(id);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      void this.flush();
    });
  }

  /**
   * Sends the queued acks on `connection` without waiting for the replies: on the reading
   * connection, whose replies come before its next read blocks.
   */
  sendOn(connection: Redis): void {
    for (const [key, ids] of this.#take()) void this.#send(connection, key, ids);
  }

  /** Sends the queued acks on the command connection; resolves once every XACK sent so far settled. */
  flush(): Promise<void> {
    for (const [key, ids] of this.#take()) {
      const flight = this.#send(this.#command, key, ids);
      this.#chain = this.#chain.then(() => flight);
    }
    return this.#chain;
  }

  #send(connection: Redis, key: string, ids: string[]): Promise<void> {
    return connection.xack(key, this.#group, ...ids).then(() => undefined, this.#report);
  }

  /** Takes the queued acks out, per stream, to send them. */
  #take(): Array<[string, string[]]> {
    const acks = [...this.#ids];
    this.#ids.clear();
    return acks;
  }
}
