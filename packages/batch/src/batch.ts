import type { AnyEvent } from '@gossip/core';
import type { BatchError } from './batch-error.js';
import type { BatchReport } from './batch-report.js';

/** A batch: formed, then handled once or more, then settled with its outcome. */
export interface Batch<TEvent extends AnyEvent> {
  readonly events: TEvent[];
  attempts: number;
  /** True once the outcome is known (or the batch was abandoned at the shutdown deadline). */
  settled: boolean;
  /** The outcome, once settled. */
  error: BatchError<TEvent> | undefined;
  readonly done: Promise<BatchError<TEvent> | undefined>;
  readonly finish: (error: BatchError<TEvent> | undefined) => void;
}

/** A new batch of `events`, not yet handled. */
export function formBatch<TEvent extends AnyEvent>(events: TEvent[]): Batch<TEvent> {
  let finish: (error: BatchError<TEvent> | undefined) => void = () => {};
  const done = new Promise<BatchError<TEvent> | undefined>((resolve) => {
    finish = resolve;
  });
  return { events, attempts: 0, settled: false, error: undefined, done, finish };
}

/** The report of `batches`, once every one of them has settled. */
export function settledReport<TEvent extends AnyEvent>(
  batches: Batch<TEvent>[],
): Promise<BatchReport<TEvent>> {
  return Promise.all(batches.map((batch) => batch.done)).then((errors) => ({
    batches: batches.length,
    events: batches.reduce((sum, batch) => sum + batch.events.length, 0),
    failed: errors.filter((error) => error !== undefined),
  }));
}
