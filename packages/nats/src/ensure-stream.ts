import {
  JetStreamApiCodes,
  type JetStreamManager,
  StorageType,
  type StreamConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { isNotFound } from './client-errors.js';
import type { ResolvedNatsOptions } from './nats-transport-options.js';

/**
 * @internal Creates the stream with the events' and dead letters' subjects, or checks an
 * existing one and adds the subjects it lacks (and the duplicate window, when one is set).
 */
export async function ensureStream(
  jsm: JetStreamManager,
  options: ResolvedNatsOptions,
): Promise<void> {
  const wanted = [`${options.subjectPrefix}.>`, `${options.subjectPrefix}-dlq.>`];
  const window =
    options.duplicateWindow === undefined
      ? {}
      : { duplicate_window: nanos(options.duplicateWindow) };
  let config: StreamConfig;
  try {
    config = (await jsm.streams.info(options.stream)).config;
  } catch (error) {
    if (!isNotFound(error, JetStreamApiCodes.StreamNotFound)) throw error;
    await jsm.streams.add({
      name: options.stream,
      subjects: wanted,
      storage: options.storage === 'memory' ? StorageType.Memory : StorageType.File,
      ...window,
    });
    return;
  }
  const subjects = config.subjects ?? [];
  const missing = wanted.filter((subject) => !subjects.includes(subject));
  const windowChanged =
    options.duplicateWindow !== undefined &&
    config.duplicate_window !== nanos(options.duplicateWindow);
  if (missing.length === 0 && !windowChanged) return;
  await jsm.streams.update(options.stream, {
    ...config,
    subjects: [...subjects, ...missing],
    ...window,
  });
}
