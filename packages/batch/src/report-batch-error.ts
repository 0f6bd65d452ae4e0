import type { AnyEvent } from '@gossip/core';
import type { BatchError } from './batch-error.js';

/** Gives a failed batch to onError, or to the host as an uncaught error if there is none. */
export async function reportBatchError<TEvent extends AnyEvent>(
  error: BatchError<TEvent>,
  onError: ((error: BatchError<TEvent>) => void | Promise<void>) | undefined,
): Promise<void> {
  if (onError === undefined) {
    throwUncaught(error);
    return;
  }
  try {
    await onError(error);
  } catch (thrown) {
    throwUncaught(thrown);
  }
}

/** Throws from a microtask, where the host reports the error as uncaught. */
function throwUncaught(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}
